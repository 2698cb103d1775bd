"""An entry's page: title, metadata card, compliance result, linked body, comparison, backlinks."""
from __future__ import annotations

import re

from ...model import Entry
from ..backlinks import backlinks_html
from ..card import card_html, compliance_html
from ..data import SiteData
from ..html import Linker, md_text
from ..html import links
from ..html.links import code_lines
from ..render import github_compat, title_source_lines
from .citedby import more_href
from .common import Slots, rule_href
from .compare import comparison_table, selector_html
from .paths import Paths
from .refmap import refmap_svg

_RULE_LINE = re.compile(r"^ {0,3}---+\s*$")
_SLOT = "<!-- sima: pattern comparison -->"  # where the comparison goes, kept out of the Markdown fixes


def entry_page(
    entry: Entry, data: SiteData, linker: Linker, paths: Paths, comparison_html: str = "", slots: Slots | None = None,
    inline: Slots | None = None,
) -> str:
    """An entry's page: readable title, metadata card, compliance result, the body with every
    cross-reference linked, the pattern comparison, and "Referenced by". With `slots`, the
    generated HTML blocks go there and the Markdown holds their placeholders; with `inline`,
    the links with plain labels too (the plugin fills those before search indexes the page)."""
    hold = slots.add if slots is not None else (lambda block: block)
    rel = entry.relpath
    resolved = data.resolved.get(rel, [])
    code = code_lines(entry)
    lines = links.rewrite(entry, resolved, linker, data.kb, code, inline.add if inline is not None else None)
    fm = entry.front_matter_lines
    titles = title_source_lines(entry)
    header = {f.line for f in entry.fields if f.in_header and f.line > fm}
    with_card = entry.kind == "entry" and bool(header)
    end = max(titles, default=fm)  # last line of the head the card replaces
    if with_card:
        end = max(end, entry.header_end or max(header))
    kept = [
        lines[i - 1] for i in range(fm + 1, end + 1)
        if lines[i - 1].strip() and i not in header and i not in titles and not _RULE_LINE.match(lines[i - 1])
    ]
    card = card_html(entry, links.spans(entry, resolved), linker) if with_card else ""
    result = compliance_html(data.findings.get(rel, []), rule_href(linker, paths))
    body, body_code = lines[end:], code[end:]
    insert = _comparison_insert(entry, data, end, len(lines)) if comparison_html else None
    if insert is not None:
        at = insert - end - 1
        body[at:at] = ["", _SLOT, ""]
        body_code[at:at] = [False, False, False]
    out = [f"# {md_text(data.titles.get(rel, entry.name))}", "", hold(card), "", hold(result), ""] + kept + [""]
    out += [hold(comparison_html) if line == _SLOT else line for line in github_compat(body, body_code)]
    if comparison_html and insert is None:
        out += ["", "## Pattern comparison", "", hold(comparison_html)]
    figure = refmap_svg(rel, data, linker)
    if figure:
        out += ["", "## Reference map", "", hold(figure)]
    refs = backlinks_html(data.backlinks.get(rel, []), data.titles, data.refids, linker, more_href(data, linker, paths, rel))
    out += ["", "## Referenced by", "", hold(refs), ""]
    return "\n".join(out)


def entry_markdown(rel: str, data: SiteData, linker: Linker, paths: Paths, slots: Slots | None = None,
                   inline: Slots | None = None) -> str | None:
    """The published page of the KB file `rel` (with its pattern comparison, when it has
    patterns); None when the file is not an entry page with text (it is published as written)."""
    entry = data.entries.get(rel)
    if entry is None or not entry.text:
        return None
    pset = data.patterns.get(rel)
    extra = comparison_table(pset, "") + "\n" + selector_html(entry, pset, "") if pset else ""
    return entry_page(entry, data, linker, paths, extra, slots, inline)


def _comparison_insert(entry: Entry, data: SiteData, after: int, n: int) -> int | None:
    """1-based line before which the comparison goes: the end of the decision tree's section."""
    pset = data.patterns.get(entry.relpath)
    tree = getattr(pset, "tree", None)
    if tree is None:
        return None
    nxt = next((h.line for h in entry.headings if h.line > tree.line and h.level <= 2), n + 1)
    while nxt - 1 > tree.line and (not entry.line_text(nxt - 1).strip() or _RULE_LINE.match(entry.line_text(nxt - 1))):
        nxt -= 1
    return nxt if nxt > after else None

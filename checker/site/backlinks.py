""""Referenced by": for each page, the entries that cite it, with the line of context.

Bounded: an entry page lists at most `MAX_SOURCES` citing entries, `MAX_LINES` lines each; a
page cited by more links to its "Cited by" pages (`pages.citedby`), which list every citing
entry, `MAX_SOURCES` a page."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Mapping

from ..parse.inline import strip_escaped_links
from ..model import Entry
from .filememo import FileMemo
from .html import Linker, Resolved, esc, target_of

_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_CONTEXT_MAX = 160
MAX_SOURCES = 100  # citing entries listed on one page
MAX_LINES = 5  # lines of context shown per citing entry


@dataclass(frozen=True)
class Backlink:
    """One line of `source` that cites the target; `hit` is the reference text on it."""

    source: str
    line: int
    before: str
    hit: str
    after: str
    section: str = ""  # the heading the line sits under
    slug: str = ""


def collect(entries: Mapping[str, Entry], resolved: Mapping[str, Resolved],
            memo: FileMemo | None = None) -> dict[str, list[Backlink]]:
    """Backlinks by target relpath, one per citing line, in source then line order. With `memo`
    (the last build's), a source whose Entry is the same object and whose resolved references
    are equal gives the same backlinks without being scanned again."""
    out: dict[str, list[Backlink]] = {}
    for source in sorted(resolved):
        entry, refs = entries[source], resolved[source]
        if memo is None:
            found = _cites(source, entry, refs)
        else:
            found = memo.get(source, entry, refs, lambda: _cites(source, entry, refs))
        for target, backlink in found:
            out.setdefault(target, []).append(backlink)
    if memo is not None:
        memo.roll()
    return out


def _cites(source: str, entry: Entry, refs: Resolved) -> list[tuple[str, Backlink]]:
    """(target, backlink) for each line of `source` that cites another file, in line order."""
    found = []
    seen: set[tuple[str, int]] = set()
    sections = [h for h in entry.headings if h.level >= 2]  # found by bisection, not a scan per line
    starts = [h.line for h in sections]
    for ref, res in sorted(refs, key=lambda rr: (rr[0].line, rr[0].column)):
        target = target_of(res)
        if target is None or target == source or (target, ref.line) in seen:
            continue
        seen.add((target, ref.line))
        k = bisect_left(starts, ref.line) - 1  # the last section heading above the line
        heading = sections[k] if k >= 0 else None
        found.append((target, _backlink(entry, ref.line, ref.column, ref.raw, ref.syntax, heading)))
    return found


def _backlink(entry: Entry, line: int, column: int, raw: str, syntax: str, heading=None) -> Backlink:
    text = entry.line_text(line)
    start = _locate(text, raw, column, syntax)
    if start < 0:
        start, raw = column - 1, ""
    before, after = text[:start], text[start + len(raw) :]
    before = _BULLET.sub("", before) if _BULLET.match(text) else before.lstrip()
    before, hit, after = _plain(before), _plain(raw), _plain(after)
    room = max(0, _CONTEXT_MAX - len(hit))
    if len(before) > room // 2:
        before = "\u2026" + before[-(room // 2):]
    if len(after) > room - len(before):
        after = after[: max(0, room - len(before))] + "\u2026"
    section, slug = (heading.text, heading.slug) if heading else ("", "")
    return Backlink(entry.relpath, line, before, hit, after.rstrip(), section, slug)


def _locate(text: str, raw: str, column: int, syntax: str) -> int:
    """Where `raw` starts on its line (a link's column points inside it, at the target)."""
    if not raw:
        return -1
    if text[column - 1 : column - 1 + len(raw)] == raw:
        return column - 1
    if syntax == "link":
        pos = text.rfind(raw, 0, column)
        return pos if pos >= 0 and pos + len(raw) >= column else text.find(raw)
    return text.find(raw, max(0, column - 2))


def _plain(md: str) -> str:
    """Markdown inline syntax reduced to its text: links to their labels, no emphasis marks."""
    md = strip_escaped_links(md)  # what `!?\[((?:[^\]\\]|\\.)*)\]\([^)\n]*\)` -> `\1` gives, linearly
    return md.replace("**", "").replace("__", "").replace("`", "")


def citing_sources(items: list[Backlink], titles: Mapping[str, str], linker: Linker) -> list[tuple[str, list[Backlink]]]:
    """(source, its backlinks) of the published citing pages, by title."""
    groups: dict[str, list[Backlink]] = {}
    for b in items:
        if linker.published(b.source):
            groups.setdefault(b.source, []).append(b)
    return sorted(groups.items(), key=lambda kv: (titles.get(kv[0], kv[0]).lower(), kv[0]))


def backlinks_html(
    items: list[Backlink], titles: Mapping[str, str], refids: Mapping[str, str], linker: Linker,
    more_href: str | None = None, start: int = 0,
) -> str:
    """The "Referenced by" list: citing entries (linked) with their lines of context, the
    `MAX_SOURCES` from `start` on; past them, a line counting the rest (linked to `more_href`)."""
    groups = citing_sources(items, titles, linker)
    if not groups:
        return '<p class="sima-backlinks sima-backlinks--none" data-search-exclude>No other entry cites this page yet.</p>'
    rows = []
    for source, found in groups[start : start + MAX_SOURCES]:
        refid = refids.get(source)
        tag = f' <code class="sima-refid">{esc(refid)}</code>' if refid else ""
        lines = "".join(
            f'<li>{_where(b, linker)} <q>{esc(b.before)}<mark>{esc(b.hit)}</mark>{esc(b.after)}</q></li>'
            for b in found[:MAX_LINES]
        )
        if len(found) > MAX_LINES:
            lines += f"<li>and {len(found) - MAX_LINES} more lines</li>"
        rows.append(
            f'<li><a class="sima-backlink__source" href="{esc(linker.href(source))}">{esc(titles.get(source, source))}</a>'
            f"{tag}<ul>{lines}</ul></li>"
        )
    rest = len(groups) - start - MAX_SOURCES
    if rest > 0:
        text = f"and {rest} more citing {'entry' if rest == 1 else 'entries'}"
        rows.append(f'<li><a href="{esc(more_href)}">{text}</a></li>' if more_href else f"<li>{text}</li>")
    return '<div class="sima-backlinks-box" data-search-exclude><ul class="sima-backlinks">' + "".join(rows) + "</ul></div>"  # no nested div: Material's search skips by tag name


def _where(b: Backlink, linker: Linker) -> str:
    """`line N` linked to the section of the citing page that holds the line."""
    label = f"line {b.line}"
    if not b.slug:
        return f'<span class="sima-backlink__line">{label}</span>'
    href = linker.href(b.source, b.slug)
    return f'<a class="sima-backlink__line" href="{esc(href)}" title="{esc(b.section)}">{label}</a>'

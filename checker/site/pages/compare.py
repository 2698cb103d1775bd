"""The pattern comparison page: one side-by-side table per entry, a KB-wide list of patterns,
and the decision-tree selector (enhanced by assets/selector.js).

Pure string builders, no MkDocs import. Every value taken from an entry goes through the
`html` package (`esc`, `rich_inline`, `pre`); links are `safe_url`s or `#` anchors from slugs.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ...model import Entry
from ...parse.slug import slugify
from ..html import esc, inert_json, page_href, pre, rich_inline, safe_url
from ..patterns import Cell, DecisionTree, Outcome, Pattern, PatternSet
from ..render import entry_title

__all__ = ["ASSETS", "ASSET_DIR", "anchor_id", "comparison_page", "comparison_table", "entry_comparison_html",
           "pattern_index_html", "safe_url", "selector_html", "tree_json"]
ASSET_DIR = Path(__file__).resolve().parents[1] / "assets"
ASSETS = ("common.js", "selector.js", "selector.css", "compare.js", "picker.js", "picker.css", "dashboard.js", "dashboard.css")  # files of ASSET_DIR the page needs


def anchor_id(entry: Entry) -> str:
    """Id of the entry's block on the comparison page."""
    base = re.sub(r"\.md$", "", entry.relpath, flags=re.IGNORECASE)
    slug = slugify(re.sub(r"[/._\s]+", "-", base)).strip("-")
    return "cmp-" + (slug or hashlib.sha1(base.encode("utf-8", "replace")).hexdigest()[:10])


def entry_label(entry: Entry, grammar=None) -> tuple[str, str]:
    """(REF-ID or file name, readable title) for display, the same title as the entry's page
    (`grammar`: the KB's REF-ID grammar, which the title leaves out of the file name)."""
    return entry.refid or entry.name, entry_title(entry, grammar)


def _cell_html(cell: Cell | None, pattern: Pattern, href: str) -> str:
    # data-pattern: the cell's label when a phone shows the comparison as cards (selector.css)
    label = f' data-pattern="{esc(pattern.name)}"'
    if not cell:
        return f'<td class="sima-empty"{label}>\u2014</td>'
    parts = []
    if cell.text:
        parts.append(pre(cell.text) if cell.code else f"<p>{rich_inline(cell.text)}</p>")
    if cell.items:
        parts.append("<ul>" + "".join(f"<li>{rich_inline(i)}</li>" for i in cell.items) + "</ul>")
    link = (
        f'<a class="sima-cell-link" href="{esc(href)}" title="{esc("Go to " + pattern.name)}"'
        f' aria-label="{esc("Go to " + pattern.name)}">\u2197</a>'
    )
    return f"<td{label}>" + "".join(parts) + link + "</td>"


def comparison_table(pset: PatternSet, page_url: str) -> str:
    """The side-by-side table: a column per pattern, a row per attribute."""
    hrefs = [page_href(page_url, p.slug) for p in pset.patterns]
    head = ['<th scope="col">Attribute</th>']
    for p, href in zip(pset.patterns, hrefs):
        qual = f'<br><span class="sima-qualifier">{esc(p.qualifier)}</span>' if p.qualifier else ""
        head.append(f'<th scope="col"><a href="{esc(href)}">{esc(p.name)}</a>{qual}</th>')
    rows = []
    for attr in pset.attributes:
        cells = "".join(_cell_html(p.rows.get(attr), p, href) for p, href in zip(pset.patterns, hrefs))
        rows.append(f'<tr><th scope="row">{esc(attr)}</th>{cells}</tr>')
    return "\n".join([
        '<div class="sima-comparison-wrap">',
        '<table class="sima-comparison">',
        "<thead><tr>" + "".join(head) + "</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</div>",
    ])


# (relpath, text, id of the PatternSet, url, grammar) -> (that PatternSet, block). The plugin
# keeps an unchanged entry's PatternSet across `mkdocs serve` rebuilds, so a rebuild renders only
# the edited entries' blocks; holding the PatternSet keeps its id from being reused.
_BLOCKS: dict[tuple, tuple[PatternSet, str]] = {}
_BLOCKS_MAX = 20_000


def _block(entry: Entry, pset: PatternSet, page_url: str, grammar=None) -> str:
    """`entry_comparison_html`, remembered (see `_BLOCKS`)."""
    key = (entry.relpath, entry.text, id(pset), page_url, grammar)
    hit = _BLOCKS.get(key)
    if hit is None or hit[0] is not pset:
        if len(_BLOCKS) >= _BLOCKS_MAX:
            _BLOCKS.clear()
        hit = _BLOCKS[key] = (pset, entry_comparison_html(entry, pset, page_url, grammar))
    return hit[1]


def entry_comparison_html(entry: Entry, pset: PatternSet, page_url: str, grammar=None) -> str:
    """One entry: heading linking to its page, the comparison table, then the selector."""
    ident, title = entry_label(entry, grammar)
    heading = f"{ident} \u00b7 {title}" if title and title != ident else ident
    parts = [
        f'<section class="sima-comparison-entry" id="{esc(anchor_id(entry))}">',
        f'<h3><a href="{esc(page_href(page_url))}">{esc(heading)}</a></h3>',
    ]
    purpose = entry.field("purpose")
    if purpose and purpose.value:
        parts.append(f'<p class="sima-purpose">{rich_inline(purpose.value)}</p>')
    parts.append(comparison_table(pset, page_url))
    if pset.tree is not None:
        parts.append(selector_html(entry, pset, page_url))
    parts.append("</section>")
    return "\n".join(parts)


def _outcome_json(o: Outcome, pset: PatternSet, page_url: str) -> dict:
    if o.goto:
        return {"goto": o.goto}
    p = pset.find(o.pattern)
    if p is not None:
        return {"pattern": p.name, "qualifier": p.qualifier, "href": page_href(page_url, p.slug)}
    return {"text": o.text}


def tree_json(pset: PatternSet, page_url: str) -> str:
    """The tree as JSON with `<`, `>`, `&` written as \\u escapes (safe even inside `<script>`)."""
    tree: DecisionTree = pset.tree  # type: ignore[assignment]
    data = {
        "start": tree.start,
        "order": [q.id for q in tree.questions],
        "questions": {
            q.id: {
                "text": q.text,
                "yes": _outcome_json(q.yes, pset, page_url),
                "no": _outcome_json(q.no, pset, page_url),
            }
            for q in tree.questions
        },
    }
    return inert_json(data)


def _static_outcome(o: Outcome, pset: PatternSet, page_url: str, tree_id: str) -> str:
    if o.goto:
        return f'<a href="#{esc(tree_id)}-{esc(o.goto.lower())}">{esc(o.goto)}</a>'
    p = pset.find(o.pattern)
    if p is not None:
        return f'<a href="{esc(page_href(page_url, p.slug))}">{esc(p.name)}</a>'
    return rich_inline(o.text)


def selector_html(entry: Entry, pset: PatternSet, page_url: str) -> str:
    """The decision tree as a static list plus the hidden widget selector.js brings to life."""
    tree = pset.tree
    if tree is None:
        return ""
    tree_id = anchor_id(entry) + "-tree"
    items = []
    for q in tree.questions:
        yes = _static_outcome(q.yes, pset, page_url, tree_id)
        no = _static_outcome(q.no, pset, page_url, tree_id)
        items.append(
            f'<li id="{esc(tree_id)}-{esc(q.id.lower())}"><span class="sima-static-question">'
            f"{esc(q.id)}: {rich_inline(q.text)}</span><ul>"
            f"<li>Yes \u2192 {yes}</li><li>No \u2192 {no}</li></ul></li>"
        )
    # The tree rides in an attribute, not in <script type="application/json">: Material's
    # instant navigation re-inserts every <script> of the page without its attributes, which
    # runs the JSON as JavaScript (a SyntaxError) and loses the element's class.
    return "\n".join([
        f'<div class="sima-selector" data-tree-id="{esc(tree_id)}" id="{esc(tree_id)}"'
        f' data-tree="{esc(tree_json(pset, page_url))}">',
        '<p class="sima-selector-title"><strong>Which pattern fits?</strong> '
        "Follow the entry's decision tree.</p>",
        '<ol class="sima-tree-static">',
        *items,
        "</ol>",
        '<div class="sima-interactive" hidden aria-live="polite">',
        '<p class="sima-step"><span class="sima-qid"></span></p>',
        '<p class="sima-question"></p>',
        '<p class="sima-answers"><button type="button" data-answer="yes">Yes</button> '
        '<button type="button" data-answer="no">No</button></p>',
        '<p class="sima-result" hidden></p>',
        '<ol class="sima-path"></ol>',
        '<p><button type="button" data-action="restart">Start over</button></p>',
        "</div>",
        "</div>",
    ])


def pattern_index_html(items: list[tuple[Entry, PatternSet, str]], grammar=None) -> str:
    """The KB-wide list: every pattern with its qualifier and entry, sorted by name."""
    rows = []
    flat = [(p, e, url) for e, ps, url in items for p in ps.patterns]
    flat.sort(key=lambda t: (t[0].name.casefold(), t[1].refid or t[1].relpath, t[0].heading_line))
    for p, e, url in flat:
        ident, title = entry_label(e, grammar)
        rows.append(
            "<tr>"
            f'<td><a href="{esc(page_href(url, p.slug))}">{esc(p.name)}</a></td>'
            f"<td>{esc(p.qualifier)}</td>"
            f'<td><a href="{esc(page_href(url))}" title="{esc(title)}">{esc(ident)}</a></td>'
            f'<td><a href="#{esc(anchor_id(e))}">compare</a></td>'
            "</tr>"
        )
    return "\n".join([
        '<div class="sima-comparison-wrap">',
        '<table class="sima-pattern-index">',
        '<thead><tr><th scope="col">Pattern</th><th scope="col">Qualifier</th>'
        '<th scope="col">Entry</th><th scope="col">Table</th></tr></thead>',
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</div>",
    ])


def comparison_page(
    items: list[tuple[Entry, PatternSet, str]], title: str = "Pattern comparison", grammar=None, *,
    totals: tuple[int, int, int] | None = None, bars: str = "", pages: str = "", list_title: str = "All patterns",
) -> str:
    """The page body (Markdown with raw HTML blocks): intro, pattern list, one block per entry.

    Entries without patterns are left out; the rest are ordered by path. A page of a paged
    comparison (`patterns.comparison`) passes the KB's `totals` (patterns, entries, trees) for
    the intro, `bars` (its letter and page bars, HTML), `pages` (the first page's list of
    pages, HTML) and a `list_title` for the list of the patterns it holds."""
    kept = sorted((t for t in items if t[1].patterns), key=lambda t: t[0].relpath)
    n_patterns, n_entries, n_trees = totals or (
        sum(len(ps.patterns) for _, ps, _ in kept), len(kept), sum(1 for _, ps, _ in kept if ps.tree is not None))
    out = [f"# {title}", ""]
    if not n_entries:
        out += ["No entry of this knowledge base describes two or more patterns "
                "(`### Pattern 1: Name (Qualifier)` headings).", ""]
        return "\n".join(out)
    out += [
        f"{n_patterns} patterns from {n_entries} {'entry' if n_entries == 1 else 'entries'}, "
        "compared side by side. Rows are the "
        "labelled blocks of each pattern section (`**Characteristics:**`, `**When to Use:**`, "
        "`**Advantages:**`...); every cell links back to its section. "
        f"{n_trees} {'entry has' if n_trees == 1 else 'entries have'} a decision tree you can "
        "answer step by step.",
        "",
    ]
    for html in (bars, pages):
        if html:
            out += [html, ""]
    out += [
        f"## {list_title}",
        "",
        pattern_index_html(kept, grammar),
        "",
        "## Compared by entry",
        "",
    ]
    for entry, pset, url in kept:
        out += [_block(entry, pset, url, grammar), ""]
    return "\n".join(out)

"""The pattern pages: the list of every pattern and the comparison (built by `comparison`),
both paged so that no page grows with the KB.

- The comparison holds the entries with patterns in path order, cut into pages by an estimate
  of their blocks' size (`COMPARISON_BUDGET` bytes, at most `COMPARISON_ENTRIES` entries): a
  page holds whole entries, one entry's block is never split. `comparison_src` says which
  page holds an entry's block; every link to a block (`compare.anchor_id`) goes through it.
- The list of all patterns is sorted by name, `PATTERN_ROWS` patterns a page, filed under letters.

Page 1 of each keeps the family's path (`catalog/patterns.md`, `catalog/pattern-list.md`) and
lists the other pages with the range each holds; every page has the page bar."""
from __future__ import annotations

import posixpath
from typing import Callable

from ...model import Entry
from ..data import SiteData
from ..html import Linker, esc
from .compare import anchor_id, comparison_page
from .common import block, entry_link, field_value, table
from .paging import chunks, memo, letter, letter_bar, letter_id, page_bar, page_list, page_title, weighted_chunks
from .paths import Paths
from .picker import with_picker

__all__ = ["COMPARISON_BUDGET", "COMPARISON_ENTRIES", "PATTERN_ROWS", "comparison", "comparison_chunks",
           "comparison_src", "comparison_srcs", "pattern_chunks", "pattern_list"]

COMPARISON_BUDGET = 180_000  # estimated bytes of the entry blocks on one page (the blocks come to ~25% more)
COMPARISON_ENTRIES = 30  # entries on one comparison page, at most
PATTERN_ROWS = 400  # patterns on one page of the list (about 300 bytes a row)


def _weight(pset) -> int:
    """An estimate of an entry's comparison block in bytes, from the text of its cells (each
    cell adds about 200 bytes of markup and its link back; a tree question about 900)."""
    cells = sum(
        200 + len(c.text) + sum(len(i) + 9 for i in c.items)
        for p in pset.patterns for c in p.rows.values()
    )
    empty = sum(40 for p in pset.patterns for a in pset.attributes if a not in p.rows)
    tree = 900 * len(pset.tree.questions) if pset.tree is not None else 0
    return 800 + 150 * len(pset.patterns) + cells + empty + tree


def comparison_chunks(data: SiteData) -> list[list[str]]:
    """The comparison's pages: relpaths of the entries with patterns, in path order."""
    def compute() -> list[list[str]]:
        rels = sorted(rel for rel, pset in data.patterns.items() if pset.patterns)
        return weighted_chunks(rels, lambda rel: _weight(data.patterns[rel]), COMPARISON_BUDGET, COMPARISON_ENTRIES)

    return memo(data, ("patterns", "comparison", COMPARISON_BUDGET, COMPARISON_ENTRIES), compute)


def comparison_srcs(data: SiteData, paths: Paths) -> dict[str, str]:
    """Source path of the comparison page that holds each entry's block, by relpath."""
    pages = comparison_chunks(data)
    return memo(data, ("patterns", "comparison-srcs", paths, id(pages)),
                lambda: {rel: paths.comparison_page(n) for n, rels in enumerate(pages, 1) for rel in rels})


def comparison_src(data: SiteData, paths: Paths, rel: str) -> str | None:
    """The comparison page that holds the block of entry `rel` (None: it has no patterns).
    For many entries at once, `comparison_srcs` computes the layout once."""
    return comparison_srcs(data, paths).get(rel)


def pattern_chunks(data: SiteData) -> list[list[tuple]]:
    """The pattern list's pages: (Pattern, relpath) pairs sorted by name, `PATTERN_ROWS` a page."""
    def compute() -> list[list[tuple]]:
        flat = [(p, rel) for rel, pset in data.patterns.items() for p in pset.patterns]
        flat.sort(key=lambda t: (t[0].name.casefold(), data.titles[t[1]].lower(), t[1], t[0].heading_line))
        return chunks(flat, PATTERN_ROWS)

    return memo(data, ("patterns", "pattern-list", PATTERN_ROWS), compute)


def pattern_list(
    data: SiteData, linker: Linker, paths: Paths, anchor_of: Callable[[Entry], str] | None = None, page: int = 1,
) -> str:
    """Page `page` of the list of every pattern the KB describes, each linked to its section
    and to its comparison table (on the comparison page that holds it)."""
    pages = pattern_chunks(data)
    srcs = [paths.pattern_list_page(n) for n in range(1, len(pages) + 1)]
    where = comparison_srcs(data, paths)
    ranges = [f"{c[0][0].name} \u2013 {c[-1][0].name}" if c else "" for c in pages]
    first: dict[str, int] = {}
    for n, rows in enumerate(pages, 1):
        for p, _ in rows:
            first.setdefault(letter(p.name), n)
    total = sum(len(c) for c in pages)
    this = f"; this page: {esc(ranges[page - 1])} (page {page} of {len(pages)})" if len(pages) > 1 else ""
    lead = (
        f"{total} patterns described in {len(data.patterns)} entries (sections headed "
        "<code>Pattern N: Name (Qualifier)</code>), each linked to its section and to its side-by-side table"
        f"{this}."
    )
    parts = [f"# {page_title('All patterns', page, len(pages))}", f'<p class="sima-lead">{lead}</p>',
             letter_bar(linker, {l: srcs[n - 1] for l, n in first.items()}, "pl") if total else "",
             page_bar(linker, srcs, page, ranges), page_list(linker, srcs, ranges) if page == 1 else ""]
    groups: dict[str, list[list[str]]] = {}
    for p, rel in pages[page - 1] if 0 < page <= len(pages) else []:
        href = linker.href(rel, p.slug)
        name = f'<a href="{esc(href)}">{esc(p.name)}</a>' if href else esc(p.name)
        src = where.get(rel)
        compare = linker.href(src, anchor_of(data.entry(rel)) if anchor_of else None) if src else None
        groups.setdefault(letter(p.name), []).append([
            name, esc(p.qualifier), entry_link(rel, data, linker), esc(field_value(data.entry(rel), "category")),
            f'<a href="{esc(compare)}">compare</a>' if compare else "",
        ])
    head = ["Pattern", "Qualifier", "Entry", "Category", "Table"]
    for l, rows in groups.items():
        heading = (f'<h2 id="{esc(letter_id("pl", l))}">{esc(l)}</h2>' if first.get(l) == page
                   else f"<h2>{esc(l)} <small>(continued)</small></h2>")
        parts.append(heading + table(head, rows, "sima-patterns"))
    if not total:
        parts.append(table(head, [], "sima-patterns"))
    return block(*parts)


def comparison(
    data: SiteData, linker: Linker, build: Callable[[list], str] | None = None, page: int = 1, paths: Paths | None = None,
) -> str:
    """Page `page` of the comparison: `build` (default `compare.comparison_page` with the KB's
    REF-ID grammar, its totals and the page's bars) fed the entries with patterns of that page."""
    paths = paths or Paths()
    pages = comparison_chunks(data)
    srcs = [paths.comparison_page(n) for n in range(1, len(pages) + 1)]
    rels = pages[page - 1] if 0 < page <= len(pages) else []
    items = [(data.entry(rel), data.patterns[rel], linker.href(rel) or "") for rel in rels]
    title = page_title("Pattern comparison", page, len(pages))
    if build is None:
        everything = [ps for ps in data.patterns.values() if ps.patterns]
        totals = (sum(len(ps.patterns) for ps in everything), len(everything),
                  sum(1 for ps in everything if ps.tree is not None))
        bars = page_bar(linker, srcs, page, [_span(c) for c in pages])
        listed = "All patterns" if len(pages) < 2 else "Patterns on this page"
        build = lambda items: comparison_page(  # noqa: E731
            items, title, grammar=data.kb.grammar, totals=totals, bars=bars,
            pages=_pages_html(data, linker, paths, pages, srcs) if page == 1 else "", list_title=listed)
    body = build(items)
    if page == 1:
        body = with_picker(body, linker)  # the picker (pages/picker.py) after the title
    return body if body.lstrip().startswith("# ") else block(f"# {title}", body)


def _span(rels: list[str]) -> str:
    """`first - last` entry of a page, as paths without `.md`."""
    if not rels:
        return ""
    a, b = (posixpath.splitext(r)[0] for r in (rels[0], rels[-1]))
    return a if a == b else f"{a} \u2013 {b}"


def _pages_html(data: SiteData, linker: Linker, paths: Paths, pages: list[list[str]], srcs: list[str]) -> str:
    """The first page's list of pages (one line each: the entries it holds) and where each top
    folder starts; '' for a one-page comparison."""
    if len(pages) < 2:
        return ""
    listed = page_list(linker, srcs, [_span(rels) for rels in pages], [f"{len(rels)} entries" for rels in pages])
    folders: dict[str, tuple[str, str]] = {}
    for src, rels in zip(srcs, pages):
        for rel in rels:
            folders.setdefault(rel.split("/", 1)[0] if "/" in rel else "(root)", (src, rel))
    jump = " ".join(f'<a href="{esc(linker.href(src, anchor_id(data.entry(rel))) or "#")}">{esc(f)}</a>'
                    for f, (src, rel) in folders.items())
    everything = linker.href(paths.pattern_list)
    by_name = f' Every pattern by name: <a href="{esc(everything)}">All patterns</a>.' if everything else ""
    return f'<div class="sima-comparison-pages"><p>In path order. Top folders: {jump}.{by_name}</p>{listed}</div>'


def pattern_inputs(data: SiteData) -> tuple:
    """What the pattern catalogue (comparison pages, all-patterns list, picker data) reads of
    each entry with patterns: `serve --dirty` rebuilds those pages only when this changes.
    Keep it in step with the builders above and in `compare.py` and `picker.py`."""
    rows = []
    for rel, pset in sorted(data.patterns.items()):
        e = data.entry(rel)
        purpose = e.field("purpose")
        rows.append((rel, rel in data.excluded, pset, data.titles.get(rel), e.refid, e.name, e.kind,
                     field_value(e, "category"), purpose.value if purpose else None))
    return tuple(data.kb.settings.refid_patterns), tuple(rows)

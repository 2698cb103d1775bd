"""The REF-ID index and the keyword index, each paged (see `paging`).

Both are sorted lists filed under letters. The REF-ID index holds `REFID_ROWS` REF-IDs per
page; the keyword index `KEYWORD_LINKS` (keyword, entry) pairs per page, so a keyword that
hundreds of entries list cannot make a page grow: it continues on the next page. Every page
shows the letter bar (to the page where each letter starts) and the page bar; the first page
(the family's path, `catalog/refids.md`) also says which range each page holds."""
from __future__ import annotations

from collections import Counter

from ..data import SiteData
from ..html import Linker, esc
from .common import block, entry_link, field_value, natural, table
from .paging import chunks, memo, letter, letter_bar, letter_id, page_bar, page_list, page_title
from .paths import Paths

__all__ = ["KEYWORD_LINKS", "REFID_ROWS", "keyword_chunks", "keyword_index", "refid_chunks", "refid_index"]

REFID_ROWS = 400  # about 350 bytes a row: ~140 KB of table per page
KEYWORD_LINKS = 1000  # (keyword, entry) pairs per page, about 130 bytes each


def refid_chunks(data: SiteData) -> list[list[tuple[str, str]]]:
    """The index's pages: (REF-ID, relpath) pairs in natural order, `REFID_ROWS` a page."""
    def compute() -> list[list[tuple[str, str]]]:
        owned = [(e.refid, rel) for rel, e in data.entries.items() if e.refid and rel not in data.excluded]
        return chunks(sorted(owned, key=lambda x: (natural(x[0]), x[1])), REFID_ROWS)

    return memo(data, ("indexes", "refids", REFID_ROWS), compute)


def refid_index(data: SiteData, linker: Linker, paths: Paths | None = None, page: int = 1) -> str:
    """Page `page` of the REF-ID index: every REF-ID with its title, category, status and page."""
    paths = paths or Paths()
    pages = refid_chunks(data)
    srcs = [paths.refids_page(n) for n in range(1, len(pages) + 1)]
    total = sum(len(c) for c in pages)
    ranges = [f"{c[0][0]} \u2013 {c[-1][0]}" if c else "" for c in pages]
    parts = [f"# {page_title('REF-ID index', page, len(pages))}"]
    lead = f"{total} REF-IDs, from the <code>**REF-ID:**</code> field or the file name"
    parts.append(f'<p class="sima-lead">{lead}{_where(page, pages, ranges)}.</p>')
    parts.append(letter_bar(linker, _starts(pages, lambda row: row[0], srcs), "ref"))
    parts.append(page_bar(linker, srcs, page, ranges) + (page_list(linker, srcs, ranges) if page == 1 else ""))
    shown = pages[page - 1] if 0 < page <= len(pages) else []
    starts = _first_pages(pages, lambda row: row[0])
    for group, rows in _by_letter(shown, lambda row: row[0]):
        parts.append(_letter_heading("ref", group, starts.get(group) == page))
        parts.append(table(["REF-ID", "Title", "Category", "Status", "Page"], [_refid_row(data, linker, *r) for r in rows],
                           "sima-refids"))
    if not total:
        parts.append(table(["REF-ID", "Title", "Category", "Status", "Page"], [], "sima-refids"))
    return block(*parts)


def _refid_row(data: SiteData, linker: Linker, refid: str, rel: str) -> list[str]:
    e = data.entry(rel)
    href = linker.href(rel)
    page = f'<a href="{esc(href)}"><code>{esc(rel)}</code></a>' if href else f"<code>{esc(rel)}</code>"
    return [f'<code id="{esc(refid)}">{esc(refid)}</code>', entry_link(rel, data, linker),
            esc(field_value(e, "category")), esc(field_value(e, "status")), page]


def _keywords(data: SiteData) -> tuple[dict[str, Counter], dict[str, set[str]]]:
    """(spellings, entries) by normalized keyword (case and spaces folded)."""
    return memo(data, ("indexes", "keywords"), lambda: _collect_keywords(data))


def _collect_keywords(data: SiteData) -> tuple[dict[str, Counter], dict[str, set[str]]]:
    spelled: dict[str, Counter] = {}
    where: dict[str, set[str]] = {}
    for rel in data.published():
        for k in data.entry(rel).keywords:
            key = " ".join(k.text.lower().split())
            spelled.setdefault(key, Counter())[k.text] += 1
            where.setdefault(key, set()).add(rel)
    return spelled, where


def keyword_chunks(data: SiteData) -> list[list[tuple[str, str]]]:
    """The index's pages: (keyword, relpath) pairs by keyword then entry title, `KEYWORD_LINKS` a page."""
    def compute() -> list[list[tuple[str, str]]]:
        _, where = _keywords(data)
        pairs = [(k, r) for k in sorted(where) for r in sorted(where[k], key=lambda r: (data.titles[r].lower(), r))]
        return chunks(pairs, KEYWORD_LINKS)

    return memo(data, ("indexes", "keyword-pages", KEYWORD_LINKS), compute)


def keyword_index(data: SiteData, linker: Linker, paths: Paths | None = None, page: int = 1) -> str:
    """Page `page` of the keyword index: keywords (case-insensitive), each with the entries
    that list it, grouped by letter."""
    paths = paths or Paths()
    spelled, where = _keywords(data)
    pages = keyword_chunks(data)
    srcs = [paths.keywords_page(n) for n in range(1, len(pages) + 1)]
    ranges = [f"{c[0][0]} \u2013 {c[-1][0]}" if c else "" for c in pages]
    parts = [f"# {page_title('Keyword index', page, len(pages))}",
             f'<p class="sima-lead">{len(where)} keywords{_where(page, pages, ranges)}.</p>'
             + letter_bar(linker, _starts(pages, lambda pair: pair[0], srcs), "kw")]
    parts.append(page_bar(linker, srcs, page, ranges) + (page_list(linker, srcs, ranges) if page == 1 else ""))
    shown = pages[page - 1] if 0 < page <= len(pages) else []
    starts = _first_pages(pages, lambda pair: pair[0])
    before = pages[page - 2][-1][0] if page > 1 and pages[page - 2] else None  # the keyword the previous page ended on
    for group, pairs in _by_letter(shown, lambda pair: pair[0]):
        items, keys = [], list(dict.fromkeys(k for k, _ in pairs))
        for k in keys:
            rels = [r for kk, r in pairs if kk == k]
            more = " <em>(continued)</em>" if k == before else ""
            items.append(f'<li><span class="sima-keyword">{esc(spelled[k].most_common(1)[0][0])}</span>{more} '
                         + ", ".join(entry_link(r, data, linker) for r in rels) + "</li>")
        parts.append(_letter_heading("kw", group, starts.get(group) == page)
                     + f'<ul class="sima-keywords">{"".join(items)}</ul>')
    return block(*parts)


def _by_letter(rows: list, key) -> list[tuple[str, list]]:
    out: dict[str, list] = {}
    for row in rows:
        out.setdefault(letter(key(row)), []).append(row)
    return list(out.items())


def _first_pages(pages: list[list], key) -> dict[str, int]:
    """The 1-based page where each letter starts."""
    out: dict[str, int] = {}
    for n, rows in enumerate(pages, 1):
        for row in rows:
            out.setdefault(letter(key(row)), n)
    return out


def _starts(pages: list[list], key, srcs: list[str]) -> dict[str, str]:
    return {l: srcs[n - 1] for l, n in _first_pages(pages, key).items()}


def _letter_heading(prefix: str, group: str, first: bool) -> str:
    """The letter's heading: with its anchor where the letter starts, `(continued)` after."""
    if first:
        return f'<h2 id="{esc(letter_id(prefix, group))}">{esc(group)}</h2>'
    return f"<h2>{esc(group)} <small>(continued)</small></h2>"


def _where(page: int, pages: list[list], ranges: list[str]) -> str:
    """`; this page: A - C (page 1 of 3)` when the index has more than one page."""
    if len(pages) < 2:
        return ""
    return f"; this page: {esc(ranges[page - 1])} (page {page} of {len(pages)})"


def index_inputs(data: SiteData) -> tuple:
    """What the REF-ID and keyword indexes read of each file: `serve --dirty` rebuilds their
    pages only when this changes. Keep it in step with the builders above."""
    return tuple(
        (rel, data.titles.get(rel), e.refid, field_value(e, "category"), field_value(e, "status"),
         tuple(k.text for k in e.keywords), rel in data.excluded)
        for rel, e in sorted(data.entries.items())
    )

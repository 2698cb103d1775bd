"""Compare any patterns, across entries: the picker on the comparison page and its data files.

The page holds a hidden picker block (assets/picker.js shows it); without JavaScript the
page's "All patterns" list links every pattern. The script loads a compact index (one row per
pattern: name, qualifier, entry number, position in the entry) and, for the patterns the
reader picks, the chunk files that hold their cells: `CHUNK` entries per chunk, so a KB of
10,000 entries never ships all its cells in one file. Cells are sent as plain text and list
items, written by the script with `textContent`; hrefs are relative to each JSON file's URL.
A pick is `KEY.N` (the entry's key, the pattern's position from 1), kept in the URL as `?p=`.
"""
from __future__ import annotations

import posixpath
from typing import Callable

from ...parse.inline import strip_links
from ..data import SiteData
from ..html import Linker, esc, inert_json
from ..patterns import Pattern, PatternSet
from ..render import entry_title

__all__ = ["CHUNK", "MAX_PICKS", "chunk_src", "data_dir", "entry_keys", "index_src", "picker_data", "picker_html", "with_picker"]
CHUNK = 50  # entries per chunk file
MAX_PICKS = 4
_WORDS = {3: "three", 4: "four", 5: "five", 6: "six"}


def data_dir(comparison_src: str) -> str:
    """Folder of the picker's JSON, beside the comparison page (`catalog/patterns-data`)."""
    return posixpath.splitext(comparison_src)[0] + "-data"


def index_src(comparison_src: str) -> str:
    """The index file."""
    return data_dir(comparison_src) + "/index.json"


def chunk_src(comparison_src: str, n: int) -> str:
    """Chunk file `n` (0-based)."""
    return f"{data_dir(comparison_src)}/chunk-{n}.json"


def _published(data: SiteData) -> list[tuple[str, PatternSet]]:
    """Entries with patterns that are on the site, by path: their position is their number."""
    published = set(data.published())
    return [(rel, data.patterns[rel]) for rel in sorted(data.patterns) if data.patterns[rel].patterns and rel in published]


def entry_keys(rels: list[str], data: SiteData) -> list[str]:
    """A unique key per entry for `?p=`: its REF-ID, else its file's stem (`~2`... on a clash)."""
    seen: dict[str, int] = {}
    keys = []
    for rel in rels:
        e = data.entry(rel)
        base = (e.refid or posixpath.splitext(e.name)[0]).replace(" ", "_")
        n = seen[base] = seen.get(base, 0) + 1
        keys.append(base if n == 1 else f"{base}~{n}")
    return keys


def _cell(attr: str, cell) -> list:
    text = cell.text if cell.code else strip_links(cell.text, image=True)
    return [attr, text, [strip_links(i, image=True) for i in cell.items], bool(cell.code)]


def _pattern(p: Pattern, pset: PatternSet, href: str) -> dict:
    rows = [_cell(a, p.rows[a]) for a in pset.attributes if p.rows.get(a)]
    return {"name": p.name, "qualifier": p.qualifier, "href": href, "rows": rows}


def picker_data(data: SiteData, comparison_src: str) -> dict[str, Callable[[Linker], str]]:
    """Source path -> builder (Linker -> JSON text) of the index and of every chunk file."""
    items = _published(data)
    keys = entry_keys([rel for rel, _ in items], data)
    n_chunks = (len(items) + CHUNK - 1) // CHUNK
    grammar = data.kb.grammar

    def index(linker: Linker) -> str:
        entries, rows = [], []
        for i, ((rel, pset), key) in enumerate(zip(items, keys)):
            e = data.entry(rel)
            entries.append([key, e.refid or e.name, entry_title(e, grammar), linker.href(rel) or ""])
            rows += [[p.name, p.qualifier, i, n] for n, p in enumerate(pset.patterns, 1)]
        chunks = [linker.href(chunk_src(comparison_src, n)) or "" for n in range(n_chunks)]
        return inert_json({"version": 1, "chunk": CHUNK, "chunks": chunks, "entries": entries, "patterns": rows})

    def chunk(n: int) -> Callable[[Linker], str]:
        def build(linker: Linker) -> str:
            out = [
                [_pattern(p, pset, linker.href(rel, p.slug) or "") for p in pset.patterns]
                for rel, pset in items[n * CHUNK:(n + 1) * CHUNK]
            ]
            return inert_json({"first": n * CHUNK, "entries": out})
        return build

    files = {index_src(comparison_src): index}
    files.update({chunk_src(comparison_src, n): chunk(n) for n in range(n_chunks)})
    return files


def picker_html(linker: Linker) -> str:
    """The hidden picker block (empty when the index is not published)."""
    href = linker.href(index_src(linker.page))
    if not href:
        return ""
    return "\n".join([
        f'<div class="sima-picker" id="sima-picker" data-index="{esc(href)}" data-max="{MAX_PICKS}" hidden>',
        '<p class="sima-picker-title"><strong>Compare any patterns.</strong> '
        f"Pick two to {_WORDS.get(MAX_PICKS, MAX_PICKS)} patterns from anywhere in the knowledge base; the page address keeps your choice, "
        "so you can link it.</p>",
        '<p class="sima-picker-search"><label for="sima-picker-q">Find a pattern</label> '
        '<span class="sima-picker-q" data-id="sima-picker-q" data-placeholder="Pattern, qualifier or entry"'
        ' data-aria-controls="sima-picker-results" data-aria-describedby="sima-picker-status"></span></p>',
        '<ul class="sima-picker-results" id="sima-picker-results" aria-label="Matching patterns"></ul>',
        '<ul class="sima-picker-chosen" aria-label="Chosen patterns"></ul>',
        '<p class="sima-picker-status" id="sima-picker-status" aria-live="polite"></p>',
        '<div class="sima-picker-view"></div>',
        "</div>",
    ])


def with_picker(body: str, linker: Linker) -> str:
    """`body` (Markdown starting with its `# ` title, or not) with the picker after the title."""
    block = picker_html(linker)
    if not block:
        return body
    head, sep, rest = body.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{block}\n{sep}{rest}"
    return f"{block}\n\n{body}"

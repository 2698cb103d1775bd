"""Bounded catalogue pages: fixed-size chunks, the letter a row files under, and the two
navigation bars every paged catalogue shows (letters, pages).

A catalogue that lists every entry, pattern or keyword grows with the KB; split into chunks of
a fixed number of rows (or a fixed byte budget) each page stays the same size however big the
KB gets. The page bar of every page is of fixed size too (first, last, and the pages around
the current one). What still grows is the first page's list of pages (`page_list`): one short
line per chunk, so the reader reaches any chunk from the first page in one click. Letter bars
link to the page where each letter starts: at most 27 links (A-Z and `#`)."""
from __future__ import annotations

from typing import Callable, Hashable, Sequence, TypeVar

from ..data import SiteData
from ..html import Linker, esc

T = TypeVar("T")

__all__ = ["WINDOW", "chunks", "memo", "letter", "letter_bar", "letter_id", "page_bar", "page_list", "page_title", "weighted_chunks"]


def memo(data: SiteData, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per build: every page of a catalogue (and the registry counting them)
    shares one layout instead of each re-sorting the whole KB (quadratic in a big KB). The KB
    data is final once `prepare` returns, so the memo never goes stale. A key that is a tuple
    starting with a family of `registry.family_inputs` may be carried into the next build's
    data when that family's inputs are unchanged (`registry.carry_layouts`)."""
    if key not in data.layouts:
        data.layouts[key] = compute()
    return data.layouts[key]


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    """`items` in runs of `size` (one empty run for no items: a catalogue always has a page)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


def weighted_chunks(items: Sequence[T], weight: Callable[[T], int], budget: int, most: int) -> list[list[T]]:
    """`items` in order, a new run started when the next would pass `budget` (summed `weight`)
    or `most` items; an item heavier than the budget gets a run of its own."""
    out: list[list[T]] = [[]]
    used = 0
    for item in items:
        w = weight(item)
        if out[-1] and (used + w > budget or len(out[-1]) >= most):
            out.append([])
            used = 0
        out[-1].append(item)
        used += w
    return out


def letter(text: str) -> str:
    """The letter a row files under: its first character upper-cased, `#` when not a letter."""
    first = text.strip()[:1]
    return first.upper() if first.isalpha() and first.isascii() else "#"


def letter_id(prefix: str, letter_: str) -> str:
    """Anchor of a letter's heading: `kw-a`, `kw-other` for `#`."""
    return f"{prefix}-{'other' if letter_ == '#' else letter_.lower()}"


def letter_bar(linker: Linker, starts: dict[str, str], prefix: str) -> str:
    """Jump links, one per letter, to the page (source path) where the letter starts."""
    links = " ".join(
        f'<a href="{esc(linker.href(src, letter_id(prefix, l)) or "#")}">{esc(l)}</a>' for l, src in starts.items()
    )
    return f'<nav class="sima-jump" aria-label="Letters">{links}</nav>' if links else ""


WINDOW = 4  # pages linked on each side of the current one in the page bar


def page_bar(linker: Linker, srcs: Sequence[str], current: int, labels: Sequence[str] = ()) -> str:
    """Links to the first and last page, the `WINDOW` pages around `current` (1-based),
    previous and next: a bar of fixed size; '' for a one-page catalogue. `labels[i]` is the
    tooltip of page i+1 (the range it holds). The first page also has `page_list`."""
    if len(srcs) < 2:
        return ""

    def link(n: int, text: str, rel: str = "") -> str:
        tip = f' title="{esc(labels[n - 1])}"' if n - 1 < len(labels) and labels[n - 1] else ""
        return f'<a href="{esc(linker.href(srcs[n - 1]) or "#")}"{tip}{rel}>{text}</a>'

    shown = sorted({1, len(srcs), *range(max(1, current - WINDOW), min(len(srcs), current + WINDOW) + 1)})
    parts = [link(current - 1, "\u2190 previous", ' rel="prev"')] if current > 1 else []
    for i, n in enumerate(shown):
        if i and n > shown[i - 1] + 1:
            parts.append("\u2026")
        parts.append(f"<strong>{n}</strong>" if n == current else link(n, str(n)))
    if current < len(srcs):
        parts.append(link(current + 1, "next \u2192", ' rel="next"'))
    return f'<nav class="sima-jump sima-pager" aria-label="Pages">Page {current} of {len(srcs)}: {" ".join(parts)}</nav>'


def page_list(linker: Linker, srcs: Sequence[str], labels: Sequence[str], unit: Sequence[str] = ()) -> str:
    """The first page's list of every page with the range it holds (one short line a page:
    what grows with the KB, by about 100 bytes per page of rows); '' for one page."""
    if len(srcs) < 2:
        return ""
    rows = "".join(
        f'<li><a href="{esc(linker.href(src) or "#")}">page {n}</a>: {esc(label)}'
        + (f" ({esc(unit[n - 1])})" if n - 1 < len(unit) else "") + "</li>"
        for n, (src, label) in enumerate(zip(srcs, labels), 1)
    )
    return f'<div class="sima-pages"><p>All {len(srcs)} pages:</p><ol>{rows}</ol></div>'


def page_title(title: str, n: int, total: int) -> str:
    """A page's heading: the catalogue's title, with `page N of M` after the first page."""
    return title if n == 1 else f"{title}, page {n} of {total}"

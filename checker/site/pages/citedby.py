""""Cited by" pages: the citing entries of a page cited by more than an entry page lists.

An entry page's "Referenced by" shows the first `backlinks.MAX_SOURCES` citing entries (by
title); when there are more, it links page 1 of its "Cited by" pages, which go on from there,
`MAX_SOURCES` a page (`catalog/cited-by/<relpath>.md`, then `catalog/cited-by-2/<relpath>.md`).
Only the pages of such hubs exist, so a KB without them has none."""
from __future__ import annotations

from .. import backlinks
from ..data import SiteData
from ..html import Linker, esc
from .common import block, md_text
from .paging import page_bar, page_list, page_title
from .paths import Paths

__all__ = ["cited_by_count", "cited_by_page", "more_href"]


def _citing(data: SiteData, rel: str) -> int:
    return len({b.source for b in data.backlinks.get(rel, [])
                if b.source != rel and b.source in data.entries and b.source not in data.excluded})


def cited_by_count(data: SiteData, rel: str) -> int:
    """How many "Cited by" pages `rel` has: 0 when its entry page lists every citing entry."""
    return max(0, -(-_citing(data, rel) // backlinks.MAX_SOURCES) - 1)


def more_href(data: SiteData, linker: Linker, paths: Paths, rel: str, page: int = 0) -> str | None:
    """Where the "and N more" line of `rel`'s backlinks shown on `page` leads (0: the entry page)."""
    return linker.href(paths.cited_by(rel, page + 1)) if page < cited_by_count(data, rel) else None


def cited_by_page(data: SiteData, linker: Linker, paths: Paths, rel: str, page: int = 1) -> str:
    """Page `page` of the entries citing `rel`, after those its own page lists."""
    count = cited_by_count(data, rel)
    srcs = [rel] + [paths.cited_by(rel, n) for n in range(1, count + 1)]
    title = data.titles.get(rel, rel)
    entry = linker.href(rel)
    name = f'<a href="{esc(entry)}">{esc(title)}</a>' if entry else esc(title)
    first, total = page * backlinks.MAX_SOURCES + 1, _citing(data, rel)
    last = min(total, first + backlinks.MAX_SOURCES - 1)
    lead = (f'<p class="sima-lead">{total} entries cite {name}; here, by title, numbers {first} to {last} '
            f"(the first {backlinks.MAX_SOURCES} are on its own page).</p>")
    items = data.backlinks.get(rel, [])
    more = more_href(data, linker, paths, rel, page)
    listed = backlinks.backlinks_html(items, data.titles, data.refids, linker, more, page * backlinks.MAX_SOURCES)
    return block(f"# {page_title('Cited by ' + md_text(title), page, count)}", lead,
                 page_bar(linker, srcs, page + 1, ["its page"] + [""] * count)
                 + (page_list(linker, srcs[1:], [f"numbers {k * backlinks.MAX_SOURCES + 1} on" for k in range(1, count + 1)])
                    if page == 1 else ""), listed)

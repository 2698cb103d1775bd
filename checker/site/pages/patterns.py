"""The pattern pages: the list of every pattern and the comparison page (built by `comparison`)."""
from __future__ import annotations

from typing import Callable

from ...model import Entry
from ..data import SiteData
from ..html import Linker, esc
from .compare import comparison_page
from .common import block, entry_link, field_value, table
from .paths import Paths
from .picker import with_picker


def pattern_list(data: SiteData, linker: Linker, paths: Paths, anchor_of: Callable[[Entry], str] | None = None) -> str:
    """Every pattern the KB describes, linked to its section and to its comparison table."""
    rows = []
    flat = [(p, rel) for rel, pset in data.patterns.items() for p in pset.patterns]
    for p, rel in sorted(flat, key=lambda t: (t[0].name.casefold(), data.titles[t[1]].lower(), t[0].heading_line)):
        href = linker.href(rel, p.slug)
        name = f'<a href="{esc(href)}">{esc(p.name)}</a>' if href else esc(p.name)
        compare = linker.href(paths.comparison, anchor_of(data.entry(rel)) if anchor_of else None)
        rows.append([
            name, esc(p.qualifier), entry_link(rel, data, linker), esc(field_value(data.entry(rel), "category")),
            f'<a href="{esc(compare)}">compare</a>' if compare else "",
        ])
    lead = (
        f"{len(rows)} patterns described in {len(data.patterns)} entries (sections headed "
        "<code>Pattern N: Name (Qualifier)</code>), each linked to its section and to its side-by-side table."
    )
    return block(
        "# All patterns", f'<p class="sima-lead">{lead}</p>',
        table(["Pattern", "Qualifier", "Entry", "Category", "Table"], rows, "sima-patterns"),
    )


def comparison(data: SiteData, linker: Linker, build: Callable[[list], str] | None = None) -> str:
    """The comparison page: `build` (default `comparison.comparison_page` with the KB's REF-ID
    grammar) fed the entries with patterns."""
    if build is None:
        build = lambda items: comparison_page(items, grammar=data.kb.grammar)  # noqa: E731
    items = [(data.entry(rel), data.patterns[rel], linker.href(rel) or "") for rel in sorted(data.patterns)]
    body = with_picker(build(items), linker)  # the picker (pages/picker.py) after the title
    return body if body.lstrip().startswith("# ") else block("# Pattern comparison", body)

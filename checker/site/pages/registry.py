"""The generated pages, written out once: the plugin derives from this one tuple the generated
files, the navigation and what Material's search leaves out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ...rules import RULES
from ..data import SiteData
from ..html import Linker
from .compare import anchor_id
from .citedby import cited_by_count, cited_by_page
from .compliance import Dashboard
from .home import home_page
from .indexes import index_inputs, keyword_chunks, keyword_index, refid_chunks, refid_index
from .paths import Paths
from .refmap import kb_map_page, map_chunks, map_inputs
from .patterns import comparison, comparison_chunks, pattern_chunks, pattern_inputs, pattern_list
from .picker import picker_data
from .rules import rule_page, rules_index

NavItem = dict  # {title: src} or {group: [items]}


@dataclass(frozen=True)
class GeneratedPage:
    """One generated page: its source path, nav title, builder (Linker -> Markdown), whether
    search indexes it, and its nav group (`""`: top level; `"A/B"`: nested; a page titled like
    its group is the group's index page; None: not in the navigation, as the pages after the
    first of a paged catalogue, which their first page links)."""

    src: str
    title: str
    build: Callable[[Linker], str]
    searchable: bool
    nav: str | None = ""
    meta: dict = field(default_factory=dict)  # page meta the theme reads (Material: `hide`)
    family: str | None = None  # a key of `family_inputs`: what the page reads of the KB is said there


@dataclass(frozen=True)
class DataFile:
    """A generated file that is not a page: JSON a page's script loads (the page holds a plain
    HTML fallback). `build` gets a Linker whose page is this file, so hrefs in it are relative
    to the file's URL; the script resolves them against the URL it fetched."""

    src: str
    build: Callable[[Linker], str]
    family: str | None = None


def family_inputs(data: SiteData) -> dict[str, tuple]:
    """For the families of generated pages that say so, all that their pages read of the KB.
    Under `mkdocs serve --dirty` a family whose inputs (and URLs) equal the last build's keeps
    its pages' text instead of building them again; pages of no family are always built."""
    return {"patterns": pattern_inputs(data), "indexes": index_inputs(data), "map": map_inputs(data)}


def carry_layouts(old: SiteData, new: SiteData, families: set[str]) -> None:
    """Give `new` the catalogue layouts (`paging.memo`) that `old` computed for `families`,
    whose inputs are the same in both builds."""
    new.layouts.update({k: v for k, v in old.layouts.items() if isinstance(k, tuple) and k and k[0] in families})


def generated_data(data: SiteData, paths: Paths) -> tuple[DataFile, ...]:
    """Every generated data file of the site: the dashboard's rows, the pattern picker's index and chunks."""
    dash = Dashboard(data, paths)
    return (
        DataFile(paths.compliance_data, dash.json),  # the dashboard's rows, for assets/dashboard.js
        *(DataFile(src, build, family="patterns") for src, build in picker_data(data, paths.comparison).items()),
    )


def generated_pages(data: SiteData, paths: Paths, site_name: str = "SIMA knowledge base") -> tuple[GeneratedPage, ...]:
    """Every generated page of the site, in navigation order."""
    d, p = data, paths
    cat = "Catalogue"
    wide = {"hide": ["toc", "navigation"]}  # Material: the wide tables take the page's full width
    dash = Dashboard(d, p)
    pages = [
        GeneratedPage(p.home, "Home", lambda ln: home_page(d, ln, p, site_name), True),
        GeneratedPage(p.refids, "REF-ID index", lambda ln: refid_index(d, ln, p), False, cat, family="indexes"),
        GeneratedPage(p.keywords, "Keyword index", lambda ln: keyword_index(d, ln, p), False, cat, family="indexes"),
        GeneratedPage(p.comparison, "Pattern comparison", lambda ln: comparison(d, ln, paths=p), False, cat, wide,
                      family="patterns"),
        GeneratedPage(p.pattern_list, "All patterns", lambda ln: pattern_list(d, ln, p, anchor_id), False, cat,
                      family="patterns"),
        GeneratedPage(p.compliance, "Compliance", dash.first_page, False, cat, {"hide": ["toc"]}),
        GeneratedPage(p.refmap, "Reference map", lambda ln: kb_map_page(d, ln, p), False, cat, family="map"),
        GeneratedPage(p.rules, "Rules", lambda ln: rules_index(d, ln, p), False, f"{cat}/Rules"),
    ]
    pages += [
        GeneratedPage(p.rule(r.code), f"{r.code} {r.name}", lambda ln, r=r: rule_page(r, d, ln, p), True, f"{cat}/Rules")
        for r in RULES
    ]
    # The pages after the first of each paged catalogue: out of the nav, linked by their first page.
    more = (
        (p.refids_page, "REF-ID index", len(refid_chunks(d)), lambda n: lambda ln: refid_index(d, ln, p, n), {},
         "indexes"),
        (p.keywords_page, "Keyword index", len(keyword_chunks(d)), lambda n: lambda ln: keyword_index(d, ln, p, n), {},
         "indexes"),
        (p.comparison_page, "Pattern comparison", len(comparison_chunks(d)),
         lambda n: lambda ln: comparison(d, ln, page=n, paths=p), wide, "patterns"),
        (p.pattern_list_page, "All patterns", len(pattern_chunks(d)),
         lambda n: lambda ln: pattern_list(d, ln, p, anchor_id, n), {}, "patterns"),
        (p.refmap_page, "Reference map", len(map_chunks(d)), lambda n: lambda ln: kb_map_page(d, ln, p, n), {}, "map"),
        (p.compliance_page, "Compliance", dash.page_count, lambda n: lambda ln: dash.page(n, ln), {"hide": ["toc"]},
         None),
    )
    for src, title, count, builder, meta, family in more:
        pages += [GeneratedPage(src(n), f"{title}, page {n}", builder(n), False, None, dict(meta), family)
                  for n in range(2, count + 1)]
    for rel in d.published():  # the entries cited by more than their page lists
        pages += [
            GeneratedPage(p.cited_by(rel, n), f"Cited by {d.titles.get(rel, rel)}, page {n}",
                          lambda ln, rel=rel, n=n: cited_by_page(d, ln, p, rel, n), False, None)
            for n in range(1, cited_by_count(d, rel) + 1)
        ]
    return tuple(pages)


def generated_nav(pages: tuple[GeneratedPage, ...]) -> list[NavItem]:
    """MkDocs `nav` items of the generated pages, grouped as their `nav` says."""
    top: list = []
    for page in pages:
        if page.nav is None:
            continue
        items = top
        groups = page.nav.split("/") if page.nav else []
        for name in groups:
            node = next((i for i in items if isinstance(i, dict) and list(i) == [name] and isinstance(i[name], list)), None)
            if node is None:
                node = {name: []}
                items.append(node)
            items = node[name]
        items.append(page.src if groups and page.title == groups[-1] else {page.title: page.src})
    return top

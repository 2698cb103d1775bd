"""Bounded catalogue pages (issue 11 §2): at 1,000 synthetic entries no generated page reaches
1 MB, the largest page does not grow from 500 to 1,000 entries, every entry, pattern, keyword
and REF-ID is on exactly one page reachable from its catalogue's first page, and every link
between generated pages resolves (anchors included). Built as SiteData, without MkDocs."""
from __future__ import annotations

import html
import posixpath
import re
import sys
from urllib.parse import unquote

import pytest

from checker.site.backlinks import backlinks_html
from checker.site.html import Linker
from checker.site.pages import Paths, comparison_srcs, generated_nav, generated_pages
from checker.site.pages.compare import anchor_id
from conftest import REPO, make_site, urls_of

sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
import generate  # noqa: E402

MB = 1_000_000
BOUND = 300_000  # a catalogue page's Markdown, whatever the KB's size (the theme adds its chrome and the nav)
MINE = ("catalog/refids", "catalog/keywords", "catalog/patterns", "catalog/pattern-list", "catalog/map")
PATHS = Paths()


def synthetic(n: int):
    """SiteData of the benchmark generator's KB of `n` files (seed 1), checked like the site."""
    plans = generate.plan_kb(n, 1)
    render = generate.Renderer(plans, 1)
    return make_site({p.relpath.lstrip("/"): render.render(p) for p in plans}, mode="warn")


class Site:
    """Every generated page of a KB, built with the plugin's URLs."""

    def __init__(self, data) -> None:
        self.data = data
        self.registry = generated_pages(data, PATHS)
        self.urls = urls_of(data)
        self.md = {p.src: p.build(Linker(p.src, self.urls)) for p in self.registry}

    def family(self, first: str) -> list[str]:
        """Sources of a paged catalogue, first page first."""
        stem = first[:-3]
        return [first] + sorted((s for s in self.md if s.startswith(stem + "/")), key=lambda s: int(s[len(stem) + 1 : -3]))


@pytest.fixture(scope="module")
def big() -> Site:
    return Site(synthetic(1000))


@pytest.fixture(scope="module")
def half() -> Site:
    return Site(synthetic(500))


def _largest(site: Site, prefix: str) -> int:
    return max(len(text.encode()) for src, text in site.md.items() if src == prefix + ".md" or src.startswith(prefix + "/"))


def test_no_page_reaches_a_megabyte(big: Site) -> None:
    sizes = {src: len(text.encode()) for src, text in big.md.items()}
    assert max(sizes.values()) < MB, max(sizes.items(), key=lambda kv: kv[1])
    for prefix in MINE:
        assert _largest(big, prefix) < BOUND, prefix
    data = big.data
    for rel in data.published():  # "Referenced by" of every entry page
        block = backlinks_html(data.backlinks.get(rel, []), data.titles, data.refids, Linker(rel, big.urls))
        assert len(block.encode()) < BOUND


def test_largest_page_does_not_grow_with_the_kb(half: Site, big: Site) -> None:
    assert len(big.family(PATHS.comparison)) > len(half.family(PATHS.comparison)) > 1
    for prefix in MINE:
        assert _largest(big, prefix) <= max(_largest(half, prefix) * 1.15, 40_000), prefix


def test_extra_pages_stay_out_of_the_nav(big: Site) -> None:
    nav = repr(generated_nav(big.registry))
    extra = [p.src for p in big.registry if p.nav is None]
    assert extra and all(src not in nav for src in extra)
    assert all(p.src in nav for p in big.registry if p.nav is not None)


def test_every_entry_with_patterns_is_on_one_comparison_page(big: Site) -> None:
    data, srcs = big.data, big.family(PATHS.comparison)
    held = {src: re.findall(r'<section class="sima-comparison-entry" id="([^"]+)"', big.md[src]) for src in srcs}
    where = comparison_srcs(data, PATHS)
    for rel in data.patterns:
        pages = [src for src, ids in held.items() if anchor_id(data.entry(rel)) in ids]
        assert pages == [where[rel]], rel
    first = big.md[srcs[0]]
    n_patterns, n_entries = map(int, re.search(r"(\d+) patterns from (\d+) entries", first).groups())
    listed = [int(k) for k in re.findall(r"\((\d+) entries\)</li>", first)]
    assert len(listed) == len(srcs) and sum(listed) == n_entries == len(data.patterns) == sum(map(len, held.values()))
    assert n_patterns == sum(len(ps.patterns) for ps in data.patterns.values())


def test_every_pattern_is_on_one_list_page(big: Site) -> None:
    data = big.data
    rows = [_resolve(big.urls[src], html.unescape(m)) for src in big.family(PATHS.pattern_list)
            for m in re.findall(r'<tr><td><a href="([^"]+)">', big.md[src])]  # the pattern column: one row per pattern
    sections = [(big.urls[rel], "", p.slug) for rel, ps in data.patterns.items() for p in ps.patterns]
    assert sorted(rows) == sorted(sections)


def test_every_keyword_and_refid_is_reachable(big: Site) -> None:
    data = big.data
    refid_pages = big.family(PATHS.refids)
    ids = [i for src in refid_pages for i in re.findall(r'<code id="([^"]+)">', big.md[src])]
    owned = sorted(e.refid for rel, e in data.entries.items() if e.refid and rel not in data.excluded)
    assert len(refid_pages) > 1 and sorted(ids) == owned
    kw_pages = big.family(PATHS.keywords)
    shown = {html.unescape(k).lower() for src in kw_pages for k in re.findall(r'<span class="sima-keyword">([^<]+)<', big.md[src])}
    wanted = {" ".join(k.text.lower().split()) for rel in data.published() for k in data.entry(rel).keywords}
    assert len(kw_pages) > 1 and shown == wanted
    for family in (refid_pages, kw_pages, big.family(PATHS.comparison), big.family(PATHS.pattern_list)):
        first = _links(big, family[0])
        assert all(big.urls[src] in first for src in family[1:])  # one click from the first page


def test_every_link_between_generated_pages_resolves(big: Site) -> None:
    assert not _dangling(big)


def _dangling(site: Site) -> list[tuple[str, str]]:
    """(page, href) of every link of a generated page to no page, or to no id of a generated page."""
    by_url = {url: src for src, url in site.urls.items()}
    ids = {src: set(re.findall(r'id="([^"]+)"', text)) for src, text in site.md.items()}
    out = []
    for src in site.md:
        for href in re.findall(r'href="([^"]+)"', site.md[src]):
            url, _, anchor = _resolve(site.urls[src], html.unescape(href))
            target = by_url.get(url)
            if target is None or (anchor and target in site.md and unquote(anchor) not in ids[target]):
                out.append((src, href))
    return out


def _resolve(base: str, href: str) -> tuple[str, str, str]:
    path, _, anchor = href.partition("#")
    path = path.partition("?")[0]  # `compliance/?q=SIMA202`: the query is the page's, not its address
    if not path:
        return base, "", anchor
    joined = posixpath.normpath(posixpath.join(base, unquote(path)))
    return ("./" if joined == "." else joined + "/"), "", anchor


def _links(site: Site, src: str) -> set[str]:
    """URLs the page links to."""
    return {_resolve(site.urls[src], html.unescape(h))[0] for h in re.findall(r'href="([^"]+)"', site.md[src])}


def test_paged_site_builds_strict_with_every_link_resolving(tmp_path, monkeypatch) -> None:
    """The shipped KB, with page sizes shrunk so every catalogue has several pages, through a
    real (in-process) `mkdocs build --strict`: pages off the nav log no warning, links hold."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from checker.site.pages import indexes, patterns, refmap
    from conftest import copy_project
    from test_build import broken_links

    for module, name, small in ((indexes, "REFID_ROWS", 2), (indexes, "KEYWORD_LINKS", 4), (patterns, "PATTERN_ROWS", 3),
                                (patterns, "COMPARISON_ENTRIES", 1), (refmap, "MAP_FOLDERS", 2)):
        monkeypatch.setattr(module, name, small)
    project = copy_project(tmp_path / "project")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    build(load_config(str(project / "mkdocs.yml"), strict=True))
    site = project / "site"
    for first in ("refids", "keywords", "patterns", "pattern-list", "map"):
        assert (site / "catalog" / first / "2" / "index.html").is_file(), first
    pages, broken = broken_links(site)
    assert "404.html" in pages and not broken, "\n".join(broken[:30])
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert "catalog/patterns/" in nav and "catalog/patterns/2/" not in nav


def test_a_hub_lists_its_first_citing_entries_and_pages_the_rest(monkeypatch) -> None:
    from checker.site import backlinks
    from checker.site.pages import entry_markdown
    from helpers import clean_entry

    monkeypatch.setattr(backlinks, "MAX_SOURCES", 3)
    hub = "entries/decisions/DEC-05.md"
    citing = [f"aws/general/Citing{i}_AWS-LESS-{i:02d}.md" for i in range(1, 9)]
    files = {hub: clean_entry(hub, "DEC-05"), **{rel: clean_entry(rel, f"AWS-LESS-{i:02d}", "\nSee DEC-05 here.")
                                                   for i, rel in enumerate(citing, 1)}}
    data = make_site(files)
    site = Site(data)
    more = [PATHS.cited_by(hub, 1), PATHS.cited_by(hub, 2)]
    assert [p.src for p in site.registry if "cited-by" in p.src] == more == ["catalog/cited-by/entries/decisions/DEC-05.md",
                                                                              "catalog/cited-by-2/entries/decisions/DEC-05.md"]
    page = entry_markdown(hub, data, Linker(hub, site.urls), PATHS)
    shown = [re.findall(r'class="sima-backlink__source" href="([^"]+)"', text) for text in [page] + [site.md[s] for s in more]]
    assert [len(s) for s in shown] == [3, 3, 2]
    assert 'href="../../../catalog/cited-by/entries/decisions/DEC-05/">and 5 more citing entries</a>' in page
    resolved = [_resolve(url, h)[0] for url, hrefs in zip([site.urls[hub]] + [site.urls[s] for s in more], shown) for h in hrefs]
    assert sorted(resolved) == sorted(site.urls[rel] for rel in citing)  # each citing entry once
    assert "cited-by" not in repr(generated_nav(site.registry)) and not _dangling(site)


def test_the_page_bar_has_a_fixed_size() -> None:
    from checker.site.pages.paging import page_bar

    def bar(n: int, at: int) -> str:
        srcs = [PATHS.comparison_page(k) for k in range(1, n + 1)]
        return page_bar(Linker(srcs[at - 1], {s: s[:-3] + "/" for s in srcs}), srcs, at)

    assert bar(1, 1) == ""
    assert len(bar(5000, 2500)) < len(bar(50, 25)) + 200  # only the page numbers' digits add
    assert '<a href="../" title' not in bar(5000, 2500) and ">1</a>" in bar(5000, 2500) and ">5000</a>" in bar(5000, 2500)


def test_paged_export_builds_strict_without_the_plugin(tmp_path, monkeypatch) -> None:
    """`site --out` writes every page of the paged catalogues; a plain `mkdocs build --strict`
    of the tree (explicit nav, first pages only) links them all."""
    from checker.site.export import export
    from checker.site.pages import indexes, patterns
    from conftest import copy_project, mkdocs_build
    from test_build import broken_links

    for module, name, small in ((indexes, "REFID_ROWS", 2), (patterns, "COMPARISON_ENTRIES", 1)):
        monkeypatch.setattr(module, name, small)
    project = copy_project(tmp_path / "project")
    export(project / "build", project=project, use_cache=False)
    assert (project / "build" / "docs" / "catalog" / "patterns" / "2" / "index.md").is_file()
    done = mkdocs_build(project / "build")
    assert done.returncode == 0, done.stdout + done.stderr
    pages, broken = broken_links(project / "build" / "site")
    assert "catalog/refids/3/index.html" in pages and not broken, "\n".join(broken[:30])

"""A bounded navigation (issue 11 §2): with Material's `navigation.prune` a page renders its
own path's levels (and, under `navigation.sections`, every top-level section's children), so
`bounded` caps each list and the top-level sections' total; every page stays in the nav once;
small folders are unchanged. Built as nav data, then through one real `mkdocs build --strict`."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from checker.site import nav
from checker.site.nav import bounded, folder_nav, site_nav

LIMIT, TOP = nav.NAV_ITEMS, nav.TOP_ITEMS


def pages_of(items: list) -> list[str]:
    """Every page source of a nav, in order."""
    out = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        out.extend(pages_of(value) if isinstance(value, list) else [value])
    return out


def lists_of(items: list):
    """Every list of a nav (the root included)."""
    yield items
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from lists_of(value)


def top_children(items: list) -> int:
    """Children of the top-level sections together (`navigation.sections` renders them all)."""
    return sum(len(v) for item in items if isinstance(item, dict) for v in item.values() if isinstance(v, list))


def kb(folders: dict[str, int]) -> list[tuple[str, str]]:
    """`(relpath, title)` of `n` pages in each folder."""
    return [(f"{folder}/P{i:05d}.md", f"{folder.rsplit('/', 1)[-1].title()} page {i:05d}")
            for folder, n in folders.items() for i in range(n)]


@pytest.mark.parametrize("folders", [
    {"big": 5000},
    {"a": 3000, "b": 10, "b/c": 700},
    {f"f{k:03d}": 7 for k in range(400)},  # many folders at the root
    {f"top{k}/sub{j}": 3 for k in range(40) for j in range(60)},  # many top-level sections, each full
])
def test_every_level_is_bounded_and_every_page_listed_once(folders: dict[str, int]) -> None:
    pages = kb(folders)
    items = bounded(folder_nav(pages))
    assert all(len(level) <= LIMIT for level in lists_of(items))
    assert top_children(items) <= max(TOP, 2 * len(items)) and len(items) <= LIMIT
    listed = pages_of(items)
    assert sorted(listed) == sorted(rel for rel, _ in pages) and len(set(listed)) == len(listed)
    assert listed == pages_of(folder_nav(pages))  # the order is today's: only the grouping is new


def test_a_split_keeps_title_order_and_names_each_part_by_its_ends() -> None:
    items = bounded(folder_nav(kb({"big": 120})), limit=50)
    (name, parts), = items[0].items()
    assert name == "Big" and [len(next(iter(p.values()))) for p in parts] == [40, 40, 40]
    assert list(parts[0]) == ["Big page 00000 \u2013 Big page 00039"] and list(parts[2]) == ["Big page 00080 \u2013 Big page 00119"]
    assert pages_of(items) == [f"big/P{i:05d}.md" for i in range(120)]


def test_a_folder_index_page_stays_the_sections_index() -> None:
    pages = kb({"big": 80}) + [("big/index.md", "Zeta overview")]
    (name, children), = bounded(folder_nav(pages), limit=20)[0].items()
    assert children[0] == {"Zeta overview": "big/index.md"} and all(isinstance(next(iter(c.values())), list) for c in children[1:])


def test_small_folders_are_unchanged() -> None:
    pages = kb({"aws/lambda": 12, "aws/general": 3, "entries/core": 40}) + [("README.md", "Read me")]
    assert bounded(folder_nav(pages)) == folder_nav(pages)
    head = [{"Home": "index.md"}]
    assert site_nav(head, pages) == head + folder_nav(pages)


def test_names_are_escaped_once() -> None:
    pages = [(f"big/P{i}.md", f"R&amp;D note {i:03d}") for i in range(10)]  # titles arrive HTML-escaped
    names = [next(iter(p)) for p in next(iter(bounded(folder_nav(pages), limit=4)[0].values()))]
    assert names[0] == "R&amp;D note 000 \u2013 R&amp;D note 003" and all("&amp;amp;" not in n for n in names)


# ---------------------------------------------------------------- a real build

NAV_BLOCK = re.compile(r'<nav class="md-nav md-nav--primary".*?(?=<div class="md-sidebar md-sidebar--secondary")', re.S)


def test_a_big_folder_builds_strict_with_a_bounded_nav_that_reaches_every_page(tmp_path: Path, monkeypatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from conftest import copy_project
    from helpers import clean_entry

    monkeypatch.setattr(nav, "NAV_ITEMS", 12)
    monkeypatch.setattr(nav, "TOP_ITEMS", 20)
    project = copy_project(tmp_path / "project")
    folder = project / "sima" / "lessons" / "many"
    folder.mkdir(parents=True)
    for i in range(300):
        name = f"LESS-{i + 100:03d}"
        (folder / f"{name}.md").write_text(clean_entry(f"lessons/many/{name}.md", name), encoding="utf-8")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    build(load_config(str(project / "mkdocs.yml"), strict=True))
    site = project / "site"
    navs = {}
    for page in site.rglob("*.html"):
        found = NAV_BLOCK.search(page.read_text(encoding="utf-8"))
        if found:
            navs[page.relative_to(site).as_posix()] = found.group(0)
    entry_pages = [f"lessons/many/LESS-{i + 100:03d}/index.html" for i in range(300)]
    assert all(p in navs for p in entry_pages)
    items = {rel: block.count('<li class="md-nav__item') for rel, block in navs.items()}
    assert max(items.values()) <= 12 + 20 + 5 * 12 + 8 + 40, max(items.items(), key=lambda kv: kv[1])  # root, top, path, catalogue, rules
    linked = set()
    for rel, block in navs.items():
        for href in re.findall(r'<a href="([^"#:]+)"', block):  # relative links (404.html's are absolute)
            if not href.startswith("/"):
                linked.add(posixpath.normpath(posixpath.join(posixpath.dirname(rel), href)))
    missing = [p for p in entry_pages if p.rsplit("/", 1)[0] not in linked]
    assert not missing, missing[:5]

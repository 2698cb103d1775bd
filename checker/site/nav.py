"""The site navigation as MkDocs' `nav` data: generated pages first, then the KB's folders
with readable names, pages sorted by title."""
from __future__ import annotations

from typing import Iterable, Union

from .render import folder_title

NavItem = dict[str, Union[str, list]]


def folder_nav(pages: Iterable[tuple[str, str]]) -> list[NavItem]:
    """`(relpath, title)` pairs grouped by folder: pages of a folder first, then sub-folders."""
    tree: dict = {"pages": [], "dirs": {}}
    for rel, title in pages:
        node = tree
        for part in rel.split("/")[:-1]:
            node = node["dirs"].setdefault(part, {"pages": [], "dirs": {}})
        node["pages"].append((title, rel))
    return _items(tree)


def _items(node: dict) -> list[NavItem]:
    items: list[NavItem] = [{title: rel} for title, rel in sorted(node["pages"], key=lambda p: (p[0].lower(), p[1]))]
    dirs = sorted(node["dirs"].items(), key=lambda d: folder_title(d[0]).lower())
    for name, child in dirs:
        items.append({folder_title(name): _items(child)})
    return items


def site_nav(head: list[NavItem], pages: Iterable[tuple[str, str]], tail: list[NavItem] = ()) -> list[NavItem]:
    """The whole navigation: `head` (home, catalogue), the KB folders, then `tail`."""
    return list(head) + folder_nav(pages) + list(tail)

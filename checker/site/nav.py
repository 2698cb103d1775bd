"""The site navigation as MkDocs' `nav` data: generated pages first, then the KB's folders
with readable names, pages sorted by title.

The theme writes the navigation into every page, so its size must not grow with the KB
(issue 11 §2). With Material's `navigation.prune` a page carries only the items of its own
path: every level from the root down to its folder, plus, under `navigation.sections`, the
children of each top-level section. `bounded` caps each of those lists: a folder listing more
than `NAV_ITEMS` items is split, in title order, into sub-sections ("Alpha – Delta", ...),
nested again when there are still too many; and when the top-level sections together would
list more than `TOP_ITEMS` children, each one's list is folded into a few sub-sections. Every
page keeps exactly one place in the nav; folders that fit are left as they are."""
from __future__ import annotations

import html
import math
import posixpath
from typing import Iterable, Union

from .render import folder_title

NavItem = dict[str, Union[str, list]]

NAV_ITEMS = 50  # most items one nav list holds (a folder's pages and sub-folders)
TOP_ITEMS = 100  # most children the top-level sections list together (all rendered on every page)
LABEL_CHARS = 24  # longest title prefix in a sub-section's name


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
    """The whole navigation: `head` (home, catalogue), the KB folders (bounded), then `tail`."""
    return list(head) + bounded(folder_nav(pages)) + list(tail)


def bounded(items: list[NavItem], limit: int | None = None, top: int | None = None) -> list[NavItem]:
    """`items` (the KB's top level) with every list at most `limit` long and the top-level
    sections' children at most `top` together; lists that fit are unchanged."""
    limit = max(3, limit or NAV_ITEMS)
    top = max(2, top or TOP_ITEMS)
    ends: dict[int, tuple[str, str]] = {}  # id of a made sub-section -> titles of its first and last page
    out = _bound(items, limit, ends)
    sections = [i for i, item in enumerate(out) if isinstance(_pair(item)[1], list)]
    if sum(len(_pair(out[i])[1]) for i in sections) > top:
        share = max(2, top // len(sections))
        for i in sections:
            title, children = _pair(out[i])
            index, rest = _split_index(children)
            if len(rest) > max(2, share - len(index)):
                out[i] = {title: index + _groups(rest, max(2, share - len(index)), ends)}
    return out


def _pair(item) -> tuple[str | None, object]:
    return next(iter(item.items())) if isinstance(item, dict) else (None, item)


def _bound(items: list, limit: int, ends: dict) -> list:
    """Sub-folders bounded first, then this list cut into sub-sections while it is too long."""
    out = []
    for item in items:
        key, value = _pair(item)
        out.append({key: _bound(value, limit, ends)} if isinstance(value, list) else item)
    if len(out) <= limit:
        return out
    index, rest = _split_index(out)
    while len(rest) > limit - len(index):
        rest = _groups(rest, max(2, math.ceil(len(rest) / limit)), ends)
    return index + rest


def _split_index(items: list) -> tuple[list, list]:
    """The folder's own page (it stays the section's index page) and the other items."""
    index = next((i for i in items if _is_index(i)), None)
    return ([index], [i for i in items if i is not index]) if index is not None else ([], list(items))


def _groups(items: list, count: int, ends: dict) -> list[NavItem]:
    """`items` cut, in order, into `count` near-equal sub-sections named after their ends."""
    size = math.ceil(len(items) / count)
    chunks = [items[k:k + size] for k in range(0, len(items), size)]
    firsts = [_ends(c[0], ends)[0] for c in chunks]
    lasts = [_ends(c[-1], ends)[1] for c in chunks]
    out = []
    for k, chunk in enumerate(chunks):
        start = _label(firsts[k], lasts[k - 1] if k else lasts[k])  # the first is told from its own end
        end = _label(lasts[k], firsts[k + 1] if k + 1 < len(chunks) else firsts[k])
        group = {start if start == end else f"{start} \u2013 {end}": chunk}
        ends[id(group)] = (firsts[k], lasts[k])
        out.append(group)
    return out


def _ends(item, ends: dict) -> tuple[str, str]:
    """Titles a sub-section's name is made from: a page's or folder's own, a made sub-section's ends."""
    if id(item) in ends:
        return ends[id(item)]
    key, value = _pair(item)
    title = html.unescape(key) if key is not None else _stem(value)
    return title, title


def _stem(value) -> str:
    return posixpath.splitext(posixpath.basename(value))[0] if isinstance(value, str) else ""


def _label(title: str, neighbour: str) -> str:
    """The shortest word-bounded prefix of `title` that tells it from `neighbour`, escaped."""
    words = title.split()
    label = ""
    for n in range(1, len(words) + 1):
        label = " ".join(words[:n])
        if not neighbour.lower().startswith(label.lower()) or len(label) >= LABEL_CHARS:
            break
    if len(label) > LABEL_CHARS:
        label = label[:LABEL_CHARS].rstrip() + "\u2026"
    label = label.rstrip(",;:") or label
    return html.escape(label, quote=True)


def _is_index(item) -> bool:
    """A folder's own page (MkDocs' `is_index`: `index.md`, or `README.md`)."""
    value = _pair(item)[1]
    return isinstance(value, str) and _stem(value).lower() in ("index", "readme")

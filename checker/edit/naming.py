"""File-name conventions of a folder: how its entries of one REF-ID family are named.

Three shapes occur in SIMA knowledge bases: the bare REF-ID (`DEC-05.md`), the REF-ID first
with the title after it (`INT-01_CACHE-Interface-Pattern.md`, `LANG-PY-07_Python_Code_Quality.md`),
and a prefix and title with the REF-ID last (`AWS-Lambda-CostModel_AWS-LESS-11.md`). A new
entry copies the shape of its siblings: the separator after the REF-ID, how title words are
joined (CamelCase, `-`, `_` or spaces) and the common prefix.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Style:
    """How a name is built: `shape` is bare, lead or tail; `sep` follows a leading REF-ID;
    `join` glues title words ('' for CamelCase); `prefix` starts a tail-shaped name."""

    shape: str
    sep: str = "_"
    join: str = "-"
    prefix: str = ""

    def name(self, refid: str, title: str) -> str:
        """The file name for a REF-ID and title."""
        words = _WORD.findall(title)
        if self.shape == "bare" or not words:
            return f"{refid}.md"
        if self.join == " ":
            text = " ".join(title.replace("/", " ").replace("\\", " ").split())
        else:
            text = self.join.join(w[:1].upper() + w[1:] for w in words)
        if self.shape == "lead":
            return f"{refid}{self.sep}{text}.md"
        return f"{self.prefix}{text}_{refid}.md"


def _join_of(text: str) -> str:
    if " " in text:
        return " "
    if "_" in text:
        return "_"
    if "-" in text:
        return "-"
    return "" if re.search(r"[a-z][A-Z]", text) else "-"


def style_of(stem: str, refid: str) -> tuple[str, str, str, str] | None:
    """(shape, sep, join, head) of one sibling's stem; head is a tail name's part before `_REFID`."""
    if stem == refid:
        return ("bare", "", "", "")
    if stem.startswith(refid) and len(stem) > len(refid) + 1 and stem[len(refid)] in "_- ":
        rest = stem[len(refid) + 1:].strip()
        return ("lead", stem[len(refid)], _join_of(rest), "")
    if stem.endswith("_" + refid):
        head = stem[: -len(refid) - 1]
        return ("tail", "_", "", head)
    return None


def _prefix(heads: list[str]) -> str:
    """The common start of tail names, cut after its last `-` (`AWS-Lambda-` of two Lambda names)."""
    if len(heads) == 1:
        head = heads[0]
        return head[: head.rfind("-") + 1]
    common = os.path.commonprefix(heads)
    return common[: common.rfind("-") + 1]


def convention(siblings: list[tuple[str, str]]) -> Style:
    """The naming style of (file name, REF-ID) pairs: the most common shape, details from the
    highest-numbered file of that shape; a folder without siblings names files by REF-ID."""
    styles = []
    for name, refid in siblings:
        s = style_of(name[:-3] if name.lower().endswith(".md") else name, refid)
        if s:
            styles.append((s, refid))
    if not styles:
        return Style("bare")
    shape = Counter(s[0] for s, _ in styles).most_common(1)[0][0]
    chosen = [(s, r) for s, r in styles if s[0] == shape]
    latest = max(chosen, key=lambda sr: _number(sr[1]))[0]
    if shape == "tail":
        heads = [s[3] for s, _ in chosen]
        prefix = _prefix(heads)
        joins = Counter(_join_of(h[len(prefix):]) for h in heads if h[len(prefix):])
        join = joins.most_common(1)[0][0] if joins else ""
        return Style("tail", "_", join, prefix)
    if shape == "lead":
        return Style("lead", latest[1], latest[2])
    return Style("bare")


def _number(refid: str) -> int:
    m = re.search(r"(\d+)$", refid)
    return int(m.group(1)) if m else -1

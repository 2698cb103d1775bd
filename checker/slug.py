"""Heading slugs, the same function for SIMA305 and for the site's anchors."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_STRIP = re.compile(r"[^\w\s-]")
_DASH = re.compile(r"[-\s]+")
_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# `_x_` / `__x__` are emphasis only at word boundaries; `web_fetch` keeps its underscore.
_EMPHASIS = re.compile(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")


def _plain(text: str) -> str:
    """The heading's text as rendered: code spans verbatim, link text, emphasis removed."""
    pieces, pos = [], 0
    for m in _CODE.finditer(text):
        pieces += [_EMPHASIS.sub(r"\2", _LINK.sub(r"\1", text[pos : m.start()])), m.group(2)]
        pos = m.end()
    pieces.append(_EMPHASIS.sub(r"\2", _LINK.sub(r"\1", text[pos:])))
    return "".join(pieces)


@lru_cache(maxsize=16384)  # headings repeat across entries (Summary, Keywords, ...)
def slugify(text: str) -> str:
    """Python-Markdown's toc slug (MkDocs' default): ASCII, lower case, dashes."""
    text = _plain(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _DASH.sub("-", _STRIP.sub("", text).strip().lower())


def unique_slugs(texts: list[str]) -> list[str]:
    """Slugs made unique the way Python-Markdown does it (`x`, `x_1`, `x_2`)."""
    seen: set[str] = set()
    last: dict[str, int] = {}  # the suffix last tried per base: `seen` only grows, so resume there
    out = []
    for text in texts:
        base = slug = slugify(text)
        n = last.get(base, 0)
        if n:
            slug = f"{base}_{n}"
        while slug in seen:
            n += 1
            slug = f"{base}_{n}"
        last[base] = n
        seen.add(slug)
        out.append(slug)
    return out

"""Heading slugs, the same function for SIMA305 and for the site's anchors."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .inline import code_spans, decode_entities, drop_tags, strip_emphasis, strip_links

_STRIP = re.compile(r"[^\w\s-]")
_DASH = re.compile(r"[-\s]+")


def _rendered(text: str) -> str:
    """Text outside code spans as Python-Markdown's toc reads it: images and raw HTML tags left
    out (their text stays: `<kbd>Ctrl</kbd>` is `Ctrl`), entities decoded (`&nbsp;` a space)."""
    if "<" in text or "&" in text:
        text = decode_entities(drop_tags(text))
    return strip_emphasis(strip_links(text, drop_images=True))


def _plain(text: str) -> str:
    """The heading's text as rendered: code spans verbatim, link text; emphasis, images and HTML
    tags removed, entities decoded."""
    # The scanners in `inline` do what `(`+)(.+?)\1`, `\[([^\]]*)\]\([^)]*\)` and the
    # word-bounded `_x_` pattern would, in linear time (those regexes are quadratic or worse on
    # hostile headings). `_x_` / `__x__` are emphasis only at word boundaries: `web_fetch` stays.
    pieces, pos = [], 0
    for start, inner_start, inner_end, end in code_spans(text):
        pieces += [_rendered(text[pos:start]), text[inner_start:inner_end]]
        pos = end
    pieces.append(_rendered(text[pos:]))
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

"""Heading slugs, the same function for SIMA305 and for the site's anchors."""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from .inline import code_spans, strip_emphasis, strip_links

_STRIP = re.compile(r"[^\w\s-]")
_DASH = re.compile(r"[-\s]+")
# What Python-Markdown's toc makes of a heading: images and raw HTML tags left out (their text
# stays: `<kbd>Ctrl</kbd>` is `Ctrl`), entities decoded (`&amp;` is `&`, `&nbsp;` a space).
# Negated classes that stop at the next `<` or `]`: linear on hostile headings.
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")


def _drop_images(text: str) -> str:
    """`text` without its images: what `!\\[[^\\]]*\\]\\([^()]*\\)` removes, in linear time (that
    pattern rescans to the end from every `![` of a hostile heading). The first `]` after an
    `![` and the first `)` after that are the same for many starts: found once, then reused."""
    out, pos, close, clean = [], 0, -1, (-1, -1, False)
    paren, searched = -1, len(text) + 1  # the first `)` at or after `searched` (-1: none there)
    i = text.find("![")
    while i != -1:
        if close < i + 2:
            close = text.find("]", i + 2)
            if close == -1:
                break
        if text.startswith("(", close + 1):
            if not (searched <= close + 2 and (paren == -1 or paren >= close + 2)):
                paren, searched = text.find(")", close + 2), close + 2
            if paren != -1:
                if clean[:2] != (close, paren):
                    clean = (close, paren, text.find("(", close + 2, paren) == -1)
                if clean[2]:
                    out.append(text[pos:i])
                    pos = paren + 1
                    i = text.find("![", pos)
                    continue
        i = text.find("![", i + 2)
    out.append(text[pos:])
    return "".join(out)


def _rendered(text: str) -> str:
    """Text outside code spans as toc reads it: images and tags dropped, entities decoded."""
    if "![" in text:
        text = _drop_images(text)
    if "<" in text or "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), _TAG.sub("", text))
    return strip_emphasis(strip_links(text))


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

"""Heading slugs, the same function for SIMA305 and for the site's anchors."""
from __future__ import annotations

import re
import unicodedata

_STRIP = re.compile(r"[^\w\s-]")
_DASH = re.compile(r"[-\s]+")
_INLINE = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")


def slugify(text: str) -> str:
    """Python-Markdown's toc slug (MkDocs' default): ASCII, lower case, dashes."""
    text = _INLINE.sub(lambda m: m.group(1) or "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _DASH.sub("-", _STRIP.sub("", text).strip().lower())


def unique_slugs(texts: list[str]) -> list[str]:
    """Slugs made unique the way Python-Markdown does it (`x`, `x_1`, `x_2`)."""
    seen: set[str] = set()
    out = []
    for text in texts:
        base = slug = slugify(text)
        n = 0
        while slug in seen:
            n += 1
            slug = f"{base}_{n}"
        seen.add(slug)
        out.append(slug)
    return out

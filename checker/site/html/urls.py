"""URLs on the site: relative links between pages, and what may go in an `href`."""
from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import quote

from .escape import esc

_SAFE_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_CONTROL_CHAR = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ANY_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_URL_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^)\s]+)\)|(https?://[^\s<>()\]]+)")


def relative_url(url: str, base: str) -> str:
    """`url` relative to the page at `base` (both site-root relative, as MkDocs writes them)."""
    base_dir = base if base.endswith("/") or base in ("", ".") else posixpath.dirname(base)
    from_parts = [p for p in base_dir.split("/") if p not in ("", ".")]
    to_parts = [p for p in url.split("/") if p not in ("", ".")]
    common = 0
    for a, b in zip(from_parts, to_parts):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    if url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return guard_relative(rel)


def guard_relative(url: str) -> str:
    """A relative URL whose first segment holds `:` would read as a scheme; prefix `./`."""
    first = url.split("/", 1)[0]
    return "./" + url if ":" in first else url


def directory_url(src: str) -> str:
    """The URL MkDocs gives a page with `use_directory_urls` (for tests and defaults)."""
    stem = src[:-3] if src.lower().endswith(".md") else src
    head, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        url = head + "/" if head else "./"
    else:
        url = stem + "/"
    return quote(url)


def is_safe_href(url: str) -> bool:
    """False for `javascript:`, `data:`, `vbscript:` and any scheme other than http(s)/mailto."""
    clean = _CONTROL.sub("", html.unescape(url)).lower()
    m = _ANY_SCHEME.match(clean)
    return m is None or m.group(1) in _SAFE_SCHEMES


def safe_url(url: str) -> str:
    """A relative URL made safe for an href: no scheme, no `//host`, no fragment, quoted."""
    url = _CONTROL_CHAR.sub(lambda m: quote(m.group(0)), url.split("#", 1)[0])
    if _SCHEME.match(url) or url.startswith(("//", "\\", "/\\")):
        url = "./" + url.lstrip("/\\")  # `javascript:x` -> `./javascript:x`, a plain path
    return quote(url, safe="/%:@!$&'()*+,;=?._~-")


def page_href(page_url: str, slug: str = "") -> str:
    """`safe_url(page_url)` plus `#slug` (`#` alone for the current page)."""
    base = safe_url(page_url)
    return f"{base}#{quote(slug, safe='')}" if slug else (base or "#")


def external_links(text: str) -> str:
    """Escaped text where `[t](https://...)` and bare http(s) URLs become links."""
    out, pos = [], 0
    for m in _URL_LINK.finditer(text):
        out.append(esc(text[pos : m.start()]))
        label, url = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(3))
        out.append(f'<a href="{esc(url)}" rel="noopener">{esc(label)}</a>')
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)

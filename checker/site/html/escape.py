"""Escaping: every value taken from an entry reaches the page's HTML through these functions."""
from __future__ import annotations

import html
import json
import re

from ...parse.inline import code_spans, strip_links

_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_ESCAPED_CODE = re.compile(r"`([^`]+)`")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#!])")


def esc(text: object) -> str:
    """HTML-escape any value (quotes too, so it is safe in attributes)."""
    return html.escape(str(text), quote=True)


def inline(text: str) -> str:
    """Escaped text with `code` spans as <code> (finding messages, rule docs)."""
    out, pos = [], 0
    for start, inner_start, inner_end, end in code_spans(text):  # linear, unlike a `(`+)(.+?)\1` regex
        out.append(esc(text[pos:start]) + f"<code>{esc(text[inner_start:inner_end].strip())}</code>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def rich_inline(text: str) -> str:
    """Escaped text with `code` and **bold** kept; Markdown links reduced to their text
    (pattern cells, purposes, decision-tree questions)."""
    out = esc(strip_links(text, image=True))  # linear on runs of `[`
    out = _ESCAPED_CODE.sub(r"<code>\1</code>", out)
    return _BOLD.sub(r"<strong>\1</strong>", out)


def pre(text: str) -> str:
    """A preformatted block. Newlines become character references: the HTML block then has no
    blank or indented lines for Markdown preprocessors to act on."""
    return "<pre><code>" + esc(text).replace("\n", "&#10;") + "</code></pre>"


def md_text(text: str) -> str:
    """Plain text for Markdown (a heading): HTML escaped, Markdown specials backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


_JSON_INERT = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def inert_json(value: object, ascii: bool = False) -> str:
    """Compact JSON whose `<`, `>`, `&` and line separators are `\\u` escapes: inert in an
    attribute, inside `<script>` or in a file a page's script loads."""
    text = json.dumps(value, ensure_ascii=ascii, separators=(",", ":"))
    for ch, code in _JSON_INERT:
        text = text.replace(ch, code)
    return text

"""The last-line defence: rendered page HTML made safe to publish (`neutralize`)."""
from __future__ import annotations

import html
import re

from ...parse.inline import code_spans
from ...parse.scan import parse_text
from .links import code_lines
from .urls import is_safe_href

# A `/` separates attributes as a space does (`<svg/onload=...>` is an svg with onload).
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?:[\s/](?:[^>\"']|\"[^\"]*\"|'[^']*')*)?/?>")
# A start tag, an end tag, or any other `<` opening a tag that _TAG cannot parse (shown as text).
_TAG_OR_START = re.compile(_TAG.pattern + r"|</[a-zA-Z][a-zA-Z0-9-]*\s*>|<(?=/?[a-zA-Z])")
_ATTR_TOKEN = re.compile(r"""[\s/]+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data"})
# Shown as text: elements that run code, and those that retarget or redirect the page.
_EXECUTABLE = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "base", "meta", "link"})
# The cheap pre-test of `neutralize`, a superset of what it changes for safety, run on the
# lowercased page as plain substring searches and literal-led patterns (fast in `re`):
# an executable element's start; `on...=` after whitespace, `/` or a quote (where browsers start
# an attribute name); a URL attribute whose value, unless it starts `http(s)://` or `mailto:`,
# has a `:`, `&` or control character before its first `/`, `?`, `#` or quote.
_RISKY_TAGS = tuple("<" + name for name in ("script", "iframe", "object", "embed", "frame", "base", "meta", "link"))
_HANDLER = re.compile(r"""on[^\s"'>/=]*\s*=""")
_RISKY_URLS = tuple(
    re.compile(name + r"""\s*=\s*["']*(?!https?://|mailto:)[^/?#"'>]*?[:&\x00-\x20\x7f]""")
    for name in ("href", "src", "action", "poster", "data")  # also formaction, xlink:href
)


def needs_neutralize(page_html: str) -> bool:
    """False only when the HTML holds nothing `neutralize` makes safe: no executable element,
    no `on...=` attribute, no URL attribute whose value could carry a scheme other than
    http(s)/mailto (a `:`, `&` or control character before its first `/`, `?` or `#`)."""
    low = page_html.lower()
    if any(tag in low for tag in _RISKY_TAGS) or any(p.search(low) for p in _RISKY_URLS):
        return True
    for m in _HANDLER.finditer(low):
        before = low[m.start() - 1] if m.start() else ""
        if before.isspace() or before in ("/", '"', "'"):
            return True
    return False


def neutralize(page_html: str) -> str:
    """Make rendered page HTML safe to publish: unsafe URL attributes (`javascript:` and
    friends) become `#`, event-handler attributes are dropped, and executable elements
    (`<script>` other than JSON data, `<iframe>`, `<object>`, `<embed>`) are shown as text,
    as GitHub would not run them either. A `<` that opens a tag too malformed to check is
    shown as text. HTML without anything risky (`needs_neutralize`) is returned as it is."""
    if not needs_neutralize(page_html):
        return page_html
    return _TAG_OR_START.sub(_safe_any, page_html)


def _safe_any(m: re.Match) -> str:
    if m.group(1) is not None:
        return _safe_tag(m)
    return "&lt;" if m.group(0) == "<" else m.group(0)  # an end tag is kept


def _safe_tag(m: re.Match) -> str:
    tag, name = m.group(0), m.group(1)
    inner = tag[1 + len(name) : -1]
    closing = "/>" if inner.endswith("/") else ">"
    kept, data_json = [], False
    for a in _ATTR_TOKEN.finditer(inner):
        key, value = a.group(1).lower(), (a.group(2) or "").strip("\"'")
        if key.startswith("on"):
            continue  # event handlers
        if key in _URL_ATTRS and a.group(2) is not None and not is_safe_href(value):
            kept.append(f' {a.group(1)}="#"')
            continue
        data_json |= key == "type" and value.strip().lower() == "application/json"
        kept.append(" " + a.group(0)[a.start(1) - a.start() :])  # `/` separators become spaces
    if name.lower() in _EXECUTABLE and not (name.lower() == "script" and data_json):
        return html.escape(tag)
    return f"<{name}{''.join(kept)}{closing}"


_MD_LINK_DEST = re.compile(r"(\]\(\s*<?)([^)\s>]+)")


def neutralize_markdown(markdown: str) -> str:
    """`neutralize` for a Markdown page another generator renders (no hook sees its HTML):
    raw HTML outside code fences and code spans is made safe, and an inline link to an unsafe
    URL (`[x](javascript:...)`) leads to `#`. Code is left as written, so it shows unchanged."""
    lines = markdown.split("\n")
    # a blank first line: the parser must not read a leading `---` as front matter
    code = code_lines(parse_text("page.md", "\n" + markdown, "other"))[1:]
    out = []
    for line, in_code in zip(lines, code + [False] * (len(lines) - len(code))):
        if in_code or ("<" not in line and "](" not in line):
            out.append(line)
            continue
        pieces, pos = [], 0
        for start, _, _, end in code_spans(line) if "`" in line else ():
            pieces += [_safe_markdown_text(line[pos:start]), line[start:end]]
            pos = end
        pieces.append(_safe_markdown_text(line[pos:]))
        out.append("".join(pieces))
    return "\n".join(out)


def _safe_markdown_text(text: str) -> str:
    text = neutralize(text) if "<" in text else text
    return _MD_LINK_DEST.sub(lambda m: m.group(1) + (m.group(2) if is_safe_href(m.group(2)) else "#"), text)

"""Cross-references to working links: where each reference of an entry points on the site.

Resolution is the checker's own (`KnowledgeBase.resolve`), so the site links exactly what
`sima-check` accepts. A reference becomes a `Span` of its line; spans are then written as
Markdown links (entry bodies, checked by MkDocs) or as escaped HTML (cards, generated pages).
"""
from __future__ import annotations

import html
import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import quote, unquote

from ..parse.inline import code_spans
from ..kb.index import KnowledgeBase, Resolution
from ..model import Entry, Reference
from ..parse.refs import is_external, split_anchor
from .render import fence_mask

Resolved = list[tuple[Reference, Resolution]]

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK_LABEL = re.compile(r"(!?)\[((?:[^\]\\]|\\.)*)\]\(")
_SAFE_SCHEMES = ("http", "https", "mailto")
# A `/` separates attributes as a space does (`<svg/onload=...>` is an svg with onload).
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?:[\s/](?:[^>\"']|\"[^\"]*\"|'[^']*')*)?/?>")
# A start tag, an end tag, or any other `<` opening a tag that _TAG cannot parse (shown as text).
_TAG_OR_START = re.compile(_TAG.pattern + r"|</[a-zA-Z][a-zA-Z0-9-]*\s*>|<(?=/?[a-zA-Z])")
_ATTR_TOKEN = re.compile(r"""[\s/]+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data"})
# Shown as text: elements that run code, and those that retarget or redirect the page.
_EXECUTABLE = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "base", "meta", "link"})
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
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
_DEFINITION = re.compile(r"^( {0,3}(?:[-*+]\s+)?)\[([^\]\n]{1,200})\]:[ \t]*(<[^>\n]*>|\S+)")


def esc(text: object) -> str:
    """HTML-escape any value (quotes too, so it is safe in attributes)."""
    return html.escape(str(text), quote=True)


def inline(text: str) -> str:
    """Escaped text with `code` spans as <code> (finding messages, rule docs)."""
    out, pos = [], 0
    for start, inner_start, inner_end, end in code_spans(text):  # what _CODE_SPAN finds, linearly
        out.append(esc(text[pos:start]) + f"<code>{esc(text[inner_start:inner_end].strip())}</code>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


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
    m = re.match(r"^([a-z][a-z0-9+.-]*):", clean)
    return m is None or m.group(1) in _SAFE_SCHEMES


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


@dataclass(frozen=True)
class Linker:
    """URLs as seen from one page: `page` is its source path, `urls` maps published sources
    (KB relpaths and generated pages) to their site URLs."""

    page: str
    urls: Mapping[str, str]

    def published(self, src: str) -> bool:
        """True when the page is on the site."""
        return src in self.urls

    def href(self, src: str, anchor: str | None = None) -> str | None:
        """Relative URL of a page (plus `#anchor`) for HTML, None when it is not published."""
        if src not in self.urls:
            return None
        if src == self.page:
            return "#" + anchor if anchor else "./"
        url = relative_url(self.urls[src], self.urls.get(self.page, ""))
        return url + ("#" + quote(anchor, safe="-_.") if anchor else "")

    def md(self, src: str, anchor: str | None = None) -> str | None:
        """Relative `.md` path for a Markdown link (MkDocs maps and validates it)."""
        if src not in self.urls:
            return None
        if src == self.page and anchor:
            return "#" + anchor
        rel = posixpath.relpath(src, posixpath.dirname(self.page) or ".")
        return guard_relative(rel) + ("#" + anchor if anchor else "")


@dataclass(frozen=True)
class Span:
    """The part of a line that a reference occupies and where it leads."""

    start: int  # 0-based, in the original line
    end: int
    label: str  # Markdown text shown for the link
    target: str | None  # relpath of the target page; None when unresolved
    anchor: str | None
    status: str
    link_syntax: bool  # written as `[text](target)` in the source
    note: str = ""  # why it is not a link


def target_of(res: Resolution) -> str | None:
    """The page a resolution leads to (first of an ambiguous set, the intended file of a near miss)."""
    if res.status in ("ok", "ambiguous", "near", "anchor") and res.targets:
        return res.targets[0]
    return None


def spans(entry: Entry, resolved: Iterable[tuple[Reference, Resolution]]) -> dict[int, list[Span]]:
    """Spans by line number, sorted and without overlaps."""
    out: dict[int, list[Span]] = {}
    starts: dict[int, list[int]] = {}  # each row's span starts, sorted (rows stay sorted)
    code: dict[int, list[tuple[int, int, int, int]]] = {}  # code spans per line, found once
    for ref, res in resolved:
        line = entry.line_text(ref.line)
        if ref.line not in code:
            code[ref.line] = code_spans(line) if "`" in line else []
        span = _span(entry, ref, res, line, code[ref.line])
        if span is None:
            continue
        row, at = out.setdefault(ref.line, []), starts.setdefault(ref.line, [])
        # The row's spans are disjoint and non-empty: only the neighbours can overlap (a scan of
        # the whole row per reference is quadratic on a line of thousands of links).
        i = bisect_right(at, span.start)
        if (i == 0 or row[i - 1].end <= span.start) and (i == len(row) or span.end <= row[i].start):
            row.insert(i, span)
            at.insert(i, span.start)
    return out


def _span(entry: Entry, ref: Reference, res: Resolution, line: str, code: list | None = None) -> Span | None:
    target = target_of(res)
    anchor = ref.anchor if res.status != "anchor" else None
    note = "" if target else f"unresolved reference ({res.status})"
    if ref.syntax == "link":
        start = _find(line, ref.raw, ref.column - 1, before=True)
        if start < 0:
            return None
        m = _LINK_LABEL.match(ref.raw)
        if m is None:
            return None
        if res.status == "ok" and not res.targets:
            return None  # a folder or a non-Markdown file: MkDocs copies and links it itself
        label = m.group(2) if not m.group(1) else m.group(2) or ref.target
        return Span(start, start + len(ref.raw), label, target, anchor, res.status, True, note)
    start = _find(line, ref.raw, ref.column - 1)
    if start < 0:
        return None
    end = start + len(ref.raw)
    if ref.syntax in ("refid", "field"):
        if target == entry.relpath:
            return None  # an entry naming itself needs no link
    elif target and ref.syntax == "bare":
        name = target.rsplit("/", 1)[-1]
        if len(name) > len(ref.raw) and line[:end].endswith(name):
            start = end - len(name)  # a file name with spaces: `ARCH-SUGA_Single ... .md`
    spans_ = code_spans(line) if code is None else code
    k = bisect_right(spans_, (start,)) - 1  # the last code span starting before `start`
    if k >= 0 and spans_[k][0] < start < spans_[k][3]:
        start, end = spans_[k][0], spans_[k][3]
    if target is None:
        if res.status in ("ok", "unknown-refid"):
            return None  # folders, other files, REF-ID-like words: plain text as written
        return Span(start, end, line[start:end], None, None, res.status, False, note)
    return Span(start, end, line[start:end], target, anchor, res.status, False)


def _find(line: str, raw: str, column: int, before: bool = False) -> int:
    """Start of `raw` in `line` at `column`, or of the occurrence around it (a link's column
    points at its target, inside the match)."""
    if line[column : column + len(raw)] == raw:
        return column
    if before:  # the first occurrence that starts at or before `column` and ends after it
        return line.find(raw, max(0, column - len(raw) + 1), column + len(raw))
    return line.find(raw, max(0, column - 2))


def _unpublished_note(target: str) -> str:
    return f"{target} is not published (it has error findings)"


def markdown_line(line: str, row: list[Span], linker: Linker) -> str:
    """The line with each span written as a Markdown link (or a marked, unlinked text)."""
    pieces, pos = [], 0  # joined once: splicing the line per span is quadratic on long lines
    for s in row:
        dest = linker.md(s.target, s.anchor) if s.target else None
        if s.target and dest is None:
            text = _marked(s.label, _unpublished_note(s.target), "sima-unpublished")
        elif dest is None:
            text = _marked(s.label, s.note, "sima-unresolved")
        elif any(c in dest for c in "<>\n"):
            text = s.label
        else:
            title = ' "ambiguous: links to the first of several files"' if s.status == "ambiguous" else ""
            text = f"[{s.label}](<{dest}>{title})"
        pieces += [line[pos : s.start], text]
        pos = s.end
    pieces.append(line[pos:])
    return "".join(pieces)


def _marked(label: str, note: str, cls: str) -> str:
    return f'<span class="{cls}" title="{esc(note)}">{label}</span>'


def html_text(text: str, row: Iterable[Span], linker: Linker, offset: int = 0) -> str:
    """Escaped HTML of `text` (a slice of a line starting at `offset`) with spans as links."""
    out, pos = [], 0
    for s in row:
        a, b = s.start - offset, s.end - offset
        if a < pos or b > len(text):
            continue
        out.append(esc(text[pos:a]))
        label = esc(text[a:b].strip("`"))
        url = linker.href(s.target, s.anchor) if s.target else None
        out.append(f'<a href="{esc(url)}">{label}</a>' if url else label)
        pos = b
    out.append(esc(text[pos:]))
    return "".join(out)


def rewrite(entry: Entry, resolved: Resolved, linker: Linker, kb: KnowledgeBase | None = None) -> list[str]:
    """All lines of the entry with every cross-reference written as a link (and, given the KB,
    reference-style link definitions pointed at the right page or shown as text)."""
    by_line = spans(entry, resolved)
    code = fence_mask(list(entry.lines)) if kb is not None else []
    out = []
    for n, line in enumerate(entry.lines, 1):
        if kb is not None and not code[n - 1] and "]:" in line and _DEFINITION.match(line):
            out.append(_definition(line, n, entry, kb, linker))
        else:
            out.append(markdown_line(line, by_line[n], linker) if n in by_line else line)
    return out


def _definition(line: str, lineno: int, entry: Entry, kb: KnowledgeBase, linker: Linker) -> str:
    """`[id]: target` whose target is a KB page gets its relative path; one leading nowhere is
    escaped, so it shows as written instead of making a dead link."""
    m = _DEFINITION.match(line)
    if m is None:
        return line
    dest = m.group(3).strip("<>")
    if is_external(dest):
        return line if is_safe_href(dest) else line[: m.start(2) - 1] + "\\" + line[m.start(2) - 1 :]
    path, anchor = split_anchor(dest)
    res = kb.resolve(Reference(m.group(0), unquote(path), "link", lineno, m.start(3) + 1, anchor), entry)
    target = target_of(res)
    md = linker.md(target, anchor if res.status != "anchor" else None) if target else None
    if md and not any(c in md for c in "<>\n"):
        return line[: m.start(3)] + f"<{md}>" + line[m.end(3) :]
    if res.status == "ok" and not res.targets:
        return line  # a folder or another file of the KB
    return line[: m.start(2) - 1] + "\\" + line[m.start(2) - 1 :]

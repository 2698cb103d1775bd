"""Cross-references to working links: where each reference of an entry points on the site.

Resolutions come from the check run (`Report.checked[root][rel].resolved`), so the site links
exactly what `sima-check` accepts. The one exception: reference-style definitions
(`[id]: target`) are not references to the checker, so `_definition` resolves them with the
same `KnowledgeBase.resolve`. A reference becomes a `Span` of its line; spans are then written as
Markdown links (entry bodies, checked by MkDocs) or as escaped HTML (cards, generated pages).
"""
from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping
from urllib.parse import quote, unquote

from ...kb.index import KnowledgeBase, Resolution
from ...model import Entry, Reference
from ...parse.inline import code_spans
from ...parse.refs import is_external, split_anchor
from .escape import esc
from .urls import guard_relative, is_safe_href, relative_url

Resolved = list[tuple[Reference, Resolution]]

_LINK_LABEL = re.compile(r"(!?)\[((?:[^\]\\]|\\.)*)\]\(")
_DEFINITION = re.compile(r"^( {0,3}(?:[-*+]\s+)?)\[([^\]\n]{1,200})\]:[ \t]*(<[^>\n]*>|\S+)")


@dataclass(frozen=True)
class Linker:
    """URLs as seen from one page: `page` is its source path, `urls` maps published sources
    (KB relpaths and generated pages) to their site URLs."""

    page: str
    urls: Mapping[str, str]
    docs: Mapping[str, str] | None = None  # where pages are written, when not at their source path (`site --out`)

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
        """Relative `.md` path for a Markdown link (the generator maps and validates it)."""
        if src not in self.urls:
            return None
        if src == self.page and anchor:
            return "#" + anchor
        where = self.docs or {}
        rel = posixpath.relpath(where.get(src, src), posixpath.dirname(where.get(self.page, self.page)) or ".")
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


# A label that renders as its own text inside `[...]` (or one code span): as raw HTML it is the
# same link, without Python-Markdown's link parsing and MkDocs' link validation.
_PLAIN_LABEL = re.compile(r"(`?)([^`*\[\]<>&\\\n]+)\1")


def markdown_line(line: str, row: list[Span], linker: Linker, hold: Callable[[str], str] | None = None) -> str:
    """The line with each span written as a Markdown link (or a marked, unlinked text). With
    `hold` (the plugin's inline slots), a link with a plain label is written as its finished
    `<a>` instead, held out of the Markdown (the URL is the page's, as MkDocs would write it)."""
    pieces, pos = [], 0  # joined once: splicing the line per span is quadratic on long lines
    if hold is not None and line.lstrip().startswith("#"):
        hold = None  # a heading's anchor comes from its text: its links stay Markdown
    for s in row:
        dest = linker.md(s.target, s.anchor) if s.target else None
        # not first on its line either: a line opening with an HTML comment reads as an HTML block
        held = hold is not None and dest is not None and line[: s.start].strip() != ""
        plain = _PLAIN_LABEL.fullmatch(s.label) if held else None
        if plain is not None and not plain.group(2).startswith("_") and not plain.group(2).endswith("_"):
            title = ' title="ambiguous: links to the first of several files"' if s.status == "ambiguous" else ""
            label = esc(plain.group(2))
            label = f"<code>{label}</code>" if plain.group(1) else label
            text = hold(f'<a href="{esc(linker.href(s.target, s.anchor) or "")}"{title}>{label}</a>')
        elif s.target and dest is None:
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


def rewrite(
    entry: Entry, resolved: Resolved, linker: Linker, kb: KnowledgeBase | None = None, code: list[bool] | None = None,
    hold: Callable[[str], str] | None = None,
) -> list[str]:
    """All lines of the entry with every cross-reference written as a link (and, given the KB,
    reference-style link definitions pointed at the right page or shown as text); `hold`: see
    `markdown_line`."""
    by_line = spans(entry, resolved)
    if kb is not None and code is None:
        code = code_lines(entry)
    out = []
    for n, line in enumerate(entry.lines, 1):
        if kb is not None and not code[n - 1] and "]:" in line and _DEFINITION.match(line):
            out.append(_definition(line, n, entry, kb, linker))
        else:
            out.append(markdown_line(line, by_line[n], linker, hold) if n in by_line else line)
    return out


def code_lines(entry: Entry) -> list[bool]:
    """Per line of the entry (0-based): True inside a code fence, its fence lines included,
    from the fences the parser found."""
    n = len(entry.lines)
    mask = [False] * n
    for f in entry.fences:
        end = f.end if f.closed else n
        mask[f.line - 1 : end] = [True] * (end - f.line + 1)
    return mask[:n]


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

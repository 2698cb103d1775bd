"""Find cross-references in one line of Markdown (catalogue §4), in every syntax."""
from __future__ import annotations

import re
from sys import intern
from urllib.parse import unquote

from .inline import code_spans, links
from ..model import Reference
from .refid import DEFAULT_PATTERNS, RefIdGrammar

RELATIONSHIP_KEYS = frozenset({"related", "related to", "inherits from", "used in"})
# Fields whose REF-IDs are by design not (yet) owned: `**Range:** DEC-01 to DEC-99`,
# `**Next Available:** DEC-24` in REF-ID directories (and any label ending in `Range`:
# `**REF-ID Range:** NMP01-LEE-01 to NMP01-LEE-99`, see scan.py).
NON_REFERENCE_KEYS = frozenset({"range", "next available"})

_URL = re.compile(r"\b(?:[a-zA-Z][a-zA-Z0-9+.-]{1,15}://|mailto:|www\.)[^\s)>\]]*")
_KB_PATH = re.compile(r"/sima/[^\n`*()\[\]<>|\"]{0,400}?\.md(?![\w])", re.IGNORECASE)
# `../x/y.md`: `.` and `..` are segments too (a separate `(?:\.{1,2}/)*` prefix backtracks
# quadratically on a long run of `../`).
_REL_PATH = re.compile(r"(?<![\w/.%-])[\w.-]+(?:/[\w.-]+)+\.md(?![\w])", re.IGNORECASE)
# `/support/tools/X.md` in prose: a path from the KB root (or out of it: SIMA306), as in backticks.
_ROOTED = re.compile(r"(?:^|(?<=[\s(>*|\"']))/(?:[\w.-]+/)*[\w.-]*\w\.md(?![\w])", re.IGNORECASE)
_BARE = re.compile(r"(?<![\w/.%-])[\w.-]*\w\.md(?![\w])", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+:")  # two letters at least: `C:/x.md` is a path
# Globs and template placeholders (`AP-*.md`, `NMP##-PROJECT-...md`, `[PROJECT_ID]/x.md`) name
# a family of files, not one file.
_PLACEHOLDER = re.compile(r"[*?\[\]{}<>]|##")
_PLACEHOLDER_BEFORE = re.compile(r"(?:[\w-]\*|[?\]}#])$")  # `AP-*-x.md`, `[ID]-x.md`; not `**x.md**`
# The text before a bare name that makes it the tail of an absolute path with spaces:
# `/nmap/Testing/Phase 7 - Integration Tests.md` (a path outside the KB, not `Tests.md`).
_ABS_SPACED_LEAD = re.compile(r"(?:^|(?<=[\s`(>*|]))/[\w.-]+(?:/[\w.-]+)*/[\w .&'-]*$")


def _blank(line: str, spans: list[tuple[int, int]]) -> str:
    """The line with every (start, end) span, sorted and disjoint, replaced by spaces."""
    if not spans:
        return line
    pieces, pos = [], 0
    for start, end in spans:
        pieces += [line[pos:start], " " * (end - start)]
        pos = end
    pieces.append(line[pos:])
    return "".join(pieces)


def _before(line: str, spans: list[tuple[int, int]], start: int, width: int) -> str:
    """`line[start - width:start]` with the spans found so far blanked (linear, unlike
    re-blanking the whole line after each match)."""
    lo = max(0, start - width)
    text = line[lo:start]
    for s, e in reversed(spans):
        if e <= lo:
            break
        a, b = max(s, lo) - lo, min(e, start) - lo
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def is_external(target: str) -> bool:
    """True for URLs (http:, mailto:, ...) and protocol-relative links."""
    return bool(_SCHEME.match(target)) or target.startswith("//")


def split_anchor(target: str) -> tuple[str, str | None]:
    """`a.md#x` -> (`a.md`, `x`)."""
    if "#" in target:
        path, anchor = target.split("#", 1)
        return path, anchor
    return target, None


def scan_line(
    line: str, lineno: int, grammar: RefIdGrammar, context: str, own_refid_line: bool = False
) -> list[Reference]:
    """Every reference in one line outside code; columns are 1-based."""
    refs: list[Reference] = []
    if "`" in line:
        line = _mask_code(line, refs, lineno, context)
    if "](" in line:
        spans = []
        for start, end, target_start, target in links(line):
            spans.append((start, end))
            raw_target = target.strip("<>").strip()
            # `file:` URLs are host paths, reported by SIMA306 like `/etc/x`; other URLs are not checked
            if not raw_target or (is_external(raw_target) and not raw_target[:5].lower() == "file:"):
                continue
            path, anchor = split_anchor(raw_target)
            refs.append(
                Reference(line[start:end], unquote(path), "link", lineno, target_start + 1, anchor, context)
            )
        line = _blank(line, spans)
    if "://" in line or "mailto:" in line or "www." in line:
        line = _URL.sub(lambda m: " " * len(m.group(0)), line)
    if "/sima/" in line or "/SIMA/" in line:
        spans = []
        for m in _KB_PATH.finditer(line):
            if not _PLACEHOLDER.search(m.group(0)):
                refs.append(_path_ref(m.group(0), "kb-path", lineno, m.start() + 1, context))
            spans.append(m.span())
        line = _blank(line, spans)
    if ".md" in line or ".MD" in line:
        spans = []
        for m in _ROOTED.finditer(line) if "/" in line else ():
            if not _placeholder(_before(line, spans, m.start(), 2)):
                refs.append(_path_ref(m.group(0), "relative", lineno, m.start() + 1, context))
            spans.append(m.span())
        line = _blank(line, spans)
        spans = []
        for m in _REL_PATH.finditer(line) if "/" in line else ():  # a relative path has a `/`
            if not _placeholder(_before(line, spans, m.start(), 2)):
                refs.append(_path_ref(m.group(0), "relative", lineno, m.start() + 1, context))
            spans.append(m.span())
        line = _blank(line, spans)
        spans = []
        for m in _BARE.finditer(line):
            before = _before(line, spans, m.start(), 120)
            ref = _path_ref(m.group(0), "bare", lineno, m.start() + 1, context, before if before.endswith(" ") else "")
            if not _placeholder(before[-2:]) and not _ABS_SPACED_LEAD.search(ref.lead):
                refs.append(ref)
            spans.append(m.span())
        line = _blank(line, spans)
    if not own_refid_line and "-" in line and _may_mention(grammar, line):
        for m in grammar.mention.finditer(line):
            refid = intern(m.group(0))  # REF-IDs recur across files: one shared string each
            refs.append(Reference(refid, refid, "refid", lineno, m.start() + 1, None, context))
    return refs


# Every default REF-ID has `X-Y` with X in [A-Z\d] and Y in [A-Za-z\d] (`\d` is any Unicode digit,
# as in the grammar; a test holds the default patterns to it). This literal-led search is ~20x
# cheaper than the mention alternation, so lines without it skip that scan. A grammar with
# extra patterns always takes the full scan.
_MENTION_HINT = re.compile(r"-(?<=[A-Z\d]-)[A-Za-z\d]")
MENTION_HINT = _MENTION_HINT  # for the line loop that writes `may_cite` out
_HINTED: dict[RefIdGrammar, bool] = {}


def may_cite(line: str, grammar: RefIdGrammar) -> bool:
    """A cheap pre-test: False only when `scan_line` finds nothing (keep it in step with it;
    `scan.parse_decoded` writes the same test out in its line loop)."""
    if "`" in line or "](" in line or ".md" in line or ".MD" in line or "/sima/" in line or "/SIMA/" in line:
        return True
    return "-" in line and (_MENTION_HINT.search(line) is not None or not hinted(grammar))


def hinted(grammar: RefIdGrammar) -> bool:
    """True when every REF-ID of the grammar holds `MENTION_HINT` (the default patterns)."""
    known = _HINTED.get(grammar)
    if known is None:
        known = _HINTED[grammar] = tuple(grammar.patterns) == DEFAULT_PATTERNS
    return known


def _may_mention(grammar: RefIdGrammar, line: str) -> bool:
    return not hinted(grammar) or _MENTION_HINT.search(line) is not None


def _placeholder(before: str) -> bool:
    """True when the two characters `before` a path make it part of a glob or placeholder."""
    return bool(_PLACEHOLDER_BEFORE.search(before))


def _path_ref(raw: str, syntax: str, lineno: int, column: int, context: str, lead: str = "") -> Reference:
    return Reference(raw, raw.strip(), syntax, lineno, column, None, context, lead)


def _mask_code(line: str, refs: list[Reference], lineno: int, context: str) -> str:
    """Blank inline code spans; a span holding just a `.md` path is itself a reference."""
    spans = []
    for start, inner_start, inner_end, end in code_spans(line):
        inner = line[inner_start:inner_end].strip()
        if "://" not in inner and inner.lower().endswith(".md") and ("/" in inner) and " " not in inner.replace(
            "/sima/", ""
        ).split("/", 1)[0] and not _PLACEHOLDER.search(inner):
            syntax = "kb-path" if inner.startswith("/sima/") else "relative"
            refs.append(_path_ref(inner, syntax, lineno, inner_start + 1, context))
        spans.append((start, end))
    return _blank(line, spans)


def scan_relationship(
    value: str, lineno: int, column: int, grammar: RefIdGrammar
) -> list[Reference]:
    """Items of a `**Related:**`-style field: comma-separated REF-IDs or file names."""
    refs = []
    offset = 0
    for item in value.split(","):
        start = offset + (len(item) - len(item.lstrip()))
        offset += len(item) + 1
        text = item.strip().split("(", 1)[0].strip()  # `DEC-05 (why)`; no regex: `a   b` is quadratic
        if not text or text.startswith("[") or text.lower().startswith(("none", "n/a", "-")):
            continue
        col = column + start
        if text.lower().endswith(".md"):
            syntax = "kb-path" if text.startswith("/sima/") else ("relative" if "/" in text else "bare")
            refs.append(Reference(text, text, syntax, lineno, col, None, "field"))
        else:
            for m in grammar.mention.finditer(text):
                refid = intern(m.group(0))
                refs.append(Reference(refid, refid, "field", lineno, col + m.start(), None, "field"))
    return refs

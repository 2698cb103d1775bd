"""Find cross-references in one line of Markdown (catalogue §4), in every syntax."""
from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import unquote

from .model import Reference
from .refid import DEFAULT_PATTERNS, RefIdGrammar

RELATIONSHIP_KEYS = frozenset({"related", "related to", "inherits from", "used in"})
# Fields whose REF-IDs are by design not (yet) owned: `**Range:** DEC-01 to DEC-99`,
# `**Next Available:** DEC-24` in REF-ID directories.
NON_REFERENCE_KEYS = frozenset({"range", "next available"})

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"!?\[((?:[^\]\\]|\\.){0,500})\]\(\s*(<[^>\n]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_URL = re.compile(r"\b(?:[a-zA-Z][a-zA-Z0-9+.-]{1,15}://|mailto:|www\.)[^\s)>\]]*")
_KB_PATH = re.compile(r"/sima/[^\n`*()\[\]<>|\"]{0,400}?\.md(?![\w])", re.IGNORECASE)
_REL_PATH = re.compile(r"(?<![\w/.%-])(?:\.{1,2}/)*[\w.-]+(?:/[\w.-]+)+\.md(?![\w])", re.IGNORECASE)
_BARE = re.compile(r"(?<![\w/.%-])[\w.-]*\w\.md(?![\w])", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+:")  # two letters at least: `C:/x.md` is a path
# Globs and template placeholders (`AP-*.md`, `NMP##-PROJECT-...md`, `[PROJECT_ID]/x.md`) name
# a family of files, not one file.
_PLACEHOLDER = re.compile(r"[*?\[\]{}<>]|##")
_PLACEHOLDER_BEFORE = re.compile(r"(?:[\w-]\*|[?\]}#])$")  # `AP-*-x.md`, `[ID]-x.md`; not `**x.md**`
# The text before a bare name that makes it the tail of an absolute path with spaces:
# `/nmap/Testing/Phase 7 - Integration Tests.md` (a path outside the KB, not `Tests.md`).
_ABS_SPACED_LEAD = re.compile(r"(?:^|(?<=[\s`(>*|]))/[\w.-]+(?:/[\w.-]+)*/[\w .&'-]*$")


def _blank(line: str, start: int, end: int) -> str:
    return line[:start] + " " * (end - start) + line[end:]


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
        for m in _LINK.finditer(line):
            raw_target = m.group(2).strip("<>").strip()
            line = _blank(line, m.start(), m.end())
            if not raw_target or is_external(raw_target):
                continue
            path, anchor = split_anchor(raw_target)
            refs.append(
                Reference(m.group(0), unquote(path), "link", lineno, m.start(2) + 1, anchor, context)
            )
    if "://" in line or "mailto:" in line or "www." in line:
        line = _URL.sub(lambda m: " " * len(m.group(0)), line)
    if "/sima/" in line or "/SIMA/" in line:
        for m in _KB_PATH.finditer(line):
            if not _PLACEHOLDER.search(m.group(0)):
                refs.append(_path_ref(m.group(0), "kb-path", lineno, m.start() + 1, context))
            line = _blank(line, m.start(), m.end())
    if ".md" in line or ".MD" in line:
        for m in _REL_PATH.finditer(line):
            if not _placeholder(line, m.start()):
                refs.append(_path_ref(m.group(0), "relative", lineno, m.start() + 1, context))
            line = _blank(line, m.start(), m.end())
        for m in _BARE.finditer(line):
            ref = _path_ref(m.group(0), "bare", lineno, m.start() + 1, context)
            if m.start() > 0 and line[m.start() - 1] == " ":
                ref = replace(ref, lead=line[max(0, m.start() - 120) : m.start()])
            if not _placeholder(line, m.start()) and not _ABS_SPACED_LEAD.search(ref.lead):
                refs.append(ref)
            line = _blank(line, m.start(), m.end())
    if not own_refid_line and "-" in line and _may_mention(grammar, line):
        for m in grammar.mention.finditer(line):
            refs.append(Reference(m.group(0), m.group(0), "refid", lineno, m.start() + 1, None, context))
    return refs


# Every default REF-ID has `X-Y` with X in [A-Z0-9] and Y in [A-Za-z0-9] (tests hold the default
# patterns to it); this literal-led search is ~20x cheaper than the mention alternation, so
# lines without it skip that scan. A grammar with extra patterns always takes the full scan.
_MENTION_HINT = re.compile(r"-(?<=[A-Z0-9]-)[A-Za-z0-9]")
_HINTED: dict[RefIdGrammar, bool] = {}


def may_cite(line: str, grammar: RefIdGrammar) -> bool:
    """A cheap pre-test: False only when `scan_line` finds nothing (keep it in step with it)."""
    return (
        "`" in line or "](" in line or ".md" in line or ".MD" in line or "/sima/" in line
        or "/SIMA/" in line or ("-" in line and _may_mention(grammar, line))
    )


def _may_mention(grammar: RefIdGrammar, line: str) -> bool:
    hinted = _HINTED.get(grammar)
    if hinted is None:
        hinted = _HINTED[grammar] = tuple(grammar.patterns) == DEFAULT_PATTERNS
    return not hinted or _MENTION_HINT.search(line) is not None


def _placeholder(line: str, start: int) -> bool:
    """True when the path starting at `start` is part of a glob or template placeholder."""
    return bool(_PLACEHOLDER_BEFORE.search(line[max(0, start - 2) : start]))


def _path_ref(raw: str, syntax: str, lineno: int, column: int, context: str) -> Reference:
    return Reference(raw, raw.strip(), syntax, lineno, column, None, context)


def _mask_code(line: str, refs: list[Reference], lineno: int, context: str) -> str:
    """Blank inline code spans; a span holding just a `.md` path is itself a reference."""
    for m in _CODE_SPAN.finditer(line):
        inner = m.group(2).strip()
        if "://" not in inner and inner.lower().endswith(".md") and ("/" in inner) and " " not in inner.replace(
            "/sima/", ""
        ).split("/", 1)[0] and not _PLACEHOLDER.search(inner):
            syntax = "kb-path" if inner.startswith("/sima/") else "relative"
            refs.append(_path_ref(inner, syntax, lineno, m.start(2) + 1, context))
        line = _blank(line, m.start(), m.end())
    return line


def scan_relationship(
    value: str, lineno: int, column: int, grammar: RefIdGrammar
) -> list[Reference]:
    """Items of a `**Related:**`-style field: comma-separated REF-IDs or file names."""
    refs = []
    offset = 0
    for item in value.split(","):
        start = offset + (len(item) - len(item.lstrip()))
        offset += len(item) + 1
        text = re.sub(r"\s*\(.*$", "", item.strip()).strip()
        if not text or text.startswith("[") or text.lower().startswith(("none", "n/a", "-")):
            continue
        col = column + start
        if text.lower().endswith(".md"):
            syntax = "kb-path" if text.startswith("/sima/") else ("relative" if "/" in text else "bare")
            refs.append(Reference(text, text, syntax, lineno, col, None, "field"))
        else:
            for m in grammar.mention.finditer(text):
                refs.append(Reference(m.group(0), m.group(0), "field", lineno, col + m.start(), None, "field"))
    return refs

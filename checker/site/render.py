"""Markdown fixes so entries render on the site as they do on GitHub, and readable titles.

GitHub (CommonMark) lets a list or a table start right after a paragraph line and nests
lists indented by two spaces; Python-Markdown needs a blank line first and four spaces per
level. `github_compat` adds exactly those blank lines and indentation, outside code fences
(the parser's `Entry.fences`).
"""
from __future__ import annotations

import html
import re

from ..model import Entry
from ..parse.refid import RefIdGrammar, grammar as default_grammar
from ..parse.scan import parse_text
from .html.links import code_lines

_ITEM = re.compile(r"^( *)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\S|[ \t]*$)")
_TABLE_DELIM = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# A word starts at a capital after two lower-case letters (`ProcessingPatterns`), or ends an
# acronym of two capitals or more when a word of two lower-case letters follows (`APIGateway`);
# `SIMAv4`, `OAuth2`, `iPhone`, `eBay` and `DynamoDB` stay whole.
_CAMEL = re.compile(r"(?<=[a-z0-9]{2})(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})")
_SPLIT = re.compile(r"[-_\s]+")
_SUBTITLE = re.compile(r"^\s*[-\u2013\u2014:|]\s+(.+)$")

ACRONYMS = {
    w.lower(): w
    for w in (
        "AWS API APIs SIMA AI ML LLM SQL HTTP HTTPS CLI UI UX IO DB CI CD SDK IAM S3 SQS SNS EC2 ECS "
        "EKS VPC CDN DNS JSON YAML REST TLS SSL KB LEE NMP SUGA MCP URL URLs ID IDs HA CPU RAM TTL "
        "CRUD E2E QRC DT FW ZAPH DD LMMS ISP"
    ).split()
}
SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to vs via with".split())


def _is_table_start(lines: list[str], i: int) -> bool:
    return "|" in lines[i] and i + 1 < len(lines) and bool(_TABLE_DELIM.match(lines[i + 1])) and "-" in lines[i + 1]


def github_compat(lines: list[str], code: list[bool] | None = None) -> list[str]:
    """Blank lines before lists and tables that follow text; nested lists at 4 spaces.

    `code` marks the lines inside code fences (an entry's page passes the parser's fences);
    without it the lines are parsed for their fences."""
    if code is None:
        # a blank first line: the parser must not read a leading `---` as front matter
        code = code_lines(parse_text("page.md", "\n" + "\n".join(lines), "other"))[1:]
    after = [""] * (len(lines) + 1)  # the next non-blank line at or after i (no rescan per blank)
    for j in range(len(lines) - 1, -1, -1):
        after[j] = lines[j] if lines[j].strip() else after[j + 1]
    out: list[str] = []
    stack: list[int] = []  # source indents of the open list levels
    prev_text = False  # previous line is paragraph text (not blank, list item, table, code)
    for i, line in enumerate(lines):
        if code[i]:
            if prev_text and (i == 0 or not code[i - 1]):
                out.append("")  # a fence after text: GitHub ends the paragraph first
            out.append(line)
            prev_text = False
            continue
        m = _ITEM.match(line)
        indent = len(m.group(1)) if m else 0
        if m and not _HR.match(line) and (stack or indent < 4):
            if not stack and prev_text:
                if not _interrupts(line):
                    out.append(line)
                    continue
                out.append("")
            while stack and indent < stack[-1]:
                stack.pop()
            if not stack or indent > stack[-1]:
                stack.append(indent)
            out.append(" " * (4 * (len(stack) - 1)) + line.lstrip(" "))
            prev_text = False
            continue
        if not line.strip():
            nxt = after[i + 1]
            if stack and not (nxt.startswith(" ") or _ITEM.match(nxt)):
                stack = []
            out.append(line)
            prev_text = False
            continue
        block = line.lstrip().startswith("#") or _HR.match(line) or _is_table_start(lines, i)
        if block and not line.startswith("    "):
            stack = []
            if _is_table_start(lines, i) and prev_text:
                out.append("")
        if stack and line.startswith("  "):
            line = " " * (4 * len(stack)) + line.lstrip(" ")
        out.append(line)
        prev_text = not (block or line.lstrip().startswith(("|", "<")))
    return out


def _interrupts(line: str) -> bool:
    """CommonMark: a bullet list, or an ordered list starting at 1, may interrupt a paragraph."""
    item = line.lstrip(" ")
    return not item[:1].isdigit() or re.match(r"1[.)]", item) is not None


# ---------------------------------------------------------------- titles


def humanize(name: str) -> str:
    """`AWS-General-ProcessingPatterns` -> `AWS General Processing Patterns`; `anti-patterns` -> `Anti Patterns`."""
    words: list[str] = []
    for token in _SPLIT.split(name.strip()):
        words.extend(w for w in _CAMEL.split(token) if w)
    out = []
    for i, word in enumerate(words):
        low = word.lower()
        if low in ACRONYMS:
            out.append(ACRONYMS[low])
        elif word != low:
            out.append(word)  # already cased by the author: keep it
        elif low in SMALL_WORDS and i:
            out.append(low)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def folder_title(name: str) -> str:
    """A readable section name for a KB folder."""
    return humanize(name) or name


def _shorten(text: str, limit: int = 48) -> str:
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-") + "\u2026"


def _h1_title(entry: Entry) -> str | None:
    """A real title in the H1 (a subtitle after the file name, a second H1, or a non-file H1)."""
    h1s = [h for h in entry.headings if h.level == 1]
    if not h1s:
        return None
    text = h1s[0].text
    named = text[5:].strip() if text.lower().startswith("file:") else text
    if named.startswith(entry.name):
        sub = _SUBTITLE.match(named[len(entry.name):])
        if sub:
            return sub.group(1).strip()
        first_h2 = next((h.line for h in entry.headings if h.level >= 2), 10**9)
        second = next((h for h in h1s[1:] if h.line < first_h2 and h.line - h1s[0].line <= 3), None)
        return second.text.strip() if second else None
    if named.lower().endswith(".md"):
        return None
    return named.strip() or None


def title_source_lines(entry: Entry) -> tuple[int, ...]:
    """Lines of the H1s the page title replaces (the file-name H1 and a title H1 after it)."""
    h1s = [h for h in entry.headings if h.level == 1]
    if not h1s:
        return ()
    first_h2 = next((h.line for h in entry.headings if h.level >= 2), 10**9)
    lines = [h1s[0].line]
    lines += [h.line for h in h1s[1:2] if h.line < first_h2 and h.line - h1s[0].line <= 3]
    return tuple(lines)


def entry_title(entry: Entry, g: RefIdGrammar | None = None) -> str:
    """The title an entry's page and nav item show: never a raw file name, never `<` or `>`."""
    title = _title(entry, g)
    return " ".join(title.replace("<", "\u2039").replace(">", "\u203a").split())


def nav_title(title: str) -> str:
    """A title for MkDocs' nav and `page.title`: the theme prints these unescaped."""
    return html.escape(title, quote=True)


def _title(entry: Entry, g: RefIdGrammar | None) -> str:
    fm = entry.field("title", header_only=True)
    if fm and fm.value and entry.front_matter_lines and fm.line <= entry.front_matter_lines:
        return fm.value
    from_h1 = _h1_title(entry)
    if from_h1:
        return from_h1.replace("**", "").replace("`", "")
    g = g or default_grammar()
    stem = entry.name[:-3] if entry.name.lower().endswith(".md") else entry.name
    refid = g.from_filename(entry.name)
    rest = stem
    if refid and stem.endswith("_" + refid):
        rest = stem[: -len(refid) - 1]
    elif refid and stem.startswith(refid):
        rest = stem[len(refid):]
    rest = rest.strip(" -_")
    if rest:
        return humanize(rest)
    purpose = entry.field("purpose", header_only=True)
    label = refid or humanize(stem)
    return f"{label}: {_shorten(purpose.value)}" if purpose and purpose.value else label

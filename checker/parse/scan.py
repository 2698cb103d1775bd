"""Text to `Entry`: one line scan finds the title, header fields, headings, fences,
keywords, references and suppressions (markdown-it-py is kept for the site)."""
from __future__ import annotations

import re
from functools import lru_cache
from sys import intern  # labels, keys, fence tags and keywords repeat in every file: share them

from .inline import attr_list_id
from ..model import Entry, Fence, HeaderField, Heading, Keyword, Reference, Suppression
from .refid import RefIdGrammar, grammar as default_grammar
from .refs import MENTION_HINT, NON_REFERENCE_KEYS, RELATIONSHIP_KEYS, hinted, scan_line, scan_relationship
from .slug import unique_slugs
from .frontmatter import front_matter as _front_matter
from .text import Decoded, decode

# The value is group 2 with trailing spaces stripped (`(.*?)\s*$` backtracks quadratically).
_FIELD = re.compile(r"^\s{0,3}(?:[-*+]\s+)?\*\*([^*\n]{1,80}?):\*\*[ \t]*(.*)$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
# A fence opened right after a list marker (`- ```python`): content column = group 1's width.
_ITEM_FENCE = re.compile(r"^( {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]{1,4})(`{3,}|~{3,})(.*)$")
_ITEM_MARKER = re.compile(r"( {0,3}(?:[-*+]|\d{1,9}[.)]))([ \t]+)\S")  # marker, then spaces
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\Z")  # `- - -` is a rule, not an item
_RULE = re.compile(r"^ {0,3}---+\s*$")
_HEADING_WORDS = re.compile(r"[^a-z0-9 -]")
_LIST_ITEM = re.compile(r"^\s*[-*+]\s")
_FILE_TITLE = re.compile(r"(?:File:\s*)?[^\s/]+(?: [^\s/]+)*\.md\Z", re.IGNORECASE)


def fence_marker(line: str) -> tuple[str, int, str] | None:
    """(fence character, run length, info string) of a CommonMark fence line, else None.

    Up to three spaces of indent (four, or a tab, make indented code); a run of three or more
    backticks or tildes; the rest, trimmed of spaces and tabs, is the info string, and after
    backticks it may not hold a backtick. A closer is such a line with an empty info string,
    of the opener's character and at least its length.
    """
    m = _FENCE.match(line)
    if not m:
        return None
    run, info = m.group(2), m.group(3).strip(" \t")
    if run[0] == "`" and "`" in info:
        return None
    return run[0], len(run), info


def _indent(line: str) -> int:
    """Columns of leading spaces and tabs (a tab to the next multiple of 4)."""
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    return len(lead.expandtabs(4)) if "\t" in lead else len(lead)


def _note_indent(below: list[int], line: str, i: int) -> None:
    """Record line `i` as the last non-blank line indented less than each k it is less than."""
    if not line or (line[0] in " \t" and not line.strip(" \t")):
        return
    for k in range(_indent(line) + 1 if line[0] in " \t" else 1, 4):
        below[k] = i


def _item_column(lines: tuple[str, ...], below: list[int], line: str, start: int) -> int:
    """The content column of the list item a fence opened by `line` sits in, else 0: the nearest
    line above that is less indented must be that item's marker line, its content no further
    right than the fence (a lazy or nested line in between reads as no item: as before)."""
    k = len(line) - len(line.lstrip(" "))
    j = below[k] if k else -1
    m = _ITEM_MARKER.match(lines[j]) if j >= start else None
    if not m or _BREAK.match(lines[j]):
        return 0
    spaces = len(m.group(2))
    column = len(m.group(1)) + (spaces if spaces <= 4 else 1)
    return column if column <= k else 0


def _item_fence_line(line: str, char: str, size: int, column: int) -> int:
    """Where `line` stands to a fence opened after a list marker: 1 inside it, 2 its closer,
    0 past the item's end (a non-blank line indented less than the item's content)."""
    rest = line.lstrip(" \t")
    if not rest:
        return 1
    indent = _indent(line)
    if indent < column:
        return 0
    f = fence_marker(rest) if indent - column <= 3 else None
    return 2 if f and f[0] == char and f[1] >= size and not f[2] else 1


_HEADING_OPEN = re.compile(r" {0,3}(#{1,6})(?![^ \t])")


def heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading, else None.

    What `^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$` finds, without its quadratic
    backtracking on long runs of spaces: the text loses its closing `#` run when a space or tab
    precedes it.
    """
    m = _HEADING_OPEN.match(line)
    if not m:
        return None
    text = line[m.end():].strip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        text = bare.rstrip(" \t")
    return len(m.group(1)), text


_SUPPRESS_HEAD = re.compile(r"\s*sima-check:\s*(disable-next-line|disable)\s*=(\s*)")
_CODE_CHARS = re.compile(r"[\w ,-]*")


def suppression_comments(line: str) -> list[tuple[str, str]]:
    """(scope word, codes text) of each `<!-- sima-check: disable...=CODES -- reason -->`."""
    out = []
    pos = 0
    close = gt = (len(line) + 1, -1)  # (from, first hit at or after `from`, -1 for none)
    while True:
        p = line.find("<!--", pos)
        if p == -1:
            break
        body_start = p + 4
        if not (close[0] <= body_start and (close[1] == -1 or body_start <= close[1])):
            close = (body_start, line.find("-->", body_start))
        end = close[1]
        if end == -1:
            break
        head = _SUPPRESS_HEAD.match(line, body_start, end)
        found = None
        if head:
            rest_start = head.end()
            q = line.find("--", rest_start + 1, end)
            stop = q if q != -1 else end
            codes_end = rest_start + len(line[rest_start:stop].rstrip())
            if codes_end > rest_start and _CODE_CHARS.match(line, rest_start, codes_end).end() == codes_end:
                codes = (rest_start, codes_end)
            elif rest_start == end or line.startswith("--", rest_start):
                # The regex gives the nearest space after `=` back to the (empty) codes.
                space = line.rfind(" ", head.start(2), rest_start)
                codes = (space, space + 1) if space != -1 else None
            else:
                codes = None
            if codes:
                if not (gt[0] <= rest_start and (gt[1] == -1 or rest_start <= gt[1])):
                    gt = (rest_start, line.find(">", rest_start))
                if gt[1] == -1 or gt[1] >= end:
                    found = (head.group(1), line[codes[0] : codes[1]])
        if found:
            out.append(found)
            pos = end + 3
        else:
            pos = p + 1
    return out


@lru_cache(maxsize=16384)  # labels repeat across entries (Status, REF-ID, ...)
def _label_key(written: str) -> tuple[str, str]:
    """A field's label as written and its key: lower-cased, single-spaced."""
    label = intern(written.strip())
    return label, intern(" ".join(label.lower().split()))


@lru_cache(maxsize=16384)  # headings repeat across entries (Summary, Keywords, ...)
def section_key(text: str) -> str:
    """Heading text reduced to ASCII words: `## 🏷️ KEYWORDS` -> `keywords`."""
    return " ".join(_HEADING_WORDS.sub("", text.lower()).split())


def parse_bytes(
    relpath: str, data: bytes, kind: str = "entry", grammar: RefIdGrammar | None = None
) -> Entry:
    """Parse a file's bytes; undecodable input yields an Entry carrying the error."""
    decoded = decode(data)
    if decoded.error:
        return Entry(
            relpath=relpath, kind=kind, text="", lines=(), line_count=0,
            encoding_error=decoded.error, encoding_error_line=decoded.error_line,
        )
    return parse_decoded(relpath, decoded, kind, grammar or default_grammar())


def parse_text(relpath: str, text: str, kind: str = "entry", grammar: RefIdGrammar | None = None) -> Entry:
    """Parse already-decoded text (tests and the site use this)."""
    return parse_bytes(relpath, text.encode("utf-8"), kind, grammar)


def parse_decoded(relpath: str, d: Decoded, kind: str, g: RefIdGrammar) -> Entry:
    """The line scan proper."""
    lines = d.lines
    n = len(lines)
    fields: list[HeaderField] = []
    fm_lines, fm_error = _front_matter(lines, fields)
    start = fm_lines  # index of the first line after front matter

    in_code = [False] * n
    fences: list[Fence] = []
    raw_headings: list[tuple[int, str, int]] = []
    fence_char, fence_len, fence_line, fence_info = "", 0, 0, ""
    fence_item = 0  # content column of the list item the open fence sits in, 0 for none
    nested: list[int] = []  # same-character openers inside the open fence (SIMA506)
    item_fence: tuple[str, int, int] | None = None  # (char, length, content column) after `- `
    below = [-1, -1, -1, -1]  # [k]: index of the last non-blank line indented less than k
    # Lines outside code that the second loop must look at (a field, a suppression or a possible
    # reference): found here, so that loop visits only them (most lines are prose).
    todo: list[int] = []
    hint, any_dash = MENTION_HINT.search, not hinted(g)
    for i in range(start, n):
        line = lines[i]
        if not line:  # a blank line changes nothing, inside a fence or out (a quarter of all lines)
            if fence_char:
                in_code[i] = True
            continue
        if fence_char and fence_item and _indent(line) < fence_item and line.strip(" \t"):
            # CommonMark: a fence in a list item ends with the item (a less indented, non-blank line)
            fences.append(Fence(fence_line, fence_info, True, i, tuple(nested), by_item=True))
            fence_char = ""
        if fence_char:
            in_code[i] = True
            if fence_char not in line[:4]:  # a closing fence starts within the first 4 columns
                continue
            f = fence_marker(line)
            if f and f[0] == fence_char and f[1] >= fence_len:
                if f[2]:  # an info string: not a closer, and not an opener in here either
                    nested.append(i + 1)
                    continue
                fences.append(Fence(fence_line, fence_info, True, i + 1, tuple(nested)))
                fence_char = ""
                _note_indent(below, line, i)
            continue
        c = line[0]
        if c not in " \t":  # the common case of _note_indent, without a call
            below[1] = below[2] = below[3] = i
        else:
            _note_indent(below, line, i)  # code lines do not count: they hold no list item
        may_fence = True
        if item_fence:
            # A fence opened on a list marker's line is not recorded (nor its lines marked as code,
            # as before); its lines only must not open or close fences, its closer least of all.
            where = _item_fence_line(line, *item_fence)
            may_fence = where == 0
            if where != 1:
                item_fence = None
        if may_fence and ("`" in line or "~" in line):
            f = fence_marker(line)
            if f:
                fence_char, fence_len = f[0], f[1]
                fence_line, fence_info, nested = i + 1, intern(f[2]), []
                fence_item = _item_column(lines, below, line, start)
                in_code[i] = True
                continue
            m = _ITEM_FENCE.match(line)
            if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
                item_fence = (m.group(2)[0], len(m.group(2)), len(m.group(1).expandtabs(4)))
        if c == "#" or (c == " " and "#" in line[:4]):  # cheap pre-test; the pattern decides
            h = heading(line)
            if h:
                raw_headings.append((h[0], intern(h[1].strip()), i + 1))
        # `refs.may_cite`, written out (a call per line costs more than the test), and the second
        # loop's own tests
        if ("**" in line or "`" in line or "](" in line or ".md" in line or ".MD" in line or "/sima/" in line
                or "/SIMA/" in line or "sima-check" in line or ("-" in line and (any_dash or hint(line) is not None))):
            todo.append(i)
    if fence_char:
        fences.append(Fence(fence_line, fence_info, False, 0, tuple(nested)))

    headings = _with_slugs(raw_headings)

    title_line = title = None
    first = next((i for i in range(start, n) if lines[i].strip()), None)
    h1 = next((h for h in headings if h.level == 1), None)
    if h1:
        title_line, title = h1.line, h1.text

    # Header block: after the first line, up to `---` or the first `##` heading.
    header_end = None
    # The first line is the title even when it is written `## X.md` (SIMA101's finding alone).
    title_at = first + 1 if first is not None else 0
    first_h2 = next((h.line for h in headings if h.level >= 2 and h.line > title_at), n + 1)
    scan_from = (first + 1) if first is not None else n
    for i in range(scan_from, min(first_h2 - 1, n)):
        if not in_code[i] and _RULE.match(lines[i]):
            header_end = i + 1
            break
    header_stop = header_end if header_end else first_h2

    keyword_heading = next((h for h in headings if h.level >= 2 and section_key(h.text) == "keywords"), None)
    section_of = _xref_lines(headings, n)

    refs: list[Reference] = []
    suppressions: list[Suppression] = []
    no_mentions_line = 0  # the own REF-ID field and `Range`-like fields cite nothing
    file_titles = {h.line for h in headings if h.level == 1 and _FILE_TITLE.match(h.text)}
    for i in todo:
        line = lines[i]
        lineno = i + 1
        if "sima-check" in line:
            for word, text in suppression_comments(line):
                codes = tuple(c.strip() for c in text.split(",") if c.strip())
                scope = "file" if word == "disable" else "next-line"
                suppressions.append(Suppression(lineno, codes, scope, 0 if scope == "file" else lineno + 1))
        if "**" in line:
            m = _FIELD.match(line)
            if m:
                label, key = _label_key(m.group(1))
                raw = m.group(2).rstrip()
                value = (raw[:-1] if raw[-1:] == "\\" else raw).strip()  # a trailing `\` is a hard break
                fields.append(HeaderField(label, key, value, lineno, m.start(2) + 1, lineno < header_stop))
                if (key == "ref-id" and lineno < header_stop) or key in NON_REFERENCE_KEYS or key.endswith(" range"):
                    no_mentions_line = lineno
                if key in RELATIONSHIP_KEYS:
                    refs.extend(scan_relationship(raw, lineno, m.start(2) + 1, g))
                    continue
        if lineno == title_line and line.startswith("# "):
            continue  # the title names this file (SIMA101), it cites nothing
        if lineno in file_titles:
            continue  # a later `# File: X.md` title (concatenated files) is SIMA502's, not a citation
        if ("`" in line or "](" in line or ".md" in line or ".MD" in line or "/sima/" in line or "/SIMA/" in line
                or ("-" in line and (any_dash or hint(line) is not None))):
            context = "xref" if section_of[i] else "prose"
            refs.extend(scan_line(line, lineno, g, context, own_refid_line=lineno == no_mentions_line))

    keywords, keywords_line = _keywords(lines, in_code, headings, keyword_heading, fields)

    refid, refid_line, from_field = None, 1, False
    rf = next((f for f in fields if f.key == "ref-id" and f.in_header), None)
    if rf and rf.value:
        token = rf.value.split()[0].strip(",;")
        if g.is_refid(token):
            refid, refid_line, from_field = token, rf.line, True
    if refid is None:
        refid = g.from_filename(relpath.rsplit("/", 1)[-1])

    line_count = n - fm_lines
    return Entry(
        relpath=relpath, kind=kind, text=d.text, lines=lines, line_count=line_count,
        has_bom=d.has_bom, crlf_lines=d.crlf_lines, cr_lines=d.cr_lines,
        final_newline=d.final_newline, front_matter_lines=fm_lines, front_matter_error=fm_error,
        title_line=title_line, title=title, header_end=header_end, fields=tuple(fields),
        headings=headings, references=tuple(refs), keywords=tuple(keywords),
        keywords_line=keywords_line, fences=tuple(fences), suppressions=tuple(suppressions),
        refid=refid, refid_line=refid_line, refid_from_field=from_field,
    )


def _with_slugs(raw: list[tuple[int, str, int]]) -> tuple[Heading, ...]:
    """Headings with their anchors; an explicit `{#id}` is the anchor and leaves the text."""
    # `## Title {#custom-id .class}`: attr_list's explicit id replaces the generated slug.
    explicit = [attr_list_id(t) for _, t, _ in raw]
    texts = [t[: m[0]] if m else t for (_, t, _), m in zip(raw, explicit)]
    auto = iter(unique_slugs([t for t, m in zip(texts, explicit) if not m]))
    return tuple(
        Heading(lv, text, ln, m[1] if m else next(auto))
        for (lv, _, ln), text, m in zip(raw, texts, explicit)
    )


def _xref_lines(headings: tuple[Heading, ...], n: int) -> list[bool]:
    """Which lines lie inside a `## Cross-References` section."""
    marks = [False] * n
    for idx, h in enumerate(headings):
        if h.level == 2 and section_key(h.text).startswith(("cross-reference", "cross reference")):
            # indexes, not a slice per heading: a slice is quadratic over many such headings
            end = next((headings[j].line for j in range(idx + 1, len(headings)) if headings[j].level <= 2), n + 1)
            for i in range(h.line, end - 1):
                marks[i] = True
    return marks


def _keywords(lines, in_code, headings, heading, fields) -> tuple[list[Keyword], int | None]:
    """Keywords from the `## Keywords` section, else from a `**Keywords:**` field."""
    out: list[Keyword] = []
    if heading is not None:
        end = next((h.line for h in headings if h.line > heading.line and h.level <= heading.level), len(lines) + 1)
        for i in range(heading.line, end - 1):
            line = lines[i]
            if in_code[i] or not line.strip():
                continue
            if _RULE.match(line) or line.lstrip().startswith(("**", "<!--", ">")):
                break
            _split_keywords(line, i + 1, out)
        return out, heading.line
    # A bulleted `- **Keywords:** ...` describes something else (a category, a template).
    field = next((f for f in fields if f.key == "keywords" and not _LIST_ITEM.match(lines[f.line - 1])), None)
    if field is not None:
        if "**" in lines[field.line - 1]:
            _split_keywords(lines[field.line - 1], field.line, out, field.column - 1)
        else:  # front matter: the value may be a YAML list spread over several lines
            _split_keywords(field.value, field.line, out)
        return out, field.line
    return out, None


def _split_keywords(line: str, lineno: int, out: list[Keyword], offset: int = 0) -> None:
    body = line[offset:]
    lead = re.match(r"\s*(?:[-*+]\s+)?", body).end()
    pos = offset + lead
    for part in body[lead:].split(","):
        word = part.strip().strip("`")
        if word:
            out.append(Keyword(intern(word), lineno, pos + (len(part) - len(part.lstrip())) + 1))
        pos += len(part) + 1

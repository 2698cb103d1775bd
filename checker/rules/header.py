"""Header rules (SIMA1xx): the H1 and the `**Label:** value` block of an entry."""
from __future__ import annotations

import datetime
import re

from ..model import Entry, Hit, Severity
from ..parse.doc import encodable
from .base import ALL_KINDS, ENTRY, Context, rule

DATE_KEYS = ("date", "last updated", "updated")
LEGACY = {"last updated": "Date", "updated": "Date"}
STATUSES = ("draft", "active", "review", "under review", "deprecated", "superseded", "archived")
LEVELS = ("critical", "high", "medium", "low")
_SEMVER = re.compile(r"\d+\.\d+\.\d+\Z")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:\s+\(.*\))?\Z")
_SUBTITLE = re.compile(r"(?:\s+[-–—:|]\s+.*|\s+\(.*\))?\Z")  # `X.md - Subtitle`, `X.md (Project)`
_PRIORITY = re.compile(r"(?:([^\w\s]+)\s*)?(critical|high|medium|low)\Z", re.IGNORECASE)
# `((?:.*[^ \t])?)` is what `(.*?)` took before `[ \t]*\Z`, without its quadratic retries.
_TITLE = re.compile(r"#[ \t]+((?:File:[ \t]*)?)((?:.*[^ \t])?)[ \t]*\Z", re.IGNORECASE)
_NAMED = re.compile(r"(.*?\.md)((?:\s+[-–—:|]\s+.*)?)\Z", re.IGNORECASE)


def expected_title(entry: Entry) -> str:
    """The H1 line SIMA101 wants."""
    return f"# {entry.name}"


def _fold(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _writable_title(name: str) -> bool:
    """An undecodable file name cannot be written into UTF-8 text, nor one holding a newline or
    another control character into one title line."""
    return encodable(name) and not any(c < " " or c == "\x7f" for c in name)


def _fix_title(doc, entry: Entry, found, kb) -> None:
    """Rewrite the H1 to name this file (a descriptive title stays as its subtitle), or insert one."""
    first, name = entry.front_matter_lines, entry.name
    line = doc.lines[first] if first < len(doc.lines) else None
    if not _writable_title(name):
        return
    if line is None:
        doc.insert(first, [f"# {name}"])
    elif line.startswith("#") and _TITLE.match(line):
        m = _TITLE.match(line)
        named = _NAMED.match(m.group(2))
        if named:
            doc.lines[first] = f"# {m.group(1)}{name}{named.group(2)}"
        elif _fold(m.group(2)) in ("", _fold(name[:-3])):  # `# GATE-01: Gateway Layer` in GATE-01_Gateway-Layer.md
            doc.lines[first] = f"# {name}"
        else:
            doc.lines[first] = f"# {name} - {m.group(2)}"
    elif not line.strip():
        k = next((i for i in range(first, len(doc.lines)) if doc.lines[i].strip()), None)
        if k is not None and doc.lines[k].startswith("# "):
            del doc.lines[first:k], doc.ends[first:k]  # blank lines above the title
        else:
            doc.insert(first, [f"# {name}"])
    else:
        doc.insert(first, [f"# {name}", ""])


@rule("SIMA101", "title-filename", Severity.ERROR, ENTRY, fix=_fix_title, fix_phase=3)
def title_filename(entry: Entry, ctx: Context):
    """Line 1 (after any front matter) must be `# <file name>` or `# File: <file name>`.

    Why: the H1 is how people and tools tie an entry's text to its file; a copied entry that
    still names its template, or a renamed file whose title was not updated, misleads every
    reader and every search.

    Example:
        File: `decisions/DEC-05.md`, copied from DEC-04

        Title: `# DEC-04.md`

        A file that starts with its header fields, with no title at all, fails too.

    Fix: name the file in the first line (`sima-check --fix` rewrites or inserts it).

        Title: `# DEC-05.md`
    """
    first = entry.front_matter_lines + 1
    line = entry.line_text(first)
    title = line[2:].strip() if line.startswith("# ") else None
    fixable = None if _writable_title(entry.name) else False
    if title is None:  # a file of front matter only has no line `first`: point at its last
        yield Hit(min(first, max(1, len(entry.lines))), 1, f"line {first} must be the title `{expected_title(entry)}`", fixable=fixable)
        return
    named = title[5:].strip() if title.lower().startswith("file:") else title
    if _SUBTITLE.match(named[len(entry.name):]) and named.startswith(entry.name):
        return
    label = named[: -len(entry.name)].strip() if named.endswith(entry.name) else ""
    if label.endswith(":"):  # `# Filename: LESS-22.md`: the right name behind another label
        yield Hit(first, 3, f"title names this file after `{label}`; write `{expected_title(entry)}` or `# File: {entry.name}`", fixable=fixable)
        return
    yield Hit(first, 3, f"title names `{named}`, not this file; expected `{expected_title(entry)}`", fixable=fixable)


@rule("SIMA102", "header-field-missing", Severity.ERROR, ALL_KINDS)
def header_field_missing(entry: Entry, ctx: Context):
    """Every field required for the file's kind is present in the header.

    Default required for entries: Version, Date, Purpose, REF-ID, Category, Type, Priority,
    Status (configurable per kind with `required-fields`). `Last Updated`/`Updated` count as
    Date (see SIMA105).

    Why: the site's metadata card, the REF-ID index and the gate's own checks read these fields;
    an entry without them cannot be found, dated or trusted.

    Example:
        Without: `**Status:**`

    Fix: add the missing `**Label:** value` lines between the title and the closing `---`.

        Header: `**Status:** Active`
    """
    present = {f.key for f in entry.fields if f.in_header}
    line = entry.title_line or min(entry.front_matter_lines + 1, max(1, len(entry.lines)))
    for label in ctx.settings.required_for(entry.kind):
        key = label.lower()
        if key in present or (key == "date" and present.intersection(DATE_KEYS)):
            continue
        yield Hit(line, 1, f"header field `**{label}:**` is missing")


@rule("SIMA103", "header-field-format", Severity.ERROR, ENTRY)
def header_field_format(entry: Entry, ctx: Context):
    """Header values have the right shape, each reported at its own line.

    Version is semver `X.Y.Z`; Date is a real calendar date `YYYY-MM-DD` (a trailing
    parenthesised note is allowed); Purpose is at most 100 characters with no final period;
    Status is one of Draft, Active, Review, Under Review, Deprecated, Superseded, Archived;
    Priority is Critical, High, Medium or Low (any case), optionally after an emoji; REF-ID
    follows the REF-ID grammar. Invalid YAML front matter is reported here too.

    Why: tools sort, filter and link by these values; `v1.0`, `2025-13-01` or `Prio 1` break
    every one of them silently.

    Example:
        Header: `**Version:** 1.0` and `**Date:** 2025-02-30`

    Fix: write each value in the expected form.

        Header: `**Version:** 1.0.0` and `**Date:** 2025-02-28`
    """
    if entry.front_matter_error:
        yield Hit(1, 1, entry.front_matter_error)
    for f in entry.fields:
        if not f.in_header:
            continue
        message = _format_problem(f.key, f.value, ctx.grammar)
        if message:
            yield Hit(f.line, f.column, message)


def _format_problem(key: str, value: str, grammar) -> str | None:
    if key == "version" and not _SEMVER.match(value):
        return f"Version `{value}` is not semver `X.Y.Z`"
    if key in DATE_KEYS:
        m = _DATE.match(value)
        if not m:
            return f"Date `{value}` is not `YYYY-MM-DD`"
        try:
            datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return f"Date `{value}` is not a real calendar date"
    if key == "purpose":
        if len(value) > 100:
            return f"Purpose is {len(value)} characters; keep it to 100"
        if value.endswith("."):
            return "Purpose ends with a period; drop it"
    if key == "status" and re.sub(r"^[^\w]+", "", value).strip().lower() not in STATUSES:
        return f"Status `{value}` is not one of Draft, Active, Review, Under Review, Deprecated, Superseded, Archived"
    if key == "priority" and not _PRIORITY.match(value.replace("\ufe0f", "").strip()):
        return f"Priority `{value}` is not Critical, High, Medium or Low"
    if key == "ref-id":
        if not grammar.is_refid(value.strip()):
            return f"REF-ID `{value}` does not follow the REF-ID grammar (e.g. DEC-05, AWS-LESS-01)"
    return None


@rule("SIMA104", "header-field-duplicate", Severity.ERROR, ENTRY)
def header_field_duplicate(entry: Entry, ctx: Context):
    """The same label appears twice in one header.

    Why: readers and tools take different copies; the two values drift apart.

    Example:
        Header: `**Status:** Draft` and, on the next line, `**Status:** Active`

    Fix: keep one line per label.

        Header: `**Status:** Active`
    """
    seen: dict[str, int] = {}
    for f in entry.fields:
        if not f.in_header:
            continue
        if f.key in seen:
            yield Hit(f.line, 1, f"`**{f.label}:**` already given on line {seen[f.key]}")
        else:
            seen[f.key] = f.line


@rule("SIMA105", "header-legacy-label", Severity.WARNING, ENTRY)
def header_legacy_label(entry: Entry, ctx: Context):
    """A legacy synonym is used: `Last Updated` or `Updated` for `Date`.

    The synonym still satisfies SIMA102.

    Why: one label per meaning keeps the header machine-readable across the KB.

    Example:
        Header: `**Last Updated:** 2025-10-29`

        Without: `**Date:**`

    Fix: rename the label.

        Header: `**Date:** 2025-10-29`
    """
    for f in entry.fields:
        if f.in_header and f.key in LEGACY:
            yield Hit(f.line, 1, f"`**{f.label}:**` is a legacy label; use `**{LEGACY[f.key]}:**`")


@rule("SIMA106", "header-unterminated", Severity.WARNING, ENTRY)
def header_unterminated(entry: Entry, ctx: Context):
    """The header block is not closed by a `---` line before the first `##` heading.

    Why: the closing rule is where the header ends for every SIMA tool; without it, body lines
    that look like fields are read as header fields.

    Example:
        Without: `---`, the line after the last header field, so the Summary heading follows the
        header directly

    Fix: add a line `---` after the last header field.
    """
    if entry.header_end is not None or not entry.lines:
        return
    last = max((f.line for f in entry.fields if f.in_header and f.line > entry.front_matter_lines), default=None)
    if entry.front_matter_lines and last is None:
        return  # the header is the YAML front matter, closed by its own `---`
    h2 = next((h.line for h in entry.headings if h.level >= 2), None)
    line = last or h2 or entry.title_line or 1
    yield Hit(line, 1, "header block is not closed by `---` before the first `##` heading")


@rule("SIMA107", "priority-emoji", Severity.WARNING, ENTRY)
def priority_emoji(entry: Entry, ctx: Context):
    """The Priority emoji contradicts the level word.

    Legend (configurable with `priority-legend`): 🔴 Critical, 🟠 High, 🟡 Medium, 🟢 Low,
    ⚪ Low.

    Why: readers scan the colour, tools read the word; when they disagree one of them is wrong.

    Example:
        Header: `**Priority:** 🔴 High`

    Fix: use the emoji of the level, or the level of the emoji (`🔴 Critical`).

        Header: `**Priority:** 🟠 High`
    """
    legend = dict(ctx.settings.priority_legend)
    for f in entry.fields:
        if not (f.in_header and f.key == "priority"):
            continue
        m = _PRIORITY.match(f.value.replace("\ufe0f", "").strip())
        if not m or not m.group(1):
            continue
        emoji, level = m.group(1).strip(), m.group(2).lower()
        meant = legend.get(emoji)
        if meant and meant != level:
            want = next((e for e, lv in legend.items() if lv == level), None)
            hint = f"; use `{want} {m.group(2)}`" if want else ""
            yield Hit(f.line, f.column, f"{emoji} means {meant.title()}, but the level is {m.group(2)}{hint}")

"""Size and footer rules (SIMA2xx): the line limit and the footer's declarations."""
from __future__ import annotations

import re

from ..model import Entry, Hit, Severity
from .base import ALL_KINDS, LAST, Context, rule

_COUNT = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"  # `3,350` is one number
_NUMBER = re.compile(_COUNT)
# `**Lines:** ~390`: an approximate count (`~`, `≈`, about, approx., circa) is a declaration too.
_DECLARED = re.compile(rf"(~|≈|(?:about|approx\.?|approximately|circa|ca\.)\s)?\s*({_COUNT})", re.IGNORECASE)
APPROX_SLACK = 0.10  # an approximate count passes within this share of the real one (5 lines at least)
_CLAIM = re.compile(r"≤|<=|(?:within|under)\s+(?:the\s+)?(?:[\w.]+\s+)?limit|compliant", re.IGNORECASE)
_YES = re.compile(r"✅|\byes\b|\btrue\b", re.IGNORECASE)
_LOCATION = re.compile(r"`?(/sima/[^`]*)`?")


def declared_fields(entry: Entry):
    """Fields that speak for the file: the header, and the footer after the last heading.

    A `**Location:**` or `**Lines:**` under a body heading describes something else (a
    folder of templates, a code module).
    """
    last_heading = max((h.line for h in entry.headings), default=0)
    return [f for f in entry.fields if f.in_header or f.line > last_heading]


def total_lines_field(entry: Entry):
    """The last declared `**Total Lines:**` / `**Lines:**` field with a number, if any."""
    found = None
    for f in declared_fields(entry):
        if f.key in ("total lines", "lines") and _DECLARED.match(f.value):
            found = f
    return found


def expected_location(entry: Entry) -> str:
    """What `**Location:**` should say for this file."""
    return "/sima/" + (entry.directory + "/" if entry.directory else "")


@rule("SIMA201", "line-limit", Severity.ERROR, ("spec", "template", "doc", "entry"))
def line_limit(entry: Entry, ctx: Context):
    """A file has more lines than the limit (400 by default; `line-limit`, per-path overrides).

    Lines are counted as `wc -l` does, plus one for an unterminated last line; YAML front
    matter does not count. Indexes and matrices are exempt. Reported at the first line over.

    Why: SIMA entries are loaded whole into a model's context; long files crowd out the rest
    and usually hold two topics.

    Example:
        Length: `412` lines, in a lesson that tells two stories

    Fix: split the entry in two, each with its own REF-ID, and cross-reference them.
    """
    limit = ctx.settings.line_limit_for(entry.relpath)
    if entry.line_count > limit:
        # fingerprinted by the rule, not by the text that happens to sit at the limit's line
        yield Hit(limit + 1 + entry.front_matter_lines, 1, f"file has {entry.line_count} lines; the limit is {limit}", anchor="line-limit")


def _fix_total_lines(doc, entry: Entry, found, kb) -> None:
    """Write the real count; runs last, once the other fixes are stable, so it counts the result."""
    f = total_lines_field(entry)
    if f is None:
        return
    line = doc.lines[f.line - 1]
    m = _NUMBER.search(line, max(f.column - 1, 0))
    if m:
        doc.lines[f.line - 1] = line[: m.start()] + str(entry.line_count) + line[m.end() :]


@rule("SIMA202", "footer-total-lines", Severity.WARNING, fix=_fix_total_lines, fix_phase=LAST)
def footer_total_lines(entry: Entry, ctx: Context):
    """A declared `**Total Lines:** N` (or `**Lines:** N`) differs from the real count.

    Escalated to an error, and not fixed, when the declaration also claims compliance (`≤400`,
    "within limit", "within SIMAv4 limit") while the real count is over the limit. Declarations are
    read from the header and from the footer after the last heading. An approximate count
    (`~390`, `about 390`) passes within 10 % of the real one (5 lines at least), unless it is
    within the limit and the file is not.

    Why: the footer is what reviewers read to trust the size; a stale number hides growth.

    Example:
        Length: `322` lines

        Footer: `**Total Lines:** 298 (≤400 for SIMAv4)`

    Fix: write the real count (`sima-check --fix` does).

        Footer: `**Total Lines:** 322 (≤400 for SIMAv4)`
    """
    f = total_lines_field(entry)
    if f is None:
        return
    m = _DECLARED.match(f.value)
    declared, real = int(m.group(2).replace(",", "")), entry.line_count
    if declared == real:
        return
    limit = ctx.settings.line_limit_for(entry.relpath)
    if m.group(1) and abs(declared - real) <= max(5, APPROX_SLACK * real) and not declared <= limit < real:
        return
    escalate = bool(_CLAIM.search(f.value)) and real > limit
    claim = f"; it claims to be within {limit} lines" if escalate else ""
    about = "about " if m.group(1) else ""
    # a new count beside a claim the file breaks would be a false footer: not fixed, then
    yield Hit(f.line, f.column, f"declares {about}{declared} lines but the file has {real}{claim}", escalate,
              fixable=False if escalate else None)


def _fix_location(doc, entry: Entry, found, kb) -> None:
    """Rewrite each stale `**Location:**` to the file's directory, keeping its spelling."""
    for f in found:
        m = _LOCATION.match(doc.lines[f.line - 1], f.column - 1)
        if not m:
            continue
        declared = m.group(1)
        if not m.group(0).endswith("`"):
            declared = declared.split()[0] if declared.split() else declared
        declared = declared.rstrip()
        want = expected_location(entry)
        if not declared.endswith("/") and want != "/sima/":
            want = want.rstrip("/")
        doc.replace(f.line, m.start(1), m.start(1) + len(declared), want)


@rule("SIMA203", "footer-location", Severity.WARNING, fix=_fix_location)
def footer_location(entry: Entry, ctx: Context):
    """A declared `**Location:** `/sima/<dir>/`` is not the file's real directory.

    Read from the header and from the footer after the last heading; a `**Location:**` under a
    body heading describes something else.

    Why: readers use the location to find siblings; a moved file with a stale location sends
    them to the wrong folder.

    Example:
        File: `aws/general/AWS-General-Timeouts_AWS-LESS-07.md`

        Footer: `` **Location:** `/sima/aws/` ``

    Fix: write the real directory (`sima-check --fix` does).

        Footer: `` **Location:** `/sima/aws/general/` ``
    """
    want = expected_location(entry)
    for f in declared_fields(entry):
        if f.key != "location":
            continue
        m = _LOCATION.match(f.value)
        if not m:
            continue
        declared = m.group(1).strip()
        if declared.rstrip("/") + "/" != want:
            yield Hit(f.line, f.column, f"location `{declared}` is not this file's directory `{want}`")


@rule("SIMA204", "compliance-claim", Severity.WARNING, ALL_KINDS, late=True)
def compliance_claim(entry: Entry, ctx: Context):
    """`**SIMAv4 Compliant:** ✅` while the file has error-level findings.

    Why: a false claim of compliance is worse than none: reviewers stop looking.

    Example:
        Length: `450` lines, over the limit of 400

        Footer: `**SIMAv4 Compliant:** ✅`

    Fix: fix the errors, or withdraw the claim until they are fixed.

        Footer: `**SIMAv4 Compliant:** ❌ (450 lines; the limit is 400)`
    """
    if not ctx.errors:
        return
    for f in declared_fields(entry):
        if f.key in ("simav4 compliant", "sima compliant", "compliant") and _YES.search(f.value):
            codes = ", ".join(sorted({x.code for x in ctx.errors}))
            yield Hit(f.line, f.column, f"claims compliance but has {len(ctx.errors)} error(s): {codes}")

"""Structure rules (SIMA5xx): required sections, headings and code fences."""
from __future__ import annotations

from ..model import Entry, Hit, Severity
from ..parse.scan import section_key
from .base import ALL_KINDS, ENTRY, Context, rule


@rule("SIMA501", "section-missing", Severity.WARNING, ENTRY)
def section_missing(entry: Entry, ctx: Context):
    """A required `##` section is missing (default: Summary, Cross-References).

    Matched case-insensitively, ignoring emoji; a heading that starts with the required name
    counts (`## Cross-References to Project Maps`). Configurable with `required-sections`.

    Why: readers expect to find the gist and the related entries in the same place everywhere.

    Example:
        Without: `## Summary`, the whole section

        Body: `## Overview` and `What this lesson is about.`

    Fix: add the section, or rename the one that plays its part.

        Body: `## Summary` and `What this lesson is about.`
    """
    keys = [section_key(h.text) for h in entry.headings if h.level == 2]
    line = entry.title_line or 1
    for name in ctx.settings.required_sections:
        want = section_key(name)
        alt = want.replace("-", " ")
        if not any(k.startswith(want) or k.startswith(alt) for k in keys):
            yield Hit(line, 1, f"required section `## {name}` is missing")


@rule("SIMA502", "h1-multiple", Severity.WARNING, ENTRY)
def h1_multiple(entry: Entry, ctx: Context):
    """More than one H1 outside code.

    Why: the H1 names the file (SIMA101); a second H1 splits the page's outline and its title.

    Example:
        File: `lessons/LESS-26.md`, titled as it should be

        Body: `# Session Size Based on Complexity`

    Fix: make the second title a `##` heading or a `**Title:**` header field.

        Body: `## Session Size Based on Complexity`
    """
    h1s = [h for h in entry.headings if h.level == 1]
    for h in h1s[1:]:
        yield Hit(h.line, 1, f"second H1 (first on line {h1s[0].line}); use `##` for sections")


@rule("SIMA503", "heading-skip", Severity.WARNING, ALL_KINDS)
def heading_skip(entry: Entry, ctx: Context):
    """A heading jumps more than one level down (`##` then `####`).

    Why: the outline (and the site's table of contents) gets a hole; screen readers announce a
    missing level.

    Example:
        Body: `## Context` followed by `#### Details`

    Fix: use the next level.

        Body: `## Context` followed by `### Details`
    """
    prev = None
    for h in entry.headings:
        if prev is not None and h.level > prev + 1:
            yield Hit(h.line, 1, f"heading level {h.level} follows level {prev}; use {'#' * (prev + 1)}")
        prev = h.level


@rule("SIMA504", "fence-language", Severity.INFO, ALL_KINDS)
def fence_language(entry: Entry, ctx: Context):
    """A code fence has no language tag.

    Why: the site cannot highlight it and readers cannot tell code from a diagram.

    Example:
        Body: `~~~`, `aws lambda list-functions`, `~~~`: nothing after the opening tildes

        A fence of three backticks with nothing after them fails the same way.

    Fix: name the language (`python`, `text`, `bash`).

        Body: `~~~bash`, `aws lambda list-functions`, `~~~`
    """
    for f in entry.fences:
        if not f.info.strip():  # the info string keeps other white space (CommonMark); no language
            yield Hit(f.line, 1, "code fence has no language tag (e.g. ```text)")

"""Structure rules SIMA501-504 (catalogue §6): sections, H1s, heading levels, fence languages."""
from __future__ import annotations

import pytest

from helpers import BODY, SUMMARY, TITLE, check, clean_entry, line_of, message, recount

NAME = "X_AWS-LESS-01.md"
CLEAN = clean_entry(NAME, "AWS-LESS-01")


def body(extra: str) -> str:
    """The clean entry with `extra` from line BODY."""
    return clean_entry(NAME, "AWS-LESS-01", extra)


# SIMA501 section-missing -------------------------------------------------------------------


def test_missing_summary_warns_at_the_title():
    text = CLEAN.replace("## Summary", "## Overview")
    assert check(text) == [(TITLE, "SIMA501")]
    assert message(text, "SIMA501") == "required section `## Summary` is missing"


def test_missing_cross_references_warns():
    assert check(CLEAN.replace("## Cross-References", "## See Also")) == [(TITLE, "SIMA501")]


@pytest.mark.parametrize(
    "heading",
    ["## Cross-References to Project Maps", "## 🔗 CROSS-REFERENCES", "## Cross References", "## cross-references"],
)
def test_section_names_match_loosely(heading):
    assert check(CLEAN.replace("## Cross-References", heading)) == []


def test_a_level_three_section_does_not_count():
    assert check(CLEAN.replace("## Cross-References", "### Cross-References")) == [(TITLE, "SIMA501")]


def test_required_sections_are_configurable():
    text = CLEAN.replace("## Summary", "## Overview")
    assert check(text, required_sections=("Overview", "Keywords")) == []
    assert check(CLEAN, required_sections=("Context",)) == [(TITLE, "SIMA501")]


def test_sections_apply_to_entries_only():
    assert check("# README.md\n\nJust a readme.\n", "README.md") == []


# SIMA502 h1-multiple -----------------------------------------------------------------------


def test_a_second_h1_warns_at_its_line():
    text = body("# Session Size Based on Complexity")
    assert check(text) == [(BODY, "SIMA502")]
    assert message(text, "SIMA502") == "second H1 (first on line 1); use `##` for sections"


def test_h1_inside_code_is_not_a_heading():
    assert check(body("```python\n# a comment\n```")) == []


# SIMA503 heading-skip ----------------------------------------------------------------------


def test_skipping_a_level_warns():
    text = body("#### Details")
    assert check(text) == [(BODY, "SIMA503")]
    assert message(text, "SIMA503") == "heading level 4 follows level 2; use ###"


def test_going_one_level_down_and_back_up_passes():
    assert check(body("### Details\n\n#### More\n\n## Next")) == []


def test_heading_skip_applies_to_every_kind():
    assert check("# Guide.md\n\n### Deep\n", "docs/Guide.md") == [(3, "SIMA503")]


# SIMA504 fence-language --------------------------------------------------------------------


def test_fence_without_language_is_info():
    text = body("```\nplain\n```")
    assert check(text) == [(BODY, "SIMA504")]
    assert message(text, "SIMA504") == "code fence has no language tag (e.g. ```text)"


@pytest.mark.parametrize(
    "opening, closing", [("```python", "```"), ("~~~text", "~~~"), ("```` markdown", "````"), ("```bash title=x", "```")]
)
def test_fence_with_language_passes(opening, closing):
    assert check(body(f"{opening}\nx\n{closing}")) == []


def test_only_opening_fences_are_reported():
    text = body("```\na\n```\n\n```\nb\n```")
    assert check(text) == [(BODY, "SIMA504"), (BODY + 4, "SIMA504")]


def test_an_unclosed_fence_hides_the_rest_but_is_still_reported():
    text = body("```\nnever closed")
    found = check(text)
    assert (BODY, "SIMA504") in found
    assert line_of(text, "## Summary") == SUMMARY


def test_a_fence_inside_a_longer_fence_is_content():
    assert check(body("````markdown\n```\ninner\n```\n````")) == []


def test_the_seed_fences_are_info_only():
    text = recount(body("```\nA → B\n```"))
    assert [c for _, c in check(text)] == ["SIMA504"]

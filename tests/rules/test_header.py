"""Header rules SIMA101-107 (catalogue §2): the H1 and the `**Label:** value` block."""
from __future__ import annotations

import pytest

from helpers import (
    DATE, PRIORITY, PURPOSE, REFID, STATUS, TITLE, VERSION, check, clean_entry, message, recount,
)

NAME = "X_AWS-LESS-01.md"
CLEAN = clean_entry(NAME, "AWS-LESS-01")


def edit(old: str, new: str, text: str = CLEAN) -> str:
    """The clean entry with one thing changed (line count kept right)."""
    assert old in text
    return recount(text.replace(old, new, 1))


def test_clean_entry_has_no_findings():
    assert check(CLEAN) == []


def test_clean_entry_in_a_folder_has_no_findings():
    name = "aws/general/AWS-General-Patterns_AWS-LESS-01.md"
    assert check(clean_entry(name, "AWS-LESS-01"), name) == []


# SIMA101 title-filename ------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [f"# {NAME}", f"# File: {NAME}", f"# {NAME} - A Subtitle", f"# {NAME} | Lambda", f"# {NAME} (LEE Project)"],
)
def test_title_naming_this_file_passes(title):
    assert check(edit(f"# {NAME}", title)) == []


def test_title_naming_another_file_is_an_error():
    text = edit(f"# {NAME}", "# Y_AWS-LESS-02.md")
    assert check(text) == [(TITLE, "SIMA101")]
    assert message(text, "SIMA101") == f"title names `Y_AWS-LESS-02.md`, not this file; expected `# {NAME}`"


def test_the_file_name_behind_another_label_says_which_label():
    """The corpus's `# Filename: LESS-22.md`: the name is right, the label is not."""
    text = CLEAN.replace(f"# {NAME}", f"# Filename: {NAME}")
    assert check(text) == [(TITLE, "SIMA101")]
    assert message(text, "SIMA101") == f"title names this file after `Filename:`; write `# {NAME}` or `# File: {NAME}`"


def test_missing_title_is_an_error_at_line_1():
    text = edit(f"# {NAME}\n\n", "")
    assert check(text) == [(1, "SIMA101")]
    assert "must be the title" in message(text, "SIMA101")


def test_title_of_another_level_is_one_error_and_the_header_is_still_read():
    assert check(edit(f"# {NAME}", f"## {NAME}")) == [(1, "SIMA101")]


# SIMA102 header-field-missing ------------------------------------------------------------


@pytest.mark.parametrize("label", ["Version", "Date", "Purpose", "REF-ID", "Category", "Type", "Priority", "Status"])
def test_each_required_field_is_reported_when_missing(label):
    line = next(x for x in CLEAN.splitlines() if x.startswith(f"**{label}:**"))
    text = edit(line + "\n", "")
    assert check(text, select=("SIMA102",)) == [(TITLE, "SIMA102")]
    assert message(text, "SIMA102") == f"header field `**{label}:**` is missing"


def test_labels_match_case_insensitively():
    assert check(edit("**Status:** Active", "**STATUS:** Active")) == []


def test_a_field_after_the_header_does_not_count():
    text = edit("**Status:** Active\n", "").replace("Nothing here is wrong.", "**Status:** Active", 1)
    assert check(text) == [(TITLE, "SIMA102")]


def test_legacy_date_label_satisfies_the_date_requirement():
    assert check(edit("**Date:**", "**Last Updated:**")) == [(DATE, "SIMA105")]


def test_required_fields_are_configurable_per_kind():
    text = edit("**Purpose:** A small clean entry that every rule accepts\n", "")
    assert check(text, required_fields=(("entry", ("Version", "Date")),)) == []
    doc = "# README.md\n\nNo header at all.\n"
    assert check(doc, "README.md") == []
    assert check(doc, "README.md", required_fields=(("doc", ("Version",)),)) == [(1, "SIMA102")]


# SIMA103 header-field-format -------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, line, fragment",
    [
        ("**Version:** 1.0.0", "**Version:** 1.0", VERSION, "not semver"),
        ("**Version:** 1.0.0", "**Version:** v1.0.0", VERSION, "not semver"),
        ("**Date:** 2025-11-01", "**Date:** 2025-02-30", DATE, "not a real calendar date"),
        ("**Date:** 2025-11-01", "**Date:** 01/11/2025", DATE, "not `YYYY-MM-DD`"),
        ("**Purpose:** A small clean entry that every rule accepts", "**Purpose:** Ends with a period.", PURPOSE, "period"),
        ("**Purpose:** A small clean entry that every rule accepts", "**Purpose:** " + "x" * 101, PURPOSE, "101 characters"),
        ("**Status:** Active", "**Status:** Production", STATUS, "not one of Draft"),
        ("**Priority:** 🟠 High", "**Priority:** Prio 1", PRIORITY, "not Critical, High, Medium or Low"),
        ("**REF-ID:** AWS-LESS-01", "**REF-ID:** AWS-LESS-1", REFID, "REF-ID grammar"),
    ],
)
def test_bad_values_are_reported_at_their_own_line(old, new, line, fragment):
    text = edit(old, new)
    assert check(text, select=("SIMA103",)) == [(line, "SIMA103")]
    assert fragment in message(text, "SIMA103")


@pytest.mark.parametrize(
    "old, new",
    [
        ("**Date:** 2025-11-01", "**Date:** 2025-11-01 (revised)"),
        ("**Purpose:** A small clean entry that every rule accepts", "**Purpose:** " + "x" * 100),
        ("**Status:** Active", "**Status:** Under Review"),
        ("**Status:** Active", "**Status:** ✅ Active"),
        ("**Priority:** 🟠 High", "**Priority:** HIGH"),
        ("**Priority:** 🟠 High", "**Priority:** 🔴 critical"),
        ("**Version:** 1.0.0  ", "**Version:** 12.0.117"),
    ],
)
def test_good_values_pass(old, new):
    assert check(edit(old, new)) == []


def test_two_bad_values_give_two_findings():
    text = edit("**Version:** 1.0.0", "**Version:** 1")
    text = edit("**Status:** Active", "**Status:** Done", text)
    assert check(text) == [(VERSION, "SIMA103"), (STATUS, "SIMA103")]


# SIMA104 header-field-duplicate ----------------------------------------------------------


def test_duplicate_label_is_reported_at_the_second_line():
    text = edit("**Status:** Active", "**Status:** Active\n**status:** Draft")
    assert check(text) == [(STATUS + 1, "SIMA104")]
    assert message(text, "SIMA104") == f"`**status:**` already given on line {STATUS}"


# SIMA105 header-legacy-label -------------------------------------------------------------


@pytest.mark.parametrize("label", ["Last Updated", "Updated"])
def test_legacy_labels_warn(label):
    text = edit("**Date:**", f"**{label}:**")
    assert check(text) == [(DATE, "SIMA105")]
    assert message(text, "SIMA105") == f"`**{label}:**` is a legacy label; use `**Date:**`"


def test_legacy_label_value_is_still_checked():
    assert check(edit("**Date:** 2025-11-01", "**Updated:** 2025-13-01")) == [(DATE, "SIMA103"), (DATE, "SIMA105")]


# SIMA106 header-unterminated -------------------------------------------------------------


def test_header_without_closing_rule_warns_at_its_last_field():
    text = edit("**Status:** Active\n\n---\n", "**Status:** Active\n")
    assert check(text) == [(STATUS, "SIMA106")]


def test_header_closed_by_rule_passes():
    assert check(CLEAN, select=("SIMA106",)) == []


# SIMA107 priority-emoji ------------------------------------------------------------------


def test_emoji_contradicting_the_level_warns_like_the_seed():
    text = edit("**Priority:** 🟠 High", "**Priority:** 🔴 High")
    assert check(text) == [(PRIORITY, "SIMA107")]
    assert message(text, "SIMA107") == "🔴 means Critical, but the level is High; use `🟠 High`"


@pytest.mark.parametrize("value", ["🔴 Critical", "🟠 High", "🟡 Medium", "🟢 Low", "⚪ Low", "High", "🔴 CRITICAL"])
def test_matching_or_absent_emoji_passes(value):
    assert check(edit("**Priority:** 🟠 High", f"**Priority:** {value}")) == []


def test_priority_legend_is_configurable():
    text = edit("**Priority:** 🟠 High", "**Priority:** 🔴 High")
    legend = (("🔴", "high"), ("🟠", "medium"))
    assert check(text, priority_legend=legend) == []
    assert check(CLEAN, priority_legend=legend) == [(PRIORITY, "SIMA107")]


# YAML front matter as the header source --------------------------------------------------

FRONT = """---
Version: 1.0.0
Date: 2025-11-01
Purpose: Header fields from YAML front matter
REF-ID: AWS-LESS-01
Category: Testing
Type: LESS
Priority: High
Status: Active
---
"""


def front_matter_entry() -> str:
    """The clean entry with its header block replaced by front matter (H1 right after it)."""
    body = CLEAN.split("---\n", 1)[1]  # from the blank line after the old header's `---`
    return recount(FRONT + f"# {NAME}\n" + body)


def test_front_matter_fields_satisfy_the_header_rules():
    text = front_matter_entry()
    lines = len(text.splitlines())
    text = text.replace(f"**Total Lines:** {lines}", f"**Total Lines:** {lines - 10}")
    assert check(text) == []


def test_front_matter_lines_are_not_counted():
    text = front_matter_entry()  # footer declares the physical count, 10 too many
    lines = len(text.splitlines())
    assert check(text) == [(lines, "SIMA202")]
    assert message(text, "SIMA202") == f"declares {lines} lines but the file has {lines - 10}"


def test_front_matter_values_are_format_checked_at_their_line():
    text = front_matter_entry().replace("Version: 1.0.0", "Version: '1.0'")
    assert (2, "SIMA103") in check(text)


def test_title_must_follow_the_front_matter():
    text = front_matter_entry().replace(f"# {NAME}\n", f"\n# {NAME}\n")
    assert (11, "SIMA101") in check(text)


def test_invalid_front_matter_yaml_is_a_format_error():
    text = "---\nVersion: [unclosed\n---\n" + f"# {NAME}\n"
    assert (1, "SIMA103") in check(text)
    assert "front matter is not valid YAML" in message(text, "SIMA103")

"""Fence rules SIMA505 fence-unclosed and SIMA506 fence-nested (catalogue §6), on CommonMark fences."""
from __future__ import annotations

import pytest

from helpers import BODY, REPO, check, clean_entry, findings, message, parse
from checker.model import Fence

NAME = "X_AWS-LESS-01.md"
CODES = ("SIMA505", "SIMA506")
WORKFLOW_03 = REPO / "tests" / "fixtures" / "Workflow-03-Update-Interface.md"  # see ORIGIN.txt


def body(*lines: str) -> str:
    """The clean entry with `lines` from line BODY."""
    return clean_entry(NAME, "AWS-LESS-01", "\n".join(lines))


def fences(*lines: str) -> list[tuple[int, str]]:
    """SIMA505/506 findings of the clean entry with `lines` from line BODY."""
    return [hit for hit in check(body(*lines)) if hit[1] in CODES]


# SIMA505 fence-unclosed --------------------------------------------------------------------


@pytest.mark.parametrize("opener", ["```python", "~~~python", "````", "   ```python", "~~~ a`b"])
def test_a_fence_that_reaches_the_end_of_the_file_is_an_error_at_its_line(opener):
    assert fences(opener, "x = 1") == [(BODY, "SIMA505")]


def test_the_message_says_from_where_everything_is_code():
    assert message(body("```python", "x = 1"), "SIMA505") == (
        f"code fence opened here is never closed: from line {BODY} to the end of the file everything "
        "renders as code and goes unchecked; close it with a line of ```"
    )


@pytest.mark.parametrize(
    "opener, closer",
    [("```python", "```"), ("~~~python", "~~~"), ("```python", "`````"), ("````text", "````"),
     ("```python", "   ```"), ("  ```python", "```"), ("```python", "```  \t"), ("~~~python", "~~~~ ")],
)
def test_a_closed_fence_passes(opener, closer):
    assert check(body(opener, "x = 1", closer)) == []


@pytest.mark.parametrize(
    "opener, closer",
    [
        ("````python", "```"),  # shorter than the opener
        ("```python", "~~~"),  # the other character
        ("~~~python", "```"),
        ("```python", "    ```"),  # four spaces: code, not a closer
        ("```python", "\t```"),
    ],
)
def test_what_does_not_close_a_fence_leaves_it_open(opener, closer):
    assert fences(opener, "x = 1", closer) == [(BODY, "SIMA505")]


def test_only_spaces_and_tabs_may_follow_a_closer():
    # `` ```\u00a0 `` has an info string: not a closer, and an opener nested in the fence.
    assert fences("```python", "x = 1", "```\u00a0") == [(BODY, "SIMA505"), (BODY + 2, "SIMA506")]


@pytest.mark.parametrize("line", ["    ```python", "\t```python", "``python", "``` a`b", "```` x`"])
def test_what_is_not_an_opener_opens_nothing(line):
    assert fences("", line, "x = 1") == []
    assert parse(NAME, body("", line, "x = 1")).fences == ()


def test_an_info_string_of_other_white_space_has_no_language():
    assert check(body("```\u00a0", "x = 1", "```")) == [(BODY, "SIMA504")]


def test_fences_in_list_items_pair_as_on_github():
    assert check(body("", "1. Run it:", "   ```bash", "   make", "   ```", "2. Done")) == []


@pytest.mark.parametrize(
    "lines",
    [
        ("", "- ```python", "  x = 1", "  ```", "", "After the list."),
        ("", "1. ```python", "   x = 1", "", "   ```"),
        ("", "> ```python", "> x = 1", "> ```"),
        ("", "> ```python", "> x = 1"),
    ],
)
def test_fences_after_a_list_or_quote_marker_are_not_checked_and_open_nothing(lines):
    assert check(body(*lines)) == []


def test_a_stray_fence_in_a_list_item_ends_with_the_item():
    # `  ```` ` opens a block in the item (no language: SIMA504) that the heading below ends.
    assert check(body("", "- ```markdown", "  ```python", "  ```", "  ```", "", "More.")) == [(BODY + 4, "SIMA504")]
    assert check(body("", "1. Run:", "   ```bash", "   make", "", "2. Done")) == []
    entry = parse(NAME, body("", "1. Run:", "   ```bash", "   make", "", "2. Done"))
    assert entry.fences == (Fence(BODY + 2, "bash", True, BODY + 4, by_item=True),)


@pytest.mark.parametrize(
    "lines",
    [
        ("", "Text:", "   ```bash", "   make", "Text"),  # no list item above
        ("", "- - -", "  ```bash", "  make", "Text"),  # a thematic break, not an item
        ("", "10. Run:", "   ```bash", "   make", "11. Done"),  # the item's content is at column 4
        ("", "```markdown", "1. Run:", "```", "   ```bash", "   make", "Text"),  # the item was code
    ],
)
def test_an_indented_fence_outside_a_list_item_runs_to_its_closer(lines):
    assert fences(*lines) == [(BODY + lines.index(next(x for x in lines if "bash" in x)), "SIMA505")]


def test_a_list_item_fence_ends_with_its_item():
    # The item ends at the unindented line, its fence with it; that line opens a fence (CommonMark).
    assert fences("", "- ```python", "  x = 1", "```") == [(BODY + 3, "SIMA505")]


def test_the_scanner_records_the_closing_and_the_nested_lines():
    entry = parse(NAME, body("```markdown", "```python", "x", "```", "```"))
    assert entry.fences == (Fence(BODY, "markdown", True, BODY + 3, (BODY + 1,)), Fence(BODY + 4, "", False))


# SIMA506 fence-nested ----------------------------------------------------------------------


def test_a_nested_opener_warns_and_the_stray_closer_opens_a_block_to_the_end():
    assert fences("```markdown", "```python", "x = 1", "```", "```") == [(BODY + 1, "SIMA506"), (BODY + 4, "SIMA505")]


def test_the_message_names_the_line_that_closes_the_outer_block_and_the_fix():
    text = body("```markdown", "```python", "x = 1", "```", "```")
    assert message(text, "SIMA506") == (
        f"```python inside the code block opened on line {BODY} opens nothing: line {BODY + 3} closes the "
        "outer block instead; an outer fence longer than this one (```` to open and to close) nests them"
    )
    assert message(text, "SIMA505").endswith(
        f"goes unchecked; it was probably meant to close the block opened on line {BODY} (see SIMA506)"
    )


@pytest.mark.parametrize(
    "lines",
    [
        ("````markdown", "```python", "x = 1", "```", "````"),
        ("`````markdown", "````python", "```bash", "```", "````", "`````"),
        ("~~~markdown", "```python", "x = 1", "```", "~~~"),
        ("````markdown", "~~~python", "x = 1", "~~~", "````"),
        ("~~~~markdown", "~~~python", "x = 1", "~~~", "~~~~"),
    ],
)
def test_a_longer_outer_fence_or_the_other_character_nests(lines):
    assert fences(*lines) == []


@pytest.mark.parametrize(
    "lines",
    [
        ("~~~markdown", "~~~python", "x = 1", "~~~", "~~~"),
        ("```markdown", "   ```python", "x = 1", "```", "```"),
        ("```markdown", "````python", "x = 1", "````", "```"),
    ],
)
def test_nested_openers_of_the_same_character_and_length_warn(lines):
    assert fences(*lines) == [(BODY + 1, "SIMA506"), (BODY + 4, "SIMA505")]


def test_the_fix_is_longer_than_the_longest_inner_opener():
    text = body("```markdown", "````python", "x = 1", "````", "```")
    assert "(````` to open and to close)" in message(text, "SIMA506")


@pytest.mark.parametrize("line", ["    ```python", "```python`", "``python"])
def test_lines_that_could_not_open_a_fence_are_not_nested_openers(line):
    assert check(body("```markdown", line, "x = 1", "```")) == []


def test_a_nested_opener_in_a_fence_that_never_closes():
    assert fences("```markdown", "```python", "x = 1") == [(BODY, "SIMA505"), (BODY + 1, "SIMA506")]
    assert "nothing closes the outer block, it runs to the end of the file" in message(
        body("```markdown", "```python", "x = 1"), "SIMA506"
    )


def test_findings_after_the_fences_went_out_of_step_name_the_block_meant():
    lines = ("```markdown", "```python", "```", "```", "", "```markdown", "```bash", "```", "```")
    assert fences(*lines) == [(BODY + 1, "SIMA506"), (BODY + 5, "SIMA506"), (BODY + 6, "SIMA506"), (BODY + 8, "SIMA505")]
    by_line = {f.line: f.message for f in findings(body(*lines)) if f.code in CODES}
    assert by_line[BODY + 5].endswith(
        f"but line {BODY + 3} was probably meant to close the block opened on line {BODY}: fix the fences above first"
    )
    assert by_line[BODY + 8].endswith(f"it was probably meant to close the block opened on line {BODY + 5} (see SIMA506)")


# The real public KB ------------------------------------------------------------------------


def test_the_workflow_that_swallows_its_references():
    """A ```markdown block shows a ```python block: 363 closes the outer block, 370 opens one to the end."""
    text = WORKFLOW_03.read_bytes()
    found = [hit for hit in check(text, "support/workflows/Workflow-03-Update-Interface.md") if hit[1] in CODES]
    assert found == [(358, "SIMA506"), (370, "SIMA505")]
    assert message(text, "SIMA506", "support/workflows/Workflow-03-Update-Interface.md").startswith(
        "```python inside the code block opened on line 354 opens nothing: line 363 closes the outer block instead"
    )

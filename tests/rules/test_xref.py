"""Cross-reference rules SIMA301-307 (catalogue §4): every syntax, the resolution order, escalations."""
from __future__ import annotations

import pytest

from helpers import BODY, check, clean_entry, findings, message, resolutions

NAME = "aws/general/X_AWS-LESS-01.md"
SUGA = "entries/core/ARCH-SUGA_ Single Universal Gateway Architecture.md"
COST = "aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md"
DEC05 = "entries/decisions/architecture/DEC-05.md"

KB = {
    SUGA: "# ARCH-SUGA_ Single Universal Gateway Architecture.md\n\n**REF-ID:** ARCH-SUGA\n",
    COST: "# AWS-Lambda-CostModel_AWS-LESS-11.md\n\n## Pricing Model\n\n## Pricing Model\n\n## Free Tier {#free}\n",
    DEC05: "# DEC-05.md\n",
    "aws/general/lambda/Y.md": "# Y.md\n",
    "aws/lambda/Y.md": "# Y.md\n",
    "aws/Z.md": "# Z.md\n",
    "My Notes.md": "# My Notes.md\n\n## Web_fetch Fails\n",
    "support/tools/Tools-Index.md": "# Tools-Index.md\n",
}


def entry(body: str) -> str:
    """A clean entry at NAME whose body (from line BODY) is `body`."""
    return clean_entry(NAME, "AWS-LESS-01", body)


def xref(body: str, others: dict[str, str] | None = None, **config) -> list[tuple[int, str]]:
    """Findings of the SIMA3xx family for an entry with `body`, in the KB above."""
    return check(entry(body), NAME, KB if others is None else others, select=("SIMA3",), **config)


def resolved(body: str, others: dict[str, str] | None = None) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Resolutions of the references written in `body`."""
    return resolutions(entry(body), NAME, KB if others is None else others)


# Every syntax of §4 resolves ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body, syntax, target",
    [
        (f"- /sima/{SUGA} - a KB path with spaces", "kb-path", SUGA),
        (f"See `/sima/{COST}` in code.", "kb-path", COST),
        ("- AWS-Lambda-CostModel_AWS-LESS-11.md - a bare name", "bare", COST),
        ("- ARCH-SUGA_ Single Universal Gateway Architecture.md - a bare name with spaces", "bare", SUGA),
        ("- lambda/Y.md - against the entry's folder first", "relative", "aws/general/lambda/Y.md"),
        ("- ../Z.md - with dots", "relative", "aws/Z.md"),
        ("- decisions/architecture/DEC-05.md - as a suffix of a KB path", "relative", DEC05),
        ("[notes](../../My%20Notes.md#web_fetch-fails)", "link", "My Notes.md"),
        (f"[cost](/sima/{COST}#pricing-model_1)", "link", COST),
        (f"[cost](../../{COST}#free)", "link", COST),
        ("Mentions DEC-05 in prose.", "refid", DEC05),
        ("**Related:** AWS-LESS-11", "field", COST),
        ("**Related To:** DEC-05 (sentinels)", "field", DEC05),
        ("**Inherits From:** ARCH-SUGA", "field", SUGA),
        ("**Used In:** AWS-Lambda-CostModel_AWS-LESS-11.md", "bare", COST),
        ("- sima/entries/decisions/architecture/DEC-05.md - `/sima/` without its slash", "relative", DEC05),
        ("**File:** `/support/tools/Tools-Index.md` - from the root, top-level folder", "relative", "support/tools/Tools-Index.md"),
        ("See /support/tools/Tools-Index.md, without backticks", "relative", "support/tools/Tools-Index.md"),
    ],
)
def test_each_syntax_resolves(body, syntax, target):
    refs = resolved(body)
    assert [(s, status, targets) for s, _, status, targets in refs] == [(syntax, "ok", (target,))]
    assert xref(body) == []


def test_relative_path_prefers_the_entry_folder_then_a_unique_suffix():
    only_suffix = {k: v for k, v in KB.items() if k != "aws/general/lambda/Y.md"}
    assert resolved("- lambda/Y.md", only_suffix)[0][2:] == ("ok", ("aws/lambda/Y.md",))
    two_suffixes = {**only_suffix, "gcp/lambda/Y.md": "# Y.md\n"}
    assert resolved("- lambda/Y.md", two_suffixes)[0][2:] == ("ambiguous", ("aws/lambda/Y.md", "gcp/lambda/Y.md"))


def test_urls_are_not_checked():
    assert xref("[AWS](https://aws.amazon.com/x.md) and <https://e.com/y.md>, mailto:a@b.c") == []


def test_fenced_code_and_inline_code_hide_references():
    body = "```text\n/sima/nowhere/Missing.md and DEC-99\n```\n\nInline `Missing.md` and `DEC-99` too."
    assert resolved(body) == []
    assert xref(body) == []


def test_inline_code_holding_a_path_is_a_reference():
    assert xref("Open `/sima/aws/lambda/Missing.md` first.") == [(BODY, "SIMA301")]


def test_the_title_line_cites_nothing():
    assert [r for r in resolved("") if r[0] != "refid"] == []


# SIMA301 xref-unresolved -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "- /sima/aws/lambda/Missing.md",
        "- Missing-File.md",
        "- lambda/Missing.md",
        "[gone](Missing.md)",
        "**Related:** Missing.md",
    ],
)
def test_a_reference_to_nothing_is_an_error(body):
    assert xref(body) == [(BODY, "SIMA301")]


def test_the_message_names_the_nearest_file():
    text = entry("- /sima/aws/lambda/AWS-Lambda-CostModel_AWS-LESS-12.md")
    assert message(text, "SIMA301", NAME, KB) == (
        "`/sima/aws/lambda/AWS-Lambda-CostModel_AWS-LESS-12.md` does not resolve to any file; "
        f"did you mean `{COST}`?"
    )


def test_no_suggestion_when_nothing_is_close():
    text = entry("- Completely-Different.md")
    assert message(text, "SIMA301", NAME, KB) == "`Completely-Different.md` does not resolve to any file"


def test_seed_references_fail_when_the_kb_lacks_them():
    body = "- AWS-Lambda-TimeoutConstraints_AWS-LESS-12.md - Synchronous time limits"
    assert xref(body, {}) == [(BODY, "SIMA301")]


def test_column_points_at_the_reference():
    found = findings(entry("- See Missing.md now"), NAME, KB)
    assert [(f.line, f.column) for f in found if f.code == "SIMA301"] == [(BODY, 7)]


# SIMA302 xref-near-miss --------------------------------------------------------------------


def test_near_miss_like_the_public_kb_is_an_error():
    body = "- /sima/entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md - Similar flow"
    assert xref(body) == [(BODY, "SIMA302")]
    assert message(entry(body), "SIMA302", NAME, KB) == (
        "`/sima/entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md` only matches "
        f"`{SUGA}` after folding case, spaces or `_`/`-`; write it exactly"
    )


@pytest.mark.parametrize("body", ["- aws-lambda-costmodel_aws-less-11.md", "[x](../LAMBDA/AWS-Lambda-CostModel_AWS-LESS-11.md)"])
def test_case_only_differences_are_near_misses(body):
    assert xref(body) == [(BODY, "SIMA302")]


def test_near_miss_findings_are_fixable():
    found = [f for f in findings(entry("- aws-lambda-costmodel_aws-less-11.md"), NAME, KB) if f.code == "SIMA302"]
    assert found[0].fixable is True


# SIMA303 xref-ambiguous --------------------------------------------------------------------


def test_a_bare_name_in_two_folders_is_ambiguous():
    assert xref("- Y.md") == [(BODY, "SIMA303")]
    assert message(entry("- Y.md"), "SIMA303", NAME, KB) == (
        "`Y.md` matches 2 files: aws/general/lambda/Y.md, aws/lambda/Y.md"
    )


def test_a_refid_owned_by_two_files_is_ambiguous():
    others = {**KB, "entries/decisions/DEC-05.md": "# DEC-05.md\n"}
    assert check(entry("See DEC-05."), NAME, others, select=("SIMA303",)) == [(BODY, "SIMA303")]


def test_a_file_naming_its_own_duplicated_refid_is_not_ambiguous():
    """`**END OF TOOL-01**` in one of two TOOL-01 files (the corpus's Tool-01-REF-ID-Lookup.md)
    means that file; the duplicate itself is SIMA307's."""
    others = {**KB, "aws/lambda/Other_AWS-LESS-01.md": "# Other_AWS-LESS-01.md\n"}
    assert check(entry("End of AWS-LESS-01."), NAME, others, select=("SIMA303",)) == []
    assert [c for _, c in check(entry("End of AWS-LESS-01."), NAME, others, select=("SIMA307",))] == ["SIMA307"]


# SIMA304 refid-unknown ---------------------------------------------------------------------


def severities(body: str) -> list[tuple[int, str, str]]:
    """(line, code, severity) of the SIMA304 findings."""
    return [(f.line, f.code, str(f.severity)) for f in findings(entry(body), NAME, KB) if f.code == "SIMA304"]


def test_unknown_refid_in_prose_is_a_warning():
    assert severities("We decided this in DEC-99.") == [(BODY, "SIMA304", "warning")]
    assert message(entry("We decided this in DEC-99."), "SIMA304", NAME, KB) == "no file owns REF-ID `DEC-99`"


@pytest.mark.parametrize("label", ["Related", "Related To", "Inherits From", "Used In"])
def test_unknown_refid_in_a_relationship_field_is_an_error(label):
    assert severities(f"**{label}:** DEC-05, DEC-99") == [(BODY, "SIMA304", "error")]


def test_unknown_refid_in_the_cross_references_section_is_an_error():
    text = clean_entry(NAME, "AWS-LESS-01").replace("- None yet", "- DEC-99 - gone")
    found = [(f.code, str(f.severity)) for f in findings(text, NAME, KB) if f.code == "SIMA304"]
    assert found == [("SIMA304", "error")]


@pytest.mark.parametrize(
    "body",
    [
        "Words like UTF-8, COVID-19, ISO-8601 and foo-DEC-05 are not REF-IDs.",
        "AWS-LESS-01x and DEC-05a are not REF-IDs either.",
        "**Range:** DEC-01 to DEC-99",  # regression: REF-ID directories name unowned ranges
        "**Next Available:** DEC-24",
        "**REF-ID Range:** DEC-01 to DEC-99",  # the corpus's projects/LEE/project_config.md
    ],
)
def test_things_that_are_not_refid_mentions(body):
    assert severities(body) == []


def test_own_refid_field_is_not_a_mention():
    assert [r for r in resolved("") if r[0] == "refid"] == []


# SIMA305 xref-anchor -----------------------------------------------------------------------


def test_anchor_that_is_no_heading_is_an_error_with_a_suggestion():
    body = f"[costs](../../{COST}#pricing-modle)"
    assert xref(body) == [(BODY, "SIMA305")]
    assert message(entry(body), "SIMA305", NAME, KB) == (
        f"`#pricing-modle` is not a heading of `{COST}`; did you mean `#pricing-model`?"
    )


def test_explicit_heading_ids_are_anchors():
    # Regression: `## 📋 TRAINING CHEAT SHEETS {#training-cheat-sheets}` in the public KB.
    others = {**KB, "Guide.md": "# Guide.md\n\n## 📋 TRAINING CHEAT SHEETS {#cheat-sheets}\n"}
    assert xref("[sheets](../../Guide.md#cheat-sheets)", others) == []


def test_intraword_underscores_stay_in_the_slug():
    # Regression: `### Issue 5: web_fetch Fails` has the slug `issue-5-web_fetch-fails`.
    others = {**KB, "Guide.md": "# Guide.md\n\n### Issue 5: web_fetch Fails\n"}
    assert xref("[issue](../../Guide.md#issue-5-web_fetch-fails)", others) == []


def test_anchor_in_the_same_file():
    assert xref("[down](#cross-references)") == []
    assert xref("[down](#nowhere)") == [(BODY, "SIMA305")]


# SIMA306 xref-outside-root -----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[secret](../../../../etc/passwd.md)",
        "[home](/home/me/notes.md)",
        "Read `/etc/sima/notes.md` first.",
        "#### /nmap/Context/SERVER-CONFIG.md",  # the corpus's url-audit report, without backticks
        "[win](C:/Users/me/notes.md)",
        "- ../../../outside/File.md",
    ],
)
def test_references_escaping_the_root_are_errors(body):
    assert xref(body) == [(BODY, "SIMA306")]
    assert "points outside the knowledge base root" in message(entry(body), "SIMA306", NAME, KB)


def test_a_kb_rooted_absolute_path_is_not_outside():
    # Regression: `**File:** /support/templates/X.md` means "from the KB root".
    assert xref("**File:** `/support/tools/Missing.md`") == [(BODY, "SIMA301")]


# SIMA307 refid-duplicate -------------------------------------------------------------------


def test_two_files_claiming_a_refid_are_each_reported():
    other = "entries/lessons/operations/LESS-45.md"
    mine = "entries/lessons/learning/LESS-45.md"
    others = {other: clean_entry(other, "LESS-45")}
    text = clean_entry(mine, "LESS-45")
    assert check(text, mine, others) == [(6, "SIMA307")]
    assert message(text, "SIMA307", mine, others) == f"REF-ID `LESS-45` is also claimed by {other}"
    assert check(others[other], other, {mine: text}) == [(6, "SIMA307")]


def test_refid_derived_from_the_file_name_counts():
    others = {"aws/AWS-Other_AWS-LESS-01.md": "# AWS-Other_AWS-LESS-01.md\n"}
    assert check(clean_entry(NAME, "AWS-LESS-01"), NAME, others, select=("SIMA307",)) == [(6, "SIMA307")]


# Public-KB false positives, kept fixed -----------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "- Anti-Patterns: `/sima/entries/anti-patterns/AP-*.md` (a glob)",
        "- /sima/support/workflows/Workflow-*.md (a glob outside code)",
        "**Find project config:** `/sima/projects/[PROJECT_ID]/project_config.md`",
        "- NMP##-PROJECT-Quick-Index.md (a template placeholder)",
        "#### /nmap/Testing/Phase 7 - Integration Tests.md (an old absolute path with spaces)",
    ],
)
def test_globs_placeholders_and_foreign_paths_are_not_references(body):
    assert xref(body) == []


def test_bold_file_names_are_still_references():
    assert xref("- **Missing-File.md** - bold is not a placeholder") == [(BODY, "SIMA301")]


def test_a_later_file_title_of_a_concatenated_file_cites_nothing():
    # Regression: a file holding several entries, each starting `# File: INT-04_....md`.
    assert xref("\n# File: INT-04_METRICS-Interface-Pattern.md\n") == []
    assert (BODY + 1, "SIMA502") in check(entry("\n# File: INT-04_METRICS-Interface-Pattern.md\n"), NAME, KB)

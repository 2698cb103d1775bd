"""Size and footer rules SIMA201-204 (catalogue §3): line limit, Total Lines, Location, claims."""
from __future__ import annotations

from checker.config import Override

from helpers import BODY, check, clean_entry, findings, line_of, message, recount

NAME = "X_AWS-LESS-01.md"
CLEAN = clean_entry(NAME, "AWS-LESS-01")
BASE_LINES = len(CLEAN.splitlines())


def long_entry(lines: int, name: str = NAME, refid: str = "AWS-LESS-01") -> str:
    """A clean entry padded to exactly `lines` lines, footer count right."""
    text = clean_entry(name, refid, "\n".join(["filler"] * (lines - BASE_LINES)))
    assert len(text.splitlines()) == lines
    return text


# SIMA201 line-limit ----------------------------------------------------------------------


def test_400_lines_pass():
    assert check(long_entry(400)) == []


def test_401_lines_are_an_error_reported_at_line_401():
    text = long_entry(401)
    assert check(text) == [(401, "SIMA201")]
    assert message(text, "SIMA201") == "file has 401 lines; the limit is 400"


def test_line_limit_is_configurable():
    assert check(long_entry(401), line_limit=450) == []
    assert check(long_entry(120), line_limit=100) == [(101, "SIMA201")]


def test_per_path_override_raises_the_limit_for_matching_files():
    overrides = (Override(paths=("context/",), line_limit=500),)
    doc = "# Guide.md\n" + "text\n" * 449
    assert check(doc, "context/Guide.md", overrides=overrides) == []
    assert check(doc, "docs/Guide.md", overrides=overrides) == [(401, "SIMA201")]


def test_indexes_and_matrices_are_exempt():
    text = "# Lambda-Index.md\n" + "- item\n" * 500
    assert check(text, "Lambda-Index.md") == []
    assert check(text.replace("Lambda-Index", "Gateway-Cross-Reference-Matrix"), "Gateway-Cross-Reference-Matrix.md") == []


def test_crlf_lines_count_once():
    text = long_entry(400).replace("\n", "\r\n")
    assert check(text, select=("SIMA201", "SIMA202")) == []
    assert check(long_entry(401).replace("\n", "\r\n"), select=("SIMA201",)) == [(401, "SIMA201")]


def test_an_unterminated_last_line_counts():
    text = long_entry(401)
    assert check(text.rstrip("\n"), select=("SIMA201", "SIMA202")) == [(401, "SIMA201")]
    assert check(long_entry(400).rstrip("\n"), select=("SIMA201", "SIMA202")) == []


def test_front_matter_lines_do_not_count_and_the_report_line_is_physical():
    front = "---\nVersion: 1.0.0\n---\n"
    doc = front + "# Guide.md\n" + "text\n" * 399
    assert check(doc, "docs/Guide.md") == []
    doc += "text\n"
    assert check(doc, "docs/Guide.md") == [(404, "SIMA201")]
    assert "file has 401 lines" in message(doc, "SIMA201", "docs/Guide.md")


# SIMA202 footer-total-lines --------------------------------------------------------------


def test_declared_count_matching_the_file_passes():
    assert check(CLEAN, select=("SIMA202",)) == []


def test_wrong_declared_count_warns_at_the_declaration():
    text = CLEAN.replace(f"**Total Lines:** {BASE_LINES}", "**Total Lines:** 298")
    assert check(text) == [(BASE_LINES, "SIMA202")]
    assert message(text, "SIMA202") == f"declares 298 lines but the file has {BASE_LINES}"


def test_lines_is_an_accepted_label():
    text = CLEAN.replace(f"**Total Lines:** {BASE_LINES}", "**Lines:** 12")
    assert check(text) == [(BASE_LINES, "SIMA202")]


def test_an_approximate_count_passes_near_the_real_one():
    for near in ("~" + str(BASE_LINES + 2), "about " + str(BASE_LINES - 3), "≈" + str(BASE_LINES)):
        assert check(CLEAN.replace(f"**Total Lines:** {BASE_LINES}", f"**Total Lines:** {near}"), select=("SIMA202",)) == []
    text = CLEAN.replace(f"**Total Lines:** {BASE_LINES}", f"**Lines:** ~{BASE_LINES + 40}")
    assert message(text, "SIMA202") == f"declares about {BASE_LINES + 40} lines but the file has {BASE_LINES}"


def test_an_approximate_count_under_the_limit_for_a_file_over_it_warns():
    """The corpus's LESS-45: `**Lines:** ~390` for 407 lines, 4 % off but hiding the limit."""
    text = long_entry(407).replace("**Total Lines:** 407", "**Lines:** ~390")
    assert [(f.line, f.code) for f in findings(text) if f.code == "SIMA202"] == [(407, "SIMA202")]


def test_a_count_with_a_thousands_separator_is_one_number():
    text = long_entry(420).replace("**Total Lines:** 420", "**Total Lines:** ~3,350")
    assert message(text, "SIMA202") == "declares about 3350 lines but the file has 420"
    assert check(long_entry(420).replace("**Total Lines:** 420", "**Total Lines:** 1,420"), select=("SIMA202",)) == [(420, "SIMA202")]


def test_compliance_claim_over_the_limit_is_an_error():
    text = long_entry(420).replace("**Total Lines:** 420", "**Total Lines:** 395 (≤400 for SIMAv4)")
    found = [f for f in findings(text) if f.code == "SIMA202"]
    assert [(f.line, str(f.severity)) for f in found] == [(420, "error")]
    assert found[0].message == "declares 395 lines but the file has 420; it claims to be within 400 lines"


def test_a_broken_compliance_claim_is_not_fixed_into_a_false_footer():
    """`--fix` wrote `**Total Lines:** 420 (≤400 for SIMAv4)` (the corpus's AWS-LESS-03 and the
    context/ files): the author must split the file or drop the claim."""
    text = long_entry(420).replace("**Total Lines:** 420", "**Total Lines:** 395 (≤400 for SIMAv4)")
    assert [f.fixable for f in findings(text) if f.code == "SIMA202"] == [False]
    plain = long_entry(420).replace("**Total Lines:** 420", "**Total Lines:** 395")
    assert [f.fixable for f in findings(plain) if f.code == "SIMA202"] == [True]


def test_the_line_limit_fingerprint_does_not_move_with_the_text_at_line_401():
    """A baseline keeps hiding SIMA201 when lines are inserted above the limit's line."""
    from checker.run.baseline import fingerprints

    lines = long_entry(420).split("\n")
    text = "\n".join(f"filler {i}" if line == "filler" else line for i, line in enumerate(lines))
    longer = text.replace("filler 30\n", "filler 30\nanother line\n", 1)  # line 401 now holds other text
    prints = [fingerprints([f for f in findings(t) if f.code == "SIMA201"]) for t in (text, longer)]
    assert prints[0] == prints[1] and len(prints[0]) == 1


def test_claim_written_as_within_the_named_limit_escalates_too():
    # Regression: the public KB writes `(within SIMAv4 limit)`; only "within limit" escalated.
    text = long_entry(420).replace("**Total Lines:** 420", "**Total Lines:** 390 (within SIMAv4 limit)")
    assert "it claims to be within 400 lines" in message(text, "SIMA202")


def test_claim_within_the_limit_stays_a_warning():
    text = CLEAN.replace(f"**Total Lines:** {BASE_LINES}", "**Total Lines:** 298 (≤400 for SIMAv4)")
    found = [f for f in findings(text) if f.code == "SIMA202"]
    assert [str(f.severity) for f in found] == ["warning"]


def test_a_lines_field_under_a_body_heading_is_not_the_footer():
    # Regression: `**Lines:** 50` describing a code module is not this file's size.
    text = recount(CLEAN.replace("Nothing here is wrong.", "Nothing here is wrong.\n\n### Module\n\n**Lines:** 50"))
    assert check(text) == []


# SIMA203 footer-location -----------------------------------------------------------------


def test_right_location_passes_at_any_depth():
    name = "aws/general/AWS-General-Patterns_AWS-LESS-01.md"
    assert check(clean_entry(name, "AWS-LESS-01"), name) == []


def test_wrong_location_warns():
    text = CLEAN.replace("`/sima/`", "`/sima/aws/general/`")
    line = line_of(text, "**Location:**")
    assert check(text) == [(line, "SIMA203")]
    assert message(text, "SIMA203") == "location `/sima/aws/general/` is not this file's directory `/sima/`"


def test_location_without_trailing_slash_or_backticks_is_accepted():
    name = "aws/lambda/AWS-Lambda-X_AWS-LESS-11.md"
    text = clean_entry(name, "AWS-LESS-11").replace("`/sima/aws/lambda/`", "/sima/aws/lambda")
    assert check(text, name) == []


def test_a_location_under_a_body_heading_describes_something_else():
    # Regression: `### Workflow Templates` + `**Location:** /sima/support/workflows/` in a guide.
    extra = "\n### Workflow Templates\n\n**Location:** `/sima/support/workflows/`"
    assert check(clean_entry(NAME, "AWS-LESS-01", extra)) == []


def test_a_location_in_the_header_is_checked():
    text = recount(CLEAN.replace("**Status:** Active", "**Status:** Active\n**Location:** `/sima/elsewhere/`"))
    assert check(text) == [(11, "SIMA203")]


# SIMA204 compliance-claim ----------------------------------------------------------------

CLAIM = "**SIMAv4 Compliant:** ✅"


def with_claim(text: str) -> str:
    """The entry with a compliance claim as the last footer line."""
    return recount(text + CLAIM + "\n")


def test_claim_without_errors_passes():
    assert check(with_claim(CLEAN)) == []


def test_claim_with_errors_warns_and_names_them():
    text = with_claim(CLEAN.replace("# X_AWS-LESS-01.md", "# Y.md"))
    last = len(text.splitlines())
    assert check(text) == [(1, "SIMA101"), (last, "SIMA204")]
    assert message(text, "SIMA204") == "claims compliance but has 1 error(s): SIMA101"


def test_claim_counts_escalated_errors_but_not_warnings():
    text = with_claim(CLEAN.replace(f"**Total Lines:** {BASE_LINES}", "**Total Lines:** 3"))
    assert "SIMA204" not in {c for _, c in check(text)}


def test_a_suppressed_error_is_not_counted():
    text = with_claim(CLEAN.replace("# X_AWS-LESS-01.md", "# Y.md")).replace(
        "Nothing here is wrong.", "<!-- sima-check: disable=SIMA101 -- renamed later -->"
    )
    assert check(text) == []


def test_body_extra_starts_at_the_documented_line():
    assert line_of(clean_entry(NAME, "AWS-LESS-01", "MARK"), "MARK") == BODY

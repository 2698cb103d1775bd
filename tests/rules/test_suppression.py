"""Inline suppressions and SIMA001 unused-suppression (catalogue §8)."""
from __future__ import annotations

from helpers import BODY, check, clean_entry, findings, message

NAME = "X_AWS-LESS-01.md"


def body(extra: str) -> str:
    """The clean entry with `extra` from line BODY."""
    return clean_entry(NAME, "AWS-LESS-01", extra)


def test_without_a_suppression_the_finding_is_there():
    assert check(body("See Missing.md")) == [(BODY, "SIMA301")]


def test_file_scope_suppression_hides_every_finding_of_the_code():
    text = body("<!-- sima-check: disable=SIMA301,SIMA402 -- moved in the next release -->\nSee Missing.md\nAnd Gone.md")
    assert check(text) == []


def test_rules_may_be_named_instead_of_coded():
    assert check(body("<!-- sima-check: disable=xref-unresolved -->\nSee Missing.md")) == []


def test_next_line_suppression_covers_only_the_next_line():
    text = body("<!-- sima-check: disable-next-line=SIMA301 -->\nSee Missing.md\nSee Gone.md")
    assert check(text) == [(BODY + 2, "SIMA301")]


def test_a_suppression_that_matches_nothing_is_reported_as_info():
    text = body("<!-- sima-check: disable-next-line=SIMA301 -->\nNo reference here.")
    assert check(text) == [(BODY, "SIMA001")]
    assert message(text, "SIMA001") == "suppression of SIMA301 matches no finding; remove it"
    assert [str(f.severity) for f in findings(text)] == ["info"]


def test_a_suppression_naming_an_unknown_rule_is_reported():
    text = body("<!-- sima-check: disable=SIMA999 -->")
    assert check(text) == [(BODY, "SIMA001")]
    assert message(text, "SIMA001") == "suppression names unknown rule(s): SIMA999"


def test_a_suppression_inside_code_is_just_text():
    assert check(body("```html\n<!-- sima-check: disable=SIMA301 -->\n```")) == []


def test_sima001_follows_select_and_severity():
    text = body("<!-- sima-check: disable=SIMA301 -->")
    assert check(text, ignore=("SIMA001",)) == []
    assert [str(f.severity) for f in findings(text, severity=(("SIMA001", "warning"),))] == ["warning"]


def test_a_suppressed_error_does_not_count_for_the_compliance_claim():
    text = body("<!-- sima-check: disable=SIMA301 -->\nSee Missing.md") + "**SIMAv4 Compliant:** ✅\n"
    assert [c for _, c in check(text)] == ["SIMA202"]  # the appended line changes the count, nothing else

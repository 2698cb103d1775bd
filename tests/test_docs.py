"""Rule documentation: every rule's docstring has a summary and the sections Why, Example, Fix."""
from __future__ import annotations

import re

import pytest

from checker.rules.docs import explain, rule_table
from checker.rules import RULES, lookup
from checker.rules.base import DOC_SECTIONS

CATALOGUE = (
    "SIMA001 SIMA101 SIMA102 SIMA103 SIMA104 SIMA105 SIMA106 SIMA107 SIMA201 SIMA202 SIMA203 SIMA204 "
    "SIMA301 SIMA302 SIMA303 SIMA304 SIMA305 SIMA306 SIMA307 SIMA401 SIMA402 SIMA403 "
    "SIMA501 SIMA502 SIMA503 SIMA504 SIMA505 SIMA506 SIMA601 SIMA602 SIMA603 SIMA604 SIMA605 SIMA606"
).split()


def test_every_catalogue_code_has_a_rule_in_code_order():
    assert [r.code for r in RULES] == CATALOGUE


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_names_are_kebab_case(rule):
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.name)  # `encoding` is one word


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_a_one_line_summary(rule):
    first, _, rest = rule.doc.partition("\n")
    assert first.strip() and first.rstrip().endswith(".")
    assert rest == "" or rest.startswith("\n"), "the summary is one line followed by a blank line"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_why_example_fix_in_order(rule):
    positions = [rule.doc.find(section) for section in DOC_SECTIONS]
    assert all(p > 0 for p in positions), f"{rule.code} lacks one of {DOC_SECTIONS}"
    assert positions == sorted(positions)
    for section in DOC_SECTIONS:
        assert rule.section(section), f"{rule.code}: empty {section}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_lookup_by_code_and_name(rule):
    assert lookup(rule.code) is rule
    assert lookup(rule.code.lower()) is rule
    assert lookup(rule.name) is rule


def test_rule_table_covers_every_rule_once():
    rows = rule_table().splitlines()
    assert [row.split()[0] for row in rows] == [r.code for r in RULES]
    for row, rule in zip(rows, RULES):
        assert rule.name in row and rule.summary in row


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_renders_the_whole_doc(rule):
    text = explain(rule.code)
    assert text.startswith(f"{rule.code} {rule.name}\n")
    assert rule.doc in text


def test_explain_unknown_rule_is_none():
    assert explain("SIMA999") is None


def test_the_readme_rule_table_is_the_registry():
    """The README's table is `markdown_table()` of the registry, so it cannot drift."""
    from checker.rules.docs import markdown_table

    from helpers import REPO

    assert markdown_table() in (REPO / "README.md").read_text(encoding="utf-8")

"""The REF-ID grammar (catalogue §7): whole values, mentions in prose, REF-IDs from file names."""
from __future__ import annotations

import pytest

from checker.parse.refid import RefIdGrammar, grammar

G = grammar()


@pytest.mark.parametrize(
    "value",
    ["DEC-05", "LESS-117", "AP-01", "E2E-01", "GUIDE-01", "UTIL-10", "ARCH-SUGA", "ARCH-DD", "LANG-PY-03",
     "AWS-LESS-01", "AWS-Lambda-DT-14", "NMP01-LEE-02", "LEE-DEC-01"],
)
def test_catalogue_examples_are_refids(value):
    assert G.is_refid(value)


@pytest.mark.parametrize(
    "value",
    ["DEC-5", "dec-05", "FOO-05", "ARCH-ABCDEF", "LANG-PY-3", "AWS-LESS-1", "DEC-05x", "UTF-8", "ISO-8601", "DEC-05 "],
)
def test_near_misses_are_not_refids(value):
    assert not G.is_refid(value)


@pytest.mark.parametrize(
    "line, found",
    [
        ("See DEC-05 and AWS-LESS-12.", ["DEC-05", "AWS-LESS-12"]),
        ("(LANG-PY-03), [ARCH-SUGA]: **AP-01**", ["LANG-PY-03", "ARCH-SUGA", "AP-01"]),
        ("foo-DEC-05, DEC-05x, DEC-05-extra, x_DEC-05", []),
        ("DEC-05.", ["DEC-05"]),
        ("NMP01-LEE-02: cache catalog", ["NMP01-LEE-02"]),
    ],
)
def test_mentions_are_delimited(line, found):
    assert [m.group(0) for m in G.mention.finditer(line)] == found


@pytest.mark.parametrize(
    "name, refid",
    [
        ("AWS-General-ProcessingPatterns_AWS-LESS-01.md", "AWS-LESS-01"),
        ("DEC-05.md", "DEC-05"),
        ("NMP01-LEE-02-Cache.md", "NMP01-LEE-02"),
        ("ARCH-SUGA_ Single Universal Gateway Architecture.md", "ARCH-SUGA"),
        ("LANG-PY-06_Python_Type_Hints.md", "LANG-PY-06"),
        ("GATE-01_Gateway-Layer-Structure.md", "GATE-01"),
        ("AWS-Lambda-DT-14.md", "AWS-Lambda-DT-14"),
        ("Lambda-Index.md", None),
        ("README.md", None),
        ("PROJECT-MODE-Context-ADDENDUM-LESS-55.md", None),
    ],
)
def test_refid_from_file_name(name, refid):
    assert G.from_filename(name) == refid


def test_extra_patterns_extend_the_grammar():
    g = RefIdGrammar((r"ADR-\d{3}",))
    assert g.is_refid("ADR-012") and not G.is_refid("ADR-012")
    assert g.from_filename("ADR-012-Use-Postgres.md") == "ADR-012"
    assert [m.group(0) for m in g.mention.finditer("per ADR-012 and DEC-05")] == ["ADR-012", "DEC-05"]


def test_grammars_are_cached_per_pattern_set():
    assert grammar() is grammar()
    assert grammar(("X-\\d+",)) is not grammar()

"""Configuration (catalogue §8): `[tool.sima-check]`, validation naming the key, and its effects."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.config import Config, ConfigError, Override, from_mapping, load

from helpers import BODY, PRIORITY, check, clean_entry, findings, line_of, recount

NAME = "X_AWS-LESS-01.md"
CLEAN = clean_entry(NAME, "AWS-LESS-01")
NINE = "a, b, c, d, e, f, g, h, i"
WORDS = "alpha, beta, gamma, delta, epsilon"
KEYWORDS = line_of(CLEAN, WORDS)


# Validation: unknown keys and wrong types name the key -------------------------------------


@pytest.mark.parametrize(
    "table, fragment",
    [
        ({"bogus": 1}, "unknown key `bogus`"),
        ({"line-limit": "400"}, "`line-limit` must be an integer, not str"),
        ({"line-limit": True}, "`line-limit` must be an integer, not bool"),
        ({"line-limit": -1}, "`line-limit` must not be negative"),
        ({"select": "SIMA1"}, "`select` must be a list, not str"),
        ({"ignore": [1]}, "`ignore` must be a list of strings"),
        ({"select": ["SIMA9"]}, "`select`: `SIMA9` names no rule"),
        ({"ignore": ["no-such-rule"]}, "`ignore`: `no-such-rule` names no rule"),
        ({"severity": {"SIMA301": "fatal"}}, "`severity.SIMA301` must be one of error, warning, info, off"),
        ({"severity": {"SIMA999": "error"}}, "`severity.SIMA999`: no such rule"),
        ({"severity": "error"}, "`severity` must be a dict"),
        ({"kinds": {"nope": ["x"]}}, "`kinds.nope`: unknown kind"),
        ({"kinds": {"index": "x"}}, "`kinds.index` must be a list of globs"),
        ({"required-fields": {"entry": "Version"}}, "`required-fields.entry` must be a list of strings"),
        ({"required-fields": {"page": ["Version"]}}, "`required-fields.page`: unknown kind"),
        ({"refid-patterns": ["("]}, "`refid-patterns` entry '(' is not a valid regex"),
        ({"priority-legend": {"🔴": "urgent"}}, "`priority-legend.🔴` must be critical, high, medium or low"),
        ({"fail-on": "sometimes"}, "`fail-on` must be one of error, warning, info, never"),
        ({"keywords-max": 8.5}, "`keywords-max` must be an integer, not float"),
        ({"overrides": {"paths": ["x"]}}, "`overrides` must be a list"),
        ({"overrides": [{"line-limit": 500}]}, "`overrides[0].paths` is required"),
        ({"overrides": [{"paths": ["x"], "limit": 500}]}, "unknown key `overrides[0].limit`"),
        ({"overrides": [{"paths": ["x"], "line-limit": "500"}]}, "`overrides[0].line-limit` must be an integer"),
        ({"overrides": [{"paths": ["x"], "severity": {"SIMA201": "loud"}}]}, "`overrides[0].severity.SIMA201` must be one of"),
    ],
)
def test_bad_settings_raise_a_config_error_naming_the_key(table, fragment):
    with pytest.raises(ConfigError) as err:
        from_mapping(table, "pyproject.toml")
    assert str(err.value).startswith("pyproject.toml: ")
    assert fragment in str(err.value)


def test_a_full_valid_table_converts():
    cfg = from_mapping(
        {
            "root": "kb", "line-limit": 350, "keywords-min": 3, "keywords-max": 9,
            "required-fields": {"entry": ["Version"], "doc": ["Purpose"]},
            "required-sections": ["Summary"], "severity": {"SIMA402": "error", "fence-language": "off"},
            "kinds": {"doc": ["guides/*"]}, "refid-patterns": [r"ADR-\d{3}"],
            "priority-legend": {"🔴": "High"}, "select": ["SIMA1", "keywords-count"], "ignore": ["SIMA504"],
            "exclude": ["drafts/*"], "fail-on": "warning",
            "overrides": [{"paths": ["context/"], "line-limit": 500, "ignore": ["SIMA5"], "severity": {"SIMA201": "warning"}}],
        }
    )
    assert cfg.root == "kb" and cfg.line_limit == 350 and cfg.fail_on == "warning"
    assert cfg.required_for("doc") == ("Purpose",) and cfg.required_for("index") == ()
    assert cfg.priority_legend == (("🔴", "high"),)
    assert cfg.line_limit_for("context/x/Guide.md") == 500 and cfg.line_limit_for("docs/Guide.md") == 350
    assert cfg.kind_globs() == {"doc": ("guides/*",)}


# Loading: pyproject.toml or .sima-check.toml in the working directory ----------------------


def test_defaults_without_a_file(tmp_path: Path):
    assert load(cwd=tmp_path) == Config()


def test_pyproject_table_is_read(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\nline-limit = 500\n')
    assert load(cwd=tmp_path).line_limit == 500


def test_pyproject_without_the_table_gives_defaults(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load(cwd=tmp_path) == Config()


def test_dot_file_wins_over_pyproject(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\nline-limit = 500\n')
    (tmp_path / ".sima-check.toml").write_text("line-limit = 300\n")
    assert load(cwd=tmp_path).line_limit == 300


def test_an_explicit_file_is_required_to_exist(tmp_path: Path):
    with pytest.raises(ConfigError, match="no such file"):
        load(tmp_path / "missing.toml")


def test_invalid_toml_is_a_config_error(tmp_path: Path):
    bad = tmp_path / ".sima-check.toml"
    bad.write_text("line-limit = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load(bad)


def test_errors_name_the_file(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\nline_limit = 500\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml: unknown key `line_limit`"):
        load(cwd=tmp_path)


# Effects on a check ------------------------------------------------------------------------


def severities(text: str, **config) -> list[tuple[str, str]]:
    """(code, severity) pairs of the findings."""
    return [(f.code, str(f.severity)) for f in findings(text, **config)]


def test_severity_override_changes_the_severity():
    text = CLEAN.replace(WORDS, NINE)
    assert severities(text) == [("SIMA402", "warning")]
    assert severities(text, severity=(("SIMA402", "error"),)) == [("SIMA402", "error")]
    assert severities(text, severity=(("keywords-count", "info"),)) == [("SIMA402", "info")]


def test_severity_off_disables_the_rule():
    assert check(CLEAN.replace(WORDS, NINE), severity=(("SIMA402", "off"),)) == []


def test_severity_override_beats_an_escalation():
    text = clean_entry(NAME, "AWS-LESS-01", "See DEC-99").replace("**Status:** Active", "**Status:** Active\n**Related:** DEC-98")
    text = recount(text)
    assert severities(text, severity=(("SIMA304", "info"),)) == [("SIMA304", "info"), ("SIMA304", "info")]


@pytest.mark.parametrize("selector", ["SIMA402", "SIMA40", "SIMA4", "keywords-count", "sima402"])
def test_select_by_code_prefix_or_name(selector):
    text = clean_entry(NAME, "AWS-LESS-01", "See Missing.md").replace(WORDS, NINE)
    assert check(text, select=(selector,)) == [(KEYWORDS + 1, "SIMA402")]


@pytest.mark.parametrize("selector", ["SIMA402", "SIMA4", "keywords-count"])
def test_ignore_by_code_prefix_or_name(selector):
    text = clean_entry(NAME, "AWS-LESS-01", "See Missing.md").replace(WORDS, NINE)
    assert check(text, ignore=(selector,)) == [(BODY, "SIMA301")]


def test_per_path_override_ignores_rules_and_changes_severities():
    text = CLEAN.replace(WORDS, NINE)
    name = "legacy/X_AWS-LESS-01.md"
    entry = clean_entry(name, "AWS-LESS-01").replace(WORDS, NINE)
    quiet = (Override(paths=("legacy/",), ignore=("SIMA4",)),)
    assert check(entry, name, overrides=quiet) == []
    assert check(text, overrides=quiet) == [(KEYWORDS, "SIMA402")]
    loud = (Override(paths=("legacy/*",), severity=(("SIMA402", "error"),)),)
    assert [str(f.severity) for f in findings(entry, name, overrides=loud)] == ["error"]


def test_per_path_line_limit():
    doc = "# Guide.md\n" + "x\n" * 450
    overrides = (Override(paths=("context/",), line_limit=500),)
    assert check(doc, "context/Guide.md", overrides=overrides) == []
    assert check(doc, "docs/Guide.md", overrides=overrides) == [(401, "SIMA201")]


def test_required_fields_per_kind():
    lesson = recount(CLEAN.replace("**Category:** Testing  \n", ""))
    assert check(lesson, required_fields=(("entry", ("Version", "Date", "REF-ID")),)) == []
    tmpl = "# TMPL-01-Entry.md\n\n**Version:** 1.0.0\n"
    assert check(tmpl, "templates/TMPL-01-Entry.md", required_fields=(("template", ("Version", "Purpose")),)) == [(1, "SIMA102")]


def test_keywords_range():
    assert check(CLEAN.replace(WORDS, NINE), keywords_max=9) == []
    assert check(CLEAN, keywords_min=6) == [(KEYWORDS, "SIMA402")]


def test_priority_legend():
    assert check(CLEAN, priority_legend=(("🟠", "medium"),)) == [(PRIORITY, "SIMA107")]


def test_extra_refid_patterns():
    text = clean_entry(NAME, "AWS-LESS-01", "See ADR-012.")
    assert check(text) == []  # not a REF-ID by default, so not a mention
    assert check(text, refid_patterns=(r"ADR-\d{3}",)) == [(BODY, "SIMA304")]
    adr = {"decisions/ADR-012.md": "# ADR-012.md\n"}
    assert check(text, others=adr, refid_patterns=(r"ADR-\d{3}",)) == []


def test_kind_globs_reclassify_files():
    doc = "# Overview.md\n\nNo header.\n"
    assert (1, "SIMA102") in check(doc, "guides/Overview.md")
    assert check(doc, "guides/Overview.md", kinds=(("doc", ("guides/*",)),)) == []


def test_required_sections_list():
    assert check(CLEAN, required_sections=("Summary", "Keywords")) == []
    assert check(CLEAN, required_sections=("Context",)) == [(1, "SIMA501")]

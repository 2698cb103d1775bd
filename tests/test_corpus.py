"""The real public SIMA knowledge base: no crash, the known problems found, no known false positives.

Skipped when the corpus (`../shared/corpus/` beside the checkout) is absent.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict

import pytest
from click.testing import CliRunner

from checker.cli import main

from helpers import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"public SIMA corpus not found at {CORPUS}")

SEED = "entries/platforms/aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"


@pytest.fixture(scope="module")
def run():
    """The whole corpus through the CLI as JSON, from inside the corpus; (exit code, report, output)."""
    old = os.getcwd()
    os.chdir(CORPUS)
    try:
        result = CliRunner().invoke(main, ["--format", "json", "."])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.output), result.output


@pytest.fixture(scope="module")
def by_code(run):
    """Findings grouped by code."""
    groups = defaultdict(list)
    for f in run[1]["findings"]:
        groups[f["code"]].append(f)
    return groups


def test_the_whole_corpus_runs_without_a_traceback_and_fails(run):
    code, report, output = run
    assert "Traceback" not in output
    assert code == 1
    assert report["files_checked"] == len(list(CORPUS.rglob("*.md")))


def test_duplicate_refid_is_reported_on_both_files(by_code):
    hits = {(f["path"], f["line"]) for f in by_code["SIMA307"] if "`LESS-45`" in f["message"]}
    assert hits == {("entries/lessons/learning/LESS-45.md", 5), ("entries/lessons/operations/LESS-45.md", 5)}


def test_a_file_over_400_lines(by_code):
    assert by_code["SIMA201"]
    assert all(f["line"] == 401 for f in by_code["SIMA201"] if "limit is 400" in f["message"])


def test_the_near_miss_architecture_reference(by_code):
    hit = [f for f in by_code["SIMA302"] if f["path"] == SEED]
    assert [(f["line"], f["severity"]) for f in hit] == [(310, "error")]
    assert "ARCH-SUGA_ Single Universal Gateway Architecture.md" in hit[0]["message"]


def test_mojibake_and_crlf(by_code):
    assert by_code["SIMA602"]
    assert by_code["SIMA603"]
    assert any("CRLF" in f["message"] for f in by_code["SIMA603"])


def test_the_corpus_seed_keeps_its_real_problems(by_code):
    seed = sorted((f["line"], f["code"]) for fs in by_code.values() for f in fs if f["path"] == SEED and f["severity"] == "error")
    assert seed == [(305, "SIMA301"), (306, "SIMA301"), (310, "SIMA302")]


# False positives found by reading the corpus report, kept fixed --------------------------


def messages(by_code, code: str, path: str) -> list[str]:
    """Messages of one code in one file."""
    return [f["message"] for f in by_code[code] if f["path"] == path]


def test_globs_and_placeholders_are_not_references(by_code):
    unresolved = [f["message"] for f in by_code["SIMA301"]]
    assert not [m for m in unresolved if "*" in m or "[PROJECT_ID]" in m or m.startswith("`-")]


def test_ranges_and_next_available_ids_are_not_mentions(by_code):
    assert not [f for f in by_code["SIMA304"] if f["path"] == "support/tools/TOOL-01-REF-ID-Directory.md" and "-99`" in f["message"]]


def test_explicit_heading_ids_and_underscored_slugs(by_code):
    paths = {f["path"] for f in by_code["SIMA305"]}
    assert "docs/SIMAv4-Training-Materials.md" not in paths
    assert "docs/deployment/SIMAv4-Deployment-Troubleshooting-Guide.md" not in paths


def test_later_file_titles_are_not_references(by_code):
    assert messages(by_code, "SIMA301", "entries/interfaces/INT-03_SECURITY-Interface-Pattern.md") == []


def test_kb_rooted_absolute_paths_are_not_outside(by_code):
    assert messages(by_code, "SIMA306", "support/Support-Master-Index.md") == []
    assert any("/support/workflows/Workflow-01-AddFeature.md" in m for m in messages(by_code, "SIMA301", "support/Support-Master-Index.md"))


def test_sima_paths_without_the_leading_slash_resolve(by_code):
    assert messages(by_code, "SIMA301", "entries/lessons/operations/LESS-22.md") == []


def test_tails_of_foreign_paths_with_spaces_are_not_bare_names(by_code):
    assert messages(by_code, "SIMA301", "support/tools/url-audit-report.md") == []


def test_locations_in_the_body_are_not_the_footer(by_code):
    assert messages(by_code, "SIMA203", "docs/SIMAv4-Developer-Guide.md") == []
    assert messages(by_code, "SIMA203", "entries/platforms/Platforms-Master-Index.md") == []


def test_title_with_a_parenthesised_note(by_code):
    assert messages(by_code, "SIMA101", "projects/LEE/project_config.md") == []


def test_within_the_named_limit_is_a_claim(by_code):
    hit = [f for f in by_code["SIMA202"] if f["path"] == "context/DEBUG-MODE-Context.md"]
    assert [f["severity"] for f in hit] == ["error"]

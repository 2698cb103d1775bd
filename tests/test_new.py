"""`sima-check new TYPE TITLE`: the next free REF-ID (git history included), the siblings'
naming convention, and a scaffold that passes every error-level rule but is flagged unfinished."""
from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.api import check
from checker.cli import main
from checker.config import Config
from checker.edit import EditError
from checker.edit.naming import Style, convention
from checker.edit.new import create, next_refid, scaffold
from helpers import clean_entry

TODAY = datetime.date(2026, 12, 1)
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` with a fixed identity and no user configuration."""
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def decisions(kb_dir) -> Path:
    """A KB with DEC-05 and DEC-06 under decisions/ and one AWS lesson pair under aws/lambda/."""
    return kb_dir({
        "decisions/DEC-05.md": clean_entry("decisions/DEC-05.md", "DEC-05"),
        "decisions/DEC-06.md": clean_entry("decisions/DEC-06.md", "DEC-06"),
        "aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md": clean_entry("aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md", "AWS-LESS-11"),
        "aws/lambda/AWS-Lambda-Timeouts_AWS-LESS-12.md": clean_entry("aws/lambda/AWS-Lambda-Timeouts_AWS-LESS-12.md", "AWS-LESS-12"),
    })


def gate(root: Path, rel: str) -> list[tuple[str, str]]:
    """(code, severity) of every finding on the new file, checked against its whole KB."""
    report = check([root], Config())
    return sorted((f.code, str(f.severity)) for f in report.findings if f.relpath == rel)


def test_history_retires_numbers(kb_dir):
    root = decisions(kb_dir)
    git(root.parent, "init", "-q")
    (root / "decisions/DEC-07.md").write_text(clean_entry("decisions/DEC-07.md", "DEC-07"))
    # a deleted file whose name has no REF-ID: its `**REF-ID:**` field retires DEC-09
    (root / "decisions/cache-notes.md").write_text(clean_entry("decisions/cache-notes.md", "DEC-09"))
    git(root.parent, "add", "-A")
    git(root.parent, "commit", "-qm", "add")
    git(root.parent, "rm", "-q", "sima/decisions/DEC-07.md", "sima/decisions/cache-notes.md")
    git(root.parent, "commit", "-qm", "retire DEC-07 and DEC-09")
    rel, text = scaffold(root, Config(), "DEC", "Cache eviction", today=TODAY)
    assert rel == "decisions/DEC-10.md"
    assert "**REF-ID:** DEC-10  " in text.splitlines()


def test_without_git_only_files_count(kb_dir):
    root = decisions(kb_dir)
    assert scaffold(root, Config(), "DEC", "Cache eviction", today=TODAY)[0] == "decisions/DEC-07.md"


def test_next_refid_keeps_digit_count():
    assert next_refid("LESS", [], {"LESS-009", "LESS-010", "AWS-LESS-99"}) == "LESS-011"
    assert next_refid("DEC", [], set()) == "DEC-01"


def test_naming_follows_the_siblings():
    assert convention([("AWS-Lambda-CostModel_AWS-LESS-11.md", "AWS-LESS-11"),
                       ("AWS-Lambda-Timeouts_AWS-LESS-12.md", "AWS-LESS-12")]).name("AWS-LESS-13", "cold starts") \
        == "AWS-Lambda-ColdStarts_AWS-LESS-13.md"
    assert convention([("DEC-05.md", "DEC-05")]).name("DEC-06", "Anything") == "DEC-06.md"
    assert convention([("LANG-PY-07_Python_Code_Quality.md", "LANG-PY-07")]).name("LANG-PY-08", "type hints") \
        == "LANG-PY-08_Type_Hints.md"
    assert convention([("INT-12-Circuit-Breaker-Interface.md", "INT-12")]).name("INT-13", "retry budget") \
        == "INT-13-Retry-Budget.md"
    assert convention([]) == Style("bare")


def test_scaffold_passes_the_gate_and_is_flagged_unfinished(kb_dir):
    root = decisions(kb_dir)
    rel, text = create(root, Config(), "AWS-LESS", "Cold starts", today=TODAY)
    assert rel == "aws/lambda/AWS-Lambda-ColdStarts_AWS-LESS-13.md"
    assert (root / rel).read_text() == text
    lines = text.splitlines()
    assert lines[0] == "# AWS-Lambda-ColdStarts_AWS-LESS-13.md"
    assert "**Date:** 2026-12-01  " in lines and "**Priority:** 🟡 Medium  " in lines and "**Status:** Draft" in lines
    assert "**Category:** Testing  " in lines and "**Type:** LESS (Lesson Learned)  " in lines  # from the siblings
    assert f"**Total Lines:** {len(lines)}" == lines[-1]
    assert "**Location:** `/sima/aws/lambda/`  " in lines
    found = gate(root, rel)
    assert [f for f in found if f[1] == "error"] == []
    assert ("SIMA402", "warning") in found  # one keyword: the writer must still fill them in


def test_options_and_folder(kb_dir):
    root = decisions(kb_dir)
    rel, text = create(root, Config(), "DEC", "Retry policy", directory="decisions/ops", category="Operations",
                       priority="critical", status="active", today=TODAY)
    assert rel == "decisions/ops/DEC-07.md"
    assert text.splitlines()[0] == "# DEC-07.md - Retry policy"
    assert {"**Category:** Operations  ", "**Priority:** 🔴 Critical  ", "**Status:** Active"} <= set(text.splitlines())
    assert [f for f in gate(root, rel) if f[1] == "error"] == []


def test_configured_patterns_and_sections(kb_dir):
    root = kb_dir({"runbooks/RUN-01.md": clean_entry("runbooks/RUN-01.md", "RUN-01")})
    cfg = Config(refid_patterns=(r"RUN-\d{2,}",), required_sections=("Summary", "Steps", "Cross-References"))
    rel, text = scaffold(root, cfg, "RUN", "Restore a backup", today=TODAY)
    assert rel == "runbooks/RUN-02.md"
    assert "## Steps" in text.splitlines()
    report = check([root], cfg, overlay={root / rel: text})
    assert [f for f in report.findings if f.relpath == rel and str(f.severity) == "error"] == []


@pytest.mark.parametrize("args, message", [
    (["FOO", "x"], "`FOO` is not a REF-ID family"),
    (["DEC", "x", "--dir", "../elsewhere"], "outside the knowledge base root"),
    (["DEC", "x", "--priority", "urgent"], "priority `urgent`"),
    (["BUG", "x"], "no BUG entry in the knowledge base yet"),
])
def test_refusals(kb_dir, args, message):
    decisions(kb_dir)
    result = CliRunner().invoke(main, ["new", *args])
    assert result.exit_code == 2
    assert result.output.startswith("sima-check: error: ") and message in result.output
    assert result.output.count("\n") == 1


def test_never_overwrites(kb_dir):
    root = decisions(kb_dir)
    (root / "decisions/dec-07.md").write_text("not an entry of the grammar, but the name is taken\n")
    with pytest.raises(EditError, match="already exists"):
        create(root, Config(), "DEC", "x")
    assert (root / "decisions/dec-07.md").read_text().startswith("not an entry")


def test_cli_prints_the_new_path(kb_dir):
    root = decisions(kb_dir)
    result = CliRunner().invoke(main, ["new", "DEC", "Cache eviction", "--dir", "sima/decisions"])
    assert (result.exit_code, result.output) == (0, "sima/decisions/DEC-07.md\n")
    assert (root / "decisions/DEC-07.md").is_file()
    again = CliRunner().invoke(main, ["new", "dec", "Second"])
    assert (again.exit_code, again.output) == (0, "sima/decisions/DEC-08.md\n")


@pytest.mark.parametrize("directory", [".drafts", "decisions/.old"])
def test_a_hidden_folder_is_refused(kb_dir, directory):
    """The check would never see the entry, nor count its REF-ID: the next `new` would reuse it."""
    with pytest.raises(EditError, match="hidden or excluded"):
        scaffold(decisions(kb_dir), Config(), "DEC", "Cache eviction", directory, today=TODAY)


def test_an_excluded_folder_is_refused(kb_dir):
    with pytest.raises(EditError, match="hidden or excluded"):
        scaffold(decisions(kb_dir), Config(exclude=("drafts/*",)), "DEC", "Cache eviction", "drafts", today=TODAY)


def test_a_category_of_two_lines_is_refused(kb_dir):
    with pytest.raises(EditError, match="one line"):
        scaffold(decisions(kb_dir), Config(), "DEC", "Cache eviction", category="a\nb", today=TODAY)

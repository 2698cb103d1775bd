"""`--changed-since REF` on real temporary git repositories, and explicit file arguments."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.kb.changes import Change, changed
from checker.cli import main

REPO = Path(__file__).resolve().parents[1]
SEED = "sima/aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"
DEC05 = "sima/entries/decisions/architecture/DEC-05.md"
LESS11 = "sima/aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md"
LESS12 = "sima/aws/lambda/AWS-Lambda-TimeoutConstraints_AWS-LESS-12.md"
ARCH = "sima/entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    """Run git in a throw-away repository with a fixed identity and no user config."""
    env = {
        "HOME": str(cwd), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """The shipped KB committed on `main`, then a `pr` branch checked out."""
    shutil.copytree(REPO / "sima", tmp_path / "sima")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "KB")
    git(tmp_path, "checkout", "-q", "-b", "pr")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, dict]:
    """Run sima-check --format json in the current directory; (exit code, report)."""
    result = CliRunner().invoke(main, ["--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, (json.loads(result.stdout) if result.stdout else {})


def where(report: dict, code: str) -> set[str]:
    """`path:line` of the findings with this code."""
    return {f"{f['path']}:{f['line']}" for f in report["findings"] if f["code"] == code}


def reported(report: dict) -> set[str]:
    """Files with at least one finding."""
    return {f["path"] for f in report["findings"]}


# -- deletions ----------------------------------------------------------------------------


@pytest.mark.parametrize("commit", [True, False])
def test_deleting_dec05_fails_on_the_seed_line_309(repo, commit):
    if commit:
        git(repo, "rm", "-q", DEC05)
        git(repo, "commit", "-q", "-m", "drop DEC-05")
    else:
        (repo / DEC05).unlink()  # unstaged work-tree deletion
    code, report = check("--changed-since", "main")
    assert code == 1
    assert f"{SEED}:309" in where(report, "SIMA301")
    assert f"{ARCH}:264" in where(report, "SIMA301") and f"{ARCH}:265" in where(report, "SIMA301")
    assert report["files_checked"] == 4  # every file cites DEC-05 somehow


def test_deleted_files_dependents_found_through_their_refid(repo):
    git(repo, "rm", "-q", DEC05)
    code, report = check("--changed-since", "main")
    # LESS-11 names DEC-05 only by REF-ID, in its Cross-References section.
    assert f"{LESS11}:229" in where(report, "SIMA304")
    assert code == 1


def test_changed_refid_makes_citers_of_the_old_one_dependents(repo):
    path = repo / DEC05
    path.write_text(path.read_text().replace("**REF-ID:** DEC-05", "**REF-ID:** DEC-06"))
    code, report = check("--changed-since", "main")
    assert code == 1
    assert f"{LESS11}:229" in where(report, "SIMA304")
    assert LESS11 in reported(report)


# -- renames ------------------------------------------------------------------------------


def test_renaming_an_entry_fails_on_every_citing_entry(repo):
    new = LESS12.replace("TimeoutConstraints", "Timeouts")
    git(repo, "mv", LESS12, new)
    git(repo, "commit", "-q", "-m", "rename")
    code, report = check("--changed-since", "main")
    assert code == 1
    citers = {p for p in reported(report) if any(f"{p}:" in w for w in where(report, "SIMA301"))}
    assert citers == {SEED, LESS11, ARCH, DEC05}
    assert f"{new}:1" in where(report, "SIMA101")  # the renamed file itself is checked too


def test_rename_without_git_mv_is_a_deletion_plus_an_untracked_file(repo):
    new = LESS12.replace("TimeoutConstraints", "Timeouts")
    (repo / LESS12).rename(repo / new)
    code, report = check("--changed-since", "main")
    assert code == 1
    assert {SEED, LESS11, ARCH, DEC05} <= {w.split(":")[0] for w in where(report, "SIMA301")}


# -- changes that break nothing -----------------------------------------------------------


def test_unrelated_clean_edit_reports_only_that_file(repo):
    path = repo / LESS11
    text = path.read_text()
    path.write_text(text.replace("Logs are a frequent surprise", "Logs are a common surprise"))
    code, report = check("--changed-since", "main")
    assert code == 0
    assert report["files_checked"] == 1
    assert reported(report) <= {LESS11}
    result = CliRunner().invoke(main, ["--changed-since", "main"])
    assert result.exit_code == 0 and result.stdout.endswith("1 file, 0 errors, 0 warnings, 0 infos\n")


def test_no_changes_checks_nothing(repo):
    assert check("--changed-since", "main") == (0, check("--changed-since", "HEAD")[1])
    code, report = check("--changed-since", "HEAD")
    assert (code, report["files_checked"], report["findings"]) == (0, 0, [])


def test_new_untracked_entry_is_checked(repo):
    (repo / "sima/entries/DEC-07.md").write_text("# DEC-07.md\n\nsee Nowhere.md\n")
    code, report = check("--changed-since", "main")
    assert code == 1
    assert reported(report) == {"sima/entries/DEC-07.md"}


def test_committed_and_staged_changes_both_count(repo):
    (repo / "sima/entries/DEC-07.md").write_text("# DEC-07.md\n")
    git(repo, "add", "sima/entries/DEC-07.md")
    git(repo, "commit", "-q", "-m", "one")
    (repo / "sima/entries/DEC-08.md").write_text("# DEC-08.md\n")
    git(repo, "add", "sima/entries/DEC-08.md")
    code, report = check("--changed-since", "main")
    assert {"sima/entries/DEC-07.md", "sima/entries/DEC-08.md"} <= reported(report)
    assert report["files_checked"] == 2


def test_changes_since_the_merge_base_not_since_ref(repo):
    git(repo, "checkout", "-q", "main")
    (repo / "sima/entries/Main-Only.md").write_text("# Main-Only.md\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "main moves on")
    git(repo, "checkout", "-q", "pr")
    code, report = check("--changed-since", "main")
    assert (code, report["files_checked"]) == (0, 0)


def test_kb_in_a_subfolder_of_the_repository(tmp_path, monkeypatch):
    shutil.copytree(REPO / "sima", tmp_path / "docs" / "sima")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "KB")
    (tmp_path / "docs" / DEC05).unlink()
    (tmp_path / "README.md").write_text("outside the KB\n")
    monkeypatch.chdir(tmp_path / "docs")
    code, report = check("--changed-since", "main")
    assert code == 1 and f"{SEED}:309" in where(report, "SIMA301")
    changes, _, _ = changed("main", tmp_path / "docs" / "sima")
    assert changes == [Change("D", None, DEC05.removeprefix("sima/"))]


def test_fix_with_changed_since_fixes_only_the_selection(repo):
    path = repo / LESS11
    path.write_text(path.read_text().replace("**Total Lines:** 241", "**Total Lines:** 240"))
    seed = (repo / SEED).read_bytes()
    result = CliRunner().invoke(main, ["--fix", "--changed-since", "main"])
    assert result.exit_code == 0
    assert "**Total Lines:** 241" in path.read_text()
    assert (repo / SEED).read_bytes() == seed  # stale too, but not part of the change


# -- errors -------------------------------------------------------------------------------


def test_not_a_git_repository(tmp_path, monkeypatch):
    shutil.copytree(REPO / "sima", tmp_path / "sima")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--changed-since", "main"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not inside a git repository" in result.stderr


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x", ""])
def test_unknown_ref(repo, ref):
    result = CliRunner().invoke(main, ["--changed-since", ref])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "unknown git revision" in result.stderr
    assert not (repo / "x").exists()


# -- explicit file arguments --------------------------------------------------------------


def test_explicit_file_is_checked_against_the_whole_kb(repo):
    code, report = check(SEED)
    assert code == 0 and report["files_checked"] == 1
    assert reported(report) == {SEED}
    assert where(report, "SIMA301") == set()  # its references resolve in the whole KB
    (repo / DEC05).unlink()
    code, report = check(SEED)
    assert code == 1 and where(report, "SIMA301") == {f"{SEED}:309"}
    assert report["files_checked"] == 1


# -- file names with spaces, moves across the KB boundary ---------------------------------


def test_bare_name_with_spaces_is_a_dependent_of_its_deleted_target(repo):
    citer = repo / "sima/entries/Notes.md"
    citer.write_text("# Notes.md\n\nSee ARCH-SUGA_Single Universal Gateway Architecture.md for the layers.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "notes")
    git(repo, "branch", "-f", "main")
    git(repo, "rm", "-q", ARCH)
    code, report = check("--changed-since", "main")
    assert "sima/entries/Notes.md:3" in where(report, "SIMA301")
    assert code == 1


def test_old_versions_of_paths_with_spaces_and_missing_paths(repo):
    from checker.kb.changes import old_versions

    base = git(repo, "rev-parse", "HEAD").strip()
    found = old_versions(repo, base, [ARCH, "sima/no such file.md", "sima/entries", DEC05])
    assert set(found) == {ARCH, DEC05}
    assert found[DEC05] == (repo / DEC05).read_bytes()


def test_moves_across_the_kb_boundary(repo):
    (repo / "Draft.md").write_text("# Draft.md\n")
    git(repo, "add", "Draft.md")
    git(repo, "commit", "-q", "-m", "draft")
    git(repo, "branch", "-f", "main")
    git(repo, "mv", "Draft.md", "sima/entries/Draft.md")
    git(repo, "mv", DEC05, "DEC-05.md")
    changes, _, _ = changed("main", repo / "sima")
    assert sorted(changes, key=lambda c: c.status) == [
        Change("A", "entries/Draft.md", None), Change("D", None, DEC05.removeprefix("sima/"))]
    code, report = check("--changed-since", "main")
    assert f"{SEED}:309" in where(report, "SIMA301") and "sima/entries/Draft.md" in reported(report)


def test_added_file_rechecks_the_files_that_now_resolve_to_it(repo):
    (repo / "sima/entries/Notes.md").write_text("# Notes.md\n\nSee Future.md later.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "notes")
    git(repo, "branch", "-f", "main")
    (repo / "sima/entries/Future.md").write_text("# Future.md\n")
    code, report = check("--changed-since", "main", "--select", "SIMA3")
    assert (code, report["files_checked"]) == (0, 2)  # Notes.md is re-checked and now passes

"""The CI glue shipped with the repository: the pre-commit hook manifest and the GitHub workflow."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker.cli import check_command, main

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "docs.yml"


def _cli_options() -> set[str]:
    return {opt for p in check_command.params for opt in p.opts + p.secondary_opts if opt.startswith("--")}


def _steps() -> list[dict]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = doc["jobs"].values()
    return job["steps"]


def _sima_runs() -> list[str]:
    return [s["run"] for s in _steps() if "run" in s and s["run"].startswith("sima-check")]


def test_pre_commit_hook_manifest() -> None:
    """One hook: python, entry sima-check (a real console script), Markdown files passed in."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert hook["id"] == hook["name"] == "sima-check"
    assert (hook["language"], hook["entry"], hook["types"], hook["pass_filenames"]) == (
        "python", "sima-check", ["markdown"], True,
    )
    assert re.search(hook["files"], "sima/aws/general/X.md") and not re.search(hook["files"], "README.md")
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "sima-check" in scripts


def test_hook_style_call_checks_files_against_the_whole_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sima-check <file>` as pre-commit calls it: references into other files still resolve."""
    docs = tmp_path / "sima" / "docs"
    docs.mkdir(parents=True)
    (docs / "A.md").write_text("# A.md\n\nSee /sima/docs/B.md here.\n", encoding="utf-8")
    (docs / "B.md").write_text("# B.md\n\nSee /sima/docs/Missing.md here.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["sima/docs/A.md"]).exit_code == 0
    assert CliRunner().invoke(main, ["sima/docs/A.md", "sima/docs/B.md"]).exit_code == 1


def test_workflow_parses_and_has_the_steps() -> None:
    """Trigger paths, full checkout, Python 3.11, install, check, SARIF upload, strict build."""
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["pull_request"]["paths"] == ["sima/**", "mkdocs.yml", "pyproject.toml"]
    assert doc["permissions"]["security-events"] == "write"
    steps = _steps()
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert str(uses["actions/setup-python"]["with"]["python-version"]) == "3.11"
    upload = uses["github/codeql-action/upload-sarif"]
    assert upload["with"]["sarif_file"] == "sima.sarif" and upload["if"].startswith("always()")
    runs = [s.get("run", "") for s in steps]
    assert "pip install ." in runs and "mkdocs build --strict" in runs
    github, sarif = _sima_runs()
    assert "--format github" in github and '--changed-since "origin/$BASE_REF"' in github
    assert sarif == "sima-check --format sarif --output sima.sarif --fail-on never"
    assert runs.index(sarif) < steps.index(upload) < runs.index("mkdocs build --strict")


def test_workflow_uses_only_existing_options() -> None:
    """Every flag the workflow passes exists (`--changed-since` is checked on its own below)."""
    flags = {f for run in _sima_runs() for f in re.findall(r"--[a-z-]+", run)} - {"--changed-since"}
    assert flags <= _cli_options()


@pytest.mark.skipif("--changed-since" not in _cli_options(), reason="--changed-since is not in this CLI yet")
def test_workflow_changed_since_exists() -> None:
    """The option the first check step relies on is in the CLI."""
    assert "--changed-since" in _cli_options()

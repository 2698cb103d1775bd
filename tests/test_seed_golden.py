"""The user's seed entry: alone it has exactly four errors (golden JSON); in the shipped KB, none."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import __version__
from checker.cli import main

from helpers import REPO, SEED

GOLDEN = Path(__file__).parent / "golden" / "seed-alone.json"


def invoke(*args: str):
    """Run the command in the current directory, asserting it never crashed."""
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


@pytest.fixture
def seed_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed copied alone into tmp_path, which becomes the working directory."""
    shutil.copy(SEED, tmp_path / SEED.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path / SEED.name


def test_seed_alone_matches_the_golden_report(seed_alone):
    result = invoke("--format", "json", ".")
    assert result.exit_code == 1
    report = json.loads(result.output)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    golden["tool"]["version"] = __version__
    assert report == golden


def test_seed_alone_has_exactly_the_four_broken_references(seed_alone):
    report = json.loads(invoke("--format", "json", SEED.name).output)
    errors = [(f["line"], f["code"]) for f in report["findings"] if f["severity"] == "error"]
    assert errors == [(305, "SIMA301"), (306, "SIMA301"), (309, "SIMA301"), (310, "SIMA301")]
    warnings = [(f["line"], f["code"]) for f in report["findings"] if f["severity"] == "warning"]
    assert warnings == [(10, "SIMA107"), (316, "SIMA402"), (320, "SIMA203"), (321, "SIMA202"), (322, "SIMA204")]
    infos = {f["code"] for f in report["findings"] if f["severity"] == "info"}
    assert infos == {"SIMA504"}
    total = next(f for f in report["findings"] if f["code"] == "SIMA202")
    assert total["message"] == "declares 298 lines but the file has 322"


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository root as the working directory (its pyproject names `sima/` as the root)."""
    monkeypatch.chdir(REPO)
    return REPO


def test_shipped_kb_passes(shipped):
    before = hashlib.sha256(SEED.read_bytes()).hexdigest()
    result = invoke("--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["summary"]["error"] == 0
    assert not [f for f in report["findings"] if f["code"] == "SIMA301"]
    seed = "sima/aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"
    warnings = [(f["line"], f["code"]) for f in report["findings"] if f["path"] == seed and f["severity"] == "warning"]
    assert warnings == [(10, "SIMA107"), (316, "SIMA402"), (321, "SIMA202")]
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == before  # checking never writes


def test_shipped_kb_text_summary(shipped):
    result = invoke()
    assert result.exit_code == 0
    last = result.output.splitlines()[-1]
    assert last.startswith("5 files, 0 errors, 3 warnings, ")

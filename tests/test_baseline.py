"""Baselines: forgive the findings a KB already has, report only new ones, survive line shifts."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.run import baseline
from checker.cli import main
from checker.config import Config
from checker.api import check
from checker.model import Finding, Severity, line_context

GUIDE = "# Guide.md\n\nIntro text.\n\nSee /sima/docs/Missing.md for more.\n\nAlso see /sima/docs/Gone.md here.\n"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A two-file KB with two broken references, the working directory beside it."""
    docs = tmp_path / "sima" / "docs"
    docs.mkdir(parents=True)
    (docs / "Guide.md").write_text(GUIDE, encoding="utf-8")
    (docs / "Target.md").write_text("# Target.md\n\nHello.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one sima-check run."""
    res = CliRunner().invoke(main, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout, res.stderr


def guide(kb: Path) -> Path:
    """The file with the problems."""
    return kb / "sima" / "docs" / "Guide.md"


def test_write_baseline_then_rerun_exits_0(kb: Path) -> None:
    """Writing a baseline exits 0; the rerun with it reports nothing and exits 0."""
    assert cli()[0] == 1
    code, out, err = cli("--write-baseline", "base.json")
    assert (code, out) == (0, "")
    assert "wrote 2 findings to baseline base.json" in err
    doc = json.loads((kb / "base.json").read_text(encoding="utf-8"))
    assert doc["version"] == 1 and doc["tool"] == "sima-check"
    assert [(r["code"], r["path"]) for r in doc["findings"]] == [("SIMA301", "sima/docs/Guide.md")] * 2
    assert doc["findings"] == sorted(doc["findings"], key=lambda r: (r["path"], r["code"], r["fingerprint"]))
    assert all("message" in r and "line" not in r for r in doc["findings"])
    code, out, err = cli("--baseline", "base.json")
    assert code == 0
    assert out.endswith("2 files, 0 errors, 0 warnings, 0 infos\n")
    assert "2 known findings hidden by baseline base.json" in err


def test_lines_inserted_above_keep_the_finding_forgiven(kb: Path) -> None:
    """Unrelated lines above (and whitespace inside) a baselined line change nothing."""
    cli("--write-baseline", "base.json")
    before = (kb / "base.json").read_text(encoding="utf-8")
    text = GUIDE.replace("Intro text.\n", "Intro text.\n\nA new paragraph.\n\nAnd another.\n")
    text = text.replace("Also see /sima/docs/Gone.md here.", "Also  see /sima/docs/Gone.md   here.")
    guide(kb).write_text(text, encoding="utf-8")
    code, out, _ = cli("--baseline", "base.json")
    assert code == 0, out
    cli("--write-baseline", "again.json")
    assert (kb / "again.json").read_text(encoding="utf-8") == before


def test_a_new_broken_reference_is_reported(kb: Path) -> None:
    """Only the new finding is reported, and it fails the run."""
    cli("--write-baseline", "base.json")
    guide(kb).write_text(GUIDE + "\nNow /sima/docs/Fresh.md is broken too.\n", encoding="utf-8")
    code, out, _ = cli("--baseline", "base.json", "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("SIMA301", 9)]
    assert "Fresh.md" in findings[0]["message"]


def test_baseline_is_a_multiset(kb: Path) -> None:
    """Two identical baselined findings forgive two; a third identical one is reported."""
    line = "See /sima/docs/Missing.md for more.\n"
    guide(kb).write_text("# Guide.md\n\n" + line + line, encoding="utf-8")
    cli("--write-baseline", "base.json")
    guide(kb).write_text("# Guide.md\n\n" + line + line + "\n" + line, encoding="utf-8")
    code, out, _ = cli("--baseline", "base.json", "--format", "json")
    assert code == 1
    assert len(json.loads(out)["findings"]) == 1


def test_engine_fingerprints_survive_a_line_shift(kb: Path) -> None:
    """The fingerprints of a real run do not change when lines move."""
    def prints() -> list[str]:
        return sorted(baseline.fingerprints(check([kb / "sima"], Config(), jobs=1, cwd=kb).findings))

    first = prints()
    guide(kb).write_text("\n\n\n" + GUIDE, encoding="utf-8")
    assert len(first) == 2 and set(first) <= set(prints())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "invalid JSON"),
        ('{"version": 1}', "`findings` list"),
        ('{"version": 2, "findings": []}', "version 2 is not supported"),
        ('{"version": 1, "findings": [{"code": "SIMA301"}]}', "finding 1 has no `fingerprint`"),
        ('[1, 2]', "`findings` list"),
        (b"\xff\xfe{", "not UTF-8"),
    ],
)
def test_invalid_baseline_is_a_one_line_error(kb: Path, content: str | bytes, expected: str) -> None:
    """A broken baseline file: one line on stderr, exit 2, no traceback."""
    path = kb / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, out, err = cli("--baseline", "bad.json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("sima-check: error: bad.json") and expected in err


def test_missing_baseline_is_a_one_line_error(kb: Path) -> None:
    """A baseline that does not exist: exit 2."""
    code, _, err = cli("--baseline", "nope.json")
    assert code == 2 and err.count("\n") == 1 and "cannot read baseline" in err


def test_unwritable_baseline_is_a_one_line_error(kb: Path) -> None:
    """--write-baseline into a missing folder: exit 2."""
    code, _, err = cli("--write-baseline", "no/such/dir/base.json")
    assert code == 2 and err.count("\n") == 1 and "cannot write baseline" in err


def _f(line: int, context: str = "x", message: str = "m", code: str = "SIMA301") -> Finding:
    return Finding("a.md", line, 1, code, "xref-unresolved", Severity.ERROR, message, False, line_context(context))


def test_fingerprint_ignores_line_number_message_and_input_order() -> None:
    """Only code, path, line text and occurrence index count."""
    a, b = _f(3, "see X.md"), _f(9, "see Y.md")
    assert baseline.fingerprints([a, b]) == baseline.fingerprints([_f(30, "see X.md", "other"), _f(90, "see Y.md")])
    assert baseline.fingerprints([b, a]) == list(reversed(baseline.fingerprints([a, b])))
    assert baseline.fingerprints([_f(1, "see  X.md ")]) == baseline.fingerprints([a])
    assert baseline.fingerprints([_f(3, "see X.md", code="SIMA302")]) != baseline.fingerprints([a])


def test_occurrence_index_separates_identical_lines() -> None:
    """Two findings on identical lines get :0 and :1, in file order."""
    fps = baseline.fingerprints([_f(8), _f(2)])
    assert fps[1].endswith(":0") and fps[0].endswith(":1") and fps[0][:-2] == fps[1][:-2]


def test_apply_counts_what_it_forgives() -> None:
    """Each baseline entry forgives exactly one finding."""
    findings = [_f(1), _f(2), _f(3)]
    fps = baseline.fingerprints(findings)
    kept, forgiven = baseline.apply(findings, Counter(fps[:2]))
    assert (kept, forgiven) == ([findings[2]], 2)
    assert baseline.apply(findings, Counter())[1] == 0


def test_dumps_loads_round_trip() -> None:
    """The written document reads back to the same fingerprints."""
    findings = [_f(1), _f(2, "y"), _f(5, "x")]
    assert baseline.loads(baseline.dumps(findings)) == Counter(baseline.fingerprints(findings))

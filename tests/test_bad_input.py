"""Bad input never gives a traceback: a finding, or one line on stderr with exit code 2."""
from __future__ import annotations

import builtins
import os

import pytest
from click.testing import CliRunner

import checker.kb.discover
from checker.cli import main

from helpers import clean_entry

NAME = "X_AWS-LESS-01.md"
CLEAN = clean_entry(NAME, "AWS-LESS-01")


def run(*args: str):
    """Invoke the command; assert it ended by exiting, never by an exception."""
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def report(result) -> list[tuple[str, int, str]]:
    """(file name, line, code) of each finding line in the text output."""
    out = []
    for line in result.stdout.splitlines()[:-1]:
        where, code = line.split(": ", 1)[0], line.split(": ", 1)[1].split()[0]
        path, lineno, _ = where.rsplit(":", 2)
        out.append((path.rsplit("/", 1)[-1], int(lineno), code))
    return out


def stderr_lines(result) -> list[str]:
    """What went to stderr, line by line."""
    return result.stderr.splitlines()


# Undecodable or odd bytes: a finding ----------------------------------------------------------


@pytest.mark.parametrize(
    "data, finding",
    [
        (CLEAN.encode("utf-8").replace(b"Nothing", b"N\xf6thing"), (NAME, 16, "SIMA601")),
        (CLEAN.encode("utf-16"), (NAME, 1, "SIMA601")),
        (CLEAN.encode("utf-8").replace(b"Nothing", b"Nothing\x00"), (NAME, 16, "SIMA601")),
    ],
    ids=["invalid-utf8", "utf16-bom", "nul-bytes"],
)
def test_undecodable_files_are_an_encoding_error(kb_dir, data, finding):
    kb_dir({NAME: data})
    result = run()
    assert (result.exit_code, report(result), result.stderr) == (1, [finding], "")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xef\xbb\xbf" + CLEAN.encode(), "byte-order mark"),
        (CLEAN.replace("\n", "\r\n").encode(), "CRLF"),
        (CLEAN.replace("\n", "\r").encode(), "lone CR"),
    ],
    ids=["utf8-bom", "crlf", "lone-cr"],
)
def test_bom_and_line_endings_are_one_warning_and_nothing_else(kb_dir, data, message):
    kb_dir({NAME: data})
    result = run()
    assert (result.exit_code, report(result)) == (0, [(NAME, 1, "SIMA603")])
    assert message in result.stdout


def test_an_empty_file_is_checked_like_any_entry(kb_dir):
    kb_dir({"Empty_AWS-LESS-02.md": b""})
    result = run()
    assert result.exit_code == 1
    assert ("Empty_AWS-LESS-02.md", 1, "SIMA101") in report(result)
    assert result.stderr == ""


# Odd file-system objects: ignored, a finding, or one line on stderr -----------------------------


def test_a_directory_named_like_markdown_is_a_folder(kb_dir):
    root = kb_dir({NAME: CLEAN})
    (root / "x.md").mkdir()
    (root / "x.md" / "README.md").write_text("# README.md\n")
    result = run()
    assert (result.exit_code, report(result), result.stderr) == (0, [], "")
    assert result.stdout == "2 files, 0 errors, 0 warnings, 0 infos\n"


def test_a_symlink_loop_is_a_finding(kb_dir):
    root = kb_dir({NAME: CLEAN})
    os.symlink("b.md", root / "a.md")
    os.symlink("a.md", root / "b.md")
    result = run()
    assert (result.exit_code, stderr_lines(result)) == (1, [])
    assert report(result) == [("a.md", 1, "SIMA606"), ("b.md", 1, "SIMA606")]
    assert "sima/a.md:1:1: SIMA606 [error] cannot read this file: Too many levels of symbolic links" in result.stdout


def test_a_folder_symlink_loop_is_not_followed(kb_dir):
    root = kb_dir({NAME: CLEAN})
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")
    result = run()
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_symlink_out_of_the_root_is_reported_and_never_opened(kb_dir, tmp_path, monkeypatch):
    secret = tmp_path / "secret.md"
    secret.write_text("# secret\n")
    root = kb_dir({NAME: CLEAN})
    os.symlink(secret, root / "leak.md")
    opened: list[str] = []

    def spy(file, *args, **kwargs):
        opened.append(os.path.realpath(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(checker.kb.discover, "open", spy, raising=False)
    result = run()
    assert result.exit_code == 1
    assert report(result) == [("leak.md", 1, "SIMA306")]
    assert "symlink to a place outside the knowledge base root; not read" in result.stdout
    assert str(secret) not in opened and opened  # the KB's own file was read, the secret was not


def test_an_unreadable_file_is_a_finding_and_the_rest_is_checked(kb_dir, monkeypatch):
    # We run as root, so chmod 000 would not stop us: make `open` refuse that one file instead.
    kb_dir({NAME: CLEAN, "Locked_AWS-LESS-02.md": clean_entry("Locked_AWS-LESS-02.md", "AWS-LESS-02")})

    def refuse(file, *args, **kwargs):
        if str(file).endswith("Locked_AWS-LESS-02.md"):
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(checker.kb.discover, "open", refuse, raising=False)
    result = run()
    assert (result.exit_code, stderr_lines(result)) == (1, [])
    assert report(result) == [("Locked_AWS-LESS-02.md", 1, "SIMA606")]
    assert "cannot read this file: Permission denied" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 files, 1 error, 0 warnings, 0 infos"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_read(kb_dir):
    # Regression: opening a FIFO blocks forever; only regular files are read.
    root = kb_dir({NAME: CLEAN})
    os.mkfifo(root / "pipe.md")
    result = run()
    assert (result.exit_code, stderr_lines(result)) == (1, [])
    assert report(result) == [("pipe.md", 1, "SIMA606")]
    assert "cannot read this file: not a regular file" in result.stdout


# Usage errors ------------------------------------------------------------------------------------


def test_a_missing_root_is_one_line_and_exit_2(kb_dir, tmp_path):
    kb_dir({})
    (tmp_path / "sima").rmdir()
    result = run()
    assert (result.exit_code, result.stdout) == (2, "")
    assert stderr_lines(result) == ["sima-check: error: sima: knowledge base root not found (set `root` or pass a path)"]


def test_a_missing_path_argument(kb_dir):
    kb_dir({NAME: CLEAN})
    result = run("sima/nope.md")
    assert (result.exit_code, stderr_lines(result)) == (2, ["sima-check: error: sima/nope.md: no such file or directory"])


def test_a_path_that_is_not_markdown(kb_dir, tmp_path):
    kb_dir({NAME: CLEAN})
    (tmp_path / "notes.txt").write_text("x")
    result = run("notes.txt")
    assert (result.exit_code, stderr_lines(result)) == (2, ["sima-check: error: notes.txt: not a Markdown file"])


def test_an_unwritable_output_file(kb_dir):
    kb_dir({NAME: CLEAN})
    result = run("--output", "no/such/dir/report.txt")
    assert result.exit_code == 2
    assert stderr_lines(result) == ["sima-check: error: no/such/dir/report.txt: cannot write: No such file or directory"]


@pytest.mark.parametrize(
    "toml, fragment",
    [("[tool.sima-check\n", "invalid TOML"), ('[tool.sima-check]\nline-limit = "x"\n', "`line-limit` must be an integer"),
     ("tool = 1\n", "`tool` must be a table"),
     ("[tool.sima-check]\nkeywords-min = 9\nkeywords-max = 2\n", "`keywords-min` (9) is more than `keywords-max` (2)"),
     ("[tool.sima-check]\nrefid-patterns = ['.*']\n", "matches the empty string"),
     ("[[tool.sima-check.overrides]]\npaths = ['*']\nline-limit = -5\n", "`overrides[0].line-limit` must not be negative")],
)
def test_a_broken_config_file(kb_dir, tmp_path, toml, fragment):
    kb_dir({NAME: CLEAN})
    (tmp_path / "pyproject.toml").write_text(toml)
    result = run()
    assert result.exit_code == 2
    assert len(stderr_lines(result)) == 1 and fragment in result.stderr


def test_a_config_file_that_is_not_utf8(kb_dir, tmp_path):
    kb_dir({NAME: CLEAN})
    (tmp_path / ".sima-check.toml").write_bytes(b"root = \"s\xe9ma\"\n")
    result = run()
    assert (result.exit_code, stderr_lines(result)) == (2, ["sima-check: error: .sima-check.toml: cannot read: not valid UTF-8"])


# References out of the root: a finding, never a read ---------------------------------------------


@pytest.mark.parametrize(
    "body", ["[p](../../../../etc/passwd.md)", "`/etc/passwd.md`", "[h](/home/me/notes.md)", "- ../../etc/hosts.md"]
)
def test_a_reference_out_of_the_root_is_sima306(kb_dir, body):
    kb_dir({NAME: clean_entry(NAME, "AWS-LESS-01", body)})
    result = run()
    assert (result.exit_code, report(result)) == (1, [(NAME, 17, "SIMA306")])


def test_very_long_and_strange_lines_do_not_hang_or_crash(kb_dir):
    junk = "[" * 5000 + "](" * 5000 + "/sima/" + "a " * 3000 + "`" * 999 + "**" * 2000 + "\t\x0b\x0c"
    kb_dir({NAME: clean_entry(NAME, "AWS-LESS-01", junk)})
    result = run()
    assert result.exit_code in (0, 1)
    assert result.stderr == ""


# Messages and streams ---------------------------------------------------------------------------


def test_control_characters_in_an_error_are_shown_escaped(kb_dir, tmp_path):
    kb_dir({NAME: CLEAN})
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\n"evil\\u001b[2J\\u000a" = 1\n')
    result = run()
    assert (result.exit_code, stderr_lines(result)) == (
        2, ["sima-check: error: pyproject.toml: unknown key `evil\\x1b[2J\\x0a` in [tool.sima-check]"])


@pytest.mark.parametrize("shell", ["> /dev/full", ">&-"])
def test_an_unwritable_stdout_is_one_line_and_exit_2(kb_dir, shell):
    import subprocess
    import sys

    if shell == "> /dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    kb_dir({NAME: CLEAN})
    done = subprocess.run(f"'{sys.executable}' -m checker.cli --no-cache {shell}", shell=True, capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("sima-check: error: standard output")


def test_a_name_too_long_is_one_line_and_exit_2(kb_dir):
    kb_dir({NAME: CLEAN})
    long = "x" * 300
    for args in ([f"sima/{long}.md"], [f"--root=sima/{long}"]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert len(stderr_lines(result)) == 1 and "File name too long" in result.stderr
    result = run("new", "DEC", "x", "--dir", long)
    assert result.exit_code == 2 and len(stderr_lines(result)) == 1


@pytest.mark.parametrize("text", ["[" * 100_000, '{"version": true, "findings": []}'])
def test_a_baseline_too_deep_or_of_a_wrong_version_type(kb_dir, tmp_path, text):
    kb_dir({NAME: CLEAN})
    (tmp_path / "b.json").write_text(text)
    result = run("--baseline", "b.json")
    assert result.exit_code == 2 and len(stderr_lines(result)) == 1


@pytest.mark.parametrize("yml, fragment", [
    ("plugins: 5", "`plugins` must be a list or mapping, not a number"),
    ("extra_css: 5", "`extra_css` must be a list"),
    ("docs_dir: 5", "`docs_dir` must be a string"),
    ("plugins: [{sima: {checker_config: 5}}]", "sima plugin: `checker_config` must be a string"),
    ("plugins: [{sima: {pages_dir: ../../sima/aws}}]", "`pages_dir` must be a folder inside docs_dir"),
    ("plugins: [{sima: {pages_dir: /tmp/x}}]", "`pages_dir` must be a folder inside docs_dir"),
    ("plugins: [{sima: {checker_config: missing.toml}}]", "missing.toml: no such file"),
])
def test_site_refuses_mkdocs_values_of_the_wrong_type(kb_dir, tmp_path, yml, fragment):
    kb_dir({NAME: CLEAN})
    (tmp_path / "m.yml").write_text(f"site_name: x\n{yml}\n")
    result = run("site", "--no-cache", "--out", "out", "-f", "m.yml")
    assert result.exit_code == 2 and len(stderr_lines(result)) == 1 and fragment in result.stderr
    assert not (tmp_path / "out").exists()


def test_fix_leaves_a_title_it_cannot_write_alone(kb_dir):
    """A file name holding a newline cannot be one title line: SIMA101 stays, unfixed, and a
    second --fix changes nothing; the diff header quotes the name as git does."""
    root = kb_dir({"a\nb.md": "hello\r\n"})
    assert "--- \"a/sima/a\\nb.md\"" in run("--no-cache", "--diff").stdout
    run("--no-cache", "--fix")
    once = (root / "a\nb.md").read_bytes()
    run("--no-cache", "--fix")
    assert (root / "a\nb.md").read_bytes() == once
    assert ("a\\x0ab.md", 1, "SIMA101") in report(run("--no-cache"))


def test_diff_and_write_baseline_are_refused_together(kb_dir, tmp_path):
    kb_dir({NAME: CLEAN})
    result = run("--diff", "--write-baseline", "b.json")
    assert result.exit_code == 2 and "--write-baseline cannot be combined with --diff" in result.stderr
    assert not (tmp_path / "b.json").exists()


def test_pages_dir_stays_inside_docs_dir():
    from checker.site.pages import pages_base

    assert pages_base("catalog") == "catalog" and pages_base("/") == "catalog" and pages_base("a/b/") == "a/b"
    for bad in ("..", "../out", "a/../../b", ".", "/tmp/x", "C:/x", "a/./b"):
        with pytest.raises(ValueError):
            pages_base(bad)

"""Adversarial files and file systems through the real command line (a subprocess each).

Each run is capped by a generous 60 s subprocess timeout: a catastrophic regex backtrack or a
blocking open fails the test instead of hanging the suite (no timed assertions otherwise; the
linearity numbers are measured by `measure_linearity.py`). Bad input must end in findings, or
in one line per problem on stderr with exit code 2, never a traceback, and nothing outside the
knowledge base may be opened.
"""
from __future__ import annotations

import builtins
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

from hostile.hostile_cases import CASES

TIMEOUT = 60
SUMMARY = re.compile(r"^\d+ files?, \d+ errors?, \d+ warnings?, \d+ infos?")
ENTRY = "# X_AWS-LESS-01.md\n\n**Version:** 1.0.0\n\n---\n\n## Summary\n\n"


def sima_check(cwd: Path, *args: str, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """`sima-check --no-cache ARGS` in `cwd`; a hang past `timeout` fails the test."""
    cmd = [sys.executable, "-c", "from checker.cli import main; main()", "--no-cache", *args]
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, env={**os.environ, "NO_COLOR": "1"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"sima-check {' '.join(args)} did not finish within {timeout} s (backtracking or a blocking open?)")


def assert_clean_end(done: subprocess.CompletedProcess, codes=(0, 1)) -> None:
    """Ended by itself with an expected exit code, no traceback, a summary line."""
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert done.returncode in codes, (done.returncode, err[-2000:])
    out = done.stdout.decode("utf-8", "replace").splitlines()
    assert out and SUMMARY.match(out[-1]), out[-3:]


def error_lines(done: subprocess.CompletedProcess) -> list[str]:
    """stderr, one entry per line; each must be a one-line `sima-check: error: ...`."""
    lines = done.stderr.decode("utf-8", "replace").splitlines()
    assert all(line.startswith("sima-check: error: ") for line in lines), lines
    return lines


def findings(done: subprocess.CompletedProcess) -> list[dict]:
    """The findings of a `--format json` run."""
    return json.loads(done.stdout)["findings"]


# -- adversarial file contents ----------------------------------------------------------------


@pytest.fixture(scope="module")
def case_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess | str]:
    """Every case of `hostile_cases.CASES` checked once, two at a time (the suite stays fast)."""

    # mktemp is not thread-safe: make every folder here, before the pool starts.
    projects = {name: tmp_path_factory.mktemp(name) for name in CASES}

    def one(name: str):
        project = projects[name]
        (project / "sima" / "x").mkdir(parents=True)
        (project / "sima" / "x" / "X_AWS-LESS-01.md").write_bytes(CASES[name](1))
        cmd = [sys.executable, "-c", "from checker.cli import main; main()", "--no-cache", "--jobs", "1"]
        try:
            done = subprocess.run(cmd, cwd=project, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return name, f"did not finish within {TIMEOUT} s"
        shutil.rmtree(project, ignore_errors=True)
        return name, done

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, CASES))


@pytest.mark.parametrize("name", list(CASES))
def test_adversarial_file_is_checked_and_the_run_ends(case_runs, name):
    done = case_runs[name]
    if isinstance(done, str):
        pytest.fail(f"{name}: {done}")
    assert_clean_end(done)
    assert done.stderr == b""
    assert re.match(rb"^1 file, ", done.stdout.splitlines()[-1])


# -- references that leave the knowledge base ---------------------------------------------------

ESCAPES = [
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd.md",
    "%2e%2e/%2e%2e/outside/secret.md",
    "..\\..\\x.md",
    "/etc/passwd",
    "C:\\Windows\\x.md",
    "C:/Windows/x.md",
    "file:///etc/passwd",
    "FILE:///etc/passwd.md",
    "\\\\server\\share\\x.md",
    "~/x.md",
    "../../outside/secret.md",
    "/sima/../outside/secret.md",
    "/sima/../../etc/passwd.md",
]
PROSE = [  # written as plain text: every one that names a `.md` file is a reference
    "../../outside/secret.md",
    "/sima/../outside/secret.md",
    "/sima/../../etc/passwd.md",
    "`../../outside/secret.md`",
    "..\\..\\x.md",
    "C:\\Windows\\x.md",
]


def hostile_kb(project: Path) -> Path:
    """A KB whose entry cites every escape, plus sentinels outside the root it must not open."""
    outside = project / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.md").write_text("# secret\n")
    os.mkfifo(outside / "fifo.md")  # opening it for reading would block: the timeout catches that
    root = project / "sima"
    (root / "a").mkdir(parents=True)
    body = [f"[link {i}]({target})" for i, target in enumerate(ESCAPES)]
    body += [f"prose {i}: {target}" for i, target in enumerate(PROSE)]
    # An absolute host path is a reference as a link or a relationship; in prose it is not one
    # (`/nmap/Testing/Phase 7.md` in real KBs names a file elsewhere): never read either way.
    body += [f"[abs]({outside / 'secret.md'})", "**Related:** ../../outside/secret.md, /etc/passwd.md",
             f"see {outside / 'secret.md'}"]
    (root / "a" / "X_AWS-LESS-01.md").write_text(ENTRY + "\n".join(body) + "\n")
    (root / "a" / "to-fifo.md").symlink_to(outside / "fifo.md")
    (root / "a" / "to-secret.md").symlink_to(outside / "secret.md")
    (root / "outdir").symlink_to(outside, target_is_directory=True)
    return root


def test_every_escape_is_a_finding_and_no_target_is_read(tmp_path):
    hostile_kb(tmp_path)
    done = sima_check(tmp_path, "--format", "json")
    assert_clean_end_json(done)
    by_line: dict[int, set[str]] = {}
    for f in findings(done):
        if f["path"].endswith("X_AWS-LESS-01.md"):
            by_line.setdefault(f["line"], set()).add(f["code"])
    first = ENTRY.count("\n") + 1
    for i, target in enumerate([*ESCAPES, *PROSE]):
        assert by_line.get(first + i, set()) & {"SIMA306", "SIMA301"}, (target, by_line.get(first + i))
    for extra in range(2):
        assert by_line.get(first + len(ESCAPES) + len(PROSE) + extra, set()) & {"SIMA306", "SIMA301"}
    links = [f for f in findings(done) if f["path"].endswith(("to-fifo.md", "to-secret.md"))]
    assert {(f["path"].rsplit("/", 1)[-1], f["code"]) for f in links} == {("to-fifo.md", "SIMA306"), ("to-secret.md", "SIMA306")}


def assert_clean_end_json(done: subprocess.CompletedProcess) -> None:
    """A JSON run that ended with findings and nothing on stderr."""
    assert "Traceback" not in done.stderr.decode("utf-8", "replace")
    assert (done.returncode, done.stderr) == (1, b"")
    json.loads(done.stdout)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_nothing_outside_the_knowledge_base_is_opened(tmp_path):
    root = hostile_kb(tmp_path)
    log = tmp_path / "strace.log"
    cmd = ["strace", "-f", "-qq", "-e", "trace=open,openat,openat2,creat,truncate,execve", "-o", str(log),
           sys.executable, "-c", "from checker.cli import main; main()", "--no-cache"]
    try:
        done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail("sima-check under strace did not finish: did it open the FIFO outside the root?")
    if not log.exists() or "PTRACE" in done.stderr.decode("utf-8", "replace").upper():
        pytest.skip("strace cannot trace here: " + done.stderr.decode("utf-8", "replace")[:200])
    assert done.returncode == 1, done.stderr
    attempts = re.findall(r'(?:open|openat|openat2|creat|truncate)\((?:[^,]*, )?"((?:[^"\\]|\\.)*)"', log.read_text())
    assert attempts, "strace logged no open calls"
    opened = {p if os.path.isabs(p) else os.path.normpath(os.path.join(tmp_path, p)) for p in attempts}
    outside = tmp_path / "outside"
    never = ("/etc/passwd", str(outside), str(tmp_path / "C:"), str(tmp_path / "~"), str(tmp_path / "etc"))
    assert not [p for p in opened if p.startswith(never)], "opened (or tried to) a target outside the KB"
    allowed = (str(root), str(tmp_path / "pyproject.toml"), str(tmp_path / ".sima-check.toml"),
               sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).resolve().parent.parent),
               str(Path(__file__).resolve().parents[2]), "/usr/", "/lib", "/etc/ld.so", "/etc/localtime",
               "/dev/", "/proc/", "/sys/")
    stray = sorted(p for p in opened if not p.startswith(allowed) and p != str(tmp_path))  # the working folder itself
    assert stray == [], stray


# -- unreadable and odd files --------------------------------------------------------------------


def test_symlink_loops_are_findings(tmp_path):
    root = tmp_path / "sima"
    root.mkdir()
    (root / "X_AWS-LESS-01.md").write_text(ENTRY)
    (root / "self.md").symlink_to("self.md")
    (root / "a.md").symlink_to("b.md")
    (root / "b.md").symlink_to("a.md")
    (root / "loop").symlink_to(".", target_is_directory=True)
    (root / "up").symlink_to("..", target_is_directory=True)
    done = sima_check(tmp_path, "--format", "json")
    assert_clean_end_json(done)
    unreadable = sorted(f["path"] for f in findings(done) if f["code"] == "SIMA606")
    assert unreadable == ["sima/a.md", "sima/b.md", "sima/self.md"]


def test_a_symlink_to_a_fifo_outside_is_reported_not_opened(tmp_path):
    root = tmp_path / "sima"
    root.mkdir()
    os.mkfifo(tmp_path / "fifo.md")
    (root / "pipe.md").symlink_to(tmp_path / "fifo.md")
    (root / "dir").symlink_to(tmp_path, target_is_directory=True)
    done = sima_check(tmp_path, "--format", "json")
    assert (done.returncode, done.stderr) == (1, b"")
    assert {(f["path"], f["code"]) for f in findings(done) if f["code"] == "SIMA306"} == {("sima/pipe.md", "SIMA306")}


@pytest.mark.parametrize("kind", ["fifo", "socket", "dangling-symlink", "symlink-to-fifo-inside"])
def test_a_file_that_cannot_be_read_is_a_finding(tmp_path, kind):
    root = tmp_path / "sima"
    root.mkdir()
    (root / "X_AWS-LESS-01.md").write_text(ENTRY)
    odd = root / "odd.md"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(odd))
    elif kind == "dangling-symlink":
        odd.symlink_to(root / "nowhere.md")
    else:
        os.mkfifo(root / "fifo.dat")
        odd.symlink_to(root / "fifo.dat")
    done = sima_check(tmp_path, "--format", "json")
    assert_clean_end_json(done)
    assert [(f["path"], f["line"]) for f in findings(done) if f["code"] == "SIMA606"] == [("sima/odd.md", 1)]


def test_a_fifo_named_on_the_command_line_is_not_opened(tmp_path):
    root = tmp_path / "sima"
    root.mkdir()
    os.mkfifo(root / "pipe.md")
    done = sima_check(tmp_path, "sima/pipe.md")
    assert done.returncode == 2 and len(error_lines(done)) == 1


@pytest.mark.parametrize("path", ["/etc/passwd", "/dev/zero", "/proc/self/environ", "sima/../../../etc/passwd"])
def test_host_paths_on_the_command_line_are_refused(tmp_path, path):
    (tmp_path / "sima").mkdir()
    done = sima_check(tmp_path, path)
    assert done.returncode == 2 and len(error_lines(done)) == 1, done.stderr


def test_a_permission_error_on_read_is_a_finding(tmp_path, monkeypatch):
    root = tmp_path / "sima"
    root.mkdir()
    (root / "X_AWS-LESS-01.md").write_text(ENTRY)
    (root / "locked.md").write_text(ENTRY)
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file).endswith("locked.md"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--no-cache", "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert [line for line in result.stderr.splitlines() if line] == []
    assert "sima/locked.md:1:1: SIMA606 [error] cannot read this file: Permission denied" in result.stdout


@pytest.mark.parametrize(
    "name",
    [b"new\nline.md", b"tab\there.md", b"esc\x1b[2Jx.md", b"bad-\xff\xfe.md", b"latin-\xe9.md", b"x" * 252 + b".md",
     b"<script>alert(1)<\\script>.md", b"-rf.md", b" .md", b"a:b,c.md"],
    ids=["newline", "tab", "escape", "invalid-utf8", "latin1", "255-bytes", "html", "dash", "space", "colon-comma"],
)
def test_odd_file_names_are_checked_and_shown_on_one_line(tmp_path, name):
    root = tmp_path / "sima"
    root.mkdir()
    path = os.path.join(os.fsencode(root), name)
    with open(path, "wb") as fh:
        fh.write(ENTRY.encode())
    done = sima_check(tmp_path)
    assert_clean_end(done)
    assert done.stderr == b""
    lines = done.stdout.splitlines()
    assert all(line.startswith(b"sima/") for line in lines[:-1]), lines[:3]  # one line per finding
    assert b"\x1b" not in done.stdout
    if name in (b"new\nline.md", b"esc\x1b[2Jx.md", b"bad-\xff\xfe.md"):  # the other formats cope too
        for fmt in ("json", "sarif", "junit", "github"):
            other = sima_check(tmp_path, "--format", fmt)
            assert other.returncode == 1 and b"Traceback" not in other.stderr, (fmt, other.stderr)


def test_a_directory_that_looks_like_markdown_and_an_empty_tree(tmp_path):
    root = tmp_path / "sima"
    (root / "folder.md" / "deeper.md").mkdir(parents=True)
    done = sima_check(tmp_path)
    assert_clean_end(done, codes=(0,))
    assert done.stdout.splitlines()[-1].startswith(b"0 files")


def test_a_folder_nested_1500_deep_is_walked_without_recursion(tmp_path):
    root = tmp_path / "sima"
    root.mkdir()
    depth = 1500  # os.walk recurses once per level: past ~1000 it raised RecursionError
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):  # relative to a folder descriptor: the path stays short
            os.mkdir("a", dir_fd=fd)
            deeper = os.open("a", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        with os.fdopen(os.open("DEC-05.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as fh:
            fh.write(ENTRY)
    finally:
        os.close(fd)
    try:
        done = sima_check(tmp_path)
        assert_clean_end(done)
        assert done.stdout.splitlines()[-1].startswith(b"1 file,")
    finally:  # shutil.rmtree recurses too: remove the tree bottom-up
        os.unlink(str(root) + "/a" * depth + "/DEC-05.md")
        for level in range(depth, 0, -1):
            os.rmdir(str(root) + "/a" * level)

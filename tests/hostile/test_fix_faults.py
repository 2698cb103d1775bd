"""`--fix` under faults: a failure injected anywhere in a write leaves each file with its old or
its new content (never a truncated mix) and no temporary file behind; files with nothing to fix
are not touched at all; the BOM and line endings stay when their rule is not being fixed.
"""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import checker.fix.write
from checker.cli import main
from checker.config import Config
from checker.fix.plan import apply, plan
from helpers import load

BOM = b"\xef\xbb\xbf"


def entry(name: str, total: int | None = None, final_newline: bool = True, title: str | None = None) -> str:
    """An entry the rules accept, but for a wrong `**Total Lines:**`, a missing final newline or
    another title when asked (all three fixable)."""
    lines = [
        title or f"# {name}", "", "**Version:** 1.0.0  ", "**Date:** 2025-11-01  ",
        "**Purpose:** A small entry for fault tests", f"**REF-ID:** {name[:-3]}  ", "**Category:** Test  ",
        "**Type:** DEC (Decision)  ", "**Priority:** 🟢 Low  ", "**Status:** Active", "", "---", "",
        "## Summary", "", "Nothing much.", "", "## Cross-References", "", "- none", "", "## Keywords", "",
        "alpha, beta, gamma, delta", "", "---", "", "**Location:** `/sima/`  ", "**Total Lines:** {n}",
    ]
    lines[-1] = lines[-1].format(n=len(lines) if total is None else total)
    return "\n".join(lines) + ("\n" if final_newline else "")


def make_kb(tmp_path: Path) -> Path:
    """Four files to fix, one clean, one with BOM and CRLF endings to fix elsewhere."""
    root = tmp_path / "sima"
    root.mkdir()
    files = {
        "DEC-01.md": entry("DEC-01.md", total=3),
        "DEC-02.md": entry("DEC-02.md", final_newline=False),
        "DEC-03.md": entry("DEC-03.md", title="# DEC-99.md"),
        "DEC-04.md": entry("DEC-04.md", total=1000),
        "DEC-05.md": entry("DEC-05.md"),
    }
    for name, text in files.items():
        (root / name).write_bytes(text.encode())
    (root / "DEC-06.md").write_bytes(BOM + entry("DEC-06.md", total=7).replace("\n", "\r\n").encode())
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under the root (dot files too): bytes and mtime_ns."""
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


def expected_after(root: Path) -> dict[str, bytes]:
    """What a fault-free `--fix` writes (computed without writing)."""
    return {fix.relpath: fix.after for fix in _plan(root)}


def fix(root: Path, *extra: str):
    """`sima-check --fix` on the root, in-process."""
    cwd = os.getcwd()
    os.chdir(root.parent)
    try:
        return CliRunner().invoke(main, ["--fix", "--no-cache", "--jobs", "1", *extra])
    finally:
        os.chdir(cwd)


def assert_old_or_new(root: Path, before: dict, after: dict[str, bytes]) -> None:
    """Each file has its old bytes or its fixed bytes; no temporary file is left."""
    now = snapshot(root)
    assert sorted(now) == sorted(before), sorted(set(now) ^ set(before))  # no `.x.md.*.tmp` left
    for rel, (data, _) in now.items():
        assert data in (before[rel][0], after.get(rel, before[rel][0])), rel


def test_a_fault_free_fix_changes_exactly_the_files_to_fix(tmp_path):
    root = make_kb(tmp_path)
    before, after = snapshot(root), expected_after(root)
    assert sorted(after) == ["DEC-01.md", "DEC-02.md", "DEC-03.md", "DEC-04.md", "DEC-06.md"]
    result = fix(root)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    now = snapshot(root)
    for rel in before:
        assert now[rel][0] == after.get(rel, before[rel][0]), rel
    assert now["DEC-05.md"] == before["DEC-05.md"]  # same bytes, same mtime_ns
    assert fix(root).exit_code == 0 and snapshot(root) == now  # idempotent: nothing rewritten


@pytest.mark.parametrize("where", ["replace", "fsync", "chmod", "mkstemp", "write-half", "close"])
@pytest.mark.parametrize("nth", [1, 3])
def test_an_os_error_mid_write_leaves_old_or_new_and_no_temp_file(tmp_path, monkeypatch, where, nth):
    root = make_kb(tmp_path)
    before, after = snapshot(root), expected_after(root)
    calls = {"n": 0}

    def fail_on_nth() -> None:
        calls["n"] += 1
        if calls["n"] == nth:
            raise OSError(errno.ENOSPC, "No space left on device")

    inject(monkeypatch, where, fail_on_nth)
    result = fix(root)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("sima-check: error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0], result.stderr
    assert_old_or_new(root, before, after)
    assert snapshot(root)["DEC-05.md"] == before["DEC-05.md"]
    changed = [rel for rel in after if snapshot(root)[rel][0] == after[rel]]
    assert len(changed) == len(after) - 1  # only the file whose write failed kept its old bytes


@pytest.mark.parametrize("where", ["replace", "fsync", "write-half", "close"])
def test_any_exception_mid_write_leaves_old_or_new_and_no_temp_file(tmp_path, monkeypatch, where):
    root = make_kb(tmp_path)
    before, after = snapshot(root), expected_after(root)
    fixes = _plan(root)

    def boom() -> None:
        raise KeyboardInterrupt  # not an OSError: escapes atomic_write's error handling

    inject(monkeypatch, where, boom)
    with pytest.raises(KeyboardInterrupt):
        apply(fixes, root)
    assert_old_or_new(root, before, after)
    assert snapshot(root)["DEC-05.md"] == before["DEC-05.md"]


def inject(monkeypatch: pytest.MonkeyPatch, where: str, fault) -> None:
    """Make one step of `checker.fix.write.atomic_write` call `fault` first."""
    real_os = checker.fix.write.os
    if where in ("replace", "fsync", "chmod"):
        real = getattr(real_os, where)

        def patched(*args, **kwargs):
            fault()
            return real(*args, **kwargs)

        monkeypatch.setattr(real_os, where, patched)
    elif where == "mkstemp":
        real_mkstemp = checker.fix.write.tempfile.mkstemp

        def mkstemp(*args, **kwargs):
            fault()
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(checker.fix.write.tempfile, "mkstemp", mkstemp)
    else:  # "write-half": half the bytes reach the temp file, then the write fails; "close": at close
        real_fdopen = real_os.fdopen

        class Faulty:
            def __init__(self, fh) -> None:
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc) -> None:
                try:
                    if where == "close" and exc[0] is None:
                        fault()
                finally:
                    self.fh.close()

            def write(self, data: bytes) -> int:
                if where != "write-half":
                    return self.fh.write(data)
                half = len(data) // 2
                self.fh.write(data[:half])
                fault()
                return half + self.fh.write(data[half:])

            def __getattr__(self, name):
                return getattr(self.fh, name)

        monkeypatch.setattr(real_os, "fdopen", lambda fd, *a, **k: Faulty(real_fdopen(fd, *a, **k)))


def test_a_killed_fix_leaves_the_old_file_and_a_stray_temp_is_ignored(tmp_path):
    root = make_kb(tmp_path)
    before = snapshot(root)
    # The process dies (SIGKILL) after writing the temp file, before the rename.
    script = (
        "import os, signal, checker.fix.write as w\n"
        "w.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from checker.cli import main; main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script, "--fix", "--no-cache", "--jobs", "1"],
                          cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    now = snapshot(root)
    stray = sorted(set(now) - set(before))
    assert len(stray) == 1 and stray[0].startswith(".DEC-01.md.") and stray[0].endswith(".tmp"), stray
    assert all(now[rel] == before[rel] for rel in before)  # every file as it was
    # The next run neither checks nor reports the leftover, and fixes as usual.
    result = fix(root)
    assert ".tmp" not in result.output and result.exit_code in (0, 1), result.output


def test_bom_and_crlf_stay_when_their_rule_is_not_fixed(tmp_path):
    root = make_kb(tmp_path)
    path = root / "DEC-06.md"
    old = path.read_bytes()
    for extra in (["--ignore", "SIMA603"], ["--select", "SIMA202"]):
        path.write_bytes(old)
        fix(root, *extra)
        new = path.read_bytes()
        assert new != old and new.startswith(BOM)
        assert new.count(b"\r\n") == old.count(b"\r\n") and b"\n" not in new.replace(b"\r\n", b"")
        assert new.replace(b"**Total Lines:** 29", b"**Total Lines:** 7") == old  # only the number changed
    path.write_bytes(old)
    fix(root)  # SIMA603 active: now the BOM and CRLF go
    assert not path.read_bytes().startswith(BOM) and b"\r" not in path.read_bytes()


def test_lone_cr_and_mixed_endings_stay_when_not_fixed(tmp_path):
    root = tmp_path / "sima"
    root.mkdir()
    lines = entry("DEC-07.md", total=2).split("\n")
    endings = ["\r\n", "\r", "\n"]
    data = "".join(line + endings[i % 3] for i, line in enumerate(lines[:-1])).encode()
    path = root / "DEC-07.md"
    path.write_bytes(data)
    fix(root, "--ignore", "SIMA603")
    new = path.read_bytes()
    assert new != data
    assert [m for m in new.split(b"**Total Lines:**")[0]] == [m for m in data.split(b"**Total Lines:**")[0]]
    assert new.count(b"\r\n") == data.count(b"\r\n") and new.count(b"\r") == data.count(b"\r")


def test_files_with_nothing_to_fix_are_never_opened_for_writing(tmp_path, monkeypatch):
    root = make_kb(tmp_path)
    written: list[str] = []
    real = checker.fix.write.atomic_write

    def spy(path, data, root_):
        written.append(Path(path).name)
        return real(path, data, root_)

    monkeypatch.setattr("checker.fix.plan.atomic_write", spy)
    before = snapshot(root)
    fix(root)
    assert "DEC-05.md" not in written and sorted(written) == ["DEC-01.md", "DEC-02.md", "DEC-03.md", "DEC-04.md", "DEC-06.md"]
    assert snapshot(root)["DEC-05.md"] == before["DEC-05.md"]


@pytest.mark.parametrize("case", ["mojibake", "crlf-cr-mix", "title-spaces", "yaml-alias-bomb", "many-links"])
def test_fix_on_adversarial_files_ends_and_is_idempotent(tmp_path, case):
    from hostile.hostile_cases import CASES

    root = tmp_path / "sima" / "x"
    root.mkdir(parents=True)
    path = root / "X_AWS-LESS-01.md"
    path.write_bytes(CASES[case](1))
    cmd = [sys.executable, "-c", "from checker.cli import main; main()", "--no-cache", "--jobs", "1", "--fix"]
    first = subprocess.run(cmd, cwd=tmp_path, capture_output=True, timeout=60)
    assert first.returncode in (0, 1) and b"Traceback" not in first.stderr, first.stderr[-2000:]
    once = path.read_bytes()
    second = subprocess.run(cmd, cwd=tmp_path, capture_output=True, timeout=60)
    assert second.returncode in (0, 1) and path.read_bytes() == once  # nothing left to fix
    assert sorted(p.name for p in root.iterdir()) == ["X_AWS-LESS-01.md"]


def _plan(root):
    """What --fix would change in the KB at root."""
    loaded = load(root, Config())
    return plan(loaded.checked, loaded.kb, root)

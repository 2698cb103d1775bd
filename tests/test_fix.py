"""`--fix` and `--diff`: each fixable rule, byte-exact preservation, atomic idempotent writes."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from checker.cli import main
from checker.config import Config
from checker.fix.plan import Doc, plan
from helpers import load
from checker.parse.scan import parse_bytes
from checker.fix.write import WriteError, atomic_write

REPO = Path(__file__).resolve().parents[1]
SEED = "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"
CORPUS = REPO / ".." / "shared" / "corpus" / "sima-public-2025-11-01"


def entry(name: str, body: str = "", *, title: str | None = None, total: int | None = None,
          location: str = "/sima/", nl: str = "\n", refid: str | None = None) -> str:
    """A small entry that passes the entry rules; `total` None means its real line count."""
    lines = [
        title if title is not None else f"# {name}",
        "",
        "**Version:** 1.0.0  ",
        "**Date:** 2025-11-01  ",
        "**Purpose:** A small entry for tests",
        f"**REF-ID:** {refid or name[:-3]}  ",
        "**Category:** Test  ",
        "**Type:** DEC (Decision)  ",
        "**Priority:** 🟢 Low  ",
        "**Status:** Active",
        "",
        "---",
        "",
        "## Summary",
        "",
        body or "Nothing much.",
        "",
        "## Cross-References",
        "",
        "- none",
        "",
        "## Keywords",
        "",
        "alpha, beta, gamma, delta",
        "",
        "---",
        "",
        f"**Location:** `{location}`  ",
        "**Total Lines:** {n} (≤400 for SIMAv4)",
    ]
    lines[-1] = lines[-1].format(n=len(lines) if total is None else total)
    return nl.join(lines) + nl


def write_kb(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """Write files under tmp_path/sima; returns the KB root."""
    root = tmp_path / "sima"
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def cli(tmp_path: Path, monkeypatch, *args: str):
    """Run sima-check in tmp_path; returns (exit_code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file under root."""
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


# -- the acceptance case ------------------------------------------------------------------


def test_seed_copy_gets_its_total_lines_fixed_and_nothing_else(tmp_path, monkeypatch):
    root = tmp_path / "sima"
    shutil.copytree(REPO / "sima", root)
    seed = root / SEED
    copy = seed.with_name("AWS-General-ProcessingPatternsCopy_AWS-LESS-01.md")
    lines = seed.read_bytes().decode("utf-8").split("\n")
    lines[0] = f"# {copy.name}"
    copy.write_bytes("\n".join(lines).encode("utf-8"))
    seed.unlink()
    others = {p: p.read_bytes() for p in root.rglob("*.md") if p != copy}
    assert len(others) == 4

    cli(tmp_path, monkeypatch, "--fix")

    after = copy.read_bytes().decode("utf-8").split("\n")
    assert len(after) == len(lines)
    changed = [(i + 1, a, b) for i, (a, b) in enumerate(zip(lines, after)) if a != b]
    assert changed == [(321, "**Total Lines:** 298 (≤400 for SIMAv4)  ", "**Total Lines:** 322 (≤400 for SIMAv4)  ")]
    # The others cite the seed by its old name; its REF-ID now names the copy (SIMA301, renamed).
    renamed = {p: b.replace(seed.name.encode(), copy.name.encode()) for p, b in others.items()}
    assert {p: p.read_bytes() for p in others} == renamed != others

    before = snapshot(root)
    cli(tmp_path, monkeypatch, "--fix")
    assert snapshot(root) == before  # idempotent: same bytes, same mtimes
    assert (REPO / "sima" / SEED).read_bytes().count(b"298 (") == 1  # the real seed is untouched


def test_check_without_fix_never_writes(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"DEC-90.md": entry("DEC-90.md", total=3, title="# Wrong.md", nl="\r\n")})
    before = snapshot(root)
    code, out, _ = cli(tmp_path, monkeypatch)
    assert code == 1 and "SIMA101" in out
    assert snapshot(root) == before


# -- each fixable rule --------------------------------------------------------------------


def fix_one(tmp_path, monkeypatch, content: str | bytes, *args: str, name: str = "DEC-90.md", extra=None) -> bytes:
    """Fix one file in a fresh KB; returns its new bytes."""
    write_kb(tmp_path, {name: content, **(extra or {})})
    cli(tmp_path, monkeypatch, "--fix", *args)
    return (tmp_path / "sima" / name).read_bytes()


@pytest.mark.parametrize(
    "title, fixed",
    [
        ("# DEC-89.md", "# DEC-90.md"),
        ("# File: DEC-89.md", "# File: DEC-90.md"),
        ("# DEC-89.md - Sentinels", "# DEC-90.md - Sentinels"),
        ("# Sentinels at the boundary", "# DEC-90.md - Sentinels at the boundary"),
        ("#\tDEC-89.md", "# DEC-90.md"),
    ],
)
def test_sima101_rewrites_the_title(tmp_path, monkeypatch, title, fixed):
    out = fix_one(tmp_path, monkeypatch, entry("DEC-90.md", title=title)).decode()
    assert out.split("\n")[0] == fixed
    assert out.split("\n")[1:] == entry("DEC-90.md").split("\n")[1:]


def test_sima101_inserts_a_missing_title_and_updates_total_lines(tmp_path, monkeypatch):
    text = entry("DEC-90.md").split("\n", 2)[2]  # drop the H1 and the blank line after it
    text = text.replace("**Total Lines:** 29 ", "**Total Lines:** 27 ")
    out = fix_one(tmp_path, monkeypatch, text).decode()
    assert out == entry("DEC-90.md")
    assert "**Total Lines:** 29 (" in out


def test_sima101_title_after_leading_blank_lines(tmp_path, monkeypatch):
    out = fix_one(tmp_path, monkeypatch, "\n\n" + entry("DEC-90.md")).decode()
    assert out == entry("DEC-90.md")


def test_sima202_rewrites_total_lines(tmp_path, monkeypatch):
    out = fix_one(tmp_path, monkeypatch, entry("DEC-90.md", total=298)).decode()
    assert out == entry("DEC-90.md")


def test_sima203_rewrites_location(tmp_path, monkeypatch):
    out = fix_one(tmp_path, monkeypatch, entry("DEC-90.md", location="/sima/aws/"), name="a/b/DEC-90.md").decode()
    assert out == entry("DEC-90.md", location="/sima/a/b/")


ARCH = "entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md"


@pytest.mark.parametrize(
    "written, fixed",
    [
        ("- dec-91.md - bare name", "- DEC-91.md - bare name"),
        ("- /sima/entries/core/ARCH-SUGA_Single-Universal-Gateway-Architecture.md - kb path",
         "- /sima/entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md - kb path"),
        ("- `/sima/Entries/Core/arch-suga_single universal gateway architecture.md`",
         "- `/sima/entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md`"),
        ("- [gateway](../core/ARCH-SUGA_Single%20Universal%20Gateway%20architecture.md#summary) - link",
         "- [gateway](../core/ARCH-SUGA_Single%20Universal%20Gateway%20Architecture.md#summary) - link"),
        ("- [gateway](<../core/ARCH-SUGA_Single Universal Gateway architecture.md>)",
         "- [gateway](<../core/ARCH-SUGA_Single Universal Gateway Architecture.md>)"),
        ("- [same folder](./dec-91.md)", "- [same folder](./DEC-91.md)"),
        ("- ../decisions/Dec-91.md - relative", "- ../decisions/DEC-91.md - relative"),
    ],
)
def test_sima302_rewrites_near_misses_keeping_their_syntax(tmp_path, monkeypatch, written, fixed):
    extra = {ARCH: entry(ARCH.rsplit("/", 1)[1], refid="ARCH-SUGA"), "entries/decisions/DEC-91.md": entry("DEC-91.md")}
    src = entry("DEC-90.md", body=written)
    name = "entries/decisions/DEC-90.md"
    out = fix_one(tmp_path, monkeypatch, src, "--select", "SIMA302", name=name, extra=extra).decode()
    assert out == entry("DEC-90.md", body=fixed)
    code, stdout, _ = cli(tmp_path, monkeypatch, "--select", "SIMA3")
    assert "SIMA302" not in stdout and "SIMA301" not in stdout


def test_sima602_repairs_lossless_mojibake_only(tmp_path, monkeypatch):
    garbled = "Status: " + "✅ done".encode("utf-8").decode("cp1252")
    lossy = "Broken: â€ here ✅ and â€"
    out = fix_one(tmp_path, monkeypatch, entry("DEC-90.md", body=garbled + "\n\n" + lossy)).decode()
    assert "Status: ✅ done" in out and lossy in out


def test_sima603_lf_and_no_bom(tmp_path, monkeypatch):
    data = b"\xef\xbb\xbf" + entry("DEC-90.md", nl="\r\n").encode()
    assert fix_one(tmp_path, monkeypatch, data).decode() == entry("DEC-90.md")


def test_sima603_lone_cr(tmp_path, monkeypatch):
    data = entry("DEC-90.md", nl="\r").encode()
    assert fix_one(tmp_path, monkeypatch, data).decode() == entry("DEC-90.md")


def test_sima604_adds_the_final_newline(tmp_path, monkeypatch):
    text = entry("DEC-90.md")
    assert fix_one(tmp_path, monkeypatch, text.rstrip("\n")).decode() == text


def test_crlf_file_stays_crlf_when_sima603_is_ignored(tmp_path, monkeypatch):
    text = entry("DEC-90.md", nl="\r\n", total=5, title="# Old.md").rstrip("\r\n")  # also no final newline
    out = fix_one(tmp_path, monkeypatch, text, "--ignore", "SIMA603")
    assert out == entry("DEC-90.md", nl="\r\n").encode()
    assert out.count(b"\r\n") == out.count(b"\n")


def test_bom_kept_when_sima603_is_ignored(tmp_path, monkeypatch):
    data = b"\xef\xbb\xbf" + entry("DEC-90.md", total=7).encode()
    out = fix_one(tmp_path, monkeypatch, data, "--ignore", "line-endings")
    assert out == b"\xef\xbb\xbf" + entry("DEC-90.md").encode()


def test_only_active_rules_are_fixed(tmp_path, monkeypatch):
    src = entry("DEC-90.md", total=5, location="/sima/x/")
    out = fix_one(tmp_path, monkeypatch, src, "--select", "SIMA203").decode()
    assert out == entry("DEC-90.md", total=5)


def test_suppressed_findings_are_not_fixed(tmp_path, monkeypatch):
    src = entry("DEC-90.md", body="<!-- sima-check: disable=SIMA202 -- kept on purpose -->", total=5)
    assert fix_one(tmp_path, monkeypatch, src).decode() == src


def test_mode_is_kept(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"DEC-90.md": entry("DEC-90.md", total=5)})
    path = root / "DEC-90.md"
    os.chmod(path, 0o640)
    cli(tmp_path, monkeypatch, "--fix")
    assert path.read_text() == entry("DEC-90.md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in root.iterdir()] == ["DEC-90.md"]  # no temporary file left behind


def test_undecodable_and_symlinked_files_are_left_alone(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"Latin.md": entry("Latin.md", total=3).encode("utf-8") + b"caf\xe9\n",
                               ".hidden/Real.md": entry("Real.md", total=3)})
    (root / "Link.md").symlink_to(".hidden/Real.md")  # read as Link.md: its H1 and count are off
    before = snapshot(root)
    code, out, _ = cli(tmp_path, monkeypatch, "--fix")
    assert "Link.md:1:3: SIMA101" in out and "Latin.md:" in out
    assert snapshot(root) == before
    assert (root / "Link.md").is_symlink()


def test_exit_code_and_report_reflect_what_remains(tmp_path, monkeypatch):
    write_kb(tmp_path, {"DEC-90.md": entry("DEC-90.md", title="# Old.md", total=3)})
    code, out, err = cli(tmp_path, monkeypatch, "--fix")
    assert code == 0 and "SIMA101" not in out and "SIMA202" not in out
    assert "fixed 1 file" in err
    write_kb(tmp_path, {"DEC-91.md": entry("DEC-91.md", body="see Missing.md", total=3)})
    code, out, _ = cli(tmp_path, monkeypatch, "--fix")
    assert code == 1 and "SIMA301" in out and "SIMA202" not in out


def test_fix_is_limited_to_explicit_file_arguments(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"DEC-90.md": entry("DEC-90.md", total=3), "DEC-91.md": entry("DEC-91.md", total=3)})
    cli(tmp_path, monkeypatch, "--fix", "sima/DEC-91.md")
    assert (root / "DEC-90.md").read_text() == entry("DEC-90.md", total=3)
    assert (root / "DEC-91.md").read_text() == entry("DEC-91.md")


# -- --diff -------------------------------------------------------------------------------


def test_diff_prints_and_writes_nothing(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"a/DEC-90.md": entry("DEC-90.md", total=3, location="/sima/a/")})
    before = snapshot(root)
    code, out, _ = cli(tmp_path, monkeypatch, "--diff")
    assert snapshot(root) == before
    assert code == 1
    assert out.startswith("--- a/sima/a/DEC-90.md\n+++ b/sima/a/DEC-90.md\n@@ ")
    assert "-**Total Lines:** 3 (≤400 for SIMAv4)\n+**Total Lines:** 29 (≤400 for SIMAv4)\n" in out
    cli(tmp_path, monkeypatch, "--fix", "--diff")  # --diff wins: still a preview
    assert snapshot(root) == before
    cli(tmp_path, monkeypatch, "--fix")
    assert cli(tmp_path, monkeypatch, "--diff")[:2] == (0, "")


def test_diff_exit_code_counts_remaining_findings(tmp_path, monkeypatch):
    write_kb(tmp_path, {"DEC-90.md": entry("DEC-90.md", body="see Missing.md")})
    assert cli(tmp_path, monkeypatch, "--diff")[:2] == (1, "")
    assert cli(tmp_path, monkeypatch, "--diff", "--fail-on", "never")[:2] == (0, "")


def test_diff_marks_a_missing_final_newline(tmp_path, monkeypatch):
    write_kb(tmp_path, {"DEC-90.md": entry("DEC-90.md").rstrip("\n")})
    code, out, _ = cli(tmp_path, monkeypatch, "--diff")
    assert "-**Total Lines:** 29 (≤400 for SIMAv4)\n\\ No newline at end of file\n+**Total Lines:** 29 (≤400 for SIMAv4)\n" in out


def test_diff_paths_are_relative_to_the_working_directory(tmp_path, monkeypatch):
    write_kb(tmp_path / "kb", {"DEC-90.md": entry("DEC-90.md", total=1)})
    (tmp_path / "sub").mkdir()
    code, out, _ = cli(tmp_path / "sub", monkeypatch, "--diff", "--root", "../kb/sima")
    assert out.startswith("--- a/../kb/sima/DEC-90.md\n+++ b/../kb/sima/DEC-90.md\n")


# -- writes -------------------------------------------------------------------------------


def test_atomic_write_refuses_outside_the_root_and_symlinks(tmp_path):
    (tmp_path / "kb").mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text("x")
    with pytest.raises(WriteError):
        atomic_write(outside, b"y", tmp_path / "kb")
    link = tmp_path / "kb" / "link.md"
    link.symlink_to(outside)
    with pytest.raises(WriteError):
        atomic_write(link, b"y", tmp_path / "kb")
    assert outside.read_text() == "x"


# -- properties ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab ✅#*\u2028\x0c", max_size=6), st.sampled_from(["\n", "\r\n", "\r", ""]))), st.booleans())
def test_doc_round_trips_bytes_exactly(parts, bom):
    data = ("\ufeff" if bom else "") + "".join(line + end for line, end in parts)
    raw = data.encode("utf-8")
    assert Doc.of(parse_bytes("X.md", raw)).encode() == raw


@pytest.mark.skipif(not CORPUS.is_dir(), reason="public SIMA corpus not present beside the repository")
def test_corpus_fix_is_idempotent_and_keeps_line_structure(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(CORPUS, root, symlinks=True)
    config = Config()
    loaded = load(root, config)
    for entry_ in loaded.entries.values():
        if not entry_.encoding_error and entry_.relpath not in loaded.kb.outside_links:
            assert Doc.of(entry_).encode() == (root / entry_.relpath).read_bytes()
    fixes = plan(loaded.checked, loaded.kb, root)
    assert fixes, "the corpus has stale Total Lines to fix"
    from checker.fix.plan import apply

    assert apply(fixes, root) == []
    again = load(root, config)
    assert plan(again.checked, again.kb, root) == []


_PIECES = [
    "# DEC-90.md", "# Other.md", "#Title", "## Summary", "", "---", "**Total Lines:** 3", "**Lines:** 12 (≤400)",
    "**Location:** `/sima/x/`", "**Location:** /sima/", "see dec-91.md", "see /sima/Dec-91.md here",
    "[l](dec-91.md#x)", "[l](<dec-91.md>)", "**Related:** dec-91.md, DEC-91", "âœ… ok", "â€ lossy",
    "```", "<!-- sima-check: disable-next-line=SIMA202 -->", "\ufeff", "# File: x.md - sub",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(["\n", "\r\n", "\r"])), max_size=12),
       st.booleans(), st.booleans())
def test_fix_never_crashes_and_is_idempotent(parts, bom, final):
    from checker.fix.plan import fix_entry
    from checker.kb.index import KnowledgeBase

    text = ("\ufeff" if bom else "") + "".join(p + e for p, e in parts)
    if not final and parts:
        text = text[: -len(parts[-1][1])]
    other = parse_bytes("DEC-91.md", entry("DEC-91.md").encode())
    first = parse_bytes("DEC-90.md", text.encode("utf-8"))
    config = Config()
    fixed = fix_entry(first, KnowledgeBase([first, other]), config)
    if fixed is None:
        return
    again = parse_bytes("DEC-90.md", fixed)
    assert fix_entry(again, KnowledgeBase([again, other]), config) is None


def test_undecodable_file_name_is_not_written_into_the_title(tmp_path, monkeypatch):
    root = tmp_path / "sima"
    root.mkdir()
    path = os.path.join(os.fsencode(root), b"caf\xe9.md")
    with open(path, "wb") as fh:
        fh.write(b"# x.md\n")
    assert cli(tmp_path, monkeypatch, "--diff")[:2] == (1, "")
    code, _, err = cli(tmp_path, monkeypatch, "--fix", "--output", "report.txt")
    assert code == 1 and "SIMA101" in (tmp_path / "report.txt").read_text() and err == ""
    with open(path, "rb") as fh:
        assert fh.read() == b"# x.md\n"


def test_write_failure_is_a_one_line_error_and_exit_2(tmp_path, monkeypatch):
    import checker.fix.write

    root = write_kb(tmp_path, {"ro/DEC-90.md": entry("DEC-90.md", total=3, location="/sima/ro/")})
    before = snapshot(root)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(checker.fix.write.os, "replace", refuse)
    code, _, err = cli(tmp_path, monkeypatch, "--fix")
    assert code == 2
    assert err == "sima-check: error: sima/ro/DEC-90.md: cannot write: Permission denied\n"
    assert snapshot(root) == before  # the temporary file is gone too


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_applies_with_git_apply_and_gives_what_fix_gives(tmp_path, monkeypatch):
    import subprocess

    files = {"a b/DEC-90 x.md": entry("DEC-90 x.md", total=3, location="/sima/", nl="\r\n", refid="DEC-90"),
             "DEC-91.md": entry("DEC-91.md", body="see dec-90 x.md").rstrip("\n")}
    write_kb(tmp_path / "one", files)
    write_kb(tmp_path / "two", files)
    code, _, _ = cli(tmp_path / "one", monkeypatch, "--diff", "--output", str(tmp_path / "p.diff"))
    assert code == 1 and b"--- a/sima/a b/DEC-90 x.md\t\n" in (tmp_path / "p.diff").read_bytes()
    cli(tmp_path / "two", monkeypatch, "--fix")
    subprocess.run(["git", "apply", "-p1", str(tmp_path / "p.diff")], cwd=tmp_path / "one", check=True, capture_output=True)
    assert snapshot(tmp_path / "one" / "sima").keys() == snapshot(tmp_path / "two" / "sima").keys()
    for rel in files:
        assert (tmp_path / "one" / "sima" / rel).read_bytes() == (tmp_path / "two" / "sima" / rel).read_bytes()

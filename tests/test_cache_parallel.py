"""The fast path (parallel, cached) gives byte-identical output to the plain one.

Plain means `--no-cache --jobs 1` and, one step further, a reference check (`plain`) with every
file fully in memory. Compared on the shipped KB, a generated KB with violations and the
public corpus, cold and warm, with 1 to 3 processes, after edits, and with a damaged cache.
"""
from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.run import cache as C
from checker.cli import main
from checker.config import Config
from checker.kb.discover import discover, outside_entry, read_bytes, parse_file
from checker.kb.index import KnowledgeBase
from checker.run.engine import check_parsed
from checker.parse.refid import DEFAULT_PATTERNS, grammar
from checker.parse.refs import _MENTION_HINT, may_cite, scan_line
from checker.reporters import REPORTERS
from helpers import CORPUS, REPO

GENERATOR = REPO / "tests" / "benchmarks" / "generate.py"


def _generator():
    spec = importlib.util.spec_from_file_location("sima_bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def cli(cwd: Path, *args: str) -> tuple[int, str]:
    """(exit code, stdout) of sima-check run in `cwd`."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["--no-color", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout


def plain(cwd: Path, root: str, fmt: str) -> str:
    """The report of a reference check: every file fully parsed into a KB of full summaries,
    each checked in this process by the engine alone (no pipeline, no cache, no workers)."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        config = Config()
        markdown, other, outside = discover(Path(root), config)
        entries, errors = [], []
        for rel in markdown:
            try:
                entries.append(parse_file(rel, read_bytes(Path(root), rel), config))
            except OSError as exc:
                errors.append((rel, exc.strerror))
        entries += [outside_entry(rel, config) for rel in outside]
        entries.sort(key=lambda e: e.relpath)
        kb = KnowledgeBase(entries, frozenset(other), frozenset(outside), config)
        result = check_parsed(entries, kb, Path(root))
        result.io_errors = errors
        return REPORTERS[fmt](result, colour=False)
    finally:
        os.chdir(old)


def same_everywhere(cwd: Path, target: str, cache: Path, runs: list[list[str]]) -> None:
    """Every way of running gives the plain report, in JSON and in text."""
    for fmt in ("json", "text"):
        code, want = cli(cwd, target, "--format", fmt, "--no-cache", "--jobs", "1")
        assert want == plain(cwd, target, fmt)
        shutil.rmtree(cache, ignore_errors=True)
        for args in runs:
            assert cli(cwd, target, "--format", fmt, "--cache-dir", str(cache), *args) == (code, want), args


WAYS = [["--jobs", "1"], ["--jobs", "1"], ["--jobs", "2"], ["--jobs", "3"], []]  # cold, then warm


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated KB of ~300 files with about 3% violations, under `<dir>/sima`."""
    base = tmp_path_factory.mktemp("gen")
    plans = _generator().generate(base / "sima", 300, seed=7)
    assert sum(1 for p in plans if p.violation) >= 3
    return base


def test_shipped_kb(tmp_path: Path) -> None:
    same_everywhere(REPO, "sima", tmp_path / "cache", WAYS)


def test_generated_kb(generated: Path, tmp_path: Path) -> None:
    code, out = cli(generated, "sima", "--no-cache")
    assert code == 1 and "error" in out  # the violations are there to be found
    same_everywhere(generated, "sima", tmp_path / "cache", WAYS + [["--no-cache", "--jobs", "2"]])


def test_corpus(corpus: Path, tmp_path: Path) -> None:
    same_everywhere(corpus.parent, corpus.name, tmp_path / "cache", [["--jobs", "2"], ["--jobs", "1"]])


def test_single_file_inside_the_kb(generated: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    one = next(p for p in sorted((generated / "sima").rglob("*.md")) if "Index" not in p.name)
    rel = one.relative_to(generated).as_posix()
    want = cli(generated, rel, "--format", "json", "--no-cache")
    cli(generated, "sima", "--cache-dir", cache)  # a full run fills the cache
    assert cli(generated, rel, "--format", "json", "--cache-dir", cache) == want
    assert cli(generated, rel, "--format", "json", "--cache-dir", cache, "--jobs", "2") == want


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src / "sima", dst / "sima")
    return dst


@pytest.mark.parametrize("edit", ["body", "heading", "add", "delete", "refid"])
def test_edits_after_a_warm_cache(generated: Path, tmp_path: Path, edit: str) -> None:
    base = _copy(generated, tmp_path / "kb")
    cache = str(tmp_path / "cache")
    cli(base, "sima", "--cache-dir", cache)
    files = sorted((base / "sima").rglob("*.md"))
    target = next(p for p in files if "Index" not in p.name and "README" not in p.name)
    text = target.read_text(encoding="utf-8")
    if edit == "body":
        target.write_text(text + "\nSee Missing-Entry_AWS-LESS-999.md for more.\n", encoding="utf-8")
    elif edit == "heading":  # other files link to its headings: their findings change too
        target.write_text(text.replace("## Summary", "## Overview"), encoding="utf-8")
    elif edit == "add":
        (target.parent / "Extra-Note_AWS-LESS-998.md").write_text(f"# Extra-Note_AWS-LESS-998.md\n\nSee {target.name}.\n", encoding="utf-8")
    elif edit == "delete":
        target.unlink()
    else:
        target.write_text(text.replace("**REF-ID:** ", "**REF-ID:** ZZZ-LESS-01 ", 1), encoding="utf-8")
    for args in (["--jobs", "1"], ["--jobs", "2"]):
        assert cli(base, "sima", "--format", "json", "--cache-dir", cache, *args) == cli(
            base, "sima", "--format", "json", "--no-cache"
        )


def test_a_damaged_cache_is_ignored(generated: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    want = cli(generated, "sima", "--format", "json", "--no-cache")
    cli(generated, "sima", "--cache-dir", str(cache))
    tables = sorted((cache / C.LAYOUT).glob("*.pickle"))
    assert {p.name.split("-")[0] for p in tables} == {"index", "findings", "kbstate"}
    writer = C.Cache(cache)

    def framed(value) -> bytes:  # a well-formed cache file holding the wrong thing
        writer._store("probe", value)
        return (cache / C.LAYOUT / "probe").read_bytes()

    real = tables[0].read_bytes()
    flipped = real[:-5] + bytes([real[-5] ^ 1]) + real[-4:]
    damages = [
        b"not a pickle", b"", real[: len(real) // 2], flipped, framed(["wrong type"]), framed({"x": ("bad", "row")}),
        framed({"state": b"junk"}), framed({"sima/README.md": (None, "d", "not bytes", "", None, "doc")}),
    ]
    for damage in damages:
        for table in tables:
            table.write_bytes(damage)
        assert cli(generated, "sima", "--format", "json", "--cache-dir", str(cache)) == want
        tables = sorted(p for p in (cache / C.LAYOUT).glob("*.pickle") if p.name != "probe")


def test_an_unusable_cache_dir_is_not_an_error(generated: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    want = cli(generated, "sima", "--format", "json", "--no-cache")
    assert cli(generated, "sima", "--format", "json", "--cache-dir", str(blocker)) == want


def test_the_cache_never_lands_in_the_knowledge_base(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "sima", kb)
    want = cli(kb, ".", "--format", "json", "--no-cache")
    assert cli(kb, ".", "--format", "json") == want  # default `.sima-check-cache/` in the KB root:
    assert cli(kb, ".", "--format", "json") == want  # hidden from discovery, results unchanged
    assert (kb / ".sima-check-cache").is_dir()
    assert cli(kb, ".", "--format", "json", "--cache-dir", "cachedir") == want
    assert not (kb / "cachedir").exists()  # a visible folder inside the KB is never written


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    code, _ = cli(REPO, "--jobs", "0")
    assert code == 2


@pytest.mark.parametrize("setting", [
    "line-limit = 50", "required-sections = ['Summary', 'Nowhere']", "keywords-min = 9", "keywords-max = 2",
    "required-fields = {entry = ['Version', 'Owner']}", "priority-legend = {High = '🟢'}",
    "[[tool.sima-check.overrides]]\npaths = ['*']\nline-limit = 60",
])
def test_a_changed_setting_is_never_answered_from_the_cache(tmp_path: Path, setting: str) -> None:
    """The cached KB state holds indexes, not the settings the rules read (it once held both)."""
    shutil.copytree(REPO / "sima", tmp_path / "sima")
    cache = str(tmp_path / "cache")
    before = cli(tmp_path, "sima", "--format", "json", "--cache-dir", cache)
    (tmp_path / "pyproject.toml").write_text(f"[tool.sima-check]\n{setting}\n", encoding="utf-8")
    want = cli(tmp_path, "sima", "--format", "json", "--no-cache")
    assert want != before
    assert cli(tmp_path, "sima", "--format", "json", "--cache-dir", cache) == want
    assert cli(tmp_path, "sima", "--format", "json", "--cache-dir", cache) == want  # warm


def test_jobs_never_start_more_processes_than_files_or_a_few_per_cpu(tmp_path: Path) -> None:
    from checker.run.pool import PER_CPU_MAX, cpu_count, jobs_for

    assert jobs_for(100_000, 5) == 5
    assert jobs_for(100_000, 10**6) == PER_CPU_MAX * cpu_count()
    assert jobs_for(3, 0) == 1 and jobs_for(None, 0) == 1
    want = cli(REPO, "sima", "--format", "json", "--no-cache", "--jobs", "1")
    assert cli(REPO, "sima", "--format", "json", "--no-cache", "--jobs", "100000") == want  # 5 files: 5 processes


def test_a_racy_stamp_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("x")
    st = os.stat(path)
    assert C.stamp(st, st.st_mtime_ns + 10**9) is None
    assert C.same_file(C.stamp(st, st.st_mtime_ns + 10**10), st)


# The parser's pre-tests must never hide a reference that the full scan would find.

@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DEFAULT_PATTERNS).flatmap(lambda p: st.from_regex(p, fullmatch=True)))
def test_every_default_refid_carries_the_mention_hint(refid: str) -> None:
    assert _MENTION_HINT.search(refid)


def _lines() -> list[str]:
    roots = [REPO / "sima", CORPUS] if CORPUS.is_dir() else [REPO / "sima"]
    out = []
    for root in roots:
        for path in sorted(root.rglob("*.md")):
            out += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return out


def test_may_cite_never_hides_a_reference(tmp_path: Path) -> None:
    base = tmp_path / "gen"
    _generator().generate(base, 60, seed=3)
    lines = _lines() + [line for p in sorted(base.rglob("*.md")) for line in p.read_text(encoding="utf-8").splitlines()]
    for g in (grammar(()), grammar((r"FOO\d+",))):
        for line in lines:
            if not may_cite(line, g):
                assert scan_line(line, 1, g, "prose") == [], line
                assert scan_line(line, 1, g, "prose", own_refid_line=True) == [], line


def test_indexes_need_only_paths_and_refids(generated: Path) -> None:
    """The fast path indexes stubs (path, kind, REF-ID) and unpickles skeletons lazily."""
    from checker.kb.index import KnowledgeBase
    from checker.model import Entry
    from helpers import load
    from checker.model import Summary

    entries = list(load(generated / "sima", Config()).entries.values())
    full = KnowledgeBase([Summary.of(e) for e in entries])
    stubs = KnowledgeBase([Entry(relpath=e.relpath, kind=e.kind, text="", lines=(), line_count=0, refid=e.refid) for e in entries])
    assert {k: v for k, v in vars(full).items() if k != "summaries"} == {k: v for k, v in vars(stubs).items() if k != "summaries"}


def test_a_dying_worker_falls_back_to_one_process(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.run import pipeline

    want = cli(generated, "sima", "--format", "json", "--no-cache", "--jobs", "1")
    parent, scan = os.getpid(), pipeline.Shard.scan

    def dying_scan(self, todo):
        if os.getpid() != parent:
            os._exit(3)  # a worker killed mid-run (out of memory, a signal)
        return scan(self, todo)

    monkeypatch.setattr(pipeline.Shard, "scan", dying_scan)
    assert cli(generated, "sima", "--format", "json", "--no-cache", "--jobs", "2") == want

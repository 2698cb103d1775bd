"""The progress line: only on a terminal, only for long runs, erased when done."""
from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from checker.api import check
from checker.cli import main
from checker.config import Config
from checker.run.progress import AFTER, Progress, wanted

from helpers import clean_entry


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_outside_ci():
    assert wanted(Tty(), env={}) is True
    assert wanted(Tty(), env={"CI": "true"}) is False
    assert wanted(Tty(), env={"TERM": "dumb"}) is False
    assert wanted(io.StringIO(), env={}) is False


def test_the_line_appears_after_two_seconds_counts_every_shard_and_is_erased():
    now = [0.0]
    out = Tty()
    p = Progress(out, clock=lambda: now[0])
    p.begin(total=10, shards=2)
    p.step()
    assert out.getvalue() == ""  # a quick run shows nothing
    now[0] = AFTER + 0.5
    p.step()
    assert out.getvalue() == "\rsima-check: parsed 4/10 files"
    now[0] += 0.01
    p.step()  # redraws are throttled
    assert out.getvalue().count("\r") == 1
    p.finish()
    assert out.getvalue().endswith("\r\033[K")


def test_a_real_run_counts_its_files(tmp_path: Path):
    root = tmp_path / "sima"
    root.mkdir()
    for i in range(1, 6):
        (root / f"DEC-0{i}.md").write_text(clean_entry(f"DEC-0{i}.md", f"DEC-0{i}"), encoding="utf-8")
    out = Tty()
    p = Progress(out, clock=lambda: 100.0)  # as if long past AFTER
    p.start, p.last = 0.0, -1.0
    check([root], Config(), jobs=1, progress=p)
    assert p.total == 5 and p.done == 5
    assert out.getvalue().endswith("\r\033[K")


def test_a_piped_run_never_draws_it(tmp_path: Path, monkeypatch):
    root = tmp_path / "sima"
    root.mkdir()
    (root / "DEC-01.md").write_text(clean_entry("DEC-01.md", "DEC-01"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--no-cache"])
    assert result.exit_code == 0 and "\r" not in result.stderr

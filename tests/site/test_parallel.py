"""The helper process that renders pages during `mkdocs build` (`checker/site/parallel.py`):
the split with fake pages (every page done once, results and logs carried over, failures and a
dead helper fall back), and real builds that are the same with and without it."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from checker.site import parallel
from conftest import REPO, copy_project

sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper forks (Linux only)")


class FakePlugin:
    def __init__(self) -> None:
        self.state: dict[str, object] = {}

    def _page_state(self, src: str):
        return self.state.pop(src, None)


def _doc(n: int) -> list:
    return [SimpleNamespace(src_uri=f"p{i:03}.md", page=SimpleNamespace(src=f"p{i:03}.md")) for i in range(n)]


def _populate(plugin: FakePlugin, fail: str | None = None, pid_of_main: int = 0):
    def populate(page, tag: str) -> None:
        if page.src == fail and os.getpid() != pid_of_main:
            raise RuntimeError("boom")
        page.markdown, page.meta = f"# {page.src}", {"tag": tag}
        page.content, page.toc, page._title_from_render = f"<h1>{page.src}</h1>", [page.src], page.src
        page.present_anchor_ids, page.links_to_anchors = {"a"}, {}
        plugin.state[page.src] = ("slots of", page.src)
        logging.getLogger("mkdocs.test").warning(f"rendered {page.src}")
    return populate


def _run(doc: list, helper: parallel.Helper, populate, plugin: FakePlugin) -> dict[str, str]:
    """MkDocs' side: take every page in order; render the ones the helper does not give."""
    by = {}
    files = SimpleNamespace(get_file_from_path=lambda src: None)
    for f in doc:
        got = helper.take(f.src_uri)
        if got is None:
            populate(f.page, "x")
            by[f.src_uri] = "main"
            continue
        got.replay_logs()
        got.install(f.page, files)
        assert (got.markdown, got.meta, got.state) == (f"# {f.src_uri}", {"tag": "x"}, ("slots of", f.src_uri))
        assert f.page.content == f"<h1>{f.src_uri}</h1>" and f.page.toc == [f.src_uri] and f.page.present_anchor_ids == {"a"}
        by[f.src_uri] = "helper"
    helper.close()
    return by


def _wait_until(test, seconds: float = 20) -> None:
    import time
    end = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < end, "the helper did not get there"
        time.sleep(0.01)


def test_every_page_is_rendered_once_by_one_side_and_logs_come_back_in_order(caplog) -> None:
    doc, plugin = _doc(60), FakePlugin()
    populate = _populate(plugin)
    helper = parallel.Helper.start(doc, populate, ("x",), plugin)
    _wait_until(lambda: helper.claim[1] <= 55)  # the helper has taken pages (MkDocs' side here is instant)
    with caplog.at_level(logging.WARNING, logger="mkdocs.test"):
        by = _run(doc, helper, populate, plugin)
    assert set(by) == {f.src_uri for f in doc}
    assert helper.done == sum(v == "helper" for v in by.values()) > 0
    sides = list(by.values())  # MkDocs takes a prefix, the helper the rest
    assert sides == sorted(sides, key=lambda s: s == "helper")
    assert [r.getMessage() for r in caplog.records] == [f"rendered {f.src_uri}" for f in doc]


def test_a_page_the_helper_fails_on_is_rendered_by_mkdocs(caplog) -> None:
    doc, plugin = _doc(60), FakePlugin()
    populate = _populate(plugin, fail="p050.md", pid_of_main=os.getpid())
    helper = parallel.Helper.start(doc, populate, ("x",), plugin)
    _wait_until(lambda: helper.claim[1] <= 50)  # the helper came down to p050 and failed there
    by = _run(doc, helper, populate, plugin)
    assert [src for src, side in by.items() if side == "helper"] == [f"p{i:03}.md" for i in range(51, 60)]
    assert by["p050.md"] == "main"  # the helper gave up there: MkDocs renders it (and reports any error)
    assert set(by) == {f.src_uri for f in doc}


def test_a_helper_that_dies_leaves_its_pages_to_mkdocs() -> None:
    doc, plugin = _doc(60), FakePlugin()
    populate = _populate(plugin)

    def slow(page, tag):
        import time
        time.sleep(0.05)
        populate(page, tag)

    helper = parallel.Helper.start(doc, slow, ("x",), plugin)
    _wait_until(lambda: helper.claim[1] <= 57)  # it took three pages: two sent, one in hand
    import time
    time.sleep(0.02)  # inside p057's 50 ms: p058's result is through the pipe
    helper.proc.kill()
    helper.proc.join()
    by = _run(doc, helper, populate, plugin)
    assert set(by) == {f.src_uri for f in doc}
    assert by["p059.md"] == "helper"  # sent well before it died (p058 was sent just before)
    assert by["p057.md"] == "main"  # claimed, never sent
    assert all(side == "main" for src, side in by.items() if src < "p057.md")
    assert helper.gone


def test_eligible_only_for_build_and_the_plugins_own_page_hooks() -> None:
    import mkdocs.commands.build  # noqa: F401  (the helper needs MkDocs' page step)

    plugin, other = FakePlugin(), FakePlugin()
    own = SimpleNamespace(plugins=SimpleNamespace(events={"page_markdown": [plugin._page_state]}))
    foreign = SimpleNamespace(plugins=SimpleNamespace(events={"page_markdown": [plugin._page_state, other._page_state]}))
    if parallel.cpu_count() < 2:
        pytest.skip("one CPU: the helper is never used")
    assert parallel.eligible("build", own, plugin, 100)
    assert not parallel.eligible("serve", own, plugin, 100)
    assert not parallel.eligible(None, own, plugin, 100)  # MkDocs' build called without its command line
    assert not parallel.eligible("build", own, plugin, parallel.MIN_PAGES - 1)
    assert not parallel.eligible("build", foreign, plugin, 100)
    later_nav = SimpleNamespace(plugins=SimpleNamespace(events={"page_markdown": [plugin._page_state],
                                                               "nav": [plugin._page_state, other._page_state]}))
    last_nav = SimpleNamespace(plugins=SimpleNamespace(events={"nav": [other._page_state, plugin._page_state]}))
    assert not parallel.eligible("build", later_nav, plugin, 100)  # forked in our on_nav: a later one would be missed
    assert parallel.eligible("build", last_nav, plugin, 100)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file() and p.suffix != ".gz"}


def _build(project: Path, site: str, parallel_on: bool, *extra: str) -> subprocess.CompletedProcess:
    yml = project / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^ +parallel: \w+\n", "", text)
    on = str(parallel_on).lower()
    yml.write_text(re.sub(r"(?m)^( +)on_violation: (\w+).*$", rf"\1on_violation: \2\n\1parallel: {on}", text, count=1), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra, "-d", site], cwd=project,
                          capture_output=True, text=True, env=env, timeout=300)


def _log(done: subprocess.CompletedProcess, site: str) -> list[str]:
    keep = ("WARNING", "ERROR", "INFO")
    return [line.replace(site, "SITE") for line in done.stderr.splitlines()
            if line.startswith(keep) and "Documentation built in" not in line]


def test_a_real_build_is_the_same_with_the_helper(tmp_path: Path) -> None:
    """The project's mkdocs.yml over a generated KB of 80 files (so the helper gets pages to
    do), with a broken link in the last entry: same HTML, same log, and the helper did render
    pages."""
    project = copy_project(tmp_path / "p")
    generate.generate(project / "sima", 80, seed=3)
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("on_violation: fail", "on_violation: warn"), encoding="utf-8")
    last = sorted((project / "sima").rglob("*.md"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\nSee [gone](no-such-page.md).\n", encoding="utf-8")
    one = _build(project, str(tmp_path / "one"), False, "-v")
    two = _build(project, str(tmp_path / "two"), True, "-v")
    assert one.returncode == two.returncode == 0, two.stderr[-2000:]
    assert "pages rendered in a second process" not in one.stderr
    rendered = [line for line in two.stderr.splitlines() if "pages rendered in a second process" in line]
    assert rendered and int(rendered[0].split("sima: ")[1].split()[0]) > 0, two.stderr[-2000:]
    assert _log(one, str(tmp_path / "one")) == _log(two, str(tmp_path / "two"))
    assert any("no-such-page.md" in line for line in _log(two, str(tmp_path / "two")))
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_anchor_checks_are_the_same_with_the_helper(tmp_path: Path) -> None:
    """Without -v MkDocs checks links to anchors after all pages are read (`links_to_anchors`,
    which the helper's pages carry back): the late entries link a sibling's missing anchor."""
    project = copy_project(tmp_path / "p")
    generate.generate(project / "sima", 80, seed=3)
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("on_violation: fail", "on_violation: warn"), encoding="utf-8")
    late = sorted((project / "sima").rglob("*.md"))[-20:]
    for f in late:
        sibling = next(p for p in sorted(f.parent.glob("*.md")) if p != f)
        f.write_text(f.read_text(encoding="utf-8") + f"\nSee [there]({sibling.name}#no-such-anchor-here).\n", encoding="utf-8")
    one = _build(project, str(tmp_path / "one"), False)
    two = _build(project, str(tmp_path / "two"), True)
    assert one.returncode == two.returncode == 0, two.stderr[-2000:]
    logged = _log(two, str(tmp_path / "two"))
    assert _log(one, str(tmp_path / "one")) == logged
    assert sum("#no-such-anchor-here" in line for line in logged) >= len(late), two.stderr[-3000:]

"""The compliance dashboard in headless Chromium: the filter box reacts to typed keys, columns
sort, a per-rule count sets the filter, `?q=` reproduces one, and without JavaScript the paged
static table holds every row. No request leaves 127.0.0.1.

The repo's KB has no errors and one SIMA202 finding, too little to see a filter or a sort at
work, so this builds its own small site (`dashkb.findings_kb`, two pages of the file table)
with `on_violation: warn`. That mode logs every error as a warning, so the build is not
`--strict` (the repo's site, built strict, covers the rest)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from conftest import make_site
from dashkb import findings_kb
from helpers import REPO
from test_browser import ARGS, CHROMIUM, TIMEOUT, _playwright, _shot, serve_folder

N = 130  # files: two pages of the static table (PAGE_SIZE 100)
DASH = "catalog/compliance/"


@pytest.fixture(scope="module")
def dash_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`findings_kb(N)` built with the repo's mkdocs.yml, `on_violation: warn`; the `site/` folder."""
    project = tmp_path_factory.mktemp("dash")
    for rel, text in findings_kb(N).items():
        path = project / "kb" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    yml = re.sub(r"on_violation: \w+", "on_violation: warn", yml).replace("docs_dir: sima", "docs_dir: kb")
    (project / "mkdocs.yml").write_text(yml, encoding="utf-8")
    shutil.copy2(REPO / "pyproject.toml", project / "pyproject.toml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


@pytest.fixture
def served_dash(dash_site: Path) -> Iterator[str]:
    """The dashboard's site on 127.0.0.1 at a free port; yields its base URL."""
    yield from serve_folder(dash_site)


def _expected() -> dict[str, set[str]]:
    """Paths of the files with each rule, and per top-level folder, from the checker itself."""
    data = make_site(findings_kb(N), mode="warn")
    out: dict[str, set[str]] = {}
    for rel, fs in data.findings.items():
        for f in fs:
            out.setdefault(f.code, set()).add(rel)
    return out


def _top(page, selector: str) -> None:
    """Scroll so that `selector` is at the top of the viewport (for the screenshots)."""
    page.locator(selector).evaluate("e => e.scrollIntoView({block: 'start'})")


def _rows(page) -> list[str]:
    return page.locator(".sima-dash__live tbody tr").all_inner_texts()


def _errors_column(page) -> list[int]:
    cells = page.locator(".sima-dash__live tbody tr td:nth-child(3)").all_inner_texts()
    return [int(c.strip() or 0) for c in cells]


@pytest.mark.browser
def test_dashboard_filters_sorts_and_keeps_its_state_in_the_url(served_dash: str) -> None:
    sync_playwright = _playwright()
    want = _expected()
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(TIMEOUT)
            page.on("request", lambda r: requests.append(r.url))
            page.goto(served_dash + DASH)
            status = page.locator(".sima-dash__status")
            page.wait_for_function("document.querySelector('.sima-dash__status').textContent.length > 0")
            assert status.inner_text() == f"{N} files"
            assert page.locator(".sima-dash__static").is_hidden() and len(_rows(page)) == N
            _shot(page, "dashboard-1440")

            # typing a rule code, key by key, leaves the files with that rule
            box = page.locator("input.sima-dash__q")
            box.click()
            box.press_sequentially("SIMA202", delay=20)
            page.wait_for_function("document.querySelector('.sima-dash__status').textContent.indexOf('match') > 0")
            rows = _rows(page)
            assert len(rows) == len(want["SIMA202"]) and all("SIMA202" in r for r in rows)
            assert status.inner_text() == f"{len(want['SIMA202'])} of {N} files match"
            assert "q=SIMA202" in page.url
            _top(page, "#files")
            _shot(page, "dashboard-1440-filtered")

            # clearing, then sorting by errors: most first, then fewest first
            page.locator("button.sima-dash__clear").click()
            assert len(_rows(page)) == N
            page.locator("button.sima-dash__sort[data-key='errors']").click()
            errors = _errors_column(page)
            assert errors == sorted(errors, reverse=True) and errors[0] == 2
            page.locator("button.sima-dash__sort[data-key='errors']").click()
            errors = _errors_column(page)
            assert errors == sorted(errors) and errors[-1] == 2
            assert "sort=errors" in page.url

            # a per-rule count sets the filter
            page.locator(".sima-dash__by a.sima-dash__count[data-q='SIMA402']").first.click()
            assert box.input_value() == "SIMA402"
            rows = _rows(page)
            assert len(rows) == len(want["SIMA402"]) and all("SIMA402" in r for r in rows)

            # a per-folder count sets an anchored path filter
            page.locator(".sima-dash__by a.sima-dash__count[data-q='^lessons/']").click()
            rows = page.locator(".sima-dash__live tbody tr code.sima-path").all_inner_texts()
            assert box.input_value() == "^lessons/" and len(rows) == N // 5 and all(r.startswith("lessons/") for r in rows)

            # a ?q= URL reproduces a filter: a rule within a folder
            page.goto(served_dash + DASH + "?q=SIMA103%20%5Elessons/")
            page.wait_for_function("document.querySelector('.sima-dash__status').textContent.indexOf('match') > 0")
            lessons = {r for r in want["SIMA103"] if r.startswith("lessons/")}
            rows = _rows(page)
            assert box.input_value() == "SIMA103 ^lessons/" and len(rows) == len(lessons) > 0
            assert all("SIMA103" in r and "lessons/" in r for r in rows)

            # phone width, unfiltered and filtered
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.on("request", lambda r: requests.append(r.url))
            phone.goto(served_dash + DASH)
            phone.wait_for_function("document.querySelector('.sima-dash__status').textContent.length > 0")
            _shot(phone, "dashboard-390")
            phone.locator("input.sima-dash__q").press_sequentially("error", delay=20)
            _top(phone, "#files")
            _shot(phone, "dashboard-390-filtered")
            assert len(_rows(phone)) == len({r for c in ("SIMA103",) for r in want[c]})
        finally:
            browser.close()
    outside = [u for u in requests if not u.startswith(served_dash) and not u.startswith(("data:", "blob:"))]
    assert not outside, outside


@pytest.mark.browser
def test_without_javascript_the_paged_table_holds_every_row(served_dash: str) -> None:
    sync_playwright = _playwright()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(java_script_enabled=False, viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.set_default_timeout(TIMEOUT)
            page.goto(served_dash + DASH)
            assert page.locator(".sima-dash__tools").is_hidden()
            first = page.locator(".sima-dash__static tbody tr").count()
            _shot(page, "dashboard-1440-nojs")
            page.locator(".sima-pager a", has_text="2").first.click()
            page.wait_for_url("**/" + DASH + "2/")
            second = page.locator(".sima-compliance-table tbody tr").count()
            assert (first, second) == (100, N - 100)
            # a per-rule count leads to the rule's page without JavaScript
            page.goto(served_dash + DASH)
            page.locator(".sima-dash__by a.sima-dash__count[data-q='SIMA202']").first.click()
            page.wait_for_url("**/catalog/rules/SIMA202/")
        finally:
            browser.close()

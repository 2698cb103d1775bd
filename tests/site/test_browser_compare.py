"""Issue 12 §1 and §2 in headless Chromium over the built site: every pattern column in view
at 1440 px, cards and no sideways scroll at 390 px, long cells clamped with a toggle, a column
chooser for five patterns or more, and the picker (search with key events, pick across entries,
the choice in the URL). No request leaves 127.0.0.1."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from conftest import SEED_REL, copy_project, mkdocs_build
from test_browser import ARGS, CHROMIUM, SEED, TIMEOUT, _playwright, serve_folder, served  # noqa: F401 - fixture
from test_browser import _shot as _shot_now

COMPARISON = "catalog/patterns/"
WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

HOSTILE = 'Fan-Out <img src=x onerror=alert(1)> "q"'  # a pattern name that must stay text
# Two more patterns for a copy of the seed: five columns, and a cell long enough to clamp.
EXTRA_PATTERNS = "\n".join([
    "### Pattern 4: Batch (Scheduled Jobs)", "",
    "**Characteristics:**", "- Work collected and run on a schedule", "",
    "**When to Use:**", *[f"- Case {n}: a periodic job with a tolerance for delay of {n} hours" for n in range(1, 16)], "",
    "**Advantages:**", "- Cheap at volume", "",
    f"### Pattern 5: {HOSTILE} (Parallel Workers)", "",
    "**Characteristics:**", "- One request split across many workers", "",
    "**Advantages:**", "- Wall-clock time divided by the number of workers", "",
    "",
])


def _shot(page, name: str) -> None:
    """A screenshot once two frames are painted (headless Chromium may show a sticky column
    blank in a shot taken right after a scroll)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(100)
    _shot_now(page, name)



@pytest.fixture(scope="module")
def five_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repo's project whose seed entry (in the copy) has five patterns."""
    project = copy_project(tmp_path_factory.mktemp("five"))
    seed = project / "sima" / SEED_REL
    text = seed.read_text(encoding="utf-8")
    marker = "---\n\n## Pattern Selection Framework"
    assert marker in text
    seed.write_text(text.replace(marker, EXTRA_PATTERNS + marker, 1), encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


@pytest.fixture
def served_five(five_site: Path) -> Iterator[str]:
    """The five-pattern site on 127.0.0.1."""
    yield from serve_folder(five_site)


class _Browser:
    """One Chromium for a test, every request recorded."""

    def __init__(self, base: str) -> None:
        self.base, self.requests = base, []

    def __enter__(self):
        self._cm = _playwright()()
        self._pw = self._cm.__enter__()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        return self

    def page(self, viewport: dict, dark: bool = False):
        context = self.browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.on("request", lambda r: self.requests.append(r.url))
        return page

    def __exit__(self, *exc) -> None:
        self.browser.close()
        self._cm.__exit__(*exc)
        outside = [u for u in self.requests if not u.startswith(self.base) and not u.startswith(("data:", "blob:"))]
        assert not outside, outside


def _columns_in_view(page, scope: str) -> None:
    """Every header and cell of the tables in `scope` lies inside the viewport and its scroll box."""
    out = page.evaluate(
        """(scope) => {
          const bad = [], width = window.innerWidth;
          const root = document.querySelector(scope);
          const tables = root.querySelectorAll('table.sima-comparison');
          for (const t of tables) {
            const wrap = t.closest('.sima-comparison-wrap').getBoundingClientRect();
            for (const c of t.querySelectorAll('th, td')) {
              const r = c.getBoundingClientRect();
              if (r.left < -0.5 || r.right > width + 0.5 || r.left < wrap.left - 0.5 || r.right > wrap.right + 0.5)
                bad.push([c.textContent.slice(0, 40), r.left, r.right, wrap.right, width]);
            }
          }
          return {n: tables.length, cols: tables.length ? tables[0].tHead.rows[0].cells.length : 0, bad};
        }""",
        scope,
    )
    assert out["n"] >= 1 and out["cols"] == 4, out  # the attribute column and the seed's three patterns
    assert not out["bad"], out["bad"]


def _no_sideways_scroll(page) -> None:
    out = page.evaluate(
        """() => ({
          doc: [document.documentElement.scrollWidth, window.innerWidth],
          wraps: [...document.querySelectorAll('.sima-comparison-wrap')]
            .filter(w => w.scrollWidth > w.clientWidth).map(w => [w.scrollWidth, w.clientWidth, w.textContent.slice(0, 60)]),
        })"""
    )
    assert out["doc"][0] <= out["doc"][1], out
    assert not out["wraps"], out["wraps"]


def _as_cards(page, scope: str) -> None:
    """The table is shown as cards: no header row, rows as blocks, cells labelled by pattern."""
    out = page.evaluate(
        """(scope) => {
          const t = document.querySelector(scope + ' table.sima-comparison');
          const td = t.querySelector('tbody td');
          return {thead: getComputedStyle(t.tHead).display, tr: getComputedStyle(t.tBodies[0].rows[0]).display,
                  td: getComputedStyle(td).display, label: getComputedStyle(td, '::before').content,
                  pattern: td.getAttribute('data-pattern')};
        }""",
        scope,
    )
    assert out["thead"] == "none" and out["tr"] == "block" and out["td"] == "block", out
    assert out["pattern"] and out["label"] == f'"{out["pattern"]}"', out


SEED_BLOCK = ".sima-comparison-entry:has(h3 a[href*='AWS-LESS-01'])"


@pytest.mark.browser
def test_all_columns_in_view_and_cards_on_a_phone(served: str) -> None:
    with _Browser(served) as b:
        for dark in (False, True):
            page = b.page(WIDE, dark)
            page.goto(served + SEED)
            _columns_in_view(page, "article")
            page.locator("article table.sima-comparison").first.scroll_into_view_if_needed()
            _shot(page, f"compare-seed-1440{'-dark' if dark else ''}")
            page.goto(served + COMPARISON)
            block = page.locator(SEED_BLOCK)
            block.scroll_into_view_if_needed()
            _columns_in_view(page, SEED_BLOCK)
            _shot(page, f"compare-page-1440{'-dark' if dark else ''}")
            # the sticky attribute column (a no-op when nothing scrolls, but it is set)
            assert page.locator(f"{SEED_BLOCK} tbody th[scope=row]").first.evaluate("e => getComputedStyle(e).position") == "sticky"
            page.close()

        page = b.page(PHONE)
        page.goto(served + SEED)
        _no_sideways_scroll(page)
        _as_cards(page, "article")
        page.locator("table.sima-comparison").first.scroll_into_view_if_needed()
        _shot(page, "compare-seed-390")
        page.goto(served + COMPARISON)
        page.locator(".sima-picker").wait_for(state="visible")
        _shot(page, "compare-page-390-top")
        _no_sideways_scroll(page)
        _as_cards(page, SEED_BLOCK)
        page.locator(SEED_BLOCK).scroll_into_view_if_needed()
        _shot(page, "compare-page-390")
        # the author's own Markdown table (the seed's Trade-off Matrix) stays a table
        page.goto(served + SEED)
        matrix = page.locator("article table:not([class])", has_text="Factor").first
        assert matrix.evaluate("t => getComputedStyle(t.tHead).display") == "table-header-group"
        assert matrix.evaluate("t => getComputedStyle(t.tBodies[0].rows[0]).display") == "table-row"
        assert matrix.evaluate("t => getComputedStyle(t.tBodies[0].rows[0].cells[1], '::before').content") == "none"


def _pick(page, query: str, name: str) -> None:
    box = page.locator("#sima-picker-q")
    box.click()
    box.press_sequentially(query, delay=20)  # real key events
    hit = page.locator(".sima-picker-hit", has=page.locator(".sima-picker-name", has_text=name)).first
    hit.wait_for(state="visible")
    hit.click()


def _picked_headers(page) -> list[str]:
    table = page.locator(".sima-picker-view table.sima-comparison")
    table.wait_for(state="visible")
    return [h.inner_text().split("\n")[0] for h in table.locator("thead th").all()][1:]


@pytest.mark.browser
def test_picker_compares_patterns_across_entries_and_keeps_them_in_the_url(served: str) -> None:
    with _Browser(served) as b:
        page = b.page(WIDE)
        page.goto(served + COMPARISON)
        picker = page.locator(".sima-picker")
        picker.wait_for(state="visible")
        page.wait_for_load_state("networkidle")
        assert not [u for u in b.requests if "patterns-data/" in u]  # nothing loaded before it is used
        _pick(page, "synchr", "Synchronous")
        # the second by the keyboard alone: type, arrow down to the first hit, Enter
        box = page.locator("#sima-picker-q")
        box.press_sequentially("orchestr", delay=20)
        page.locator(".sima-picker-hit", has_text="Orchestrate or Leave Lambda").first.wait_for(state="visible")
        box.press("ArrowDown")
        page.keyboard.press("Enter")
        assert _picked_headers(page) == ["Synchronous", "Orchestrate or Leave Lambda"]
        fetched = [u.rsplit("/", 1)[1] for u in b.requests if "patterns-data/" in u]
        assert fetched == ["index.json", "chunk-0.json"], fetched  # the chunk once, for both picks
        view = page.locator(".sima-picker-view")
        assert "AWS-LESS-01" in view.inner_text() and "AWS-LESS-12" in view.inner_text()
        # attributes aligned by name: one row each, a dash where a pattern lacks it
        rows = view.locator("tbody th[scope=row]").all_inner_texts()
        assert len(rows) == len(set(rows)) and "Characteristics" in rows
        out = page.evaluate(
            """() => [...document.querySelectorAll('.sima-picker-view th, .sima-picker-view td')]
                 .filter(c => c.getBoundingClientRect().right > innerWidth + 0.5).length"""
        )
        assert out == 0
        link = view.locator("thead th a").first.get_attribute("href")
        assert link.startswith(served) and link.endswith(SEED + "#pattern-1-synchronous-request-response")
        url = page.url
        assert "?p=" in url and url.count("p=") == 2
        picker.scroll_into_view_if_needed()
        _shot(page, "picker-1440")
        # a hostile query is only text
        page.locator("#sima-picker-q").press_sequentially("<img src=x onerror=alert(1)>", delay=5)
        assert page.locator(".sima-picker img").count() == 0
        page.close()

        page = b.page(WIDE)
        page.goto(url)  # fresh load of the link
        assert _picked_headers(page) == ["Synchronous", "Orchestrate or Leave Lambda"]
        assert page.locator(".sima-picker-chip").count() == 2
        # removing one leaves one pick and the URL follows
        page.locator(".sima-picker-remove").last.click()
        assert page.locator(".sima-picker-chip").count() == 1
        assert page.url.count("p=") == 1
        page.close()

        page = b.page(PHONE)
        page.goto(url)
        page.locator(".sima-picker-view table").wait_for(state="attached")
        _no_sideways_scroll(page)
        _as_cards(page, ".sima-picker-view")
        page.locator(".sima-picker").scroll_into_view_if_needed()
        _shot(page, "picker-390")


@pytest.mark.browser
def test_clamp_and_column_chooser_with_five_patterns(served_five: str) -> None:
    with _Browser(served_five) as b:
        page = b.page(WIDE)
        page.goto(served_five + SEED)
        table = page.locator("article table.sima-comparison").first
        chooser = page.locator("article .sima-columns").first
        chooser.wait_for(state="visible")
        boxes = chooser.locator("input[type=checkbox]")
        assert boxes.count() == 5
        assert [boxes.nth(i).is_checked() for i in range(5)] == [True, True, True, True, False]
        visible = lambda: [h.inner_text().split("\n")[0] for h in table.locator("thead th").all() if h.is_visible()][1:]  # noqa: E731
        assert visible() == ["Synchronous", "Asynchronous", "Streaming", "Batch"]
        chooser.locator("label", has_text="Fan-Out").click()
        chooser.locator("label", has_text="Asynchronous").click()
        assert visible() == ["Synchronous", "Streaming", "Batch", HOSTILE]
        assert table.locator("img").count() == 0
        _shot(page, "compare-five-1440")
        page.close()

        # narrower, the five columns scroll inside their box and the attribute column stays put
        page = b.page({"width": 1000, "height": 800})
        page.goto(served_five + SEED)
        page.locator("article .sima-columns input[type=checkbox]").nth(4).check()
        moved = page.evaluate(
            """() => {
              const wrap = document.querySelector('article .sima-comparison-wrap');
              const th = wrap.querySelector('tbody th[scope=row]');
              const td = wrap.querySelector('tbody td');
              const before = [th.getBoundingClientRect().left, td.getBoundingClientRect().left];
              wrap.scrollLeft = 200;
              const after = [th.getBoundingClientRect().left, td.getBoundingClientRect().left];
              return {scrolls: wrap.scrollWidth > wrap.clientWidth, before, after, wrap: wrap.getBoundingClientRect().left};
            }"""
        )
        assert moved["scrolls"], moved
        assert abs(moved["after"][0] - moved["before"][0]) <= 1.5 and abs(moved["after"][0] - moved["wrap"]) < 1, moved  # 1 px: the table border
        assert moved["after"][1] < moved["before"][1] - 100, moved  # the pattern columns did scroll
        _shot(page, "compare-five-1000-scrolled")
        page.close()
        page = b.page(WIDE)
        page.goto(served_five + SEED)
        table = page.locator("article table.sima-comparison").first

        # the long "When to Use" cell of Batch is clamped; the toggle opens and closes it
        cell = table.locator("td[data-pattern='Batch']", has=page.locator(".sima-clamp-toggle")).first
        toggle = cell.locator(".sima-clamp-toggle")
        box = cell.locator(".sima-cell")
        size = lambda: box.evaluate("e => [e.clientHeight, e.scrollHeight]")  # noqa: E731
        toggle.scroll_into_view_if_needed()
        _shot(page, "compare-five-clamped-1440")
        shown, full = size()
        assert shown < full and toggle.inner_text() == "Show more"
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        shown, full = size()
        assert shown >= full - 1 and toggle.inner_text() == "Show less"
        assert toggle.get_attribute("aria-expanded") == "true"
        toggle.click()
        assert size()[0] < size()[1] and toggle.inner_text() == "Show more"
        page.close()

        # the picker writes the hostile name as text (no element, no dialog), cards labelled by name
        page = b.page(PHONE)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(served_five + COMPARISON)
        _pick(page, "fan-out", HOSTILE)
        _pick(page, "synchronous", "Synchronous")
        view = page.locator(".sima-picker-view")
        view.locator("table").wait_for(state="attached")
        assert page.locator(".sima-picker img").count() == 0 and not dialogs
        labels = view.locator("tbody td").evaluate_all("tds => tds.map(td => td.getAttribute('data-pattern'))")
        assert set(labels) == {HOSTILE, "Synchronous"}
        _no_sideways_scroll(page)
        page.close()

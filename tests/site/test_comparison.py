"""The comparison page: tables, the KB-wide pattern list, the selector and its escaping."""
from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import markdown
import pytest

from checker.parse.scan import parse_text
from checker.site.pages.compare import (
    ASSET_DIR, ASSETS, anchor_id, comparison_page, entry_comparison_html, safe_url,
)
from checker.site.patterns import extract

REPO = Path(__file__).resolve().parents[2]
SEED = "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"
URL = "../aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Tree(HTMLParser):
    """Start tags with attributes, text per tag path, and script bodies."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)

    def all(self, tag: str, cls: str | None = None) -> list[dict]:
        return [a for t, a in self.tags if t == tag and (cls is None or cls in (a.get("class") or "").split())]


def seed():
    entry = parse_text(SEED, (REPO / "sima" / SEED).read_text(encoding="utf-8"))
    return entry, extract(entry)


def table_rows(html: str) -> list[list[str]]:
    """Cells of each row of the first table, as text."""
    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell, self.depth = [], None, 0

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.depth += 1
            if self.depth == 1 and tag == "tr":
                self.rows.append([])
            if self.depth == 1 and tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None
            if tag == "table":
                self.depth = 99  # only the first table

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    p = Rows()
    p.feed(html)
    return p.rows


def test_one_table_with_a_column_per_pattern():
    entry, pset = seed()
    html = entry_comparison_html(entry, pset, URL)
    doc = Tree(html)
    assert len(doc.all("table")) == 1
    rows = table_rows(html)
    assert rows[0][1:] == ["SynchronousRequest-Response", "AsynchronousQueued Processing", "StreamingContinuous Flow"]
    assert [r[0] for r in rows[1:]] == list(pset.attributes)
    assert all(len(r) == 4 for r in rows)
    latency = next(r for r in rows if r[0] == "Latency")
    assert latency[1].startswith("< 1 second required")
    heads = [a["href"] for a in doc.all("a") if a["href"].endswith(tuple("#" + p.slug for p in pset.patterns))]
    assert URL + "#pattern-1-synchronous-request-response" in heads


def test_every_filled_cell_links_back_to_its_pattern():
    entry, pset = seed()
    doc = Tree(entry_comparison_html(entry, pset, URL))
    links = [a["href"] for a in doc.all("a", "sima-cell-link")]
    filled = sum(bool(p.rows.get(a)) for p in pset.patterns for a in pset.attributes)
    assert len(links) == filled == 3 * len(pset.attributes)
    assert set(links) == {f"{URL}#{p.slug}" for p in pset.patterns}


def test_heading_links_to_the_entry_page():
    entry, pset = seed()
    html = entry_comparison_html(entry, pset, URL)
    assert html.startswith(f'<section class="sima-comparison-entry" id="{anchor_id(entry)}">')
    assert f'<h3><a href="{URL}">AWS-LESS-01 \u00b7 ' in html


def test_selector_markup_and_tree_json():
    entry, pset = seed()
    doc = Tree(entry_comparison_html(entry, pset, URL))
    (selector,) = doc.all("div", "sima-selector")
    assert selector["data-tree-id"] == anchor_id(entry) + "-tree"
    for tag, cls in (("p", "sima-question"), ("p", "sima-result"), ("ol", "sima-tree-static")):
        assert doc.all(tag, cls), cls
    assert {a.get("data-answer") for a in doc.all("button")} >= {"yes", "no"}
    assert any(a.get("data-action") == "restart" for a in doc.all("button"))
    assert doc.scripts == []  # the tree is in data-tree (Material re-runs <script>s as JS)
    body = selector["data-tree"]
    data = json.loads(body)
    assert data["start"] == "Q1"
    assert data["questions"]["Q1"]["yes"] == {
        "pattern": "Synchronous", "qualifier": "Request-Response",
        "href": URL + "#pattern-1-synchronous-request-response",
    }
    assert data["questions"]["Q1"]["no"] == {"goto": "Q2"}
    assert data["questions"]["Q3"]["no"]["pattern"] == "Asynchronous"
    assert "\\u003c 1 second" in body  # `<` is a \\u escape even in the JSON


def test_no_selector_without_a_tree():
    entry = parse_text("x/T-02.md", "# T\n\n### Pattern 1: A\n\n**X:** 1\n\n### Pattern 2: B\n")
    html = entry_comparison_html(entry, extract(entry), "t/")
    assert "sima-selector" not in html and "<table" in html


def test_page_lists_every_pattern_and_survives_markdown():
    entry, pset = seed()
    other = parse_text("x/T-02.md", "# T\n\n### Pattern 1: Alpha\n\n### Pattern 2: Beta\n")
    empty = parse_text("x/T-03.md", "# Nothing\n")
    items = [(other, extract(other), "../x/T-02/"), (entry, pset, URL), (empty, extract(empty), "../x/T-03/")]
    page = comparison_page(items)
    assert page.startswith("# Pattern comparison\n\n5 patterns from 2 entries")
    assert 'markdown="1"' not in page
    index = page.split("## Compared by entry")[0]
    names = [a.get("href") for a in Tree(index).all("a")]
    assert names[:2] == ["../x/T-02/#pattern-1-alpha", "../x/T-02/"]  # Alpha, then its entry
    assert [r[0] for r in table_rows(index)[1:]] == ["Alpha", "Asynchronous", "Beta", "Streaming", "Synchronous"]
    assert "T-03" not in page
    html = markdown.markdown(page, extensions=["toc", "tables", "attr_list", "md_in_html"])
    for e, ps, url in items[:2]:
        assert entry_comparison_html(e, ps, url) in html  # raw HTML blocks pass through untouched
    assert html.count("<table") == 3


def test_page_without_patterns():
    entry = parse_text("x/T-03.md", "# Nothing\n")
    assert "No entry of this knowledge base describes two or more patterns" in comparison_page([(entry, extract(entry), "t/")])


@pytest.mark.parametrize("url, safe", [
    ("../a b/", "../a%20b/"),
    ("javascript:alert(1)", "./javascript:alert(1)"),
    ("JaVaScRiPt:alert(1)", "./JaVaScRiPt:alert(1)"),
    (" javascript:alert(1)", "%20javascript:alert(1)"),
    ("java\tscript:x", "java%09script:x"),
    ("//evil.example/", "./evil.example/"),
    ('x"onmouseover="y', "x%22onmouseover=%22y"),
    ("../x/#frag", "../x/"),
])
def test_safe_url(url, safe):
    assert safe_url(url) == safe


EVIL = '<script>alert(1)</script>'
HOSTILE = f"""---
title: x
---
# {EVIL} Title

**REF-ID:** EVIL-01
**Purpose:** {EVIL}

### Pattern 1: {EVIL} (" onerror="x)

**Characteristics:**
- " onerror="x: javascript:alert(1)
- [click](javascript:alert(1)) `</script><script>alert(2)</script>`

**" onmouseover="x:** <img src=x onerror=alert(3)>

### Pattern 2: javascript:alert(1) (javascript:alert(1))

**Flow:**
```
</script><script>alert(4)</script>
```

**Decision Tree:**
```
Q1: {EVIL}?
YES → javascript:alert(1)
NO → Go to Q2
Q2: " onerror="x
YES → <script>alert(5)</script>
NO → {EVIL}
```
"""


def test_hostile_entry_is_escaped():
    entry = parse_text('evil/<script>"x.md', HOSTILE)
    pset = extract(entry)
    assert [p.name for p in pset.patterns] == [EVIL, "javascript:alert(1)"]
    page = comparison_page([(entry, pset, "javascript:alert(1)")])
    doc = Tree(page)
    for tag, attrs in doc.tags:
        assert tag not in ("img", "iframe", "object", "embed"), tag
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("href", "src", "action", "formaction"):
            value = (attrs.get(key) or "").replace(" ", "").lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:", "//")), (tag, attrs)
    assert doc.scripts == []
    (selector,) = doc.all("div", "sima-selector")
    body = selector["data-tree"]
    assert "<" not in body and ">" not in body
    data = json.loads(body)
    assert data["questions"]["Q1"]["text"] == EVIL + "?"  # data survives, only escaped
    assert data["questions"]["Q1"]["yes"]["pattern"] == "javascript:alert(1)"
    assert data["questions"]["Q1"]["yes"]["href"].startswith("./javascript:alert(1)#")
    assert data["questions"]["Q2"]["no"]["pattern"] == EVIL
    assert "<script>alert" not in page and "<img" not in page


def test_assets_exist():
    for name in ASSETS:
        assert (ASSET_DIR / name).is_file()
    js = (ASSET_DIR / "selector.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "eval(" not in js and "fetch(" not in js


# ------------------------------------------------------------------ real browser


def _browser():
    """Playwright's sync API, or a skip (a failure when CI=true)."""
    why = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        why, sync_playwright = f"playwright not importable: {exc}", None
    if why is None and not Path(CHROMIUM).exists():
        why = f"{CHROMIUM} not found"
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    return sync_playwright


def _write_page(tmp_path: Path, prelude: str = "") -> Path:
    entry, pset = seed()
    for name in ASSETS:
        shutil.copy(ASSET_DIR / name, tmp_path / name)
    body = entry_comparison_html(entry, pset, "entry.html")
    page = tmp_path / "index.html"
    page.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="selector.css">'
        f"{prelude}</head><body>{body}<script src=\"selector.js\"></script></body></html>",
        encoding="utf-8",
    )
    return page


@pytest.mark.browser
def test_selector_in_chromium(tmp_path):
    sync_playwright = _browser()
    page_file = _write_page(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(page_file.as_uri())
            sel = page.locator(".sima-selector")
            question = sel.locator(".sima-question")
            result = sel.locator(".sima-result")
            assert sel.locator(".sima-tree-static").is_hidden()
            assert question.text_content() == "Does user expect immediate result?"
            assert result.is_hidden()
            sel.locator('button[data-answer="no"]').click()
            assert question.text_content() == "Is operation time predictable and < 1 second?"
            sel.locator('button[data-answer="no"]').click()
            sel.locator('button[data-answer="yes"]').click()
            assert result.is_visible() and question.is_hidden()
            link = result.locator("a")
            assert link.text_content() == "Streaming"
            assert link.get_attribute("href") == "entry.html#pattern-3-streaming-continuous-flow"
            assert sel.locator(".sima-path li").count() == 3
            sel.locator('button[data-action="restart"]').click()
            assert question.text_content() == "Does user expect immediate result?"
            assert result.is_hidden() and sel.locator(".sima-path li").count() == 0
            sel.locator('button[data-answer="yes"]').click()
            assert result.locator("a").text_content() == "Synchronous"
            assert result.locator("a").get_attribute("href") == "entry.html#pattern-1-synchronous-request-response"
            assert errors == []
        finally:
            browser.close()


@pytest.mark.browser
def test_selector_with_instant_navigation_and_without_js(tmp_path):
    sync_playwright = _browser()
    # a stand-in for Material's document$: selector.js must subscribe and stay idempotent
    fake = "<script>window.document$={subscribe:function(f){window.simaInit=f;}};</script>"
    page_file = _write_page(tmp_path, fake)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            assert page.evaluate("typeof window.simaInit") == "function"
            page.evaluate("window.simaInit(); window.simaInit();")
            page.locator('button[data-answer="no"]').click()
            assert page.locator(".sima-path li").count() == 1  # one handler, not three
            assert page.locator(".sima-question").text_content().startswith("Is operation time")
            static = browser.new_page(java_script_enabled=False)
            static.goto(page_file.as_uri())
            assert static.locator(".sima-tree-static").is_visible()
            assert static.locator(".sima-interactive").is_hidden()
            assert static.locator(".sima-tree-static > li").count() == 3
        finally:
            browser.close()


@pytest.mark.browser
def test_selector_survives_material_instant_navigation(tmp_path):
    sync_playwright = _browser()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    for name in ASSETS:
        shutil.copy(ASSET_DIR / name, docs / "assets" / name)
    entry, pset = seed()
    (docs / "entry.md").write_text("# Entry\n\n" + "".join(f"## {p.title}\n\ntext\n\n" for p in pset.patterns))
    (docs / "comparison.md").write_text(comparison_page([(entry, pset, "../entry/")]), encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\n[Compare the patterns](comparison.md)\n")
    handler = functools.partial(_QuietHandler, directory=str(tmp_path / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        (tmp_path / "mkdocs.yml").write_text(
            f"site_name: t\nsite_url: {base}\ntheme:\n  name: material\n  font: false\n"
            "  features: [navigation.instant]\nextra_javascript: [assets/selector.js]\n"
            "extra_css: [assets/selector.css]\nnav: [index.md, comparison.md, entry.md]\n"
        )
        build(load_config(str(tmp_path / "mkdocs.yml")))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.goto(base)
                # Instant navigation intercepts clicks only once Material's bundle has run.
                page.wait_for_function("typeof window.document$ !== 'undefined'")
                page.evaluate("window.simaMarker = 1")
                page.locator("article a", has_text="Compare the patterns").click()
                page.wait_for_selector('.sima-selector[data-sima-ready="1"]')
                assert page.evaluate("window.simaMarker") == 1  # no full reload: instant navigation
                for answer in ("no", "no", "yes"):
                    page.locator(f'.sima-selector button[data-answer="{answer}"]').click()
                assert page.locator(".sima-result a").text_content() == "Streaming"
                assert errors == []
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

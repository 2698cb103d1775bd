"""A real `mkdocs build --strict` of the repo's site (mkdocs.yml + sima/) in a temporary folder."""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import copy_project, mkdocs_build

SEED_PAGE = "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/index.html"
DEC05_PAGE = "entries/decisions/architecture/DEC-05/index.html"
CITED = (
    "aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11/",
    "aws/lambda/AWS-Lambda-TimeoutConstraints_AWS-LESS-12/",
    "entries/decisions/architecture/DEC-05/",
    "entries/core/ARCH-SUGA_Single Universal Gateway Architecture/",
)


class Links(HTMLParser):
    """Every href/src, every element id, and the tables (as header texts) of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.tables: list[list[str]] = []
        self._th: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.urls.append(a[key])
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "table":
            self.tables.append([])
        if tag == "th" and self.tables:
            self._th = []

    def handle_endtag(self, tag):
        if tag == "th" and self._th is not None:
            self.tables[-1].append(" ".join("".join(self._th).split()))
            self._th = None

    def handle_data(self, data):
        if self._th is not None:
            self._th.append(data)


def resolve(site: Path, page: str, url: str) -> tuple[Path, str] | None:
    """(file, fragment) a relative URL of `page` leads to; None for external or page-local URLs."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if url.startswith("/"):  # root-absolute: the 404 page, which MkDocs serves from any folder
        target = posixpath.normpath(unquote(parts.path).lstrip("/")) or "."
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    path = site / target
    if url.split("#")[0].endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


def pages_of(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_seed_page_links_the_four_cited_entries(built_site: Path) -> None:
    html = (built_site / SEED_PAGE).read_text(encoding="utf-8")
    content = html.split('<article', 1)[1]
    targets = {resolve(built_site, SEED_PAGE, u)[0] for u in Links(content).urls if resolve(built_site, SEED_PAGE, u)}
    for cited in CITED:
        page = built_site / cited / "index.html"
        assert page in targets, cited
        assert page.is_file()


def test_dec05_shows_the_backlink_to_the_seed(built_site: Path) -> None:
    html = (built_site / DEC05_PAGE).read_text(encoding="utf-8")
    backlinks = html.split('id="referenced-by"', 1)[1]
    assert 'class="sima-backlink__source" href="../../../../aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/"' in backlinks
    assert "Sentinel sanitization at boundaries" in backlinks


def broken_links(site: Path) -> tuple[dict[str, str], list[str]]:
    """The built pages, and every relative link among them that leads to no file or no `#id`."""
    pages = pages_of(site)
    ids: dict[str, set[str]] = {}
    broken = []
    for page, html in pages.items():
        for url in Links(html).urls:
            hit = resolve(site, page, url)
            if hit is None:
                continue
            path, fragment = hit
            if not path.exists():
                broken.append(f"{page}: {url}")
                continue
            rel = path.relative_to(site).as_posix()
            if fragment and rel in pages and "/assets/" not in url:
                if rel not in ids:
                    ids[rel] = Links(pages[rel]).ids
                if unquote(fragment) not in ids[rel]:
                    broken.append(f"{page}: {url} (no #{fragment})")
    return pages, broken


def test_every_internal_link_resolves(built_site: Path) -> None:
    pages, broken = broken_links(built_site)
    assert len(pages) > 40 and "404.html" in pages and not broken, "\n".join(broken[:30])


def test_pattern_page_compares_the_seed_patterns_in_one_table(built_site: Path) -> None:
    html = (built_site / "catalog/patterns/index.html").read_text(encoding="utf-8")
    heads = [" | ".join(t) for t in Links(html).tables]
    assert any(all(name in h for name in ("Synchronous", "Asynchronous", "Streaming")) for h in heads), heads


def test_assets_are_local_and_linked(built_site: Path) -> None:
    html = (built_site / SEED_PAGE).read_text(encoding="utf-8")
    for name in ("site.css", "selector.css", "selector.js"):
        assert (built_site / "assets/sima" / name).is_file()
        assert f"assets/sima/{name}" in html
    assert not re.search(r"""(?:src|href)=["']https?://""", html.split("<article")[0])  # no CDN, no web fonts
    assert "fonts.googleapis" not in html


def test_fail_mode_stops_the_build_listing_errors(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    dec = project / "sima/entries/decisions/architecture/DEC-05.md"
    dec.write_text(dec.read_text(encoding="utf-8").replace("**Version:** 1.0.0", "**Version:** one"), encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "sima/entries/decisions/architecture/DEC-05.md:3:14: SIMA103 [error]" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_exclude_mode_publishes_only_clean_entries(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    yml = project / "mkdocs.yml"
    yml.write_text(re.sub(r"on_violation: \w+", "on_violation: exclude", yml.read_text(encoding="utf-8")), encoding="utf-8")
    dec = project / "sima/entries/decisions/architecture/DEC-05.md"
    dec.write_text(dec.read_text(encoding="utf-8").replace("**Version:** 1.0.0", "**Version:** one"), encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    site = project / "site"
    assert not (site / DEC05_PAGE).exists()
    compliance = (site / "catalog/compliance/index.html").read_text(encoding="utf-8")
    assert "entries/decisions/architecture/DEC-05.md" in compliance.split('id="not-published"')[1]
    seed = (site / SEED_PAGE).read_text(encoding="utf-8")
    assert 'class="sima-unpublished"' in seed and "DEC-05/" not in seed


def test_public_corpus_builds_strict_with_exclude(corpus: Path, tmp_path: Path) -> None:
    """The real public KB (1000+ error findings) still builds under --strict with `exclude`,
    and every link inside its pages' content leads to a built file."""
    project = copy_project(tmp_path)
    yml = project / "mkdocs.yml"
    text = re.sub(r"on_violation: \w+", "on_violation: exclude", yml.read_text(encoding="utf-8"))
    yml.write_text(text.replace("docs_dir: sima", f"docs_dir: '{corpus}'"), encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr[-3000:]
    site = project / "site"
    broken = []
    for path in site.rglob("index.html"):
        page = path.relative_to(site).as_posix()
        html = path.read_text(encoding="utf-8")
        content = html[html.find("<article"): html.find("</article>")]
        for url in re.findall(r'href="([^"]*)"', content):
            hit = resolve(site, page, url)
            if hit is not None and not hit[0].exists():
                broken.append(f"{page}: {url}")
    assert not broken, "\n".join(broken[:30])


def test_a_pages_dir_outside_docs_dir_is_a_config_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - sima:\n", "  - sima:\n      pages_dir: ../out\n", 1), encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "`pages_dir` must be a folder inside docs_dir" in done.stderr
    assert "Traceback" not in done.stderr and not (project / "out").exists()

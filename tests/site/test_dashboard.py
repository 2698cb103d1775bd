"""The compliance dashboard and the rule pages stay bounded as the KB grows (issue 11), and every
view counts the same rows (issue 12 §3): builder-level, without MkDocs."""
from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urljoin

import pytest

from checker.rules import RULES
from checker.site.pages import generated_data, generated_pages
from checker.site.pages.compliance import EXCLUDED_MAX, PAGE_SIZE, Dashboard
from checker.site.pages.dashrows import folder_counts, rule_counts
from checker.site.pages.rules import FINDINGS_MAX
from conftest import PATHS, linker, make_site, urls_of
from dashkb import findings_kb
from helpers import clean_entry

MB = 1_000_000


@pytest.fixture(scope="module")
def site():
    """250 files with findings: three pages of the file table."""
    return make_site(findings_kb(250), mode="warn")


def _pages(data):
    """{src: Markdown} of the dashboard's pages."""
    dash = Dashboard(data, PATHS)
    srcs = [PATHS.compliance_page(n) for n in range(1, dash.page_count + 1)]
    return {src: p.build(linker(data, src)) for p in generated_pages(data, PATHS) for src in [p.src] if src in srcs}


def _json(data) -> dict:
    gen = {d.src: d for d in generated_data(data, PATHS)}[PATHS.compliance_data]
    return json.loads(gen.build(linker(data, PATHS.compliance_data)))


def test_every_checked_file_is_on_exactly_one_paged_page(site) -> None:
    pages = _pages(site)
    assert list(pages) == [PATHS.compliance, "catalog/compliance/2.md", "catalog/compliance/3.md"]
    seen = Counter(p for md in pages.values() for p in re.findall(r'<code class="sima-path">([^<]+)</code>', md))
    assert set(seen) == set(site.entries) and set(seen.values()) == {1}
    assert [len(re.findall(r'<tr id="row-', md)) for md in pages.values()] == [PAGE_SIZE, PAGE_SIZE, 50]


def test_paged_pages_are_out_of_the_nav_and_the_search() -> None:
    data = make_site(findings_kb(PAGE_SIZE + 1), mode="warn")
    reg = {p.src: p for p in generated_pages(data, PATHS)}
    page2 = reg["catalog/compliance/2.md"]
    assert page2.nav is None and not page2.searchable
    from checker.site.pages import generated_nav
    assert "catalog/compliance/2.md" not in json.dumps(generated_nav(tuple(reg.values())))


def test_rule_and_folder_counts_add_up_to_the_totals(site) -> None:
    totals = site.counts()
    by_rule = rule_counts(site)
    for sev in ("error", "warning", "info"):
        assert sum(rc.findings for rc in by_rule if rc.severity == sev) == totals[sev]
    folders = folder_counts(Dashboard(site, PATHS).rows)
    assert sum(fc.files for fc in folders) == len(site.entries)
    assert tuple(sum(fc.counts[k] for fc in folders) for k in range(3)) == (totals["error"], totals["warning"], totals["info"])
    md = _pages(site)[PATHS.compliance]
    for rc in by_rule:  # each rule count links to the rule page and names its filter
        assert f'href="../rules/{rc.code}/" data-q="{rc.code}">{rc.files}</a>' in md
    assert 'href="#row-0" data-q="^aws/">50</a>' in md  # 250 files over 5 folders


def test_folder_links_lead_to_the_page_of_the_folders_first_row(site) -> None:
    md = _pages(site)[PATHS.compliance]
    dash = Dashboard(site, PATHS)
    for fc in folder_counts(dash.rows):
        n = dash.page_of(fc.first)
        href = f"#row-{fc.first}" if n == 1 else f"{n}/#row-{fc.first}"
        assert f'<a href="{href}" data-q="^{fc.folder}/"><code>{fc.folder}</code></a>' in md
        assert f'id="row-{fc.first}"' in _pages(site)[PATHS.compliance_page(n)]


def test_json_has_every_row_with_its_counts(site) -> None:
    doc = _json(site)
    rows = {r[0]: r for r in doc["rows"]}
    assert doc["columns"][:4] == ["path", "href", "title", "kind"] and set(rows) == set(site.entries)
    for rel, fs in site.findings.items():
        sev = Counter(str(f.severity) for f in fs)
        row = rows[rel]
        assert row[4:7] == [sev["error"], sev["warning"], sev["info"]]
        assert {c: n for c, _, n in row[7]} == dict(Counter(f.code for f in fs))
    # hrefs are relative to the JSON's URL: resolved there, they are the pages' URLs
    urls = urls_of(site)
    base = "http://h/" + PATHS.compliance_data
    some = next(iter(site.entries))
    assert urljoin(base, rows[some][1]) == "http://h/" + urls[some]
    assert urljoin(base, doc["rules"]["SIMA202"]["href"]) == "http://h/" + urls[PATHS.rule("SIMA202")]
    assert urljoin(base, doc["dashboard"]) == "http://h/" + urls[PATHS.compliance]


HOSTILE = "<script>alert('x')</script> \"q\" & <b>"


def test_hostile_paths_and_messages_are_escaped_in_html_and_inert_in_json() -> None:
    name = "x<script>alert(1)</script>/Bad\"q'_AWS-LESS-01.md"
    text = clean_entry(name, "AWS-LESS-01").replace("**Version:** 1.0.0", f"**Version:** {HOSTILE}")
    data = make_site({name: text}, mode="exclude")  # unpublished: its row lists its error messages
    assert data.excluded
    md = _pages(data)[PATHS.compliance]
    assert "<script" not in md and "<b>" not in md and "&lt;script&gt;" in md
    assert "\"q'" not in md  # quotes escaped inside attributes and text
    raw = {d.src: d for d in generated_data(data, PATHS)}[PATHS.compliance_data].build(linker(data, PATHS.compliance_data))
    assert "<" not in raw and ">" not in raw and "&" not in raw
    doc = json.loads(raw)
    assert doc["rows"][0][0] == name and doc["rows"][0][1] is None and doc["rows"][0][8] == 0


def test_not_published_is_bounded_and_links_each_file_to_its_row() -> None:
    files = findings_kb(4 * (EXCLUDED_MAX + 10))
    data = make_site(files, mode="exclude")
    assert len(data.excluded) > EXCLUDED_MAX
    md = _pages(data)[PATHS.compliance]
    tail = md.split("## Not published")[1]
    assert tail.count("<li>") == EXCLUDED_MAX and f"And {len(data.excluded) - EXCLUDED_MAX} more" in tail
    first = next(r for r in Dashboard(data, PATHS).rows if not r.published)
    assert f'<a href="#row-{first.index}"><code>{first.path}</code></a>' in tail


def test_rule_page_lists_a_bounded_number_and_links_the_filtered_dashboard(site) -> None:
    rule = next(r for r in RULES if r.code == "SIMA103")
    src = PATHS.rule("SIMA103")
    md = {p.src: p for p in generated_pages(site, PATHS)}[src].build(linker(site, src))
    hits = md.split("## In this knowledge base")[1]
    total = sum(1 for fs in site.findings.values() for f in fs if f.code == "SIMA103")
    assert total > FINDINGS_MAX and hits.count("<li>") == FINDINGS_MAX
    assert f"The first {FINDINGS_MAX} of {total} findings" in hits
    assert 'href="../../compliance/?q=SIMA103">All files with SIMA103 findings</a>' in hits
    assert rule.name in md


def _largest(n: int) -> int:
    data = make_site(findings_kb(n), mode="warn")
    reg = generated_pages(data, PATHS)
    mine = [p for p in reg if p.src.startswith(PATHS.compliance[:-3]) or "/rules/" in p.src]
    return max(len(p.build(linker(data, p.src)).encode()) for p in mine)


def test_dashboard_and_rule_pages_stay_small_as_the_kb_grows() -> None:
    small, large = _largest(500), _largest(1000)
    assert large < MB
    assert large <= small * 1.02, (small, large)  # only the pager's page numbers grow


def test_a_folder_with_spaces_gets_a_quoted_filter_word() -> None:
    name = "my notes/Note_AWS-LESS-01.md"
    data = make_site({name: clean_entry(name, "AWS-LESS-01")})
    md = _pages(data)[PATHS.compliance]
    assert 'data-q="^&quot;my notes/&quot;"' in md

"""Page builders as plain functions: entry pages, indexes, compliance, rules, nav, render fixes."""
from __future__ import annotations

import re

import markdown
import pytest

from checker.rules import RULES
from checker.site import pages
from checker.site.backlinks import collect
from checker.site.nav import folder_nav
from checker.site.render import entry_title, github_compat, humanize
from conftest import DEC05_REL, PATHS, SEED_REL, linker, make_site
from helpers import clean_entry, parse

HOSTILE = '<script>alert("x")</script>'


def html_of(md_text: str) -> str:
    """Markdown as MkDocs would render it (tables, toc)."""
    return markdown.markdown(md_text, extensions=["tables", "toc", "fenced_code"])


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


# ---------------------------------------------------------------- entry pages


def test_seed_page_has_title_card_compliance_and_backlinks(repo_site) -> None:
    md = pages.entry_page(repo_site.entry(SEED_REL), repo_site, linker(repo_site, SEED_REL), PATHS)
    assert md.startswith("# AWS General Processing Patterns\n")
    assert "# AWS-General-ProcessingPatterns_AWS-LESS-01.md" not in md
    card = re.search(r'<div class="sima-card">.*?</dl>', md).group(0)
    for label, value in [("REF-ID", "AWS-LESS-01"), ("Type", "LESS (Lesson Learned)"), ("Category", "AWS General"),
                         ("Priority", "High"), ("Status", "Active"), ("Version", "1.0.0"), ("Date", "2025-11-01")]:
        assert re.search(rf"<dt>{label}</dt> <dd[^>]*>(<code>)?[^<]*{re.escape(value)}", card), label
    assert "**Version:**" not in md  # the header block became the card
    assert "Compliance: 3 warnings" in md
    for code in ("SIMA107", "SIMA402", "SIMA202"):
        assert f'href="../../../catalog/rules/{code}/"' in md
    assert "## Referenced by" in md and "AWS Lambda Cost Model" in md.split("## Referenced by")[1]


def test_clean_entry_says_clean_and_names_no_rule() -> None:
    data = make_site({"a/X_AWS-LESS-01.md": clean_entry("a/X_AWS-LESS-01.md", "AWS-LESS-01")})
    md = pages.entry_page(data.entry("a/X_AWS-LESS-01.md"), data, linker(data, "a/X_AWS-LESS-01.md"), PATHS)
    assert "Compliance: clean" in md and "sima-findings" not in md
    assert "No other entry cites this page yet." in md


def test_dec05_backlink_to_seed_with_context(repo_site) -> None:
    md = pages.entry_page(repo_site.entry(DEC05_REL), repo_site, linker(repo_site, DEC05_REL), PATHS)
    refs = md.split("## Referenced by", 1)[1]
    seed = "../../../../aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/"
    assert f'href="{seed}"' in refs and f'href="{seed}#cross-references"' in refs
    assert "<mark>/sima/entries/decisions/architecture/DEC-05.md</mark> - Sentinel sanitization at boundaries" in refs


def test_backlink_context_shows_link_labels_not_markdown(repo_site) -> None:
    lines = [b for b in repo_site.backlinks[DEC05_REL] if "alternatives" in b.hit]
    assert lines and lines[0].hit == "DEC-05: alternatives considered" and "](" not in lines[0].after


def test_bold_label_then_list_renders_as_a_list(repo_site) -> None:
    md = pages.entry_page(repo_site.entry(SEED_REL), repo_site, linker(repo_site, SEED_REL), PATHS)
    html = html_of(md)
    assert re.search(r"<p><strong>Characteristics:</strong></p>\s*<ul>\s*<li>Client waits for response</li>", html)
    assert "<p><strong>Flow:</strong></p>" in html  # the fence after the label is its own block


def test_hostile_values_are_escaped_everywhere() -> None:
    name = "a/Evil_AWS-LESS-01.md"
    text = clean_entry(name, "AWS-LESS-01", "\nBody [x](javascript:alert(1))").replace(
        "**Category:** Testing", f"**Category:** {HOSTILE}").replace(
        "**Purpose:** A small clean entry that every rule accepts", f"**Purpose:** {HOSTILE}").replace(
        "alpha, beta", f"{HOSTILE}, beta").replace(f"# {name.split('/')[1]}", f"# Evil_AWS-LESS-01.md - {HOSTILE}")
    data = make_site({name: text})
    ln = linker(data, PATHS.home)
    built = [
        pages.home_page(data, ln, PATHS, site_name=HOSTILE), pages.refid_index(data, ln), pages.keyword_index(data, ln),
        pages.compliance_page(data, ln, PATHS), pages.pattern_list(data, ln, PATHS),
        pages.entry_page(data.entry(name), data, linker(data, name), PATHS).split("Body")[0],
        pages.entry_page(data.entry(name), data, linker(data, name), PATHS).split("## Referenced by")[1],
    ]
    for md in built:
        assert "<script" not in md, md
        assert not any(h.lower().startswith("javascript:") for h in hrefs(md))
    assert "<script" not in data.titles[name]


# ---------------------------------------------------------------- generated pages


def test_refid_index_lists_every_refid_sorted(repo_site) -> None:
    md = pages.refid_index(repo_site, linker(repo_site, PATHS.refids))
    order = re.findall(r'<code id="([^"]+)">', md)
    assert order == ["ARCH-SUGA", "AWS-LESS-01", "AWS-LESS-11", "AWS-LESS-12", "DEC-05"]
    row = md.split('<code id="DEC-05">', 1)[1].split("</tr>")[0]
    assert "Architecture Decision" in row and "Active" in row and 'href="../../entries/decisions/architecture/DEC-05/"' in row


def test_keyword_index_merges_case_and_links_entries(repo_site) -> None:
    md = pages.keyword_index(repo_site, linker(repo_site, PATHS.keywords))
    assert '<span class="sima-keyword">sentinel</span> <a href="../../entries/decisions/architecture/DEC-05/">' in md
    assert '<h2 id="kw-s">S</h2>' in md


def test_home_counts_by_category_type_status(repo_site) -> None:
    md = pages.home_page(repo_site, linker(repo_site, PATHS.home), PATHS)
    html = html_of(md)
    assert "5 files checked: 0 errors, 3 warnings, 11 infos" in html
    category = html.split('id="by-category"')[1].split("</table>")[0]
    assert re.search(r"AWS Lambda</td><td><span class=\"sima-count\">2</span>", category)
    status = html.split('id="by-status"')[1].split("</table>")[0]
    assert '<span class="sima-count">5</span>' in status


def test_compliance_dashboard_lists_findings_by_severity_and_rule(repo_site) -> None:
    md = pages.compliance_page(repo_site, linker(repo_site, PATHS.compliance), PATHS)
    assert md.count("<tr>") >= 6
    assert 'href="../rules/SIMA504/">SIMA504 \u00d710</a>' in md
    assert '<h2 id="by-rule">By rule</h2>' in md and '<h2 id="by-folder">By folder</h2>' in md
    assert "## Not published" not in md


def test_exclude_mode_drops_error_entries_and_lists_them() -> None:
    good, bad = "a/Good_AWS-LESS-01.md", "a/Bad_AWS-LESS-02.md"
    data = make_site({
        good: clean_entry(good, "AWS-LESS-01", "\nSee AWS-LESS-02."),
        bad: clean_entry(bad, "AWS-LESS-02").replace("**Version:** 1.0.0", "**Version:** one"),
    }, mode="exclude")
    assert data.published() == [good] and list(data.excluded) == [bad]
    md = pages.compliance_page(data, linker(data, PATHS.compliance), PATHS)
    assert "## Not published" in md and "a/Bad_AWS-LESS-02.md" in md.split("## Not published")[1]
    assert "AWS-LESS-02" not in pages.refid_index(data, linker(data, PATHS.refids))
    entry_md = pages.entry_page(data.entry(good), data, linker(data, good), PATHS)
    assert '<span class="sima-unpublished"' in entry_md


def test_undecodable_file_is_never_published() -> None:
    good = "a/Good_AWS-LESS-01.md"
    data = make_site({good: clean_entry(good, "AWS-LESS-01"), "a/Bad.md": b"# Bad.md\n\xff\xfe broken\n"}, mode="warn")
    assert data.published() == [good] and "a/Bad.md" in data.excluded


def test_rules_index_and_rule_pages_come_from_the_rule_docs(repo_site) -> None:
    index = pages.rules_index(repo_site, linker(repo_site, PATHS.rules), PATHS)
    assert all(f">{r.code}</code>" in index for r in RULES)
    rule = next(r for r in RULES if r.code == "SIMA402")
    md = pages.rule_page(rule, repo_site, linker(repo_site, PATHS.rule("SIMA402")), PATHS)
    assert md.startswith("# SIMA402 keywords-count")
    for heading in ("## Why", "## Example", "## Fix", "## In this knowledge base"):
        assert heading in md
    assert "AWS General Processing Patterns" in md.split("## In this knowledge base")[1]


def test_pattern_list_links_each_pattern_to_its_section(repo_site) -> None:
    md = pages.pattern_list(repo_site, linker(repo_site, PATHS.pattern_list), PATHS)
    for slug in ("pattern-1-synchronous-request-response", "pattern-2-asynchronous-queued-processing",
                 "pattern-3-streaming-continuous-flow"):
        assert f'AWS-General-ProcessingPatterns_AWS-LESS-01/#{slug}"' in md


def test_comparison_page_is_fed_entries_with_patterns(repo_site) -> None:
    seen = {}

    def build(items: list) -> str:
        seen["items"] = [(e.relpath, len(ps.patterns), url) for e, ps, url in items]
        return "body"

    md = pages.comparison(repo_site, linker(repo_site, PATHS.comparison), build)
    assert md.startswith("# Pattern comparison")
    assert (SEED_REL, 3, "../../aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/") in seen["items"]


# ---------------------------------------------------------------- nav and titles


def test_nav_groups_by_folder_with_readable_names() -> None:
    nav = folder_nav([("aws/lambda/B.md", "Beta"), ("aws/general/A.md", "Alpha"), ("aws/Top.md", "Top"),
                      ("entries/anti-patterns/C.md", "Gamma")])
    assert nav == [
        {"AWS": [{"Top": "aws/Top.md"}, {"General": [{"Alpha": "aws/general/A.md"}]}, {"Lambda": [{"Beta": "aws/lambda/B.md"}]}]},
        {"Entries": [{"Anti Patterns": [{"Gamma": "entries/anti-patterns/C.md"}]}]},
    ]


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("AWS-General-ProcessingPatterns_AWS-LESS-01.md", "# AWS-General-ProcessingPatterns_AWS-LESS-01.md\n", "AWS General Processing Patterns"),
        ("ARCH-SUGA_Single Universal Gateway Architecture.md", "# ARCH-SUGA_Single Universal Gateway Architecture.md\n", "Single Universal Gateway Architecture"),
        ("LESS-29.md", "# LESS-29.md\n\n# Zero Tolerance for Anti-Patterns\n\n**REF-ID:** LESS-29\n", "Zero Tolerance for Anti-Patterns"),
        ("DEC-05.md", "# DEC-05.md - Sentinel sanitization\n", "Sentinel sanitization"),
        ("DEC-05.md", "# DEC-05.md\n\n**Purpose:** Short purpose\n\n---\n", "DEC-05: Short purpose"),
        ("lesson_learned_template.md", "# lesson_learned_template.md\n", "Lesson Learned Template"),
        ("NMP01-LEE-16_Fast-Path-Optimization-ZAPH-Pattern.md", "# x\n", "x"),
    ],
)
def test_entry_titles_read_like_titles(name: str, text: str, title: str) -> None:
    assert entry_title(parse(name, text)) == title


def test_humanize_keeps_acronyms_and_case() -> None:
    assert humanize("AWS-DynamoDB-SecondaryIndexes") == "AWS DynamoDB Secondary Indexes"
    assert humanize("api_gateway-of-things") == "API Gateway of Things"
    assert humanize("APIGateway-ProxyIntegration") == "API Gateway Proxy Integration"
    assert humanize("SIMAv4-Developer-Guide") == "SIMAv4 Developer Guide"  # was "SIM Av4" (the corpus's docs/)
    assert humanize("OAuth2-Flow") == "OAuth2 Flow" and humanize("iPhone-Tips") == "iPhone Tips"


# ---------------------------------------------------------------- GitHub-compatible Markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**Characteristics:**\n- a\n- b", "**Characteristics:**\n\n- a\n- b"),
        ("Text\n1. one\n2. two", "Text\n\n1. one\n2. two"),
        ("In 2019\n2. is not a list", "In 2019\n2. is not a list"),
        ("- a\n  - nested\n    - deeper\n- b", "- a\n    - nested\n        - deeper\n- b"),
        ("**Matrix:**\n| a | b |\n|---|---|\n| 1 | 2 |", "**Matrix:**\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        ("**Flow:**\n```\n- not a list\n```", "**Flow:**\n\n```\n- not a list\n```"),
        ("# Title\n- a", "# Title\n- a"),
        ("    - indented code", "    - indented code"),
    ],
    ids=["bold-label", "ordered", "ordered-not-1", "nested", "table", "fence", "heading", "code"],
)
def test_github_compat(source: str, expected: str) -> None:
    assert "\n".join(github_compat(source.split("\n"))) == expected


def test_nested_list_renders_nested() -> None:
    html = html_of("\n".join(github_compat(["- a", "  - nested", "- b"])))
    assert re.search(r"<li>a\s*<ul>\s*<li>nested</li>", html)


def test_backlinks_skip_self_and_dedupe_lines() -> None:
    a, b = "x/A_AWS-LESS-01.md", "x/B_AWS-LESS-02.md"
    data = make_site({
        a: clean_entry(a, "AWS-LESS-01", "\nAWS-LESS-01 and AWS-LESS-02 and B_AWS-LESS-02.md"),
        b: clean_entry(b, "AWS-LESS-02"),
    })
    found = collect(data.entries, data.resolved)
    assert [(x.source, x.hit) for x in found[b]] == [(a, "AWS-LESS-02")]
    assert a not in found


def test_comparison_goes_after_the_decision_tree_section(repo_site) -> None:
    md = pages.entry_page(repo_site.entry(SEED_REL), repo_site, linker(repo_site, SEED_REL), PATHS, "<div>CMP</div>")
    assert md.index("## Pattern Selection Framework") < md.index("<div>CMP</div>") < md.index("## Anti-Patterns")
    assert md.count("<div>CMP</div>") == 1


def test_titles_and_nav_honour_the_configured_refid_grammar(tmp_path) -> None:
    """With `refid-patterns = ['ZZ-\\d{2}']`, `Thing-Name_ZZ-07.md` is titled "Thing Name"
    on its page and in the nav, not "Thing Name ZZ 07"."""
    from conftest import mkdocs_build

    from helpers import REPO, clean_entry

    project = tmp_path / "p"
    (project / "kb" / "things").mkdir(parents=True)
    text = clean_entry("things/Thing-Name_ZZ-07.md", "ZZ-07")
    (project / "kb" / "things" / "Thing-Name_ZZ-07.md").write_text(text, encoding="utf-8")
    (project / ".sima-check.toml").write_text("root = \"kb\"\nrefid-patterns = ['ZZ-\\d{2}']\n", encoding="utf-8")
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: sima", "docs_dir: kb")
    (project / "mkdocs.yml").write_text(yml, encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (project / "site" / "things" / "Thing-Name_ZZ-07" / "index.html").read_text(encoding="utf-8")
    assert "<title>Thing Name - SIMA knowledge base</title>" in page
    assert "Thing Name ZZ 07" not in page
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="things/Thing-Name_ZZ-07/"[^>]*>\s*<span class="md-ellipsis">\s*Thing Name\s*</span>', home)

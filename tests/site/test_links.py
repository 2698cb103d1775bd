"""Cross-references become working links, in every syntax the checker resolves."""
from __future__ import annotations

import pytest

from checker.site.html import (
    Linker, directory_url, guard_relative, is_safe_href, neutralize, relative_url, rewrite,
)
from conftest import DEC05_REL, SEED_REL, SUGA_REL, linker, make_site
from helpers import clean_entry

TARGET = "entries/decisions/architecture/DEC-05.md"
SPACED = "entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md"
SOURCE = "aws/general/Source_AWS-LESS-02.md"


def rewritten(body: str, extra: dict[str, str] | None = None, mode: str = "fail") -> str:
    """The source entry's Markdown after link rewriting, with DEC-05 and ARCH-SUGA in the KB."""
    files = {
        SOURCE: clean_entry(SOURCE, "AWS-LESS-02", body),
        TARGET: clean_entry(TARGET, "DEC-05", "\n## Alternatives Considered\n\nText."),
        SPACED: clean_entry(SPACED, "ARCH-SUGA"),
        **(extra or {}),
    }
    data = make_site(files, mode)
    entry = data.entry(SOURCE)
    return "\n".join(rewrite(entry, data.resolved[SOURCE], linker(data, SOURCE)))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("See /sima/entries/decisions/architecture/DEC-05.md here.",
         "[/sima/entries/decisions/architecture/DEC-05.md](<../../entries/decisions/architecture/DEC-05.md>)"),
        ("See DEC-05.md here.", "[DEC-05.md](<../../entries/decisions/architecture/DEC-05.md>)"),
        ("See decisions/architecture/DEC-05.md here.",
         "[decisions/architecture/DEC-05.md](<../../entries/decisions/architecture/DEC-05.md>)"),
        ("See [the decision](../../entries/decisions/architecture/DEC-05.md#alternatives-considered).",
         "[the decision](<../../entries/decisions/architecture/DEC-05.md#alternatives-considered>)"),
        ("See [the decision](/sima/entries/decisions/architecture/DEC-05.md).",
         "[the decision](<../../entries/decisions/architecture/DEC-05.md>)"),
        ("Sentinels are covered by DEC-05 today.", "[DEC-05](<../../entries/decisions/architecture/DEC-05.md>)"),
        ("**Related:** DEC-05, ARCH-SUGA",
         "[DEC-05](<../../entries/decisions/architecture/DEC-05.md>), [ARCH-SUGA](<../../entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md>)"),
        ("Path in code: `/sima/entries/decisions/architecture/DEC-05.md`.",
         "[`/sima/entries/decisions/architecture/DEC-05.md`](<../../entries/decisions/architecture/DEC-05.md>)"),
    ],
    ids=["kb-path", "bare", "relative", "link-anchor", "link-rooted", "refid", "field", "code-path"],
)
def test_every_syntax_becomes_a_link(body: str, expected: str) -> None:
    assert expected in rewritten("\n" + body)


def test_kb_path_and_bare_name_with_spaces_link_the_whole_name() -> None:
    out = rewritten(
        "\n- /sima/entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md - flows"
        "\n- ARCH-SUGA_Single Universal Gateway Architecture.md - the same, bare"
    )
    target = "(<../../entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md>)"
    assert f"- [/sima/entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md]{target} - flows" in out
    assert f"- [ARCH-SUGA_Single Universal Gateway Architecture.md]{target} - the same, bare" in out


def test_near_miss_links_to_the_real_file_and_bad_anchor_is_dropped() -> None:
    out = rewritten(
        "\n[suga](../../entries/core/ARCH-SUGA_Single-Universal-Gateway-Architecture.md)"
        "\n[alt](../../entries/decisions/architecture/DEC-05.md#no-such-heading)"
    )
    assert "[suga](<../../entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md>)" in out
    assert "[alt](<../../entries/decisions/architecture/DEC-05.md>)" in out


def test_unresolved_references_are_marked_not_linked() -> None:
    out = rewritten("\n[gone](missing/Nothing.md) and /sima/nowhere/Gone.md and DEC-99 end")
    assert '<span class="sima-unresolved" title="unresolved reference (unresolved)">gone</span>' in out
    assert '<span class="sima-unresolved"' in out.split("and", 1)[1]
    assert "](missing" not in out
    assert "DEC-99 end" in out  # a REF-ID-like word nobody owns stays plain text


def test_self_mention_is_not_linked() -> None:
    assert "see AWS-LESS-02 below" in rewritten("\nsee AWS-LESS-02 below")


def test_unpublished_target_is_marked() -> None:
    broken = clean_entry(TARGET, "DEC-05").replace("**Version:** 1.0.0", "**Version:** one")
    out = rewritten("\nSee DEC-05 now.", {TARGET: broken}, mode="exclude")
    assert '<span class="sima-unpublished"' in out and "](<" not in out.split("See", 1)[1].split("now")[0]


def test_code_fences_and_inline_code_words_are_left_alone() -> None:
    out = rewritten("\n```text\nDEC-05 in a fence\n```\nand `DEC-05` in code")
    assert "DEC-05 in a fence" in out and "`DEC-05` in code" in out


def test_seed_links_all_four_cited_entries(repo_site) -> None:
    entry = repo_site.entry(SEED_REL)
    out = "\n".join(rewrite(entry, repo_site.resolved[SEED_REL], linker(repo_site, SEED_REL)))
    for dest in ("../lambda/AWS-Lambda-CostModel_AWS-LESS-11.md", "../lambda/AWS-Lambda-TimeoutConstraints_AWS-LESS-12.md",
                 "../../" + DEC05_REL, "../../" + SUGA_REL):
        assert f"(<{dest}>)" in out


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("a/b/", "a/c/", "../b/"),
        ("a/b/", "a/b/", "./"),
        ("x/", "./", "x/"),
        ("./", "a/b/", "../../"),
        ("a/b%20c/", "d/", "../a/b%20c/"),
        ("img/p.png", "a/page.html", "../img/p.png"),
    ],
)
def test_relative_url(url: str, base: str, expected: str) -> None:
    assert relative_url(url, base) == expected


def test_directory_url_matches_mkdocs() -> None:
    assert directory_url("a/B c.md") == "a/B%20c/"
    assert directory_url("index.md") == "./"
    assert directory_url("x/README.md") == "x/"


def test_linker_hrefs() -> None:
    ln = Linker("a/one.md", {"a/one.md": "a/one/", "b/two.md": "b/two/", "javascript:x.md": "javascript%3Ax/"})
    assert ln.href("b/two.md", "sec") == "../../b/two/#sec"
    assert ln.href("a/one.md", "sec") == "#sec"
    assert ln.href("c/gone.md") is None
    assert ln.md("b/two.md") == "../b/two.md"
    assert guard_relative("javascript:alert(1)") == "./javascript:alert(1)"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x", "&#106;avascript:x", "data:text/html,x", "vbscript:x"]
)
def test_unsafe_urls(url: str) -> None:
    assert not is_safe_href(url)
    assert 'href="#"' in neutralize(f'<a href="{url}">x</a>')


@pytest.mark.parametrize("url", ["../a/", "#x", "https://example.org/", "mailto:a@b.c", "a:b/"[2:]])
def test_safe_urls_are_kept(url: str) -> None:
    assert is_safe_href(url)
    assert neutralize(f'<a href="{url}">x</a>') == f'<a href="{url}">x</a>'


def test_markdown_javascript_link_in_an_entry_is_neutralised_in_html() -> None:
    import markdown

    html = markdown.markdown("[click](javascript:alert(1)) and <a href='javascript:x'>raw</a>")
    assert "javascript:" not in neutralize(html)


def test_reference_definitions_point_at_pages_or_show_as_text() -> None:
    files = {
        SOURCE: clean_entry(SOURCE, "AWS-LESS-02", "\nSee [the decision][d] and [x][gone].\n\n[d]: ../../entries/decisions/architecture/DEC-05.md\n[gone]: [Interface]"),
        TARGET: clean_entry(TARGET, "DEC-05"),
    }
    data = make_site(files)
    out = "\n".join(rewrite(data.entry(SOURCE), data.resolved[SOURCE], linker(data, SOURCE), data.kb))
    assert "[d]: <../../entries/decisions/architecture/DEC-05.md>" in out
    assert "\\[gone]: [Interface]" in out


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
        ('<a href="#" title="turn onboarding=on" ONCLICK=x>t</a>', '<a href="#" title="turn onboarding=on">t</a>'),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)</script>"),
        ('<iframe src="https://x.example/"></iframe>', "&lt;iframe src=&quot;https://x.example/&quot;&gt;</iframe>"),
        ('<script type="application/json" class="sima-tree">{"a":1}</script>', '<script type="application/json" class="sima-tree">{"a":1}</script>'),
        ("<pre><code>&lt;script&gt;x&lt;/script&gt;</code></pre>", "<pre><code>&lt;script&gt;x&lt;/script&gt;</code></pre>"),
    ],
    ids=["handler", "handler-not-in-value", "script", "iframe", "json-data", "code"],
)
def test_neutralize_drops_executable_html(raw: str, safe: str) -> None:
    assert neutralize(raw) == safe

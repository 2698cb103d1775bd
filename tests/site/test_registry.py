"""The generated-page registry and the slots that keep generated HTML out of Python-Markdown."""
from __future__ import annotations

import markdown

from checker.rules import RULES
from checker.site import pages
from checker.site.pages import GeneratedPage, Paths, Slots, generated_nav, generated_pages
from conftest import PATHS, SEED_REL, linker


def test_registry_lists_every_generated_page_once(repo_site) -> None:
    reg = generated_pages(repo_site, PATHS)
    srcs = [p.src for p in reg]
    assert len(srcs) == len(set(srcs)) == 8 + len(RULES)
    assert {PATHS.home, PATHS.refids, PATHS.keywords, PATHS.compliance, PATHS.comparison, PATHS.pattern_list, PATHS.refmap, PATHS.rules} <= set(srcs)
    assert all(isinstance(p, GeneratedPage) and p.build(linker(repo_site, p.src)).startswith("# ") for p in reg)


def test_search_leaves_out_the_catalogues_only() -> None:
    from conftest import make_site
    reg = {p.src: p for p in generated_pages(make_site({}), Paths())}
    assert reg["index.md"].searchable and reg[Paths().rule(RULES[0].code)].searchable
    assert [s for s, p in reg.items() if not p.searchable] == [
        "catalog/refids.md", "catalog/keywords.md", "catalog/patterns.md", "catalog/pattern-list.md",
        "catalog/compliance.md", "catalog/map.md", "catalog/rules/index.md",
    ]


def test_nav_comes_from_the_registry() -> None:
    page = lambda src, title, nav="": GeneratedPage(src, title, lambda ln: "", True, nav)  # noqa: E731
    nav = generated_nav((
        page("index.md", "Home"), page("c/a.md", "A", "Cat"), page("c/r/index.md", "Rules", "Cat/Rules"),
        page("c/r/X1.md", "X1 x", "Cat/Rules"), page("c/b.md", "B", "Cat"),
    ))
    assert nav == [{"Home": "index.md"}, {"Cat": [{"A": "c/a.md"}, {"Rules": ["c/r/index.md", {"X1 x": "c/r/X1.md"}]}, {"B": "c/b.md"}]}]


def test_slots_survive_markdown_and_fill_back_exactly() -> None:
    block = '<div class="sima-card" data-search-exclude><p>a\n\n    b</p></div>'  # blank and indented lines
    slots = Slots("k1")
    text = "# T\n\n" + slots.add(block) + "\n\nBody <!--sima-slot:0--> <!--sima-slotzz:0-->\n"
    html = markdown.markdown(text)
    assert "sima-card" not in html
    filled = slots.fill(html)
    assert filled.count(block) == 1 and "<!--sima-slot:0-->" in filled and "<!--sima-slotzz:0-->" in filled
    assert Slots().add("") == ""


def test_a_slot_the_markdown_read_as_code_shows_its_text() -> None:
    """A fence nested in a same-length fence: superfences reads code where the checker did not,
    so the placeholder arrives escaped; it becomes the link's text, never the comment."""
    slots = Slots("k2")
    mark = slots.add('<a href="../Other/">Other &amp; Entry.md</a>')
    html = markdown.markdown(f"    code {mark} here\n")  # indented: a code block
    assert "&lt;!--sima-slot" in html
    assert slots.fill(html) == "<pre><code>code Other &amp; Entry.md here\n</code></pre>"


def test_lift_holds_only_html_blocks() -> None:
    slots = Slots("x")
    lifted = slots.lift("# Title\n\n<table><tr><td>1</td></tr></table>\n\n## Part\n\nText `code`.\n")
    assert lifted == "# Title\n\n<!--sima-slotx:0-->\n\n## Part\n\nText `code`.\n"
    assert slots.fill(lifted) == "# Title\n\n<table><tr><td>1</td></tr></table>\n\n## Part\n\nText `code`.\n"


def test_entry_page_with_slots_renders_like_without(repo_site) -> None:
    entry = repo_site.entry(SEED_REL)
    ln = linker(repo_site, SEED_REL)
    whole = markdown.markdown(pages.entry_page(entry, repo_site, ln, PATHS), extensions=["tables"])
    slots = Slots("s")
    held = pages.entry_page(entry, repo_site, ln, PATHS, slots=slots)
    assert "sima-card" not in held and len(slots.blocks) >= 3
    assert slots.fill(markdown.markdown(held, extensions=["tables"])).split() == whole.split()

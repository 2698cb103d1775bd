"""The reference map: an inline SVG per entry (pages/refmap.py) and the KB-wide overview."""
from __future__ import annotations

import re

from conftest import DEC05_REL, LESS11_REL, LESS12_REL, PATHS, SEED_REL, SUGA_REL, linker, make_site

from checker.site.pages.refmap import MAX_SIDE, family, kb_map_page, refmap_svg

HEAD = "# {title}\n\n**REF-ID:** {refid}\n\n"


def _hrefs(svg: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', svg)


def test_seed_map_links_its_four_cited_entries(repo_site) -> None:
    svg = refmap_svg(SEED_REL, repo_site, linker(repo_site, SEED_REL))
    assert svg.count("<svg") == 1 and "<title>" in svg
    hrefs = set(_hrefs(svg))
    for rel in (DEC05_REL, SUGA_REL, LESS11_REL, LESS12_REL):
        assert linker(repo_site, SEED_REL).href(rel) in hrefs, rel
    assert "AWS-LESS-01" in svg  # the entry itself, in the middle, not a link
    assert linker(repo_site, SEED_REL).href(SEED_REL) not in hrefs


def test_dec05_map_links_back_to_the_seed(repo_site) -> None:
    ln = linker(repo_site, DEC05_REL)
    assert ln.href(SEED_REL) in _hrefs(refmap_svg(DEC05_REL, repo_site, ln))


def test_broken_reference_is_drawn_as_such() -> None:
    data = make_site({"a/DEC-01.md": HEAD.format(title="A", refid="DEC-01") + "See DEC-99 and /sima/a/missing.md.\n"})
    svg = refmap_svg("a/DEC-01.md", data, linker(data, "a/DEC-01.md"))
    assert "sima-map-node--broken" in svg and "broken reference" in svg


def test_many_citers_are_bounded() -> None:
    files = {"t/DEC-01.md": HEAD.format(title="Target", refid="DEC-01")}
    for i in range(2, 40):
        files[f"s/DEC-{i:02d}.md"] = HEAD.format(title=f"S{i}", refid=f"DEC-{i:02d}") + "Cites DEC-01.\n"
    data = make_site(files)
    svg = refmap_svg("t/DEC-01.md", data, linker(data, "t/DEC-01.md"))
    assert f"and {38 - MAX_SIDE} more" in svg and 'href="#referenced-by"' in svg
    assert len(_hrefs(svg)) == MAX_SIDE + 1


def test_every_label_is_escaped() -> None:
    evil = '<script>alert(1)</script>" onmouseover="x'
    files = {
        "a/DEC-01.md": f"# {evil}\n\n**REF-ID:** DEC-01\n\nSee DEC-02 and [x](<{evil}.md>).\n",
        "a/DEC-02.md": f"# {evil} two\n\n**REF-ID:** DEC-02\n\nSee DEC-01.\n",
    }
    data = make_site(files)
    for rel in files:
        svg = refmap_svg(rel, data, linker(data, rel))
        assert "<script" not in svg and 'onmouseover="' not in svg
        assert "&quot; onmouseover=&quot;" in svg  # the title is shown in its tooltip, quotes escaped
        for attr in re.findall(r'="([^"]*)"', svg):
            assert "<" not in attr
    page = kb_map_page(data, linker(data, PATHS.refmap), PATHS)
    assert "<script" not in page


def test_family_of_refids() -> None:
    assert family("AWS-LESS-01") == "LESS" and family("DEC-05") == "DEC" and family("ARCH-SUGA") == "ARCH"
    assert family(None) == "other" and family("AP-12") == "AP"


def test_overview_groups_by_type_not_by_entry(repo_site) -> None:
    page = kb_map_page(repo_site, linker(repo_site, PATHS.refmap), PATHS)
    assert page.startswith("# Reference map")
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<circle") == len({family(e.refid) for e in repo_site.entries.values()})
    assert "aws/lambda" in page

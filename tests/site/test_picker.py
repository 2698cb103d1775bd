"""The pattern picker (pages/picker.py): its data files (a compact index, cells in chunks of a
bounded number of entries), hostile names kept as inert data, the hidden block on the first
comparison page, and the files as the plugin and the export write them."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from checker.site.html import Linker
from checker.site.pages import comparison, generated_data
from checker.site.pages.compare import ASSET_DIR, ASSETS, comparison_table
from checker.site.pages.picker import CHUNK, chunk_src, index_src, picker_html, with_picker
from conftest import LESS12_REL, PATHS, SEED_REL, make_site, repo_kb, urls_of
from test_build import resolve
from test_export import exported, mkdocs_site, site, zensical_site  # noqa: F401 - fixtures

INDEX = index_src(PATHS.comparison)
EVIL = '<script>alert("x")</script> & "q" \u2028'


def _files(data) -> dict[str, str]:
    """Every data file of the picker, its JSON as the plugin writes it (hrefs relative to the file)."""
    gens = _picker_files(data)
    urls = dict(urls_of(data), **{g.src: g.src for g in gens})
    return {g.src: g.build(Linker(g.src, urls)) for g in gens}


def _picker_files(data) -> list:
    """The picker's data files among the site's (the dashboard has its own)."""
    folder = INDEX.rsplit("/", 1)[0] + "/"
    return [g for g in generated_data(data, PATHS) if g.src.startswith(folder)]


def _entry(refid: str, names: list[str], cell: str = "Plain text") -> str:
    patterns = "\n".join(f"### Pattern {n}: {name} (Q{n})\n\n**Characteristics:**\n- {cell}\n" for n, name in enumerate(names, 1))
    return f"# Entry {refid}\n\n**REF-ID:** {refid}\n\n## Patterns\n\n{patterns}"


def test_index_lists_every_pattern_with_its_entry_and_chunk(repo_site) -> None:
    files = _files(repo_site)
    index = json.loads(files[INDEX])
    assert index["version"] == 1 and index["chunk"] == CHUNK
    keys = [e[0] for e in index["entries"]]
    assert "AWS-LESS-01" in keys and "AWS-LESS-12" in keys
    seed = keys.index("AWS-LESS-01")
    names = [(p[0], p[1], p[3]) for p in index["patterns"] if p[2] == seed]
    assert names == [("Synchronous", "Request-Response", 1), ("Asynchronous", "Queued Processing", 2), ("Streaming", "Continuous Flow", 3)]
    # hrefs relative to the index's own URL
    entry = index["entries"][seed]
    assert posixpath.normpath(posixpath.join(posixpath.dirname(INDEX), entry[3])) + "/" == urls_of(repo_site)[SEED_REL]
    assert index["chunks"] == ["chunk-0.json"]
    # no cell data in the index
    assert "Client waits for response" not in files[INDEX]


def test_chunk_holds_plain_cells_and_links_to_the_sections(repo_site) -> None:
    files = _files(repo_site)
    index = json.loads(files[INDEX])
    chunk = json.loads(files[chunk_src(PATHS.comparison, 0)])
    seed = [e[0] for e in index["entries"]].index("AWS-LESS-01")
    sync = chunk["entries"][seed - chunk["first"]][0]
    assert sync["name"] == "Synchronous"
    assert sync["href"].endswith("#pattern-1-synchronous-request-response")
    rows = {r[0]: r for r in sync["rows"]}
    assert rows["Characteristics"][2] == ["Client waits for response"]
    assert rows["Flow"][3] is True and "Client blocks and waits" in rows["Flow"][1]
    less12 = [e[0] for e in index["entries"]].index("AWS-LESS-12")
    assert [p["name"] for p in chunk["entries"][less12 - chunk["first"]]][-1] == "Orchestrate or Leave Lambda"


def test_chunks_are_bounded_and_fetched_by_entry_number() -> None:
    n = CHUNK * 2 + 3
    data = make_site({f"e/E{i:04d}.md": _entry(f"TST-{i:04d}", ["Alpha", "Beta"]) for i in range(n)})
    files = _files(data)
    index = json.loads(files[INDEX])
    assert len(index["entries"]) == n and len(index["patterns"]) == 2 * n
    assert len(index["chunks"]) == 3 == len(files) - 1
    for c in range(3):
        chunk = json.loads(files[chunk_src(PATHS.comparison, c)])
        assert chunk["first"] == c * CHUNK and len(chunk["entries"]) == min(CHUNK, n - c * CHUNK)
    # the entry in position i is in chunk i // CHUNK
    i = CHUNK + 7
    chunk = json.loads(files[chunk_src(PATHS.comparison, i // CHUNK)])
    assert chunk["entries"][i - chunk["first"]][0]["href"].startswith("../../e/E%04d/" % i)
    assert index["entries"][i][0] in ("TST-%04d" % i, "E%04d" % i)


def test_entry_keys_are_unique() -> None:
    data = make_site({"a/x.md": _entry("TST-01", ["A", "B"]), "b/x.md": _entry("TST-01", ["C", "D"])}, mode="warn")
    keys = [e[0] for e in json.loads(_files(data)[INDEX])["entries"]]
    assert len(keys) == len(set(keys)) == 2


def test_hostile_names_and_cells_stay_inert_data() -> None:
    data = make_site({"e/evil.md": _entry("TST-01", [EVIL, "javascript:alert(1)"], cell=EVIL)}, mode="warn")
    for text in _files(data).values():
        assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    files = _files(data)
    index = json.loads(files[INDEX])
    assert index["patterns"][0][0].startswith('<script>alert("x")</script>')
    chunk = json.loads(files[chunk_src(PATHS.comparison, 0)])
    assert chunk["entries"][0][0]["rows"][0][2][0].startswith("<script>")
    assert not chunk["entries"][0][1]["href"].lower().startswith("javascript:")
    # the table's cells carry the pattern name for the phone cards, escaped
    pset = data.patterns["e/evil.md"]
    html = comparison_table(pset, "entry/")
    assert 'data-pattern="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;q&quot;' in html
    assert "<script>" not in html


def test_picker_block_sits_after_the_title_only_where_its_index_is_published(repo_site) -> None:
    gens = generated_data(repo_site, PATHS)
    urls = dict(urls_of(repo_site), **{g.src: g.src for g in gens})
    page = comparison(repo_site, Linker(PATHS.comparison, urls))
    assert page.startswith("# Pattern comparison\n\n<div class=\"sima-picker\"")
    assert 'data-index="../patterns-data/index.json"' in page and " hidden>" in page
    assert page.count("class=\"sima-picker\"") == 1 and "## All patterns" in page  # the no-JS fallback stays
    # without the data file (another page, or no patterns) there is no picker
    assert picker_html(Linker("catalog/other.md", urls)) == ""
    without = {src: url for src, url in urls_of(repo_site).items() if src not in {g.src for g in gens}}
    assert "sima-picker" not in comparison(repo_site, Linker(PATHS.comparison, without))
    assert with_picker("body", Linker(PATHS.comparison, urls)).endswith("\n\nbody")


def test_no_data_files_without_patterns() -> None:
    data = make_site({"e/plain.md": "# Plain\n\n**REF-ID:** TST-01\n\nText.\n"})
    assert json.loads(_files(data)[INDEX])["patterns"] == []
    assert len(_picker_files(data)) == 1


def test_assets_are_registered_and_write_only_text() -> None:
    assert {"compare.js", "picker.js", "picker.css"} <= set(ASSETS)
    for name in ("compare.js", "picker.js"):
        js = (ASSET_DIR / name).read_text(encoding="utf-8")
        assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
        assert "document$.subscribe" in js
        assert not re.search(r"https?://", js)


def _check_data(root: Path) -> None:
    index_file = root / INDEX
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for e in index["entries"]:
        target = resolve(root, INDEX, e[3])
        assert target is not None and target[0].is_file(), e
    for href in index["chunks"]:
        chunk = json.loads((root / posixpath.dirname(INDEX) / href).read_text(encoding="utf-8"))
        src = posixpath.join(posixpath.dirname(INDEX), href)
        for patterns in chunk["entries"]:
            for p in patterns:
                path, fragment = resolve(root, src, p["href"])
                assert path.is_file() and f'id="{fragment}"' in path.read_text(encoding="utf-8"), p["href"]


def test_the_plugin_writes_the_data_files(built_site: Path) -> None:
    _check_data(built_site)
    assert LESS12_REL  # the seed and LESS-12 are both in the index
    names = [p[0] for p in json.loads((built_site / INDEX).read_text(encoding="utf-8"))["patterns"]]
    assert "Synchronous" in names and "Orchestrate or Leave Lambda" in names


def test_the_export_writes_the_data_files(site: Path) -> None:
    _check_data(site)

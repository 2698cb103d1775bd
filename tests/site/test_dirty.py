"""`mkdocs serve --dirty`: a rebuild after one edit renders the edited entry and only the
generated pages whose text changed, and the site stays right where it was rebuilt."""
from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import SEED_REL, copy_project


def _builds(project: Path, monkeypatch):
    """A function that builds the project as `mkdocs serve --dirty` does: the config loaded
    again for each build, the plugin instance kept (it defines on_startup)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = project / "served"
    first = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=True)
    configs = iter([first])

    def once() -> None:
        config = next(configs, None) or load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        build(config, dirty=True)

    return once, site


def _stamps(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def test_a_dirty_rebuild_renders_the_edited_entry_and_the_changed_catalogue_pages(tmp_path, monkeypatch) -> None:
    project = copy_project(tmp_path / "project")
    build, site = _builds(project, monkeypatch)
    build()
    before = _stamps(site)
    assert "catalog/patterns/index.html" in before and "catalog/compliance/index.html" in before
    time.sleep(0.05)  # mtimes must be able to differ

    seed = project / "sima" / SEED_REL
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("**Priority:**", "**Priority:** \U0001f534 Critical\n**Former Priority:**", 1), encoding="utf-8")
    os.utime(seed)  # newer than its built page
    build()
    after = _stamps(site)
    rebuilt = {page for page, stamp in after.items() if stamp != before.get(page)}

    seed_page = "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/index.html"
    assert seed_page in rebuilt
    assert "Former Priority" in (site / seed_page).read_text(encoding="utf-8")
    # the other entries and the catalogue pages that do not show the edited field are left alone
    entries = {p for p in before if not p.startswith("catalog/") and p not in ("index.html", "404.html")}
    assert not (entries - {seed_page}) & rebuilt
    assert "catalog/rules/SIMA101/index.html" not in rebuilt
    assert len(rebuilt) < len(after) // 2, sorted(rebuilt)


def test_an_unchanged_dirty_rebuild_renders_no_page(tmp_path, monkeypatch) -> None:
    project = copy_project(tmp_path / "project")
    build, site = _builds(project, monkeypatch)
    build()
    before = _stamps(site)
    time.sleep(0.05)
    build()
    after = _stamps(site)
    assert after.keys() == before.keys()
    assert {p for p in after if after[p] != before[p]} == {"404.html"}  # MkDocs renders its theme's 404 page every time


def _counting(monkeypatch, names: tuple[str, ...]) -> dict[str, int]:
    """Count the calls of the registry's page builders `names` (its lambdas look them up there)."""
    from checker.site.pages import registry

    calls = dict.fromkeys(names, 0)
    for name in names:
        def wrapped(*args, _name=name, _real=getattr(registry, name), **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)
        monkeypatch.setattr(registry, name, wrapped)
    return calls


FAMILY_BUILDERS = ("comparison", "pattern_list", "refid_index", "keyword_index", "kb_map_page")


def test_a_dirty_rebuild_does_not_build_the_catalogues_whose_inputs_did_not_change(tmp_path, monkeypatch) -> None:
    project = copy_project(tmp_path / "project")
    build, site = _builds(project, monkeypatch)
    calls = _counting(monkeypatch, FAMILY_BUILDERS + ("rules_index",))
    build()
    assert all(calls.values()), calls
    seed = project / "sima" / SEED_REL
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("Each pattern has distinct", "Each pattern has clearly distinct", 1), encoding="utf-8")
    os.utime(seed)
    calls.update(dict.fromkeys(calls, 0))
    build()
    assert {name: calls[name] for name in FAMILY_BUILDERS} == dict.fromkeys(FAMILY_BUILDERS, 0)
    assert calls["rules_index"] == 1  # a page of no family is always built
    assert "clearly distinct" in (site / "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/index.html").read_text(encoding="utf-8")


def test_a_dirty_rebuild_builds_the_catalogues_whose_inputs_changed(tmp_path, monkeypatch) -> None:
    project = copy_project(tmp_path / "project")
    build, site = _builds(project, monkeypatch)
    build()
    seed = project / "sima" / SEED_REL
    text = seed.read_text(encoding="utf-8")
    edits = [  # (old, new, the page that must change, a word it then shows)
        ("- Client waits for response", "- Client waits for a zebra-striped response", "catalog/patterns/index.html",
         "zebra-striped"),
        ("synchronous, asynchronous,", "synchronous, quokka-keyword, asynchronous,", "catalog/keywords/index.html",
         "quokka-keyword"),
        ("## Keywords", "Also see `/sima/aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md` here.\n\n## Keywords",
         "catalog/map/index.html", None),
    ]
    for old, new, page, word in edits:
        assert old in text
        shown = (site / page).read_text(encoding="utf-8")
        text = text.replace(old, new, 1)
        seed.write_text(text, encoding="utf-8")
        os.utime(seed)
        time.sleep(0.05)
        build()
        now = (site / page).read_text(encoding="utf-8")
        assert now != shown, page
        assert word is None or word in now, page


def test_titles_and_backlinks_from_the_memo_equal_a_fresh_prepare(monkeypatch) -> None:
    """`prepare(memo=...)` as the plugin keeps it across rebuilds: the unchanged files' Entry
    objects come back (as `api.check(reuse=...)` gives them) and are not scanned again; after an
    edit that adds a citation, the memo gives what a fresh prepare gives."""
    from checker.config import Config
    from checker.kb.index import KnowledgeBase
    from checker.run.engine import check_parsed
    from checker.site import backlinks
    from checker.site.data import prepare
    from conftest import repo_kb
    from helpers import parse

    cfg = Config()

    def site(entries, memo=None):
        kb = KnowledgeBase(entries, settings=cfg)
        report = check_parsed(entries, kb, keep=True)
        return prepare(kb, report.checked[Path(".")], report.findings, "warn", None, memo)

    files = repo_kb()
    entries = {rel: parse(rel, body, cfg) for rel, body in files.items()}
    memo: dict = {}
    first = site(list(entries.values()), memo)
    assert first.backlinks and memo["backlinks"] and memo["titles"]
    scanned = []
    real = backlinks._cites
    monkeypatch.setattr(backlinks, "_cites", lambda source, *a: scanned.append(source) or real(source, *a))
    edited = dict(entries)
    edited[SEED_REL] = parse(SEED_REL, files[SEED_REL].replace("## Keywords", "Also see DEC-05 here.\n\n## Keywords", 1), cfg)
    again = site(list(edited.values()), memo)
    assert scanned == [SEED_REL]  # the other files' backlinks came from the memo
    fresh = site([parse(rel, e.text, cfg) for rel, e in edited.items()])
    assert again.backlinks == fresh.backlinks and again.titles == fresh.titles
    assert again.backlinks != first.backlinks  # the new citation is there

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

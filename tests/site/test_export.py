"""`sima-check site --out DIR`: the site as Markdown that generators without the `sima` plugin
build (Zensical, a plain `mkdocs build --strict`), the atomic replacement of DIR, and
`on_violation`. A generator missing here is a failure, not a skip: both are in the `test` extra."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.site import export as export_mod
from checker.site.export import MARKER, export
from checker.site.html import neutralize_markdown
from conftest import copy_project
from test_build import CITED, DEC05_PAGE, SEED_PAGE, Links, broken_links, resolve

SIMA_CHECK = [sys.executable, "-c", "from checker.cli import main; main()"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}


def site_out(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SIMA_CHECK, "site", *args], cwd=project, capture_output=True, text=True, env=ENV, timeout=300)


def generator(tool: str, folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", tool, "build", *args], cwd=folder, capture_output=True,
                          text=True, env=ENV, timeout=300)


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project exported with `sima-check site --out build`."""
    project = copy_project(tmp_path_factory.mktemp("export"))
    done = site_out(project, "--out", "build")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checked 5 files" in done.stdout
    return project / "build"


def _built(tool: str, exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`tool build --strict` in a copy of the exported folder; its site/."""
    folder = tmp_path_factory.mktemp(tool) / "build"
    shutil.copytree(exported, folder)
    done = generator(tool, folder, "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sima:" not in done.stdout + done.stderr  # no plugin ran
    return folder / "site"


@pytest.fixture(scope="session")
def zensical_site(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built("zensical", exported, tmp_path_factory)


@pytest.fixture(scope="session")
def mkdocs_site(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built("mkdocs", exported, tmp_path_factory)


@pytest.fixture(params=["zensical", "mkdocs"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


def test_the_written_config_has_no_sima_plugin_and_an_explicit_nav(exported: Path) -> None:
    text = (exported / "mkdocs.yml").read_text(encoding="utf-8")
    assert "sima:" not in text and "- search" in text
    assert "nav:" in text and "docs_dir: docs" in text and "name: material" in text
    assert "assets/sima/site.css" in text and "assets/sima/selector.js" in text
    assert (exported / "docs/assets/sima/selector.js").is_file()
    seed = (exported / "docs/aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/index.md").read_text(encoding="utf-8")
    assert seed.startswith("# ") and '<div class="sima-card">' in seed  # Markdown with HTML blocks
    assert "<!--sima-slot" not in seed


def test_seed_links_the_four_cited_entries(site: Path) -> None:
    html = (site / SEED_PAGE).read_text(encoding="utf-8")
    content = html.split("<article", 1)[1]
    targets = {hit[0] for u in Links(content).urls if (hit := resolve(site, SEED_PAGE, u))}
    for cited in CITED:
        assert site / cited / "index.html" in targets, cited
        assert (site / cited / "index.html").is_file()


def test_dec05_backlinks_the_seed(site: Path) -> None:
    html = (site / DEC05_PAGE).read_text(encoding="utf-8")
    backlinks = html.split('id="referenced-by"', 1)[1]
    assert 'href="../../../../aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/"' in backlinks
    assert "Sentinel sanitization at boundaries" in backlinks


def test_comparison_page_and_card_are_built(site: Path) -> None:
    html = (site / "catalog/patterns/index.html").read_text(encoding="utf-8")
    heads = [" | ".join(t) for t in Links(html).tables]
    assert any(all(n in h for n in ("Synchronous", "Asynchronous", "Streaming")) for h in heads), heads
    seed = (site / SEED_PAGE).read_text(encoding="utf-8")
    assert 'class="sima-card"' in seed and "sima-compliance" in seed and "assets/sima/selector.js" in seed
    assert (site / "index.html").is_file() and (site / "catalog/rules/SIMA301/index.html").is_file()


def test_every_internal_link_resolves(site: Path) -> None:
    pages, broken = broken_links(site)
    assert len(pages) > 40 and "404.html" in pages and not broken, "\n".join(broken[:30])


def test_rerun_replaces_the_folder(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert site_out(project, "--out", "out").returncode == 0
    (project / "out/stale.txt").write_text("from an earlier run", encoding="utf-8")
    done = site_out(project, "--out", "out")
    assert done.returncode == 0, done.stderr
    assert not (project / "out/stale.txt").exists() and (project / "out" / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out"]  # no tmp/old left


def test_a_failure_while_writing_leaves_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    export(project / "out", project=project, use_cache=False)
    before = {p.relative_to(project / "out"): p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    real = export_mod.write_tree

    def broken(tmp, *args, **kwargs):
        real(tmp, *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_mod, "write_tree", broken)
    with pytest.raises(OSError):
        export(project / "out", project=project, use_cache=False)
    after = {p.relative_to(project / "out"): p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out"]


@pytest.mark.parametrize("out", ["sima", "sima/build", ".", "notes"])
def test_refuses_a_folder_in_or_around_the_kb_or_not_an_export(tmp_path: Path, out: str) -> None:
    project = copy_project(tmp_path)
    (project / "notes").mkdir()
    (project / "notes/todo.md").write_text("mine", encoding="utf-8")
    done = site_out(project, "--out", out)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("sima-check: error: ") and "Traceback" not in done.stderr
    assert (project / "notes/todo.md").is_file() and not (project / "sima/build").exists()


def _break_dec05(project: Path) -> None:
    dec = project / "sima/entries/decisions/architecture/DEC-05.md"
    dec.write_text(dec.read_text(encoding="utf-8").replace("**Version:** 1.0.0", "**Version:** one"), encoding="utf-8")


def test_on_violation_fail_exits_1_with_the_list(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _break_dec05(project)
    done = site_out(project, "--out", "out")
    assert done.returncode == 1
    assert "1 error finding(s) (on_violation: fail)" in done.stderr
    assert "sima/entries/decisions/architecture/DEC-05.md:3:14: SIMA103 [error]" in done.stderr
    assert "Traceback" not in done.stderr and not (project / "out").exists()


def test_on_violation_defaults_to_the_plugin_setting(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _break_dec05(project)
    yml = project / "mkdocs.yml"
    yml.write_text(re.sub(r"on_violation: \w+", "on_violation: exclude", yml.read_text(encoding="utf-8")), encoding="utf-8")
    done = site_out(project, "--out", "out")
    assert done.returncode == 0, done.stderr
    assert "1 not published" in done.stdout
    docs = project / "out/docs"
    assert not (docs / "entries/decisions/architecture/DEC-05").exists()
    seed = (docs / "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01/index.md").read_text(encoding="utf-8")
    assert 'class="sima-unpublished"' in seed
    assert site_out(project, "--out", "out", "--on-violation", "fail").returncode == 1  # the flag wins


def test_a_kb_root_readme_keeps_the_generated_home(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "sima/README.md").write_text("# About\n\nSee [DEC-05](entries/decisions/architecture/DEC-05.md).\n", encoding="utf-8")
    assert site_out(project, "--out", "out").returncode == 0
    docs = project / "out/docs"
    assert "Validated by <code>sima-check</code>" in (docs / "index.md").read_text(encoding="utf-8")
    readme = (docs / "readme/index.md").read_text(encoding="utf-8")
    assert "(<../entries/decisions/architecture/DEC-05/index.md>)" in readme
    done = generator("mkdocs", project / "out", "--strict")
    assert done.returncode == 0, done.stderr
    assert (project / "out/site/readme/index.html").is_file()


def test_markdown_html_is_neutralized_outside_code() -> None:
    text = "a <script>x</script> `<script>` [x](javascript:alert) <img src=x onerror=y>\n```\n<script>\n```"
    out = neutralize_markdown(text)
    assert "&lt;script&gt;x" in out and "`<script>`" in out and "[x](#)" in out and "onerror" not in out
    assert out.endswith("```\n<script>\n```")


def test_the_export_knows_every_plugin_option_and_its_type():
    from checker.site.export import _OPTION_SHAPES
    from checker.site.plugin import SimaConfig

    assert set(_OPTION_SHAPES) == {name for name, _ in SimaConfig._schema}

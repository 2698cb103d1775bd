"""Site fixtures: a small KB as `SiteData` (no MkDocs), and the repo's site built once."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.config import Config
from checker.run.engine import check_parsed
from checker.kb.index import KnowledgeBase
from checker.site import patterns
from checker.site.data import SiteData, prepare
from checker.site.html import Linker, directory_url
from checker.site.pages import Paths, generated_data, generated_pages
from helpers import REPO, parse

SEED_REL = "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"
DEC05_REL = "entries/decisions/architecture/DEC-05.md"
SUGA_REL = "entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md"
LESS11_REL = "aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md"
LESS12_REL = "aws/lambda/AWS-Lambda-TimeoutConstraints_AWS-LESS-12.md"
PATHS = Paths()


def make_site(files: dict[str, str | bytes], mode: str = "fail", **config) -> SiteData:
    """SiteData for a KB made of `files` (relpath -> text), checked like the plugin does."""
    cfg = Config(**config)
    entries = [parse(rel, body, cfg) for rel, body in files.items()]
    kb = KnowledgeBase(entries, settings=cfg)
    report = check_parsed(entries, kb, keep=True)
    return prepare(kb, report.checked[Path(".")], report.findings, mode, patterns.extract)


def urls_of(data: SiteData, paths: Paths = PATHS) -> dict[str, str]:
    """Site URLs of the published pages and the generated ones (`use_directory_urls`), the
    latter from the registry, as the plugin derives them; a data file keeps its path."""
    generated = [page.src for page in generated_pages(data, paths)]
    urls = {src: directory_url(src) for src in data.published() + generated}
    return {**urls, **{d.src: d.src for d in generated_data(data, paths)}}


def linker(data: SiteData, page: str) -> Linker:
    """The Linker the plugin would give `page`."""
    return Linker(page, urls_of(data))


def repo_kb() -> dict[str, str]:
    """The shipped KB's files (relpath -> text)."""
    root = REPO / "sima"
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))}


@pytest.fixture(scope="session")
def repo_site() -> SiteData:
    """The shipped KB as SiteData."""
    return make_site(repo_kb())


def copy_project(dest: Path) -> Path:
    """The repo's mkdocs.yml, pyproject.toml ([tool.sima-check]) and sima/ copied into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "sima", dest / "sima")
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(REPO / name, dest / name)
    return dest


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` in `project` (the plugin comes from the installed entry point)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's site built once with `mkdocs build --strict`; returns the `site/` folder."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"

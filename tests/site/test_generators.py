"""The site under other generators: ProperDocs (a maintained MkDocs 1.6 fork that runs the
`sima` plugin from the same mkdocs.yml). A generator missing here is a failure, not a skip:
it is in the `test` extra."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import copy_project

_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def _tree(site: Path) -> dict[str, bytes]:
    """Every built file but the compressed sitemap, the generator's name taken out."""
    out = {}
    for p in sorted(site.rglob("*")):
        if p.is_file() and p.suffix != ".gz":
            data = p.read_bytes()
            if p.suffix == ".html":
                data = _GENERATOR.sub('<meta name="generator" content="GEN">', data.decode("utf-8")).encode("utf-8")
            out[p.relative_to(site).as_posix()] = data
    return out


def _build(tool: str, project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml"],
                          cwd=project, capture_output=True, text=True, env=env, timeout=300)


def test_properdocs_builds_the_same_site_as_mkdocs_with_the_plugin(tmp_path: Path, built_site: Path) -> None:
    project = copy_project(tmp_path / "properdocs")
    done = _build("properdocs", project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sima: checked 5 files" in done.stderr  # the plugin ran
    ours, theirs = _tree(built_site), _tree(project / "site")
    assert sorted(theirs) == sorted(ours)
    differ = [name for name in ours if ours[name] != theirs[name]]
    assert differ == []

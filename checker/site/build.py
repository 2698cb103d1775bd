"""One site build, generator-free: settings, the check with `on_violation`, the home page's
place, and the navigation. The MkDocs plugin (in-process) and `site --out` (a Markdown tree
for a generator without the plugin) both go through these functions and `pages`."""
from __future__ import annotations

import hashlib
import os
import posixpath
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from ..api import check
from ..config import Config, ConfigError, load as load_config
from ..model import Entry, Finding
from . import pages
from .data import SiteData, prepare
from .nav import site_nav
from .render import humanize, nav_title

ASSET_DIR = Path(__file__).resolve().parent / "assets"
ASSETS = ("site.css",) + tuple(pages.compare.ASSETS)  # CSS/JS every page links
ASSET_URI = "assets/sima/"  # where the assets go in the site
MAX_LISTED = 40  # error findings listed when the build stops


class SiteError(Exception):
    """A one-line reason the site cannot be built (bad settings, unreadable KB, error findings)."""


def settings_file(project: Path, explicit: str | None) -> Path | None:
    """The checker's settings file the site uses: `explicit`, else `.sima-check.toml`, else pyproject.toml."""
    candidates = [project / explicit] if explicit else [project / ".sima-check.toml", project / "pyproject.toml"]
    return next((p for p in candidates if p.is_file()), None)


def load_settings(project: Path, explicit: str | None) -> Config:
    """`[tool.sima-check]` settings as the site reads them (relative to the project folder)."""
    try:
        return load_config(project / explicit if explicit else None, cwd=project)
    except ConfigError as exc:
        raise SiteError(f"sima: {exc}") from None


def cache_dir(project: Path, docs: Path) -> Path:
    """The checker's cache folder: beside the project's config, unless that is inside the KB."""
    here = (project / ".sima-check-cache").resolve()
    docs = docs.resolve()
    if here != docs and docs not in here.parents:
        return here
    digest = hashlib.sha1(os.fsencode(docs)).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"sima-check-cache-{digest}"


def check_site(
    root: Path, settings: Config, mode: str, *, extract: Callable[[Entry], object] | None,
    cache: Path | None, cwd: Path, reuse: dict | None = None, memo: dict | None = None,
) -> tuple[SiteData, dict[str, int]]:
    """Check the KB at `root` like the site does (`keep=True`) and prepare the page data, with
    the findings summary. Raises SiteError for unreadable files (`violations` gates the rest).
    `reuse` and `memo`: the plugin's memory of the last build (see `api.check`, `data.prepare`)."""
    result = check([root], settings, jobs=1, cache=cache, keep=True, cwd=cwd, reuse=reuse)
    if result.io_errors:
        raise SiteError("sima: cannot read " + "; ".join(f"{p}: {why}" for p, why in result.io_errors))
    return prepare(result.kbs[root], result.checked[root], result.findings, mode, extract, memo), result.summary()


def violations(data: SiteData) -> str | None:
    """With `on_violation: fail`, the message listing the error findings that stop the build."""
    errors = data.errors()
    return violation_message(errors) if errors and data.mode == "fail" else None


def violation_message(errors: list[Finding]) -> str:
    """The list of error findings that stops a build in `fail` mode."""
    shown = [f"{f.path}:{f.line}:{f.column}: {f.code} [error] {f.message}" for f in errors[:MAX_LISTED]]
    more = f"\n  ... and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
    return f"sima: {len(errors)} error finding(s) (on_violation: fail):\n  " + "\n  ".join(shown) + more


def claim_home(paths: pages.Paths, sources: Iterable[str]) -> pages.Paths:
    """The generated home page is the site's `index.html`; when the KB has its own `index.md`,
    the generated one takes another source path (the KB's root index moves, see `moved_root_page`)."""
    return replace(paths, home=f"{paths.base}/home.md") if paths.home in set(sources) else paths


def moved_root_page(src: str) -> str | None:
    """Where a KB root `index.md`/`README.md` goes so the generated home keeps `index.html`:
    its URL is `<stem>/` (lowercase); None for any other page."""
    if "/" in src or posixpath.splitext(src)[0].lower() not in ("index", "readme"):
        return None
    return posixpath.splitext(src)[0].lower() + "/"


def navigation(data: SiteData, registry: tuple[pages.GeneratedPage, ...], sources: Iterable[str]) -> list:
    """The site's `nav`: the generated pages, then the KB's folders (pages titled, by source path)."""
    generated = {page.src for page in registry}
    kb_pages = [
        (rel, nav_title(data.titles.get(rel) or humanize(posixpath.splitext(posixpath.basename(rel))[0])))
        for rel in sources
        if rel not in generated
    ]
    return site_nav(pages.generated_nav(registry), kb_pages)

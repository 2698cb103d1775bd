"""The one way to run a check: `check(targets, settings, ...) -> Report`.

Every consumer calls this: the CLI (plain runs, `--fix`, `--diff`, `--changed-since`), the MkDocs
plugin, `site --out` and the language server. Serial or parallel, cached or not, with or without
unsaved buffers (`overlay`), the findings are the same.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .config.settings import Config
from .kb.targets import Target, plan
from .model import Report
from .run.pipeline import check_target

__all__ = ["Report", "Target", "check", "targets"]


def targets(paths: Iterable[str], settings: Config, cwd: Path | None = None) -> list[Target]:
    """The targets for command-line PATHS (none: the configured root); raises TargetError."""
    return plan(list(paths), settings, cwd)


def check(
    what: Iterable[Target | Path | str],
    settings: Config,
    *,
    jobs: int | None = None,
    cache: Path | None = None,
    overlay: Mapping[str | Path, str] | None = None,
    keep: bool = False,
    cwd: Path | None = None,
    progress=None,
    reuse: dict | None = None,
) -> Report:
    """Check each target (a KB root, or a Target naming the files to report on) against its KB.

    jobs: processes (None: as many as pay); cache: the cache folder (None: no cache);
    overlay: path -> unsaved text, read instead of the file (a Markdown path that does not exist
    yet joins the KB); nothing is written for it, and nothing of the KB is ever written;
    keep: also return each root's KnowledgeBase (`Report.kbs`) and each reported file's Entry
    with its resolved references (`Report.checked`), for the site, `--fix`, `--changed-since`
    and the language server. `progress`: a `run.progress.Progress` that counts parsed files.
    reuse: with keep, a dict the caller holds between runs (the plugin under `mkdocs serve`):
    a file unchanged since the last run, in a KB whose index is unchanged, is not read or
    checked again; its Entry, resolutions and findings come from the last run.
    """
    cwd = cwd or Path.cwd()
    texts = _overlay(overlay)
    report = Report()
    for t in what:
        target = t if isinstance(t, Target) else Target(Path(t))
        part, unreadable = check_target(target, settings, cache, jobs, cwd, texts, keep, progress, reuse)
        part.io_errors = [(_shown(target.root / rel, cwd), why) for rel, why in unreadable]
        report.merge(part)
    return report


def _shown(path: Path, cwd: Path) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(cwd)).replace(os.sep, "/")


def _overlay(overlay: Mapping[str | Path, str] | None) -> dict[str, str]:
    """Overlay keys as absolute, normalised paths."""
    if not overlay:
        return {}
    return {os.path.realpath(os.path.abspath(p)): text for p, text in overlay.items()}

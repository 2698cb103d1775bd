"""One knowledge base per workspace folder: its settings, KB root, cache and last full check."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import api
from ..config import Config, ConfigError, load
from ..model import Checked, Entry, Report, Summary

SETTINGS_FILES = ("pyproject.toml", ".sima-check.toml")


@dataclass
class Folder:
    """A workspace folder and the KB it holds (settings None: `error` says why)."""

    path: Path
    settings: Config | None = None
    root: Path | None = None
    error: str | None = None
    full: Report | None = field(default=None, repr=False)  # last whole-KB check (keep=True)
    stale: bool = True
    reuse: dict = field(default_factory=dict, repr=False)  # the last full check's files (`api.check(reuse=...)`)

    @property
    def cache(self) -> Path:
        """The cache folder: the folder's `.sima-check-cache`, or a temporary one when that
        would sit inside the KB root (the KB is never written)."""
        own = self.path / ".sima-check-cache"
        if self.root is None or not _inside(own, self.root):
            return own
        digest = hashlib.sha256(str(self.root).encode("utf-8", "surrogatepass")).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"sima-check-lsp-{digest}"

    def owns(self, path: Path) -> bool:
        """True when a file lies inside this folder's KB root."""
        return self.root is not None and _inside(path, self.root)

    def relpath(self, path: Path) -> str:
        """A path inside the root as a KB relpath."""
        return os.path.relpath(os.path.realpath(path), os.path.realpath(self.root)).replace(os.sep, "/")

    def changes_index(self, rel: str, entry: Entry | None) -> bool:
        """True when a freshly checked file no longer matches what the last full check indexed
        (its path, kind, title, REF-ID or headings: all another file's check may see of it)."""
        if self.full is None or entry is None:
            return True
        kb = self.full.kbs.get(self.root)
        return kb is None or kb.summaries.get(rel) != Summary.of(entry)

    def citable(self, fresh: dict[str, Checked]) -> dict[str, Checked]:
        """Every file of the last full check, the freshly checked open documents instead of
        their saved versions."""
        files = dict(self.full.checked.get(self.root, {})) if self.full else {}
        files.update(fresh)
        return files

    def check_all(self, overlay: dict[str, str]) -> Report:
        """Check the whole KB with the unsaved buffers overlaid; kept for references."""
        self.full = api.check([self.root], self.settings, jobs=1, cache=self.cache, overlay=overlay, keep=True, cwd=self.path,
                              reuse=self.reuse)
        self.stale = False
        return self.full


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
        return True
    except ValueError:
        return False


def load_folder(path: Path) -> Folder:
    """The folder's settings and KB root; a problem is `Folder.error` (one line), never raised."""
    folder = Folder(Path(path))
    try:
        settings = load(cwd=folder.path)
    except ConfigError as exc:
        folder.error = f"sima-check: {exc}"
        return folder
    except OSError as exc:
        folder.error = f"sima-check: {folder.path}: cannot read the settings: {exc.strerror or exc}"
        return folder
    root = Path(settings.root) if os.path.isabs(settings.root) else folder.path / settings.root
    if not root.is_dir():
        folder.error = f"sima-check: {root}: knowledge base root not found (set `root` in [tool.sima-check] of {folder.path / 'pyproject.toml'})"
        return folder
    folder.settings, folder.root = settings, root
    return folder


def is_settings_file(path: Path) -> bool:
    """True for the files the settings are read from."""
    return path.name in SETTINGS_FILES


def owner(folders: list[Folder], path: Path) -> Folder | None:
    """The folder whose KB root holds `path` (the innermost when roots nest)."""
    best = None
    for f in folders:
        if f.owns(path) and (best is None or len(str(f.root)) > len(str(best.root))):
            best = f
    return best

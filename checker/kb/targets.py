"""Which KB roots a run covers and which of their files it reports on."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..config.settings import Config


class TargetError(Exception):
    """A path argument that cannot be checked (missing, not Markdown)."""


@dataclass(frozen=True)
class Target:
    """One KB root and, optionally, the subset of its files to report on."""

    root: Path
    only: frozenset[str] | None = None  # relpaths; None = the whole KB


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def plan(paths: list[str], config: Config, cwd: Path | None = None) -> list[Target]:
    """Targets for the CLI's PATHS.

    No paths: the configured root. A path inside the configured root: that root, reporting on
    the path (a folder: its files). Another folder: a KB of its own. Another file: a KB made
    of its folder, reporting on the file. A path the system cannot look at (a name too long, a
    folder without search permission) is a TargetError naming it.
    """
    try:
        return _plan(paths, config, cwd or Path.cwd())
    except OSError as exc:
        shown = os.path.relpath(exc.filename) if isinstance(exc.filename, str) else "a path argument"
        raise TargetError(f"{shown}: {exc.strerror or exc}") from None


def _plan(paths: list[str], config: Config, cwd: Path) -> list[Target]:
    root = (cwd / config.root) if not os.path.isabs(config.root) else Path(config.root)
    if not paths:
        if not root.is_dir():
            raise TargetError(f"{config.root}: knowledge base root not found (set `root` or pass a path)")
        return [Target(root)]
    groups: dict[Path, set[str] | None] = {}
    for raw in paths:
        p = Path(raw) if os.path.isabs(raw) else cwd / raw
        if not p.exists() and not p.is_symlink():
            raise TargetError(f"{raw}: no such file or directory")
        if root.is_dir() and _inside(p, root):
            kb_root = root
        elif p.is_dir():
            kb_root = p
        else:
            kb_root = p.parent
        if not p.is_dir() and not p.name.lower().endswith(".md"):  # devices and pipes too
            raise TargetError(f"{raw}: not a Markdown file")
        if not p.is_dir() and not p.is_file():  # a pipe or device named *.md, a dangling link
            raise TargetError(f"{raw}: not a regular file")
        rel = os.path.relpath(os.path.abspath(p), os.path.abspath(kb_root)).replace(os.sep, "/")
        current = groups.get(kb_root, set())
        if current is None:
            continue
        if rel == ".":
            groups[kb_root] = None
        else:
            current.add(rel)
            groups[kb_root] = current
    return [Target(r, None if only is None else frozenset(only)) for r, only in groups.items()]


def selected(target: Target, relpaths) -> set[str] | None:
    """The relpaths of the KB that a target reports on (folders expand to their files)."""
    if target.only is None:
        return None
    out = set()
    for rel in relpaths:
        if rel in target.only or any(rel.startswith(d.rstrip("/") + "/") for d in target.only):
            out.add(rel)
    return out

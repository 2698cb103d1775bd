"""Discovery and reading: every `*.md` under the KB root, and how one file is read and parsed.

Symlinked folders are not followed (no loops); a symlinked file is read only when it resolves
inside the root. Nothing outside the root is ever opened.
"""
from __future__ import annotations

import errno
import os
import stat
from fnmatch import fnmatchcase
from pathlib import Path

from ..config.settings import Config
from ..parse.kinds import classify
from ..model import Entry
from ..parse.scan import parse_bytes
from ..parse.refid import grammar


def discover(root: Path, config: Config) -> tuple[list[str], list[str], list[str]]:
    """(Markdown relpaths, other relpaths, symlinks leading outside), sorted."""
    markdown, other, outside = [], [], []
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in _walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not excluded(rel_dir + d, config))
        for name in filenames:
            rel = rel_dir + name
            if name.startswith(".") or excluded(rel, config):
                continue
            if not name.lower().endswith(".md"):
                other.append(rel)
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                target = os.path.realpath(full)
                if os.path.commonpath([real_root, target]) != real_root:
                    outside.append(rel)
                    continue
            markdown.append(rel)
    return sorted(markdown), sorted(other), sorted(outside)


def _walk(top: Path):
    """`os.walk(top, followlinks=False)` without recursion (os.walk recurses once per level, so a
    folder nested a thousand deep would end in RecursionError); prune `dirnames` in place."""
    stack = [os.fspath(top)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                found = list(it)
        except OSError:
            continue  # as os.walk: an unreadable folder is skipped
        dirnames, filenames = [], []
        for e in found:
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            (dirnames if is_dir else filenames).append(e.name)
        yield current, dirnames, filenames
        for name in reversed(dirnames):
            path = os.path.join(current, name)
            if not os.path.islink(path):  # symlinked folders are not followed
                stack.append(path)


def excluded(rel: str, config: Config) -> bool:
    """True when an `exclude` glob of the settings matches the path (or its folder)."""
    return any(fnmatchcase(rel, g) or fnmatchcase(rel + "/", g) for g in config.exclude)


def discoverable(rel: str, config: Config) -> bool:
    """True when discovery would find a file at `rel`: no part hidden (`.x`), none excluded."""
    parts = rel.split("/")
    return not any(part.startswith(".") or excluded("/".join(parts[: i + 1]), config) for i, part in enumerate(parts))


def read_bytes(root: Path, rel: str) -> bytes:
    """One file's bytes (raises OSError when it cannot be read)."""
    path = os.path.join(root, rel)
    if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block forever, a device never end
        raise OSError(errno.EINVAL, "not a regular file")
    with open(path, "rb") as fh:
        return fh.read()


def parse_file(rel: str, data: bytes, config: Config) -> Entry:
    """Parse one file's bytes with the kind and REF-ID grammar the settings give it."""
    return parse_bytes(rel, data, classify(rel, config.kind_globs()), grammar(config.refid_patterns))


def unreadable_entry(rel: str, reason: str, config: Config) -> Entry:
    """The stand-in for a file of the KB that cannot be read: only reported (SIMA606)."""
    return Entry(relpath=rel, kind=classify(rel, config.kind_globs()), text="", lines=(), line_count=0, read_error=reason)


def outside_entry(rel: str, config: Config) -> Entry:
    """The stand-in for a symlink leading outside the root: never read, only reported."""
    return Entry(relpath=rel, kind=classify(rel, config.kind_globs()), text="", lines=(), line_count=0)

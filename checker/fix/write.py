"""Atomic, contained file writes: the only place sima-check writes into a knowledge base.

A write goes to a temporary file in the target's own directory, is flushed and fsynced, gets
the original file's mode, and replaces the original with `os.replace`: readers see the old
bytes or the new bytes, never a half-written file. Nothing outside the KB root is written,
and a symlink is never written through.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A file that could not (or must not) be written; the message says why."""


def inside(path: Path, root: Path) -> bool:
    """True when `path` lies under `root` once both are resolved (symlinks followed)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return os.path.commonpath([real_root, real]) == real_root and real != real_root


def atomic_write(path: Path, data: bytes, root: Path) -> None:
    """Replace `path` (an existing regular file under `root`) with `data`, atomically."""
    path = Path(path)
    if not inside(path, root):
        raise WriteError("outside the knowledge base root; not written")
    if path.is_symlink():
        raise WriteError("a symlink; not written")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}") from None
    fd, tmp = -1, ""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fd = -1  # the file object owns it now
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = ""
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass

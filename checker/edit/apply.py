"""Carrying out a move plan (atomic writes, `git mv` for tracked files) and showing it as a diff."""
from __future__ import annotations

import difflib
import os
from pathlib import Path

from ..parse.text import keepends
from ..fix.plan import diff_path
from ..fix.write import WriteError, atomic_write
from . import EditError
from .history import git, in_work_tree, tracked

from .plan import MovePlan


def diff(plan: MovePlan, prefix: str = "") -> str:
    """The plan as a git-style unified diff: `rename from`/`rename to` for each move, the edits
    of each file; paths are `prefix` + relpath with `a/` and `b/` in front."""
    edits = {e.relpath: e for e in plan.edits}
    moved = dict(plan.moves)
    chunks = []
    for rel in sorted(set(edits) | set(moved)):
        old, new = prefix + rel, prefix + moved.get(rel, rel)
        chunks.append(f"diff --git {diff_path('a/' + old)} {diff_path('b/' + new)}\n")
        if rel in moved:
            chunks.append(f"rename from {diff_path(old)}\nrename to {diff_path(new)}\n")
        e = edits.get(rel)
        if e is None:
            continue
        for line in difflib.unified_diff(keepends(e.before.decode("utf-8")), keepends(e.after.decode("utf-8")), diff_path(f"a/{old}"), diff_path(f"b/{new}")):
            if line.endswith("\r"):
                line += "\n"
            chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)


def _rename(root: Path, old: Path, new: Path, use_git: bool) -> None:
    new.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(new):
        raise EditError(f"{new}: appeared during the move; not overwritten")
    if use_git and tracked(root, old):
        if git(["mv", "-k", "--", os.fspath(old), os.fspath(new)], root) is not None and os.path.lexists(new):
            return
    os.rename(old, new)


def apply_move(plan: MovePlan, root: Path) -> None:
    """Rewrite the citers (each file atomically), then move the files (`git mv` when tracked,
    else a rename). On a failure, what was done is undone; the EditError says what happened."""
    root = Path(root)
    for e in plan.edits:
        try:
            if (root / e.relpath).read_bytes() != e.before:
                raise EditError(f"{e.relpath}: changed on disk since the move was planned; nothing written")
        except OSError as exc:
            raise EditError(f"{e.relpath}: cannot read: {exc.strerror or exc}") from None
    for old, new in plan.moves:
        if not os.path.lexists(root / old):
            raise EditError(f"{old}: no longer exists; nothing written")
        if os.path.lexists(root / new):
            raise EditError(f"{new}: already exists; nothing written")
    use_git = in_work_tree(root)
    written: list = []
    moved: list[tuple[str, str]] = []
    try:
        for e in plan.edits:
            atomic_write(root / e.relpath, e.after, root)
            written.append(e)
        for old, new in plan.moves:
            _rename(root, root / old, root / new, use_git)
            moved.append((old, new))
    except (OSError, WriteError, EditError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        undone = _undo(root, written, moved, use_git)
        state = "every file is as it was" if undone else "some files could not be restored; see `git status`"
        raise EditError(f"move failed ({reason}) after {len(written)} edits and {len(moved)} renames; {state}") from None
    _prune(root, [old for old, _ in plan.moves])


def _undo(root: Path, written: list, moved: list[tuple[str, str]], use_git: bool) -> bool:
    ok = True
    for old, new in reversed(moved):
        try:
            _rename(root, root / new, root / old, use_git)
        except (OSError, EditError):
            ok = False
    for e in reversed(written):
        try:
            atomic_write(root / e.relpath, e.before, root)
        except (OSError, WriteError):
            ok = False
    return ok


def _prune(root: Path, olds: list[str]) -> None:
    """Remove folders the move emptied (never the root itself)."""
    folders = sorted({os.path.dirname(o) for o in olds if os.path.dirname(o)}, key=len, reverse=True)
    for rel in folders:
        path = root / rel
        while path != root and path.is_dir() and not any(path.iterdir()):
            path.rmdir()
            path = path.parent

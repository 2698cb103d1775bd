"""What git knows about a KB: REF-IDs its history ever used, and whether a file is tracked.

Outside a git work tree (or without git) every answer is empty: the files alone decide.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..parse.refid import RefIdGrammar

_REFID_FIELD = re.compile(rb"^\s{0,3}\*\*REF-ID:\*\*[ \t]*([^\s,;]+)", re.IGNORECASE | re.MULTILINE)


def git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes | None:
    """stdout of a git command, None when git is missing or the command fails."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    try:
        proc = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd, input=data,
                              capture_output=True, env=env)
    except OSError:
        return None
    return proc.stdout if proc.returncode == 0 else None


def in_work_tree(root: Path) -> bool:
    """True when the KB root lies inside a git work tree."""
    out = git(["rev-parse", "--is-inside-work-tree"], root)
    return out is not None and out.strip() == b"true"


def _paths(out: bytes) -> list[str]:
    lines = []
    for raw in out.splitlines():
        line = raw.decode("utf-8", "replace").strip()
        if line.startswith('"') and line.endswith('"'):  # C-quoted (control characters)
            line = line[1:-1].encode("latin-1", "replace").decode("unicode_escape", "replace")
        if line:
            lines.append(line)
    return lines


def used_refids(root: Path, grammar: RefIdGrammar) -> set[str]:
    """Every REF-ID the KB's git history ever used (all branches): derived from every file name
    that was ever committed under the root, and from the `**REF-ID:**` field of the last
    version of every deleted file. Empty outside a git work tree."""
    if not in_work_tree(root):
        return set()
    used: set[str] = set()
    names = git(["log", "--all", "--format=", "--name-only", "--no-renames", "--", "."], root) or b""
    for path in _paths(names):
        if path.lower().endswith(".md"):
            refid = grammar.from_filename(path.rsplit("/", 1)[-1])
            if refid:
                used.add(refid)
    deleted = git(["log", "--all", "--diff-filter=D", "--format=%x01%H", "--name-only", "--no-renames", "--", "."], root) or b""
    wanted, commit = [], ""
    for raw in deleted.splitlines():
        if raw.startswith(b"\x01"):
            commit = raw[1:].decode("ascii", "replace").strip()
        elif commit and raw.strip().lower().endswith(b".md"):
            for path in _paths(raw):
                wanted.append(f"{commit}^:{path}")
    if wanted:
        top = git(["rev-parse", "--show-toplevel"], root)
        cwd = Path(os.fsdecode(top.strip())) if top else root
        out = git(["cat-file", "--batch"], cwd, ("\n".join(wanted) + "\n").encode("utf-8")) or b""
        for m in _REFID_FIELD.finditer(out):
            value = m.group(1).decode("utf-8", "replace")
            if grammar.is_refid(value):
                used.add(value)
    return used


def tracked(root: Path, path: Path) -> bool:
    """True when git tracks the file (so a move is a `git mv`)."""
    out = git(["ls-files", "--error-unmatch", "--", os.fspath(path)], root)
    return out is not None and out.strip() != b""

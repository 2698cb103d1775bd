"""`--changed-since REF`: the files a change touches, plus the files whose references depend on them.

Changed = committed since the merge base of REF and HEAD, plus staged, unstaged and untracked
work-tree changes (`git diff --name-status -M <merge-base>` and `git ls-files --others
--exclude-standard`). Dependents are files with a reference whose target names a deleted or
renamed-away file (path or file name) or a REF-ID such a file owned before (read from the merge
base), or that resolves to an added or renamed file, or to a modified file whose REF-ID or
headings changed. Resolution always uses the whole KB; only the reporting is narrowed.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..config.settings import Config
from .index import KnowledgeBase, normalise
from ..parse.kinds import classify
from ..model import Entry
from ..parse.scan import parse_bytes


class ChangesError(Exception):
    """Git could not tell what changed (not a repository, unknown revision, git missing)."""


@dataclass(frozen=True)
class Change:
    """One changed path, relative to the KB root (None when that side is outside the KB)."""

    status: str  # A, M, D or R
    path: str | None  # where the file is now (None when deleted)
    old: str | None  # where it was at the merge base (None when added)


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, env=env)
    except FileNotFoundError:
        raise ChangesError("--changed-since needs git, and git was not found") from None
    except OSError as exc:
        raise ChangesError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangesError(lines[0] if lines else f"git {args[0]} failed")
    return proc.stdout


def _base(ref: str, root: Path) -> tuple[Path, str]:
    """The repository's top folder and the merge base of REF and HEAD."""
    try:
        top = Path(os.fsdecode(_git(["rev-parse", "--show-toplevel"], root).strip()))
    except ChangesError:
        raise ChangesError(f"{root}: not inside a git repository") from None
    if not ref or ref.startswith("-"):
        raise ChangesError(f"unknown git revision `{ref}`")
    try:
        sha = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    except ChangesError:
        raise ChangesError(f"unknown git revision `{ref}`") from None
    try:
        base = _git(["merge-base", sha.decode().strip(), "HEAD"], top)
    except ChangesError:
        raise ChangesError(f"`{ref}` and HEAD have no common ancestor (in a shallow clone, fetch more history)") from None
    return top, base.decode().strip()


def changed(ref: str, root: Path) -> tuple[list[Change], Path, str]:
    """The changes under the KB root since the merge base of REF and HEAD, the top and the base."""
    top, base = _base(ref, root)
    prefix = os.path.relpath(os.path.realpath(root), os.path.realpath(top)).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"

    def rel(path: bytes) -> str | None:
        p = os.fsdecode(path)
        return p[len(prefix):] if p.startswith(prefix) else None

    out: list[Change] = []
    fields = _git(["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", base, "--"], top).split(b"\0")
    i = 0
    while i < len(fields) - 1:
        status = fields[i].decode("ascii", "replace")[:1]
        if status in ("R", "C"):
            old, new = rel(fields[i + 1]), rel(fields[i + 2])
            i += 3
            if status == "C" or old is None:  # a copy, or a move into the KB: a new file here
                out.append(Change("A", new, None))
            else:  # a move out of the KB is a deletion here
                out.append(Change("R", new, old) if new is not None else Change("D", None, old))
            continue
        path = rel(fields[i + 1])
        i += 2
        if status == "A":
            out.append(Change("A", path, None))
        elif status == "D":
            out.append(Change("D", None, path))
        else:  # M, T (type change), U (unmerged): there before and now
            out.append(Change("M", path, path))
    for path in _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split(b"\0"):
        if path:
            out.append(Change("A", rel(path), None))
    return [c for c in out if c.path is not None or c.old is not None], top, base


def old_versions(top: Path, base: str, paths: list[str]) -> dict[str, bytes]:
    """Contents at the merge base (`git cat-file --batch`, one process), by repo path."""
    paths = [p for p in paths if "\n" not in p]
    if not paths:
        return {}
    data = b"".join(os.fsencode(f"{base}:{p}") + b"\n" for p in paths)
    raw = _git(["cat-file", "--batch"], top, data)
    found, pos = {}, 0
    for p in paths:
        end = raw.find(b"\n", pos)
        if end < 0:
            break
        header = raw[pos:end].split(b" ")
        pos = end + 1
        if len(header) != 3 or not header[2].isdigit() or not re.fullmatch(rb"[0-9a-f]{40,64}", header[0]):
            continue  # `<name> missing` or `<name> ambiguous`: no body follows
        size = int(header[2])
        if header[1] == b"blob":
            found[p] = raw[pos : pos + size]
        pos += size + 1
    return found


def select(ref: str, kb: KnowledgeBase, entries: dict[str, Entry], root: Path, config: Config) -> set[str]:
    """The KB relpaths `--changed-since REF` reports on: changed files and their dependents
    (`entries`: every parsed file of the KB, whose references say who depends on what)."""
    changes, top, base = changed(ref, root)
    prefix = os.path.relpath(os.path.realpath(root), os.path.realpath(top)).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    wanted = [c.old for c in changes if c.old and c.old.lower().endswith(".md")]
    olds = old_versions(top, base, [prefix + p for p in wanted])
    g = kb.grammar

    def before(path: str) -> Entry | None:
        data = olds.get(prefix + path)
        return None if data is None else parse_bytes(path, data, classify(path, config.kind_globs()), g)

    chosen: set[str] = set()
    gone: set[str] = set()  # file names (and KB paths) deleted or renamed away
    old_ids: set[str] = set()  # REF-IDs owned before by a deleted, renamed or re-identified file
    touched: set[str] = set()  # files whose citers must be re-checked
    anchored: set[str] = set()  # files whose headings changed: citers with `#anchor` re-checked
    for c in changes:
        now = entries.get(c.path) if c.path else None
        if now is not None:
            chosen.add(c.path)
        was = before(c.old) if c.old and c.old.lower().endswith(".md") else None
        if c.status in ("D", "R"):
            gone.update({c.old, c.old.rsplit("/", 1)[-1]})
            if was is not None and was.refid:
                old_ids.add(was.refid)
        if c.status in ("A", "R") and now is not None:
            touched.add(c.path)
        if c.status == "M" and now is not None and was is not None:
            if was.refid != now.refid:
                touched.add(c.path)
                if was.refid:
                    old_ids.add(was.refid)
            if [h.slug for h in was.headings] != [h.slug for h in now.headings]:
                anchored.add(c.path)
    for rel in chosen.copy():
        owner = entries[rel].refid
        if owner:
            chosen.update(kb.by_refid.get(owner, ()))  # SIMA307 partners of a changed file
    folded = {normalise(n) for n in gone}
    for rel, entry in entries.items():
        if rel not in chosen and _depends(entry, kb, gone, folded, old_ids, touched, anchored):
            chosen.add(rel)
    return chosen


def _depends(entry: Entry, kb: KnowledgeBase, gone, folded, old_ids, touched, anchored) -> bool:
    """True when one of the entry's references points at what the change touched."""
    for ref in entry.references:
        if ref.syntax in ("refid", "field"):
            if ref.target in old_ids:
                return True
        else:
            path = ref.target.replace("\\", "/").rstrip("/")
            if path.lower().startswith("/sima/"):
                path = path[len("/sima/"):]
            name = path.rsplit("/", 1)[-1]
            if name and (normalise(name) in folded or normalise(path) in folded):
                return True
            if ref.lead and any((ref.lead + ref.target).endswith(n) for n in gone):
                return True  # a bare name with spaces: `... Single Universal Gateway Architecture.md`
        if touched or anchored:
            targets = set(kb.resolve(ref, entry).targets)
            if targets & touched or (ref.anchor and targets & anchored):
                return True
    return False

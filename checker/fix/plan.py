"""Mechanical fixes (`--fix`, `--diff`): each fixable rule's fix hook, applied in passes.

Fixes start from the findings of the active rules (select/ignore, severity `off`, per-path
ignores and inline suppressions all respected) and the parsed Entry (lines, columns), and edit
the file's original lines. Everything else is kept byte for byte: the BOM and the line
endings stay unless SIMA603 is being fixed, and a line that is inserted or newly terminated
takes the file's own line ending. Hooks run by their rule's `fix_phase`; a file is fixed in
passes until nothing changes, and the LAST phase (`**Total Lines:**`) only runs once the
others are stable, so that its number counts the final content.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from ..config.policy import Policy, compile_policy
from ..config.settings import Config
from ..kb.index import KnowledgeBase
from ..model import Checked, Entry, Finding
from ..parse.doc import Doc
from ..parse.scan import parse_bytes
from ..parse.text import keepends
from ..rules import FIXABLE
from ..rules.base import LAST
from ..run.engine import check_entry
from .write import WriteError, atomic_write

MAX_PASSES = 8  # each pass fixes everything it can; two or three always suffice

__all__ = ["Doc", "FIXABLE", "FileFix", "apply", "fix_entry", "plan", "unified_diff"]


@dataclass(frozen=True)
class FileFix:
    """One file's content before and after fixing."""

    relpath: str
    path: Path
    before: bytes
    after: bytes


# -- one file -----------------------------------------------------------------------------


def fix_entry(entry: Entry, kb: KnowledgeBase, policy: Policy | Config | None = None) -> bytes | None:
    """The entry's fixed content, or None when there is nothing to fix (policy: the KB's settings')."""
    policy = policy if isinstance(policy, Policy) else compile_policy(policy or kb.settings)
    rules = [r for r in policy.rules if r.fixable]
    if not rules or entry.encoding_error or entry.relpath in kb.outside_links:
        return None
    phases = sorted({r.fix_phase for r in rules})
    original = current = Doc.of(entry).encode()
    for _ in range(MAX_PASSES):
        found: dict[str, list[Finding]] = {}
        for f in check_entry(entry, kb, policy, entry.relpath, rules)[0]:
            if f.fixable:
                found.setdefault(f.code, []).append(f)
        doc = Doc.of(entry)
        for phase in phases:
            if phase == LAST and doc.encode() != current:
                break  # it counts the final content: only once the rest is stable
            for r in rules:
                if r.fix_phase == phase and r.code in found:
                    r.fix(doc, entry, found[r.code], kb)
            doc.flush()
        new = doc.encode()
        if new == current:
            break
        current = new
        entry = parse_bytes(entry.relpath, new, entry.kind, kb.grammar)
    return None if current == original else current


def plan(checked: dict[str, Checked], kb: KnowledgeBase, root: Path) -> list[FileFix]:
    """What `--fix` would change: one FileFix per checked file whose content changes."""
    fixes = []
    policy = compile_policy(kb.settings)
    for rel in sorted(checked):
        path = Path(root) / rel
        if os.path.islink(path):
            continue  # never written through: two names for one file would fight over its H1
        entry = checked[rel].entry
        after = fix_entry(entry, kb, policy)
        if after is not None:
            fixes.append(FileFix(rel, path, Doc.of(entry).encode(), after))
    return fixes


def apply(fixes: list[FileFix], root: Path) -> list[str]:
    """Write the fixes atomically; returns one message per file that could not be written."""
    errors = []
    for fix in fixes:
        try:
            with open(fix.path, "rb") as fh:
                if fh.read() != fix.before:
                    errors.append(f"{shown(fix.path)}: changed on disk while being checked; not fixed")
                    continue
            atomic_write(fix.path, fix.after, root)
        except OSError as exc:
            errors.append(f"{shown(fix.path)}: cannot read: {exc.strerror or exc}")
        except WriteError as exc:
            errors.append(f"{shown(fix.path)}: {exc}")
    return errors


# -- diff ---------------------------------------------------------------------------------


def shown(path: Path, cwd: Path | None = None) -> str:
    """A path as output shows it: relative to the working directory, `/` separated."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(cwd or Path.cwd())).replace(os.sep, "/")
    return rel.encode("utf-8", "backslashreplace").decode("utf-8")  # undecodable file names


def diff_path(path: str) -> str:
    """A path as a diff header names it: as git does, in double quotes with C escapes when it
    holds a control character, `"` or `\\` (a newline must not split the header line)."""
    if not any(c < " " or c in '"\\\x7f' for c in path):
        return path
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
    return '"' + "".join(named.get(c) or (f"\\{ord(c):03o}" if c < " " or c == "\x7f" else c) for c in path) + '"'


def unified_diff(fixes: list[FileFix], cwd: Path | None = None) -> str:
    """A unified diff of the fixes, paths relative to `cwd` with `a/` and `b/` prefixes."""
    chunks = []
    for fix in fixes:
        name = shown(fix.path, cwd)
        end = "\t" if " " in name else ""  # GNU patch reads a name with spaces up to a tab
        old, new = diff_path(f"a/{name}") + end, diff_path(f"b/{name}") + end
        for line in difflib.unified_diff(keepends(fix.before.decode("utf-8")), keepends(fix.after.decode("utf-8")), old, new):
            if line.endswith("\r"):
                line += "\n"  # a lone CR ending: keep the diff one line per line
            chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)

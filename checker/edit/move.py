"""`sima-check mv SRC DST`: move or rename an entry (or a folder) and rewrite every citation.

Citations keep the syntax their citer used (`/sima/` paths, bare names, relative paths,
Markdown links with their anchors and percent-encoding, relationship fields). REF-ID
mentions are left alone unless the REF-ID itself changes with the file name; then the
mentions and the moved file's `**REF-ID:**` field follow. The moved file follows itself: its
H1, its `**Location:**` footer and its own relative paths and links.
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path

from ..api import check
from ..config.settings import Config
from ..kb.discover import discoverable
from ..kb.targets import Target
from ..model import Checked, Entry, Reference
from ..parse.doc import Doc
from ..rules.size import declared_fields, expected_location
from ..rules.xref import reference_span
from . import EditError
from . import spell
from .apply import apply_move, diff
from .plan import FileEdit, MovePlan
from .verify import broken

__all__ = ["FileEdit", "MovePlan", "apply_move", "diff", "plan_move"]

def _rel(root: Path, given: str, what: str) -> str:
    """A command-line or API path as a relpath of the KB root; refuses one outside it."""
    raw = given.replace(os.sep, "/")
    if os.path.isabs(given):
        raw = os.path.relpath(os.path.abspath(given), os.path.abspath(root)).replace(os.sep, "/")
    rel = posixpath.normpath(raw) if raw else "."
    if rel == ".." or rel.startswith("../") or rel.startswith("/"):
        raise EditError(f"{given}: {what} is outside the knowledge base root {root}")
    return rel


class _Mapper:
    """Old KB path -> new KB path, for a file move or a folder move."""

    def __init__(self, src: str, dst: str, folder: bool) -> None:
        self.src, self.dst, self.folder = src, dst, folder

    def __call__(self, path: str) -> str:
        bare = path.rstrip("/")
        if bare == self.src:
            return self.dst + path[len(bare):]
        if self.folder and bare.startswith(self.src + "/"):
            return self.dst + path[len(self.src):]
        return path


def _files_under(root: Path, folder: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root / folder):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = sorted(d for d in dirnames if d not in links)
        out += [f"{rel_dir}/{name}" for name in sorted(filenames + links)]
    return sorted(out)


def plan_move(root: Path, settings: Config, src: str, dst: str, *, cache: Path | None = None,
              jobs: int | None = None) -> MovePlan:
    """The renames and edits that move `src` to `dst` (relpaths of the KB root, or absolute);
    nothing is written. Raises EditError for a SRC not in the KB, a DST that exists or that
    leaves the root, and for moves that would break citations. `cache` and `jobs` are passed
    to the check that finds every citation."""
    root = Path(root)
    src_rel, dst_rel = _rel(root, src, "SRC"), _rel(root, dst, "DST")
    src_path = root / src_rel
    if src_rel == "." or not (src_path.is_file() or src_path.is_dir()) or src_path.is_symlink():
        raise EditError(f"{src}: not a file or folder of the knowledge base")
    folder = src_path.is_dir()
    into = dst.endswith(("/", os.sep))  # `mv a.md new-folder/`: into a folder, made if need be
    if dst_rel != "." and (into or (root / dst_rel).is_dir()) and not (root / dst_rel).is_symlink():
        dst_rel = f"{dst_rel}/{src_path.name}"  # `mv a.md folder/`: into the folder
    elif dst_rel == ".":
        dst_rel = src_path.name
    dst_path = root / dst_rel
    if os.path.lexists(dst_path):
        raise EditError(f"{dst}: already exists; not overwritten")
    if not _inside_real(root, dst_path):
        raise EditError(f"{dst}: DST is outside the knowledge base root {root}")
    if folder and (dst_rel + "/").startswith(src_rel + "/"):
        raise EditError(f"{dst}: a folder cannot move into itself")
    if not folder and not dst_rel.lower().endswith(".md"):
        raise EditError(f"{dst}: an entry's new name must end in .md")

    report = check([Target(root)], settings, keep=True, cwd=root, cache=cache, jobs=jobs)
    kb, checked = report.kbs[root], report.checked.get(root, {})
    mapper = _Mapper(src_rel, dst_rel, folder)
    if folder:
        moved_files = _files_under(root, src_rel)
        md = [p for p in moved_files if p in kb.summaries]
        if not md:
            raise EditError(f"{src}: holds no Markdown file of the knowledge base")
    else:
        if src_rel not in kb.summaries:
            raise EditError(f"{src}: not a Markdown file of the knowledge base")
        moved_files = md = [src_rel]
    lost = next((mapper(p) for p in md if not discoverable(mapper(p), settings)), None)
    if lost is not None:  # the file would leave the KB, and every citation of it would break
        raise EditError(f"{dst}: `{lost}` would be hidden or excluded by the settings, outside the knowledge base's files")
    moves = [(p, mapper(p)) for p in moved_files]
    after_paths = {mapper(p) for p in kb.summaries}
    _refuse_collisions(md, mapper, kb)
    refids = _refid_changes(md, mapper, kb, checked)
    edits = []
    for rel in sorted(checked):
        before = Doc.of(checked[rel].entry).encode()
        after = _rewrite(checked[rel], mapper, refids, after_paths)
        if after != before:
            if os.path.islink(root / rel):
                raise EditError(f"{rel}: a symlink, whose citations cannot be rewritten; nothing moved")
            edits.append(FileEdit(rel, before, after))
    plan = MovePlan(moves, edits, refids)
    problems = broken(plan, kb, checked, mapper)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise EditError(f"refused: the move would break citations: {problems[0]}{more}")
    return plan


def _inside_real(root: Path, path: Path) -> bool:
    """True when `path` (which need not exist) stays under the root once symlinks are followed."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real != real_root and os.path.commonpath([real_root, real]) == real_root


def _refid_changes(md: list[str], mapper, kb, checked: dict[str, Checked]) -> dict[str, str]:
    """REF-IDs that change because they came from the old file name."""
    out = {}
    g = kb.grammar
    for old in md:
        entry = checked[old].entry if old in checked else None
        if entry is None or not entry.refid:
            continue
        was, now = g.from_filename(posixpath.basename(old)), g.from_filename(posixpath.basename(mapper(old)))
        if entry.refid != was or now == was:
            continue
        if now is None:
            if not entry.refid_from_field and _mentioned(entry.refid, checked):
                raise EditError(f"{mapper(old)}: the new name drops REF-ID {entry.refid}, which other files cite; "
                                "keep it in the name or add a `**REF-ID:**` field first")
            continue
        owners = [o for o in kb.by_refid.get(now, []) if o not in md]
        if owners:
            raise EditError(f"{mapper(old)}: REF-ID {now} is already claimed by {owners[0]}")
        out[entry.refid] = now
    return out


def _mentioned(refid: str, checked: dict[str, Checked]) -> bool:
    return any(r.target == refid for c in checked.values() for r in c.entry.references if r.syntax in ("refid", "field"))


def _refuse_collisions(md: list[str], mapper, kb) -> None:
    """A moved file's new name that another file already has would make bare citations ambiguous."""
    moved = set(md)
    for old in md:
        name = posixpath.basename(mapper(old))
        if name == posixpath.basename(old):
            continue
        others = [o for o in kb.by_name.get(name, []) if o not in moved]
        if others:
            raise EditError(f"{mapper(old)}: {others[0]} has the same file name; bare citations of either would become ambiguous")


def _target_of(ref: Reference, res, entry: Entry) -> str | None:
    """The KB path a path reference led to before the move (a file, or a folder/other file)."""
    if res.status in ("ok", "anchor", "near") and len(res.targets) == 1:
        return res.targets[0]
    if res.status == "ok" and not res.targets and ref.syntax in ("link", "relative"):
        plain = ref.target.replace("\\", "/")
        if plain.lower().startswith("/sima/"):
            return posixpath.normpath(plain[6:])
        if plain.startswith("/"):
            return posixpath.normpath(plain[1:])
        return posixpath.normpath(posixpath.join(entry.directory, plain)) + ("/" if plain.endswith("/") else "")
    return None


def _rewrite(c: Checked, mapper, refids: dict[str, str], paths: set[str]) -> bytes:
    """The file's content once every citation (and, for a moved file, its own H1, footer and
    REF-ID field) follows the move."""
    entry = c.entry
    doc = Doc.of(entry)
    d_old = entry.directory
    new_rel = mapper(entry.relpath)
    d_new = posixpath.dirname(new_rel)
    for ref, res in c.resolved:
        line = doc.lines[ref.line - 1]
        if ref.syntax in ("refid", "field"):
            new_id = refids.get(ref.target)
            at = ref.column - 1
            if new_id and line[at:at + len(ref.target)] == ref.target:
                doc.replace(ref.line, at, at + len(ref.target), new_id)
            continue
        t_old = _target_of(ref, res, entry)
        if t_old is None:
            continue
        t_new = mapper(t_old)
        if t_new == t_old and (new_rel == entry.relpath or ref.syntax in ("kb-path", "bare")):
            continue  # still leads where it led (a near miss stays the near miss it was)
        edit = _path_edit(line, ref, t_old, t_new, d_old, d_new, paths)
        if edit:
            doc.replace(ref.line, *edit)
    if new_rel != entry.relpath:
        _follow_self(doc, entry, new_rel, refids)
    doc.flush()
    return doc.encode()


def _path_edit(line: str, ref: Reference, t_old: str, t_new: str, d_old: str, d_new: str, paths):
    if ref.syntax == "link":
        return reference_span(line, ref, lambda w, enc, angle: _changed(w, spell.link(w, enc, angle, t_old, t_new, d_old, d_new)))
    if ref.syntax == "bare":
        old_name, new_name = posixpath.basename(t_old.rstrip("/")), posixpath.basename(t_new.rstrip("/"))
        end = ref.column - 1 + len(ref.target)
        start = end - len(old_name)
        if ref.lead and start >= 0 and line[start:end] == old_name:  # a name with spaces
            return (start, end, new_name) if new_name != old_name else None
        start = line.find(ref.target, ref.column - 1)
        if start < 0 or new_name == ref.target:
            return None
        return (start, start + len(ref.target), new_name)
    return reference_span(line, ref, lambda w, enc, angle: _changed(w, spell.path(w, t_old, t_new, d_old, d_new, paths)))


def _changed(old: str, new: str | None) -> str | None:
    return new if new is not None and new != old else None


def _follow_self(doc: Doc, entry: Entry, new_rel: str, refids: dict[str, str]) -> None:
    """The moved file's H1, `**Location:**` footer and `**REF-ID:**` field, for its new place."""
    old_name, new_name = entry.name, posixpath.basename(new_rel)
    first = entry.front_matter_lines
    if old_name != new_name and first < len(doc.lines) and doc.lines[first].startswith("#"):
        at = doc.lines[first].find(old_name)
        if at >= 0:
            doc.replace(first + 1, at, at + len(old_name), new_name)
    want_old = expected_location(entry)
    folder = posixpath.dirname(new_rel)
    want_new = "/sima/" + (folder + "/" if folder else "")
    for f in declared_fields(entry):
        line = doc.lines[f.line - 1]
        if f.key == "location" and want_old != want_new:
            at = line.find("/sima/", f.column - 1)
            if at < 0:
                continue
            end = at
            while end < len(line) and line[end] not in "` \t":
                end += 1
            declared = line[at:end]
            if declared.rstrip("/") == want_old.rstrip("/"):
                doc.replace(f.line, at, end, want_new if declared.endswith("/") or want_new == "/sima/" else want_new.rstrip("/"))
        elif f.key == "ref-id" and f.in_header and entry.refid in refids:
            at = line.find(entry.refid, f.column - 1)
            if at >= 0:
                doc.replace(f.line, at, at + len(entry.refid), refids[entry.refid])

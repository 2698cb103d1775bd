"""Rename (the `mv` machinery) and "create the missing entry" (the `new` scaffold), as plain
values the server turns into a WorkspaceEdit. Nothing here writes to the KB."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from ..config.settings import Config
from ..edit import EditError
from ..edit.move import plan_move
from ..edit.new import family_of, scaffold
from ..kb.index import KnowledgeBase, Resolution
from ..model import Entry, Reference
from .actions import Edit, line_edit
from .navigate import FOLLOW, extent

PATHS = ("kb-path", "bare", "relative", "link")


@dataclass
class Change:
    """A workspace change: text edits per relpath (as they are before the renames), renames
    (old, new relpath) and new files (relpath, text)."""

    edits: dict[str, Edit] = field(default_factory=dict)
    renames: list[tuple[str, str]] = field(default_factory=list)
    creates: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""


def _text(data: bytes) -> str:
    text = data.decode("utf-8", "surrogatepass")
    return text[1:] if text.startswith("\ufeff") else text


def renamable(ref: Reference, res: Resolution) -> bool:
    """A REF-ID or file reference that leads to one file."""
    return res.status in FOLLOW and len(res.targets) == 1 and (ref.syntax in PATHS or ref.syntax in ("refid", "field"))


def rename_destination(ref: Reference, target: str, new_name: str, kb: KnowledgeBase) -> str:
    """The new relpath of `target` when the reference under the cursor is renamed to `new_name`:
    a REF-ID renames the REF-ID inside the file name; a file name keeps the folder; a name with
    `/` is a path from the KB root (a leading `/sima/` allowed)."""
    new_name = new_name.strip()
    if not new_name:
        raise EditError("the new name is empty")
    folder, name = posixpath.split(target)
    if ref.syntax in ("refid", "field"):
        old = ref.target
        if not kb.grammar.is_refid(new_name):
            raise EditError(f"`{new_name}` is not a REF-ID of the grammar")
        if old not in name:
            raise EditError(f"{target}: its REF-ID {old} comes from its **REF-ID:** field, not its name; rename the file instead")
        i = name.rindex(old)
        return posixpath.join(folder, name[:i] + new_name + name[i + len(old):])
    if new_name.lower().startswith("/sima/"):
        new_name = new_name[len("/sima/"):]
    if "/" in new_name:
        return posixpath.normpath(new_name.lstrip("/"))
    return posixpath.join(folder, new_name)


def rename(root: Path, settings: Config, target: str, dst: str, buffers: dict[str, str]) -> Change:
    """The `mv` plan of `target` -> `dst` as edits and a rename; EditError when refused or when
    an open buffer that it edits has unsaved changes (buffers: relpath -> open text)."""
    plan = plan_move(Path(root), settings, target, dst)
    change = Change(renames=list(plan.moves), title=f"Move {target} to {dst}")
    for fe in plan.edits:
        before, after = _text(fe.before), _text(fe.after)
        if fe.relpath in buffers and buffers[fe.relpath] != before:
            raise EditError(f"{fe.relpath}: has unsaved changes; save it before renaming")
        edit = line_edit(before, after)
        if edit is not None:
            change.edits[fe.relpath] = edit
    return change


def _cited(source: Entry, ref: Reference, rel: str, refid: str) -> str:
    """How the reference would cite `rel` (or its REF-ID), in the syntax it was written in."""
    if ref.syntax in ("refid", "field"):
        return refid
    if ref.syntax == "kb-path":
        return f"/sima/{rel}"
    if ref.syntax == "bare":
        return rel.rsplit("/", 1)[-1]
    cited = posixpath.relpath(rel, source.directory or ".")
    return cited.replace(" ", "%20") if ref.syntax == "link" else cited


def create_missing(root: Path, settings: Config, kb: KnowledgeBase, source: Entry, ref: Reference, res: Resolution) -> Change | None:
    """For an unresolved file reference or an unknown REF-ID: a new entry from `new`'s scaffold,
    in the folder and family the reference names. When the scaffold's name differs from the
    one cited (the next free REF-ID is not the cited one), the reference is rewritten to cite it."""
    if res.status == "unknown-refid":
        wanted_rel, refid, directory = None, ref.target, None
        title = "New entry"
    elif res.status == "unresolved" and ref.syntax in PATHS and ref.target.lower().endswith(".md"):
        target = ref.target
        if target.lower().startswith("/sima/"):
            wanted_rel = posixpath.normpath(target[len("/sima/"):])
        elif ref.syntax == "bare":
            wanted_rel = posixpath.join(source.directory, target)
        else:
            wanted_rel = posixpath.normpath(posixpath.join(source.directory, target))
        if wanted_rel.startswith("../"):
            return None
        name = wanted_rel.rsplit("/", 1)[-1]
        refid = kb.grammar.from_filename(name)
        directory = posixpath.dirname(wanted_rel)
        stem = name[:-3]
        title = stem.replace(refid, "").strip("_- ") if refid else stem
        title = title.replace("_", " ").replace("-", " ").strip() or "New entry"
    else:
        return None
    if not refid:
        return None
    try:
        rel, text = scaffold(Path(root), settings, family_of(refid), title, directory if directory is not None else None)
    except EditError:
        return None
    new_refid = kb.grammar.from_filename(rel.rsplit("/", 1)[-1]) or refid
    if wanted_rel and rel != wanted_rel and new_refid == refid and posixpath.dirname(rel) == posixpath.dirname(wanted_rel):
        # the cited REF-ID is the next free one: keep the cited name (the H1 names the file)
        old_name, new_name = rel.rsplit("/", 1)[-1], wanted_rel.rsplit("/", 1)[-1]
        first, rest = text.split("\n", 1)
        text = f"# {new_name}" + first[len(f"# {old_name}"):] + "\n" + rest
        rel = wanted_rel
    change = Change(creates=[(rel, text)], title=f"Create {rel}")
    if rel != wanted_rel and not (wanted_rel is None and new_refid == ref.target):
        start, end = extent(ref)
        cited = _cited(source, ref, rel, new_refid)
        written = source.line_text(ref.line)[start:end]
        if ref.anchor and ref.syntax == "link":
            cited += written[written.find("#"):] if "#" in written else ""
        change.edits[source.relpath] = Edit(ref.line - 1, ref.line - 1, cited, end, start)
        change.title = f"Create {rel} ({new_refid}, the next free) and cite it here"
    return change

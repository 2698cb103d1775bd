"""Check one open document against its whole KB, with every unsaved buffer overlaid."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import api
from ..kb.index import KnowledgeBase
from ..kb.targets import Target
from ..model import Checked, Entry, Finding
from ..parse.scan import parse_bytes
from .folders import Folder


@dataclass(frozen=True)
class Checking:
    """One document as last checked: its findings, its parsed Entry with resolved references,
    and the KB index it was checked against."""

    folder: Folder
    rel: str
    findings: tuple[Finding, ...]
    checked: Checked | None
    kb: KnowledgeBase

    @property
    def entry(self) -> Entry | None:
        """The parsed document (None when it could not be checked)."""
        return self.checked.entry if self.checked else None


def check_document(folder: Folder, path: Path, overlay: dict[str, str]) -> Checking:
    """The document at `path` (inside the folder's root) checked against the whole KB."""
    rel = folder.relpath(path)
    report = api.check([Target(folder.root, only=frozenset({rel}))], folder.settings, jobs=1,
                       cache=folder.cache, overlay=overlay, keep=True, cwd=folder.path)
    kb = report.kbs.get(folder.root) or KnowledgeBase(settings=folder.settings)
    checked = report.checked.get(folder.root, {}).get(rel)
    findings = tuple(f for f in report.findings if f.relpath == rel)
    return Checking(folder, rel, findings, checked, kb)


def read_entry(folder: Folder, kb: KnowledgeBase, rel: str, overlay: dict[str, str]) -> Entry | None:
    """Another file of the KB parsed (an open buffer wins over the disk); None when unreadable."""
    path = folder.root / rel
    key = str(Path(path).resolve())
    if key in overlay:
        data = overlay[key].encode("utf-8", "surrogatepass")
    else:
        try:
            data = path.read_bytes()
        except OSError:
            return None
    summary = kb.summaries.get(rel)
    kind = summary.kind if summary else "entry"
    return parse_bytes(rel, data, kind, kb.grammar)

"""What a move does, as values: the renames and the edits (the language server reads these)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileEdit:
    """One file's content before and after the move; relpath is where it is BEFORE the move."""

    relpath: str
    before: bytes
    after: bytes


@dataclass
class MovePlan:
    """What a move does: the renames (old relpath, new relpath) and the content edits."""

    moves: list[tuple[str, str]]
    edits: list[FileEdit]
    refids: dict[str, str] = field(default_factory=dict)  # REF-IDs that change: old -> new

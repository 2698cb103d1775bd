"""Positions: the core counts 1-based lines and code-point columns; LSP counts 0-based lines and
code units of the negotiated encoding (UTF-16 unless the client offers another)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path, uri_scheme



def _units(text: str, encoding: str) -> int:
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def position(lines: Sequence[str], line: int, char: int, encoding: str = "utf-16") -> types.Position:
    """The LSP position of 0-based `line` and code point `char`."""
    text = lines[line] if 0 <= line < len(lines) else ""
    return types.Position(line=max(line, 0), character=_units(text[:max(char, 0)], encoding))


def span(lines: Sequence[str], line: int, start: int, end: int, encoding: str = "utf-16") -> types.Range:
    """The LSP range of code points [start, end) on 0-based `line`."""
    return types.Range(start=position(lines, line, start, encoding), end=position(lines, line, end, encoding))


def code_point(lines: Sequence[str], pos: types.Position, encoding: str = "utf-16") -> tuple[int, int]:
    """A client position as (0-based line, code point)."""
    text = lines[pos.line] if 0 <= pos.line < len(lines) else ""
    if encoding == "utf-32":
        return pos.line, min(pos.character, len(text))
    seen = 0
    for i, ch in enumerate(text):
        if seen >= pos.character:
            return pos.line, i
        seen += _units(ch, encoding)
    return pos.line, len(text)


def uri_of(path: Path) -> str:
    """A file URI, spelt as editors spell them (pygls: drive letters, percent-encoding)."""
    return from_fs_path(str(Path(path).absolute())) or Path(path).absolute().as_uri()


def path_of(uri: str) -> Path | None:
    """The path of a file URI (None for other schemes: untitled buffers, remote files)."""
    if uri_scheme(uri) != "file":
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


__all__ = ["code_point", "path_of", "position", "span", "uri_of"]

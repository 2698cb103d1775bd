"""Bytes to lines: decoding, BOM, line endings and the catalogue's line count."""
from __future__ import annotations

import re
from dataclasses import dataclass

BOM = "\ufeff"
_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Decoded:
    """A file's text split into lines, with what the split found."""

    text: str
    lines: tuple[str, ...]
    has_bom: bool
    crlf_lines: tuple[int, ...]
    cr_lines: tuple[int, ...]
    final_newline: bool
    error: str | None = None
    error_line: int = 1


def decode(data: bytes) -> Decoded:
    """Decode UTF-8 (BOM tolerated); undecodable or NUL-bearing data gets an error, no text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        why = f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            why = "UTF-16 text (byte-order mark); save it as UTF-8"
            line = 1
        return Decoded("", (), False, (), (), True, why, line)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return Decoded("", (), False, (), (), True, "contains NUL bytes (binary file?)", line)
    has_bom = text.startswith(BOM)
    if has_bom:
        text = text[1:]
    return split(text, has_bom)


def split(text: str, has_bom: bool = False) -> Decoded:
    """Split text into lines, recording CRLF and lone-CR line numbers."""
    if "\r" not in text:
        lines = text.split("\n")
        final = text.endswith("\n") or text == ""
        if final:
            lines.pop()
        return Decoded(text, tuple(lines), has_bom, (), (), final)
    lines, crlf, cr = [], [], []
    pos = 0
    for m in _BREAK.finditer(text):
        lines.append(text[pos : m.start()])
        if m.group(0) == "\r\n":
            crlf.append(len(lines))
        elif m.group(0) == "\r":
            cr.append(len(lines))
        pos = m.end()
    final = pos == len(text)
    if not final:
        lines.append(text[pos:])
    return Decoded(text, tuple(lines), has_bom, tuple(crlf), tuple(cr), final)


def keepends(text: str) -> list[str]:
    """The text's lines with their own line endings (CRLF, CR, LF), as this module splits them."""
    out, pos = [], 0
    for m in _BREAK.finditer(text):
        out.append(text[pos : m.end()])
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out

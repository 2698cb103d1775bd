"""A file as editable lines: what fix hooks edit, written back byte for byte where untouched."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import Entry
from .text import BOM


@dataclass
class Doc:
    """A file as editable lines, each with its own line ending ('' for an unterminated last).

    In-line edits are queued with `replace` and applied by `flush`, right to left per line, so
    that several rules can rewrite spans of one line by the columns the parser gave them.
    """

    bom: bool
    lines: list[str]
    ends: list[str]
    spans: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, entry: Entry) -> "Doc":
        """The entry's exact original content."""
        crlf, cr = set(entry.crlf_lines), set(entry.cr_lines)
        ends = ["\r\n" if i in crlf else "\r" if i in cr else "\n" for i in range(1, len(entry.lines) + 1)]
        if ends and not entry.final_newline:
            ends[-1] = ""
        return cls(entry.has_bom, list(entry.lines), ends)

    def encode(self) -> bytes:
        """The content as UTF-8 bytes."""
        body = "".join(line + end for line, end in zip(self.lines, self.ends))
        return ((BOM if self.bom else "") + body).encode("utf-8")

    def newline(self) -> str:
        """The file's usual line ending (LF when it has none)."""
        counts = Counter(e for e in self.ends if e)
        return counts.most_common(1)[0][0] if counts else "\n"

    def insert(self, index: int, new: list[str]) -> None:
        """Insert lines before `index`, terminated like the rest of the file."""
        nl = self.newline()
        ends = [nl] * len(new)
        if index == len(self.lines) and self.ends and self.ends[-1] == "":
            self.ends[-1], ends[-1] = nl, ""  # keep "no newline at end of file" as it was
        self.lines[index:index] = new
        self.ends[index:index] = ends

    def replace(self, lineno: int, start: int, end: int, text: str) -> None:
        """Queue replacing `[start, end)` of a 1-based line with `text` (UTF-8 encodable only)."""
        if encodable(text):
            self.spans.setdefault(lineno, []).append((start, end, text))

    def flush(self) -> None:
        """Apply the queued spans, right to left per line; an overlapping one waits for the next pass."""
        for lineno, spans in self.spans.items():
            line, last = self.lines[lineno - 1], None
            for start, end, text in sorted(set(spans), reverse=True):
                if last is not None and end > last:
                    continue
                line, last = line[:start] + text + line[end:], start
            self.lines[lineno - 1] = line
        self.spans = {}


def encodable(text: str) -> bool:
    """True when the text can be written as UTF-8 (an undecodable file name cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

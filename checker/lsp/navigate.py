"""Definition, references and hover, from the resolved references of checked files."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from ..kb.index import Resolution
from ..model import Checked, Entry, Reference
from ..rules import lookup

FOLLOW = ("ok", "ambiguous", "near", "anchor")  # statuses that lead to a file
_CODE = re.compile(r"SIMA\d{3}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


@dataclass(frozen=True)
class Target:
    """A place in a KB file: relpath, 0-based line and code-point range (a whole file: 0, 0, 0)."""

    rel: str
    line: int = 0
    start: int = 0
    end: int = 0


def extent(ref: Reference) -> tuple[int, int]:
    """The code points [start, end) of a reference on its line (a link: its target as written)."""
    start = ref.column - 1
    if ref.syntax != "link":
        return start, start + len(ref.raw)
    written = ref.raw[ref.raw.rfind("](") + 2:]
    written = written[:-1] if written.endswith(")") else written
    if written.startswith("<") and ">" in written:
        written = written[:written.index(">") + 1]
    else:
        written = (written.split() or [""])[0]
    return start, start + max(len(written), 1)


def reference_at(checked: Checked, line: int, char: int) -> tuple[Reference, Resolution] | None:
    """The reference under 0-based (line, code point), with its resolution."""
    for ref, res in checked.resolved:
        start, end = extent(ref)
        if ref.line == line + 1 and start <= char <= end:
            return ref, res
    return None


def rule_at(text: str, char: int) -> str | None:
    """The rule code (SIMA301) under a code point of a line, or a rule name (xref-unresolved)
    in a `sima-check:` suppression comment."""
    for m in _CODE.finditer(text):
        if m.start() <= char <= m.end():
            return m.group(0)
    if "sima-check:" in text:
        for m in _NAME.finditer(text):
            if m.start() <= char <= m.end() and lookup(m.group(0)) is not None:
                return m.group(0)
    return None


def heading_line(entry: Entry | None, anchor: str) -> int:
    """The 0-based line of the heading whose slug is `anchor` (0 when there is none)."""
    wanted = unquote(anchor)
    for h in entry.headings if entry else ():
        if h.slug == wanted:
            return h.line - 1
    return 0


def definition(checked: Checked, line: int, char: int, read: Callable[[str], Entry | None]) -> list[Target]:
    """Where the reference under the cursor leads: its file(s), at the heading of its anchor.

    read: relpath -> the parsed file (for heading lines)."""
    hit = reference_at(checked, line, char)
    if hit is None:
        return []
    ref, res = hit
    if res.status not in FOLLOW:
        return []
    out = []
    for rel in res.targets:
        row = heading_line(read(rel), ref.anchor) if ref.anchor else 0
        out.append(Target(rel, row))
    return out


def citers(files: dict[str, Checked], rel: str) -> list[Target]:
    """Every reference in the KB, by any syntax, that leads to `rel`."""
    out = []
    for source in sorted(files):
        for ref, res in files[source].resolved:
            if res.status in FOLLOW and rel in res.targets:
                start, end = extent(ref)
                out.append(Target(source, ref.line - 1, start, end))
    return out


def subject(checked: Checked, line: int, char: int) -> str:
    """The file `find references` asks about: the reference's target under the cursor, else the
    document itself."""
    hit = reference_at(checked, line, char)
    if hit and hit[1].status in FOLLOW and hit[1].targets:
        return hit[1].targets[0]
    return checked.entry.relpath


def _field(entry: Entry | None, key: str) -> str:
    f = entry.field(key, header_only=True) if entry else None
    return f.value if f else "—"


def hover_reference(ref: Reference, res: Resolution, read: Callable[[str], Entry | None]) -> str | None:
    """Markdown for a reference: the target's title, Type, Status and Purpose."""
    if res.status not in FOLLOW or not res.targets:
        why = {"unresolved": "resolves to no file", "unknown-refid": "no file owns this REF-ID",
               "outside": "leads outside the knowledge base"}.get(res.status, res.status)
        hint = f"; did you mean `{res.suggestion}`?" if res.suggestion else ""
        return f"`{ref.raw}` {why}{hint}"
    parts = []
    for rel in res.targets:
        entry = read(rel)
        title = (entry.title if entry and entry.title else rel.rsplit("/", 1)[-1])
        parts.append(
            f"**{title}**\n\n"
            f"- Type: {_field(entry, 'type')}\n- Status: {_field(entry, 'status')}\n"
            f"- Purpose: {_field(entry, 'purpose')}\n\n`/sima/{rel}`"
        )
    note = {"ambiguous": "\n\n(ambiguous: more than one file matches)", "near": "\n\n(near miss: the spelling differs)",
            "anchor": f"\n\n(no heading `#{ref.anchor}` in the target)"}.get(res.status, "")
    return "\n\n---\n\n".join(parts) + note


def hover_rule(code: str) -> str | None:
    """Markdown for a rule code: code, name, default severity and summary."""
    r = lookup(code)
    if r is None:
        return None
    return f"**{r.code} {r.name}** ({r.severity}{', fixable' if r.fixable else ''})\n\n{r.summary}"


def hover(checked: Checked, line: int, char: int, read: Callable[[str], Entry | None]) -> str | None:
    """Hover text at 0-based (line, code point): a reference's target, or a rule code's summary."""
    hit = reference_at(checked, line, char)
    if hit:
        return hover_reference(*hit, read)
    code = rule_at(checked.entry.line_text(line + 1), char)
    return hover_rule(code) if code else None

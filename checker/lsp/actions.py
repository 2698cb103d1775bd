"""Code actions: the fix of each fixable finding, and all fixes of a file, as text edits."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..config.policy import compile_policy
from ..fix.plan import fix_entry
from ..kb.index import KnowledgeBase
from ..model import Entry, Finding
from ..parse.text import keepends


@dataclass(frozen=True)
class Edit:
    """Replace the text from (start, start_char) to (end, end_char) of a document (0-based lines,
    code points; `end` may be the line count: the end of a text whose last line has a break)."""

    start: int
    end: int
    text: str
    end_char: int = 0
    start_char: int = 0


@dataclass(frozen=True)
class Fix:
    """One code action: a title, the findings it fixes (empty for fix-all) and its edit."""

    title: str
    codes: tuple[str, ...]
    edit: Edit
    fix_all: bool = False




def line_edit(before: str, after: str) -> Edit | None:
    """The smallest run of whole lines that turns `before` into `after` (None: no change)."""
    old, new = keepends(before), keepends(after)
    if old == new:
        return None
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    end = len(old) - tail
    text = "".join(new[head:len(new) - tail])
    if end == len(old) and old and not old[-1].endswith(("\n", "\r")):
        # the replaced run reaches the last line, which has no line break: end inside it
        return Edit(head, end - 1, text, len(old[-1]))
    return Edit(head, end, text)


def _decoded(data: bytes, entry: Entry) -> str:
    text = data.decode("utf-8", "surrogatepass")
    return text[1:] if text.startswith("\ufeff") and not entry.has_bom else text


def fixes(entry: Entry, source: str, kb: KnowledgeBase, findings: list[Finding], wanted: set[int] | None = None) -> list[Fix]:
    """A code action per fixable rule among `findings` (those on `wanted` 0-based lines, all when
    None), and "fix all" for the whole file, each as the edit of the document text `source`."""
    policy = compile_policy(kb.settings)
    out: list[Fix] = []
    codes = sorted({f.code for f in findings if f.fixable and (wanted is None or f.line - 1 in wanted)})
    for code in codes:
        one = replace(policy, rules=tuple(r for r in policy.rules if r.code == code))
        data = fix_entry(entry, kb, one)
        edit = line_edit(source, _decoded(data, entry)) if data is not None else None
        if edit is not None:
            name = next(f.rule for f in findings if f.code == code)
            out.append(Fix(f"Fix {code} {name}", (code,), edit))
    if any(f.fixable for f in findings):
        data = fix_entry(entry, kb, policy)
        edit = line_edit(source, _decoded(data, entry)) if data is not None else None
        if edit is not None:
            out.append(Fix("Fix all sima-check fixable findings in this file", tuple(sorted({f.code for f in findings if f.fixable})), edit, True))
    return out

"""The entry's `Q1:` / `YES ->` / `NO ->` decision tree, and which pattern an answer names."""
from __future__ import annotations

import re

from ...model import Heading
from .model import DecisionTree, Outcome, Pattern, Question
from .syntax import _ANSWER, _GOTO, _HR, _QUESTION, _label, _plain


def _tree(lines, code, headings, patterns: list[Pattern]) -> DecisionTree | None:
    """The first `Decision Tree` label or heading followed by `Q1:` / YES / NO lines."""
    starts: list[tuple[int, int]] = []  # (0-based first line, 1-based label line)
    for h in headings:
        if "decision tree" in h.text.lower():
            starts.append((h.line, h.line))
    for i, line in enumerate(lines):
        lab = _label(line) if code[i] == "text" and "**" in line else None
        if lab and "decision tree" in lab[0].lower():
            starts.append((i + 1, i + 1))
    by_line = {h.line: h for h in headings}
    for first, label_line in sorted(starts):
        level = by_line[label_line].level if label_line in by_line else 7  # 7: a label
        end = next((j for j in range(first, len(lines)) if _tree_stop(lines[j], code[j], by_line, j + 1, level)), len(lines))
        tree = _parse_tree(lines, first, end, label_line, patterns)
        if tree:
            return tree
    return None


def _tree_stop(line: str, kind: str, by_line: dict[int, Heading], lineno: int, level: int) -> bool:
    """A heading of the tree's level or higher; after a label also a rule or another label."""
    h = by_line.get(lineno)
    if h is not None:
        return h.level <= level
    if level < 7 or kind != "text" or _QUESTION.match(line.strip()) or _ANSWER.match(line.strip()):
        return False
    return bool(_HR.match(line)) or _label(line) is not None


def _parse_tree(lines, first: int, end: int, label_line: int, patterns: list[Pattern]) -> DecisionTree | None:
    raw: list[list] = []  # [id, text, yes, no, line]
    for i in range(first, end):
        line = lines[i].strip().strip("`")
        if m := _QUESTION.match(line):
            raw.append([f"Q{int(m.group(1))}", _plain(m.group(2)), None, None, i + 1])
        elif raw and (m := _ANSWER.match(line)):
            slot = 2 if m.group(1).lower() == "yes" else 3
            if raw[-1][slot] is None:
                raw[-1][slot] = _plain(m.group(2))
    complete: dict[str, list] = {}
    for q in raw:
        if q[2] and q[3] and q[0] not in complete:
            complete[q[0]] = q
    if not complete:
        return None
    questions = tuple(
        Question(qid, text, _outcome(yes, complete, patterns), _outcome(no, complete, patterns), line)
        for qid, text, yes, no, line in complete.values()
    )
    return DecisionTree(questions, label_line)


def _outcome(text: str, questions: dict, patterns: list[Pattern]) -> Outcome:
    """Goto when the text names an existing question, else the pattern it names, else text."""
    g = _GOTO.match(text)
    if g and f"Q{int(g.group(1)[1:])}" in questions:
        return Outcome(text, goto=f"Q{int(g.group(1)[1:])}")
    p = match_pattern(text, patterns)
    return Outcome(text, pattern=p.name if p else None)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", text.casefold()).split())


def match_pattern(text: str, patterns: list[Pattern] | tuple[Pattern, ...]) -> Pattern | None:
    """The pattern an outcome names: exact name (case-insensitive) first, else the longest
    pattern name contained in it as whole words (None when names that do not contain each
    other both occur)."""
    want = _norm(re.sub(r"^(?:use|choose|pick|apply)\s+", "", text.strip(), flags=re.IGNORECASE))
    for p in patterns:
        if want in {_norm(p.name), _norm(f"{p.name} {p.qualifier}"), _norm(p.title)}:
            return p
    hits = [p for p in patterns if _norm(p.name) and re.search(rf"(?<!\w){re.escape(_norm(p.name))}(?!\w)", want)]
    if not hits:
        return None
    best = max(hits, key=lambda p: len(_norm(p.name)))
    return best if all(_norm(p.name) in _norm(best.name) for p in hits) else None

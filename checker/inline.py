"""Linear-time scanners for inline code spans and Markdown links.

Each function finds exactly what a (simpler-looking) regular expression would find with
`re.finditer`, but without its quadratic or worse backtracking on hostile lines such as a
million backticks or `[a](` repeated: every `[`, `]` and backtick run is examined a bounded
number of times. The equivalent regex is given in each docstring; tests compare the two.
"""
from __future__ import annotations

import re
from bisect import bisect_left

_BACKTICKS = re.compile(r"`+")
_ESCAPE_OR_CLOSE = re.compile(r"\\.|\]")
_SPACE = re.compile(r"\s*")
_STOP = re.compile(r"[)\s]")
_TAIL = re.compile(r"(?:\s+\"[^\"]*\")?\s*\)")
LINK_TEXT_MAX = 500


def code_spans(line: str) -> list[tuple[int, int, int, int]]:
    """Spans of ``(`+)(.+?)\\1``: (start, inner start, inner end, end) per span.

    A run of r backticks closes itself when r >= 3 (`k = (r - 1) // 2` ticks on each side of
    one tick); otherwise, and preferably, it is closed by the first later run at least as long
    as the longest opening that some later run can close.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    if not runs:
        return []
    n = len(runs)
    later_max = [0] * (n + 1)  # the longest run among runs[i:]
    for i in range(n - 1, -1, -1):
        later_max[i] = max(later_max[i + 1], runs[i][1] - runs[i][0])
    out = []
    i, p = 0, runs[0][0]
    while i < n:
        start, end = runs[i]
        p = max(p, start)
        r = end - p
        inside = (r - 1) // 2
        k = min(r, later_max[i + 1])
        if k > inside:
            j = i + 1
            while runs[j][1] - runs[j][0] < k:
                j += 1
            q = runs[j][0]
            out.append((p, p + k, q, q + k))
            i, p = j, q + k
        elif inside >= 1:
            out.append((p, p + inside, p + inside + 1, p + 2 * inside + 1))
            p += 2 * inside + 1
        else:
            break
        if p >= runs[i][1]:
            i += 1
    return out


def links(line: str) -> list[tuple[int, int, int, str]]:
    """Links `[text](target "title")`: (start, end, target start, target) per link.

    Equivalent to ``!?\\[((?:[^\\]\\\\]|\\\\.){0,500})\\]\\(\\s*(<[^>\\n]*>|[^)\\s]*)(?:\\s+"[^"]*")?\\s*\\)``.
    Every `[` before a given unescaped `]` shares that `]` and what follows it, so each `]` is
    examined once, with the leftmost `[` whose text is short enough.
    """
    closes: list[int] = []
    escapes: list[int] = []
    for m in _ESCAPE_OR_CLOSE.finditer(line):
        (closes if m.group(0) == "]" else escapes).append(m.start())
    out = []
    pos, prev = 0, -1
    memo = _Memo(line)
    for c in closes:
        lo, prev = max(pos, prev + 1), c
        if line[c + 1 : c + 2] != "(":
            continue
        # A text of more than 2 * LINK_TEXT_MAX characters has more than LINK_TEXT_MAX units.
        k = line.find("[", max(lo, c - 2 * LINK_TEXT_MAX - 2), c)
        while k != -1:
            units = (c - k - 1) - (bisect_left(escapes, c) - bisect_left(escapes, k + 1))
            if units <= LINK_TEXT_MAX:
                break
            k = line.find("[", k + 1, c)
        if k == -1:
            continue
        found = memo.target(c + 2)
        if found is None:
            continue
        start = k - 1 if k - 1 >= pos and line[k - 1] == "!" else k
        end, target_start, target = found
        out.append((start, end, target_start, target))
        pos = end
    return out


class _Memo:
    """The part after `](`, with the scans shared between neighbouring links remembered."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.tails: dict[int, int | None] = {}
        self.stop = (-1, -1)  # (from, first `)` or space at or after `from`)
        self.gt = (len(line) + 1, -1)  # (from, first `>` at or after `from`, -1 for none)

    def tail(self, at: int) -> int | None:
        """End of `(?:\\s+"title")?\\s*\\)` at `at`, or None."""
        if at not in self.tails:
            m = _TAIL.match(self.line, at)
            self.tails[at] = m.end() if m else None
        return self.tails[at]

    def target(self, j: int) -> tuple[int, int, str] | None:
        """(end, target start, target) for the text after `](` at `j`, or None."""
        line = self.line
        w = _SPACE.match(line, j).end()
        if line[w : w + 1] == "<":
            if not (self.gt[0] <= w and (self.gt[1] == -1 or w <= self.gt[1])):
                self.gt = (w, line.find(">", w))
            gt = self.gt[1]
            if gt != -1:
                end = self.tail(gt + 1)
                if end is not None:
                    return end, w, line[w : gt + 1]
        if not (self.stop[0] <= w <= self.stop[1]):
            m = _STOP.search(line, w)
            self.stop = (w, m.start() if m else len(line))
        s = self.stop[1]
        end = self.tail(s)
        if end is not None:
            return end, w, line[w:s]
        if w > j:  # the regex gives the spaces back: an empty target, then a title
            end = self.tail(w - 1)
            if end is not None:
                return end, w - 1, ""
        return None

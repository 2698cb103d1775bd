"""Linear-time scanners for inline Markdown: code spans, links, emphasis, attr-list ids.

Each function finds exactly what a (simpler-looking) regular expression would find with
`re.finditer` / `re.sub`, but without its quadratic or worse backtracking on hostile lines
such as a million backticks or `[a](` repeated: every `[`, `]` and backtick run is examined a
bounded number of times. The equivalent regex is given in each docstring;
tests/hostile/test_fuzz.py compares the two on generated input.
"""
from __future__ import annotations

import html
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


def strip_links(text: str, image: bool = False, drop_images: bool = False) -> str:
    """`[text](url)` -> `text`: ``re.sub(r"\\[([^\\]]*)\\]\\([^)]*\\)", r"\\1", text)``, linear
    (with `image`, the pattern starts with `!?`: `![alt](src)` -> `alt`; with `drop_images`,
    an image leaves nothing, as in a heading's id).

    Every `[` before a `]` shares that `]`, and once no `)` follows, no later link can close.
    """
    out, pos, search = [], 0, 0
    while True:
        i = text.find("[", search)
        if i == -1:
            break
        c = text.find("]", i + 1)
        if c == -1:
            break
        if not text.startswith("(", c + 1):
            search = c + 1
            continue
        p = text.find(")", c + 2)
        if p == -1:
            break
        picture = i - 1 >= pos and text[i - 1] == "!"
        start = i - 1 if (image or drop_images) and picture else i
        out += [text[pos:start], "" if drop_images and picture else text[i + 1 : c]]
        pos = search = p + 1
    out.append(text[pos:])
    return "".join(out)


# Raw HTML tags and character references, as Python-Markdown reads them in inline text; the
# negated class stops at the next `<`: linear on `<a` repeated.
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")


def drop_tags(text: str) -> str:
    """Text without its raw HTML tags (`<kbd>Ctrl</kbd>` -> `Ctrl`; `x < y` stays)."""
    return _TAG.sub("", text) if "<" in text else text


def decode_entities(text: str) -> str:
    """Text with its character references decoded (`&amp;` -> `&`, `&nbsp;` -> a no-break
    space); an `&` that starts none (`AT&T`, `&NBSP;`) stays."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text


_ESCAPE_OR_CLOSE_OR_LONE = re.compile(r"\\.|\\|\]")
_PAREN_OR_NEWLINE = re.compile(r"[)\n]")


def strip_escaped_links(text: str) -> str:
    """`[te\\]xt](url)` -> `te\\]xt`, in linear time: what
    ``re.sub(r"!?\\[((?:[^\\]\\\\]|\\\\.)*)\\]\\([^)\\n]*\\)", r"\\1", text)`` gives.

    The text of a `[` runs to the first unescaped `]` (every `[` before it shares it) unless a
    backslash that escapes nothing comes first; the target runs to the first `)` on the line.
    """
    out, pos, prev, memo = [], 0, -1, (len(text) + 1, -1)
    for m in _ESCAPE_OR_CLOSE_OR_LONE.finditer(text):
        token = m.group(0)
        if token == "\\":  # a lone backslash (before a newline, or last): no text crosses it
            prev = m.start()
            continue
        if token != "]":
            continue
        c, lo, prev = m.start(), max(pos, prev + 1), m.start()
        if c < pos or not text.startswith("(", c + 1):
            continue
        k = text.find("[", lo, c)
        if k == -1:
            continue
        if not (memo[0] <= c + 2 and (memo[1] == -1 or c + 2 <= memo[1])):
            hit = _PAREN_OR_NEWLINE.search(text, c + 2)
            memo = (c + 2, hit.start() if hit else -1)
        p = memo[1]
        if p == -1:
            break
        if text[p] == "\n":
            continue
        start = k - 1 if k - 1 >= pos and text[k - 1] == "!" else k
        out += [text[pos:start], text[k + 1 : c]]
        pos = p + 1
    out.append(text[pos:])
    return "".join(out)


_UNDERSCORES = re.compile(r"_+")


def strip_emphasis(text: str) -> str:
    """`_x_`, `__x__`, `___x___` -> `x` at word boundaries, in linear time.

    Equivalent to ``re.sub(r"(?<!\\w)(_{1,3})(?=\\S)(.+?)(?<=\\S)\\1(?!\\w)", r"\\2", text)``: an
    opening run starts after a non-word character, a closing run of k underscores ends a run
    that a non-word character (or the end) follows; each run is examined once.
    """
    if "_" not in text:
        return text
    runs = [(m.start(), m.end()) for m in _UNDERSCORES.finditer(text)]
    n = len(text)
    closers: dict[int, list[int]] = {1: [], 2: [], 3: []}  # k -> sorted positions q of `_`*k
    for s, e in runs:
        if e < n and _is_word(text[e]):
            continue
        for k in (1, 2, 3):
            if e - s > k or (e - s == k and s > 0 and not text[s - 1].isspace()):
                closers[k].append(e - k)
    out, pos = [], 0
    for s, e in runs:
        if s < pos or (s > 0 and _is_word(text[s - 1])):
            continue
        for k in range(min(3, e - s), 0, -1):
            if s + k >= n or text[s + k].isspace():
                continue
            qs = closers[k]
            j = bisect_left(qs, s + k + 1)
            if j < len(qs):
                q = qs[j]
                out += [text[pos:s], text[s + k : q]]
                pos = q + k
                break
    out.append(text[pos:])
    return "".join(out)


_WORD = re.compile(r"\w")


def _is_word(ch: str) -> bool:
    return _WORD.match(ch) is not None


_ATTR_OPEN = re.compile(r"\{:?\s*#([\w-]+)")


def attr_list_id(text: str) -> tuple[int, str] | None:
    """(start, id) of a trailing attr_list `{#id .class}`, else None.

    Equivalent to ``re.search(r"\\s*\\{:?\\s*#([\\w-]+)[^}]*\\}\\s*$", text)`` (start of the match,
    group 1), without retrying from every space of a long heading.
    """
    body = text.rstrip()
    if not body.endswith("}"):
        return None
    close = len(body) - 1
    b = body.find("{", body.rfind("}", 0, close) + 1, close)
    while b != -1:
        m = _ATTR_OPEN.match(body, b, close)
        if m:
            start = b
            while start > 0 and body[start - 1].isspace():
                start -= 1
            return start, m.group(1)
        b = body.find("{", b + 1, close)
    return None

"""Patterns described by an entry (`### Pattern 1: Name (Qualifier)` sections) and their
labelled attributes, aligned into comparison rows.

Pure functions of `Entry.lines`, `Entry.headings` and `Entry.fences`; the comparison page
renders the result.
"""
from __future__ import annotations

from ...model import Entry, Heading
from ...parse.inline import decode_entities
from .model import Cell, Pattern, PatternSet
from .syntax import _CHARACTERISTICS, _CODE_ROW, _HR, _ITEM, _KEYED, _MARK, _NOTES_ROW, _PATTERN, _PLAIN_KEY, _label, _plain
from .tree import _tree, _tree_stop


def extract(entry: Entry) -> PatternSet:
    """Patterns (two or more, else none), their attribute rows and the decision tree."""
    lines = entry.lines
    code = _code_mask(entry)
    found = [(h, m) for h in entry.headings if h.level >= 2 and (m := _pattern_heading(h.text))]
    patterns: list[Pattern] = []
    raw_rows: list[list[tuple[str, Cell]]] = []
    for idx, (h, (number, name, qualifier)) in enumerate(found):
        end = _section_end(entry.headings, h, [x for x, _ in found[idx + 1 :]], len(lines))
        raw_rows.append(_rows(lines, code, entry.headings, h.line, end))
        patterns.append(Pattern(number, name, qualifier, h.line, h.slug, {}, h.text, h.level))
    if len(patterns) < 2:
        patterns, raw_rows = [], []
    attributes, per_pattern = _align(raw_rows)
    patterns = [_with_rows(p, rows) for p, rows in zip(patterns, per_pattern)]
    tree = _tree(lines, code, entry.headings, patterns)
    return PatternSet(entry.relpath, tuple(patterns), attributes, tree)


def _with_rows(p: Pattern, rows: dict[str, Cell]) -> Pattern:
    return Pattern(p.number, p.name, p.qualifier, p.heading_line, p.slug, rows, p.title, p.level)


def _pattern_heading(text: str) -> tuple[int | None, str, str] | None:
    """(number, name, qualifier) for a pattern heading; placeholders like `[Name]` are not."""
    m = _PATTERN.match(text)
    if not m:
        return None
    rest = _plain(decode_entities(m.group(2)))  # as the page shows it: the comparison escapes it once
    if not rest or (rest.startswith("[") and rest.endswith("]")):
        return None
    name, qualifier = _split_qualifier(rest)
    return (int(m.group(1)) if m.group(1) else None), name, qualifier


def _split_qualifier(text: str) -> tuple[str, str]:
    """`Name (Qualifier)` -> (name, qualifier); the group must follow a space and balance."""
    if not text.endswith(")"):
        return text, ""
    depth = 0
    for pos in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[pos], 0)
        if depth == 0:
            name, qualifier = text[:pos].strip(), text[pos + 1 : -1].strip()
            if name and qualifier and text[pos - 1].isspace():
                return name, qualifier
            break
    return text, ""


def _section_end(headings: tuple[Heading, ...], h: Heading, later_patterns: list[Heading], n: int) -> int:
    """1-based line where the section of `h` stops (exclusive)."""
    stops = [x.line for x in headings if x.line > h.line and x.level <= h.level]
    stops += [x.line for x in later_patterns]
    return min(stops, default=n + 1)


def _code_mask(entry: Entry) -> list[str]:
    """Per line: 'text', 'open', 'body', 'close', from the fences the parser found."""
    n = len(entry.lines)
    mask = ["body"] * entry.front_matter_lines + ["text"] * (n - entry.front_matter_lines)
    for f in entry.fences:
        end = f.end if f.closed else n + 1
        mask[f.line - 1] = "open"
        for i in range(f.line, min(end - 1, n)):
            mask[i] = "body"
        if f.closed:
            mask[end - 1] = "close"
    return mask


# ---------------------------------------------------------------- rows of one section


def _is_stop(line: str, kind: str, heading_lines: set[int], lineno: int, plain: bool = True) -> bool:
    if kind != "text":
        return False
    return lineno in heading_lines or bool(_HR.match(line)) or _label(line, plain) is not None


def _rows(lines, code, headings, start: int, end: int) -> list[tuple[str, Cell]]:
    """Rows of the section whose heading is on line `start` (1-based), up to `end`."""
    heads = {h.line: h for h in headings if start < h.line < end}
    rows: list[tuple[str, Cell]] = []
    i = start  # 0-based index of the line after the heading
    while i < end - 1:
        line, lineno = lines[i], i + 1
        if code[i] == "text" and (lineno in heads or _HR.match(line) or not line.strip()):
            label = _plain(heads[lineno].text) if lineno in heads else None
            i += 1
            if label and "decision tree" in label.lower():  # the tree is not a row
                i = next((h - 1 for h in sorted(heads) if h > lineno), end - 1)
            elif label:
                i = _labelled(lines, code, heads, i, end, label, "", lineno, rows)
            continue
        lab = _label(line) if code[i] == "text" else None
        if lab:
            i = _labelled(lines, code, heads, i + 1, end, lab[0], lab[1], lineno, rows)
            continue
        i, elements = _chunk(lines, code, heads, i, end)
        for kind, body, first in elements:  # unlabelled content: notes and code
            if kind in ("fence", "table"):
                rows.append((_CODE_ROW, Cell("\n".join(body), (), True, first)))
            elif kind == "list":
                rows.append((_NOTES_ROW, Cell("", tuple(body), False, first)))
            else:
                rows.append((_NOTES_ROW, Cell(" ".join(body), (), False, first)))
    return [(k, c) for k, c in rows if c]


def _labelled(lines, code, heads, i, end, label, inline, lineno, rows) -> int:
    """Read the block of one label; append its rows; return the next index."""
    if "decision tree" in label.lower():
        return _skip_block(lines, code, heads, i, end)
    elements: list[tuple[str, list[str], int]] = []
    if not inline:
        while i < end - 1 and code[i] == "text" and not lines[i].strip():
            i += 1
    if i < end - 1 and (lines[i].strip() or code[i] != "text") and not _is_stop(lines[i], code[i], set(heads), i + 1, plain=False):
        i, elements = _chunk(lines, code, heads, i, end)
        # a loose list (blank lines between items) or an intro line ending in ':' goes on
        while elements and i < end - 1:
            j = i
            while j < end - 1 and code[j] == "text" and not lines[j].strip():
                j += 1
            if j >= end - 1 or _is_stop(lines[j], code[j], set(heads), j + 1):
                break
            last_kind, last_body, _ = elements[-1]
            nxt = lines[j]
            loose = last_kind == "list" and code[j] == "text" and (_ITEM.match(nxt) or nxt.startswith("  "))
            intro = last_kind == "para" and last_body[-1].endswith(":")
            if not (loose or intro):
                break
            i, more = _chunk(lines, code, heads, j, end)
            elements += more
    rows.extend(_cells(label, inline, elements, lineno))
    return i


def _skip_block(lines, code, heads, i, end) -> int:
    """Past a decision tree: its `**Q1:**` lines are not labels."""
    while i < end - 1 and not _tree_stop(lines[i], code[i], heads, i + 1, 7):
        i += 1
    return i


def _chunk(lines, code, heads, i, end) -> tuple[int, list[tuple[str, list[str], int]]]:
    """Consecutive non-blank lines (a fence counts whole) split into list/fence/table/para."""
    elements: list[tuple[str, list[str], int]] = []
    heading_lines = set(heads)
    first = True
    while i < end - 1:
        line, kind = lines[i], code[i]
        if kind == "text" and (not line.strip() or (not first and _is_stop(line, kind, heading_lines, i + 1))):
            break
        first = False
        if kind == "open":
            elements.append(("fence", [], i + 1))
        elif kind == "body":
            if not elements or elements[-1][0] != "fence":
                elements.append(("fence", [], i + 1))
            elements[-1][1].append(line)
        elif kind == "close":
            i += 1
            break  # a fence closes its chunk
        elif line.lstrip().startswith("|"):
            if not elements or elements[-1][0] != "table":
                elements.append(("table", [], i + 1))
            elements[-1][1].append(line.strip())
        elif m := _ITEM.match(line):
            if not elements or elements[-1][0] != "list":
                elements.append(("list", [], i + 1))
            elements[-1][1].append(m.group(2).strip())
        elif elements and elements[-1][0] == "list" and line[:1].isspace():
            elements[-1][1][-1] += " " + line.strip()  # continuation of an item
        else:
            if not elements or elements[-1][0] != "para":
                elements.append(("para", [], i + 1))
            elements[-1][1].append(line.strip())
        i += 1
    return i, elements


def _cells(label: str, inline: str, elements, lineno: int) -> list[tuple[str, Cell]]:
    """Rows from one labelled block (Characteristics items split into their keys)."""
    split_keys = any(w in label.lower() for w in _CHARACTERISTICS)
    text: list[str] = [inline] if inline else []
    items: list[str] = []
    extra: list[tuple[str, Cell]] = []
    is_code = False
    for kind, body, first in elements:
        if kind == "list":
            for item in body:
                km = _KEYED.match(item) if split_keys else None
                if km:
                    extra.append((_plain(km.group(1)), Cell(km.group(2).strip(), (), False, first)))
                else:
                    items.append(item)
        elif kind == "fence" and (groups := _fence_items(body)) is not None:
            for key, values in groups:
                if key is None:
                    items.extend(values)
                else:
                    extra.append((key, Cell("", tuple(values), False, first)))
        elif kind in ("fence", "table"):
            text.append("\n".join(body))
            is_code = True
        else:
            text.append(" ".join(body))
    joined = ("\n" if is_code else " ").join(t for t in text if t)
    return [(label, Cell(joined, tuple(items), is_code, lineno))] + extra


def _fence_items(body: list[str]) -> list[tuple[str | None, list[str]]] | None:
    """A fence of `✅ ...` lines and `Key:` groups of items, else None (keep it as code)."""
    groups: list[tuple[str | None, list[str]]] = [(None, [])]
    seen = False
    for line in body:
        if not line.strip():
            continue
        key = _PLAIN_KEY.match(line.strip())
        if key:
            groups.append((key.group(1), []))
        elif _MARK.match(line):
            m = _ITEM.match(line)
            groups[-1][1].append((m.group(2) if m else line).strip())
            seen = True
        else:
            return None
    return [g for g in groups if g[1]] if seen else None


def _align(raw: list[list[tuple[str, Cell]]]) -> tuple[tuple[str, ...], list[dict[str, Cell]]]:
    """Attribute names merged case-insensitively, in an order every pattern agrees with."""
    display: dict[str, str] = {}
    order: list[str] = []
    per_pattern: list[dict[str, Cell]] = []
    for rows in raw:
        merged: dict[str, Cell] = {}
        names = [display.setdefault(" ".join(n.casefold().split()), n) for n, _ in rows]
        prev = -1
        for idx, (shown, (_, cell)) in enumerate(zip(names, rows)):
            if shown not in order:
                # after this pattern's previous row, else before its next known row, else last
                later = next((order.index(x) for x in names[idx + 1 :] if x in order), len(order))
                order.insert(prev + 1 if prev >= 0 else later, shown)
            prev = order.index(shown)
            merged[shown] = _merge(merged[shown], cell) if shown in merged else cell
        per_pattern.append(merged)
    return tuple(order), per_pattern


def _merge(a: Cell, b: Cell) -> Cell:
    text = "\n\n".join(t for t in (a.text, b.text) if t) if (a.code or b.code) else " ".join(t for t in (a.text, b.text) if t)
    return Cell(text, a.items + b.items, a.code or b.code, a.line or b.line)

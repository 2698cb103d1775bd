"""YAML front matter (python-frontmatter) read as header fields, bounded against alias bombs."""
from __future__ import annotations

from ..model import HeaderField


def front_matter(lines: tuple[str, ...], fields: list[HeaderField]) -> tuple[int, str | None]:
    """YAML front matter (python-frontmatter) as header fields; returns (lines taken, error)."""
    if not lines or lines[0].strip() != "---":
        return 0, None
    close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if close is None:
        return 0, None
    import frontmatter  # lazy: only files with front matter pay for YAML

    try:
        meta = frontmatter.loads("\n".join(lines[: close + 1]) + "\n").metadata
    except Exception as exc:  # YAML errors come in many classes; all mean the same here
        return close + 1, f"front matter is not valid YAML: {str(exc).splitlines()[0]}"
    if not isinstance(meta, dict):
        return close + 1, "front matter is not a mapping"
    # YAML aliases can expand a few lines into billions of items: allow what the text could hold.
    if _too_big(list(meta.items()), 10_000 + 2 * sum(len(lines[i]) + 1 for i in range(close + 1))):
        return close + 1, "front matter is too large or too deeply nested once its YAML aliases are expanded"
    key_lines: dict[str, int] = {}  # lower-cased text before each of a line's first colons
    for i in range(1, close):
        low, colon, seen = lines[i].lower(), -1, 0
        while seen < 16 and (colon := low.find(":", colon + 1)) != -1:
            key_lines.setdefault(low[:colon], i + 1)
            seen += 1
    for key, value in meta.items():
        label = str(key)
        lineno = key_lines.get(label.lower(), 1)
        text = ", ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
        col = lines[lineno - 1].find(":") + 2 if lineno > 1 else 1
        fields.append(HeaderField(label, " ".join(label.lower().split()), text.strip(), lineno, col, True))
    return close + 1, None


def _too_big(value: object, budget: int, depth: int = 100) -> bool:
    """True when a YAML value, shared parts counted each time, has more than `budget` items
    plus string characters, or nests deeper than `depth` (its `str()` would recurse too far)."""
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        budget -= 1 + (len(item) if isinstance(item, str) else 0)
        if budget < 0 or level > depth:
            return True
        if isinstance(item, dict):
            stack.extend((x, level + 1) for pair in item.items() for x in pair)
        elif isinstance(item, (list, tuple, set)):
            stack.extend((x, level + 1) for x in item)
    return False

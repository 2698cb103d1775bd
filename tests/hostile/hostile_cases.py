"""Adversarial files built to break a line scanner: huge lines, deep nesting, runs built to
trigger regex backtracking. Each builder takes a scale factor (1 = the size the default suite
checks; `measure_linearity.py` also runs 4) and returns the file's bytes.
"""
from __future__ import annotations

from typing import Callable

HEAD = "# X_AWS-LESS-01.md\n\n**Version:** 1.0.0\n**REF-ID:** AWS-LESS-01\n\n---\n\n## Summary\n\n"


def _entry(body: str) -> bytes:
    return (HEAD + body + "\n").encode("utf-8")


def _yaml_bomb(levels: int) -> bytes:
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return ("---\n" + "\n".join(rows) + "\n---\n" + HEAD).encode("utf-8")


def _patterns(cell: str) -> bytes:
    """Two pattern sections (the site compares them side by side) whose cells hold `cell`."""
    parts = [f"## Pattern {i}: P{i}\n\n**Characteristics:** {cell}\n**When to Use:** {cell}\n" for i in (1, 2)]
    return _entry("\n".join(parts))


Builder = Callable[[int], bytes]

CASES: dict[str, Builder] = {
    # sizes and shapes
    "line-3mb-words": lambda f: _entry("lorem ipsum dolor sit amet " * (111_112 * f)),
    "line-3mb-one-char": lambda f: _entry("a" * (3_000_000 * f)),
    "lines-200k": lambda f: _entry("\n".join(f"line {i} of a long file" for i in range(200_000 * f))),
    "lines-200k-refs": lambda f: _entry("\n".join(f"see /sima/a/x{i % 500}.md and DEC-{i % 97:02d}" if i % 50 == 0 else f"line {i}" for i in range(200_000 * f))),
    "crlf-cr-mix": lambda f: ("# X.md\r\n" + "a\r\n\r" * (300_000 * f)).encode("utf-8"),
    "nested-lists-10k": lambda f: _entry("- " * (10_000 * f) + "deep"),
    "nested-quotes-10k": lambda f: _entry("> " * (10_000 * f) + "deep\n" + ">" * (10_000 * f) + " x"),
    "nested-list-lines": lambda f: _entry("\n".join("  " * (i % 400) + "- item" for i in range(20_000 * f))),
    "unclosed-fence": lambda f: _entry("```python\n" + "x = '/sima/a/b.md DEC-05'\n" * (100_000 * f)),
    "fences-alternating": lambda f: _entry("```\n~~~\n" * (50_000 * f)),
    "fence-nested-openers": lambda f: _entry("```markdown\n" + "```python\n" * (100_000 * f)),
    "fences-in-list-items": lambda f: _entry("- a\n  ```\n  x\n" * (50_000 * f)),
    "list-item-fences": lambda f: _entry("- ```python\n  x\n\n" * (50_000 * f)),
    # runs built to make a backtracking regex blow up
    "open-brackets": lambda f: _entry("[" * (100_000 * f)),
    "open-brackets-then-link": lambda f: _entry("[" * (100_000 * f) + "](x.md)"),
    "link-opens": lambda f: _entry("](" * (100_000 * f)),
    "link-starts": lambda f: _entry("[a](" * (50_000 * f)),
    "link-angle-starts": lambda f: _entry("[a](<" * (50_000 * f)),
    "link-titles": lambda f: _entry('[a](x "' * (50_000 * f)),
    "escaped-brackets": lambda f: _entry("\\[" * (100_000 * f) + "](x)"),
    "many-links": lambda f: _entry("[t](nope.md#z) " * (20_000 * f)),
    "sima-path-no-md": lambda f: _entry("/sima/" + "a " * (50_000 * f)),
    "sima-repeated": lambda f: _entry("/sima/" * (100_000 * f)),
    "dotdot-run": lambda f: _entry("../" * (100_000 * f) + "a/b x.md"),
    "slash-run": lambda f: _entry("a/" * (100_000 * f) + "b c.md"),
    "bare-names": lambda f: _entry("nope.md " * (20_000 * f)),
    "stars": lambda f: _entry("**" * (50_000 * f)),
    "hashes": lambda f: _entry("#" * (100_000 * f)),
    "heading-hashes": lambda f: _entry("# a " + "#" * (100_000 * f) + " " * (100_000 * f) + "x"),
    "heading-spaces": lambda f: _entry("## a" + " " * (100_000 * f) + "b"),
    "title-spaces": lambda f: ("# a" + " " * (100_000 * f) + "b\n" + HEAD[HEAD.index("\n"):]).encode(),
    "heading-brackets": lambda f: _entry("## " + "[" * (100_000 * f)),
    "heading-link-opens": lambda f: _entry("## " + "[](" * (50_000 * f)),
    "heading-underscores": lambda f: _entry("## " + " _a" * (50_000 * f)),
    "heading-backticks": lambda f: _entry("## x" + "`" * (100_000 * f)),
    "heading-attr-lists": lambda f: _entry("## " + "{#a" * (50_000 * f)),
    "heading-image-opens": lambda f: _entry("## " + "![a" * (50_000 * f) + "](x(y)"),
    "heading-image-parens": lambda f: _entry("## " + "![a](" * (50_000 * f)),
    "heading-tags-and-entities": lambda f: _entry("## " + "<a &b" * (50_000 * f)),
    "backticks": lambda f: _entry("x" + "`" * (100_000 * f)),
    "backtick-pairs": lambda f: _entry("`a" * (100_000 * f)),
    "backtick-ladder": lambda f: _entry("".join("`" * (50 - i % 50) + "a" for i in range(4_000 * f))),
    "refid-like-lower": lambda f: _entry("a-" * (100_000 * f) + "a"),
    "refid-like-upper": lambda f: _entry("AWS-" * (50_000 * f) + "LESS-01"),
    "refid-long-number": lambda f: _entry("DEC-" + "0" * (100_000 * f) + "x"),
    "field-spaces": lambda f: _entry("**Purpose:** a" + " " * (100_000 * f) + "b"),
    "related-spaces": lambda f: _entry("**Related:** a" + " " * (100_000 * f) + "b"),
    "field-stars": lambda f: _entry("**" + "a:**" * (50_000 * f)),
    "suppression-dashes": lambda f: _entry("<!-- sima-check: disable=a" + " --" * (50_000 * f)),
    "suppression-spaces": lambda f: _entry("<!-- sima-check: disable=" + " " * (100_000 * f) + "x -->"),
    "comment-opens": lambda f: _entry("<!--" * (100_000 * f) + "-->"),
    "suppressed-lines": lambda f: _entry("<!-- sima-check: disable-next-line=SIMA301 -->\nmissing.md\n" * (20_000 * f)),
    "urls": lambda f: _entry("a://" * (100_000 * f)),
    "mojibake": lambda f: _entry("Ã©ðŸ”´â€™" * (50_000 * f)),
    "same-heading": lambda f: _entry("## a\n" * (40_000 * f)),
    "xref-headings": lambda f: _entry("## Cross-References\n" * (40_000 * f)),
    "broken-anchors": lambda f: _entry("## h\n" * (5_000 * f) + "".join(f"[a](#x{i})\n" for i in range(20_000 * f))),
    "pattern-cell-brackets": lambda f: _patterns("[" * (50_000 * f) + "]"),
    "pattern-cell-link-opens": lambda f: _patterns("[](" * (20_000 * f)),
    "pattern-cell-spaces": lambda f: _patterns("a" + " " * (50_000 * f) + "b"),
    "yaml-keys": lambda f: ("---\n" + "".join(f"k{i}: v\n" for i in range(20_000 * f)) + "---\n" + HEAD).encode(),
    "yaml-alias-bomb": lambda f: _yaml_bomb(8 + f),
    "yaml-deep": lambda f: ("---\na: " + "[" * (5_000 * f) + "]" * (5_000 * f) + "\n---\n" + HEAD).encode(),
    # just under libyaml's nesting limit: deep enough for str() of the value to overflow the stack
    "yaml-999-levels": lambda f: ("---\n" + "\n".join(" " * i + f"k{i}:" for i in range(999)) + " x\n---\n" + HEAD).encode(),
    "yaml-999-flow": lambda f: ("---\na: " + "{a: " * 998 + "1" + "}" * 998 + "\n---\n" + HEAD).encode(),
}

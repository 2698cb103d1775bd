"""The parser: one line scan from text to `Entry` (line counts, header, headings, references)."""
from __future__ import annotations

import pytest

from checker.parse.scan import parse_bytes, parse_text, section_key

from helpers import SEED, clean_entry


@pytest.mark.parametrize(
    "data, count",
    [
        (b"", 0),
        (b"a\n", 1),
        (b"a\nb", 2),  # `wc -l` says 1; plus one for the unterminated last line
        (b"a\r\nb\r\n", 2),  # CRLF counts once
        (b"a\r\nb\r\nc", 3),
        (b"a\rb\r", 2),  # lone CR ends a line too
        (b"\n\n\n", 3),
        (b"---\ntitle: x\n---\n# X.md\nbody\n", 2),  # front matter lines are not counted
    ],
)
def test_line_count_as_the_catalogue_counts(data, count):
    assert parse_bytes("X.md", data).line_count == count


def test_seed_has_322_lines():
    assert parse_bytes(SEED.name, SEED.read_bytes()).line_count == 322


def test_line_endings_are_recorded():
    e = parse_bytes("X.md", b"a\r\nb\rc\nd")
    assert e.lines == ("a", "b", "c", "d")
    assert (e.crlf_lines, e.cr_lines, e.final_newline) == ((1,), (2,), False)


def test_bom_is_removed_and_recorded():
    e = parse_bytes("X.md", "\ufeff# X.md\n".encode())
    assert e.has_bom and e.lines == ("# X.md",) and e.title_line == 1


def test_undecodable_bytes_give_an_entry_carrying_the_error():
    e = parse_bytes("X.md", b"ok\n\xff\xfe bad\n")
    assert (e.encoding_error_line, e.lines, e.line_count) == (2, (), 0)
    assert "not valid UTF-8" in e.encoding_error


def test_header_fields_with_hard_breaks_and_columns():
    e = parse_text("X.md", "# X.md\n\n**Version:** 1.0.0  \n**Status:**  Active\\\n- **Type:** LESS\n\n---\n\n**Location:** `/sima/`\n")
    got = [(f.label, f.value, f.line, f.column, f.in_header) for f in e.fields]
    assert got == [
        ("Version", "1.0.0", 3, 14, True),
        ("Status", "Active", 4, 14, True),
        ("Type", "LESS", 5, 13, True),
        ("Location", "`/sima/`", 9, 15, False),
    ]
    assert e.header_end == 7


def test_header_stops_at_the_first_section_without_a_rule():
    e = parse_text("X.md", "# X.md\n**Version:** 1.0.0\n## Summary\n**Status:** Active\n")
    assert [(f.key, f.in_header) for f in e.fields] == [("version", True), ("status", False)]
    assert e.header_end is None


def test_front_matter_fields_have_their_own_lines():
    e = parse_text("X.md", "---\nVersion: 1.0.0\nREF-ID: DEC-05\ntags: [a, b]\n---\n# X.md\n")
    assert [(f.key, f.value, f.line) for f in e.fields] == [("version", "1.0.0", 2), ("ref-id", "DEC-05", 3), ("tags", "a, b", 4)]
    assert (e.front_matter_lines, e.title_line, e.refid, e.refid_line) == (5, 6, "DEC-05", 3)


def test_a_lone_rule_on_line_1_is_not_front_matter():
    e = parse_text("X.md", "---\n# X.md\n")
    assert e.front_matter_lines == 0


def test_headings_slugs_and_code_fences():
    text = "# X.md\n\n## Summary\n\n```python\n# not a heading\n```\n\n## Summary\n\n### Step 1: web_fetch it {#step-one}\n"
    e = parse_text("X.md", text)
    assert [(h.level, h.text, h.line, h.slug) for h in e.headings] == [
        (1, "X.md", 1, "xmd"),
        (2, "Summary", 3, "summary"),
        (2, "Summary", 9, "summary_1"),
        (3, "Step 1: web_fetch it", 11, "step-one"),
    ]
    assert [(f.line, f.info, f.closed) for f in e.fences] == [(5, "python", True)]


@pytest.mark.parametrize(
    "heading, key",
    [("## 🏷️ KEYWORDS", "keywords"), ("## Cross-References", "cross-references"), ("## 📚 Related Topics!", "related topics")],
)
def test_section_keys_drop_emoji_and_case(heading, key):
    assert section_key(heading.lstrip("# ")) == key


def test_references_with_syntax_and_column():
    line = "`/sima/a/B.md`, [x](a%20b.md#c), DEC-05, Name.md, dir/Other.md and https://x.io/y.md"
    e = parse_text("X.md", f"# X.md\n\n{line}\n")
    got = [(r.syntax, r.target, r.anchor, r.column) for r in e.references]
    assert got == [
        ("kb-path", "/sima/a/B.md", None, 2),
        ("link", "a b.md", "c", 21),
        ("relative", "dir/Other.md", None, 51),
        ("bare", "Name.md", None, 42),
        ("refid", "DEC-05", None, 34),
    ]


def test_reference_context_marks_fields_and_the_cross_references_section():
    text = "# X.md\n\nDEC-01\n**Related:** DEC-02\n\n## Cross-References\n\nDEC-03\n\n## Keywords\n\nDEC-04\n"
    e = parse_text("X.md", text)
    assert [(r.target, r.context) for r in e.references] == [
        ("DEC-01", "prose"), ("DEC-02", "field"), ("DEC-03", "xref"), ("DEC-04", "prose"),
    ]


def test_keywords_from_the_section():
    e = parse_text("X.md", "# X.md\n\n## Keywords\n\ncache, ttl,  eviction\n- memory\n\n---\n\n**Location:** x\n")
    assert [(k.text, k.line, k.column) for k in e.keywords] == [
        ("cache", 5, 1), ("ttl", 5, 8), ("eviction", 5, 14), ("memory", 6, 3),
    ]
    assert e.keywords_line == 3


def test_suppressions():
    text = "# X.md\n<!-- sima-check: disable=SIMA201, line-limit -- long on purpose -->\n<!-- sima-check: disable-next-line=SIMA301 -->\nx\n"
    e = parse_text("X.md", text)
    assert [(s.line, s.codes, s.scope, s.target_line) for s in e.suppressions] == [
        (2, ("SIMA201", "line-limit"), "file", 0),
        (3, ("SIMA301",), "next-line", 4),
    ]


def test_refid_from_field_else_file_name():
    assert parse_text("X.md", clean_entry("X.md", "DEC-05")).refid == "DEC-05"
    assert parse_text("dir/AWS-Y_AWS-LESS-09.md", "# AWS-Y_AWS-LESS-09.md\n").refid == "AWS-LESS-09"
    assert parse_text("Z.md", "# Z.md\n\n**REF-ID:** not one\n").refid is None


@pytest.mark.parametrize("heading", [
    "Keep <kbd>Ctrl</kbd> Held", "Fast &amp; Cheap", "Use <br> tags", "![alt](x.png) Logo", "A&nbsp;B",
    "Tom &amp; Jerry's <b>Best</b>", "&#169; 2025", "x < y > z", "a <not a tag", "5 &lt; 6",
    "<span class=\"x\">Inner</span> text", "Code `<kbd>` and `&amp;` spans", "AT&T rocks", "A&NBSP;B",
    "Emoji 🔴 Critical", "web_fetch Fails", "**Bold** and _it_", "[link](x.md) text",
])
def test_slugs_are_the_ids_python_markdown_renders(heading):
    """The site's ids come from Python-Markdown's toc: SIMA305 and the site's links must agree."""
    import re

    import markdown

    from checker.parse.slug import slugify

    html = markdown.Markdown(extensions=["toc"]).convert("## " + heading)
    assert slugify(heading) == re.search(r'id="([^"]*)"', html).group(1)

"""Property-based tests: arbitrary and SIMA-shaped input through parse -> check -> every reporter
-> every page builder never raises, points only at lines that exist, and is deterministic.

The default suite runs a modest number of examples; `fuzz_long.py` runs the same properties
for many more (it sets SIMA_FUZZ_EXAMPLES).
"""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.parse.scan import parse_bytes
from checker.rules import BY_CODE

from hostile.hostile_strategies import check, knowledge_bases, line_count, reports, sima_bytes, sima_text, site_pages

SCALE = int(os.environ.get("SIMA_FUZZ_EXAMPLES", "0"))  # examples per test for a long run


def examples(n: int) -> settings:
    """`n` examples in the default suite (SIMA_FUZZ_EXAMPLES in a long run)."""
    return settings(max_examples=SCALE or n, deadline=None, suppress_health_check=list(HealthCheck), database=None if SCALE else settings.default.database)


FAST = examples(150)


def assert_findings_point_at_real_lines(files: dict[str, bytes]) -> None:
    """Check the KB made of `files`; every finding names a file of it and a line it has."""
    kb, result = check(files)
    assert result.files_checked == len(files)
    for f in result.findings:
        assert f.path in files, f
        assert f.code in BY_CODE, f
        lines = line_count(files[f.path], kb.entries[f.path])
        assert 1 <= f.line <= max(1, lines), (f, lines)
        assert f.column >= 1, f


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_parse(data):
    entry = parse_bytes("x.md", data)
    assert entry.encoding_error or len(entry.lines) >= entry.line_count >= 0
    for ref in entry.references:
        assert 1 <= ref.line <= len(entry.lines) and ref.column >= 1


@FAST
@given(sima_text())
def test_sima_shaped_text_parses_with_places_inside_the_file(text):
    entry = parse_bytes("X_AWS-LESS-01.md", text.encode("utf-8", "surrogatepass"))
    n = len(entry.lines)
    for item in (*entry.references, *entry.fields, *entry.keywords):
        assert 1 <= item.line <= n and item.column >= 1, item
    for h in entry.headings:
        assert 1 <= h.line <= n
    assert entry.line_count == n - entry.front_matter_lines


@FAST
@given(knowledge_bases())
def test_any_knowledge_base_checks_with_findings_on_existing_lines(files):
    assert_findings_point_at_real_lines(files)


@FAST
@given(st.dictionaries(st.sampled_from(["a.md", "b/c.md", "DEC-05.md"]), st.binary(max_size=300), min_size=1, max_size=3))
def test_random_bytes_in_a_knowledge_base(files):
    assert_findings_point_at_real_lines(files)


@examples(100)
@given(knowledge_bases())
def test_every_reporter_renders_and_output_is_deterministic(files):
    _, first = check(files)
    _, again = check(files, reverse=True)  # a fresh parse, entries indexed in the other order
    out = reports(first)
    assert out == reports(again)
    assert set(out) >= {"text", "json"}
    assert len(out["text"].split("\n")) == len(first.findings) + 2  # a line each, the summary, ''
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out["text"])  # nothing to drive a terminal
    if "json" in out:
        assert len(json.loads(out["json"])["findings"]) == len(first.findings)
    if "sarif" in out:
        json.loads(out["sarif"])
    if "junit" in out:
        ET.fromstring(out["junit"])
    if "github" in out:
        commands = [line for line in out["github"].split("\n") if line.startswith("::")]
        assert len(commands) == len(first.findings)


@examples(60)
@given(knowledge_bases())
def test_every_page_builder_renders_and_is_deterministic(files):
    kb, result = check(files)
    first = site_pages(kb, result)
    kb2, result2 = check(files, reverse=True)
    assert site_pages(kb2, result2) == first
    assert all(isinstance(page, str) for page in first.values())


@examples(100)
@given(sima_bytes())
def test_parsing_is_deterministic(data):
    assert parse_bytes("a/X_AWS-LESS-01.md", data) == parse_bytes("a/X_AWS-LESS-01.md", data)


# -- the linear-time scanners find exactly what the regexes they replace found -----------------

OLD = {
    "code": re.compile(r"(`+)(.+?)\1"),
    "link": re.compile(r"!?\[((?:[^\]\\]|\\.){0,500})\]\(\s*(<[^>\n]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\s*\)"),
    "plain_link": re.compile(r"\[([^\]]*)\]\([^)]*\)"),
    "image_link": re.compile(r"!?\[([^\]]*)\]\([^)]*\)"),
    "escaped_link": re.compile(r"!?\[((?:[^\]\\]|\\.)*)\]\([^)\n]*\)"),
    "emphasis": re.compile(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)"),
    "attr": re.compile(r"\s*\{:?\s*#([\w-]+)[^}]*\}\s*$"),
    "heading": re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$"),
    "suppress": re.compile(r"<!--\s*sima-check:\s*(disable|disable-next-line)\s*=\s*([\w ,-]+?)\s*(?:--[^>]*)?-->"),
    "field": re.compile(r"^\s{0,3}(?:[-*+]\s+)?\*\*([^*\n]{1,80}?):\*\*[ \t]*(.*?)\s*$"),
    "rel_path": re.compile(r"(?<![\w/.%-])(?:\.{1,2}/)*[\w.-]+(?:/[\w.-]+)+\.md(?![\w])", re.IGNORECASE),
    "fix_title": re.compile(r"#[ \t]+((?:File:[ \t]*)?)(.*?)[ \t]*\Z", re.IGNORECASE),
}


def pieces(*tokens: str) -> st.SearchStrategy[str]:
    """Short strings made of the tokens that matter to a pattern."""
    return st.lists(st.sampled_from(tokens), max_size=14).map("".join)


SCANNERS = examples(300)


@SCANNERS
@given(pieces("`", "``", "```", "a", " ", "\\"))
def test_code_spans_match_the_regex(line):
    from checker.parse.inline import code_spans

    assert code_spans(line) == [(m.start(), m.start(2), m.end(2), m.end()) for m in OLD["code"].finditer(line)]


@SCANNERS
@given(pieces("[", "]", "](", "(", ")", "!", "\\", " ", "\t", '"', "<", ">", "a", "x.md"))
def test_links_match_the_regex(line):
    from checker.parse.inline import links

    assert links(line) == [(m.start(), m.end(), m.start(2), m.group(2)) for m in OLD["link"].finditer(line)]


@SCANNERS
@given(pieces("[", "]", "](", "(", ")", "!", "\\", "\n", "a"))
def test_link_strippers_match_the_regexes(text):
    from checker.parse.inline import strip_escaped_links, strip_links

    assert strip_links(text) == OLD["plain_link"].sub(r"\1", text)
    assert strip_links(text, image=True) == OLD["image_link"].sub(lambda m: m.group(1), text)
    assert strip_links(text, drop_images=True) == OLD["image_link"].sub(lambda m: "" if m.group(0)[0] == "!" else m.group(1), text)
    assert strip_escaped_links(text) == OLD["escaped_link"].sub(lambda m: m.group(1), text)


@SCANNERS
@given(pieces("_", "__", "___", "a", " ", "-", "é", "\t", "1", "*"))
def test_emphasis_stripper_matches_the_regex(text):
    from checker.parse.inline import strip_emphasis

    assert strip_emphasis(text) == OLD["emphasis"].sub(r"\2", text)


@SCANNERS
@given(pieces("{", "}", "#", ":", " ", "\t", "a", "-", ".", "{#", "\u00a0"))
def test_attr_list_id_matches_the_regex(text):
    from checker.parse.inline import attr_list_id

    m = OLD["attr"].search(text)
    assert attr_list_id(text) == ((m.start(), m.group(1)) if m else None)


@SCANNERS
@given(pieces("#", "##", "###", " ", "\t", "a", "\x0c", "b c"),
       pieces("<!--", "-->", "--", "-", " ", "sima-check:", "disable", "disable-next-line", "=", "SIMA301", ",", ">", "a", "\t"),
       pieces("**", "*", ":", ":**", " ", "\t", "a", "Label", "\\", "- ", "\u00a0"))
def test_line_scanners_match_the_regexes(heading_line, comment_line, field_line):
    from checker.parse.scan import _FIELD, heading, suppression_comments

    m = OLD["heading"].match(heading_line)
    got = heading(heading_line)
    assert (got and (got[0], got[1].strip())) == ((len(m.group(1)), (m.group(2) or "").strip()) if m else None)
    assert suppression_comments(comment_line) == [(m.group(1), m.group(2)) for m in OLD["suppress"].finditer(comment_line)]
    old, new = OLD["field"].match(field_line), _FIELD.match(field_line)
    assert (new and (new.group(1), new.group(2).rstrip(), new.start(2))) == (old and (old.group(1), old.group(2), old.start(2)))


@SCANNERS
@given(pieces("../", "./", ".", "..", "/", "a", ".md", ".MD", " ", "%", "-", "_", "x.md", "//"))
def test_relative_path_pattern_matches_the_old_one(line):
    from checker.parse.refs import _REL_PATH

    assert [m.span() for m in _REL_PATH.finditer(line)] == [m.span() for m in OLD["rel_path"].finditer(line)]


OLD_PATTERNS = {  # checker/site/patterns.py before its `(.+?)\s*$` tails were made linear
    "_PATTERN": (r"^[^\w\[]*pattern(?:\s+(\d{1,4}))?\s*(?::|\.|\s[-\u2013\u2014]|[-\u2013\u2014](?=\s))\s*(.+?)\s*$", re.I),
    "_LABEL": (r"^ {0,3}\*\*([^*\n]{1,80}?)(?::\*\*|\*\*:)\s*(.*?)\s*$", 0),
    "_QUESTION": (r"^\W*?(?:\*\*)?Q(\d{1,3})(?:\*\*)?\s*[:.)]\s*(?:\*\*)?\s*(.+?)\s*$", re.I),
    "_ANSWER": (r"^\W*?(?:\*\*)?(yes|no)(?:\*\*)?\s*(?:\u2192|->|=>|\u21d2|\u27f6|:)\s*(.+?)\s*$", re.I),
}


@SCANNERS
@given(st.sampled_from(sorted(OLD_PATTERNS)),
       pieces("pattern", "Pattern 1", "Q1", "yes", "No", "**", ":**", "**:", ":", ".", ")", "->", "\u2192", " ", "\t", "-", "\u2013", "a", "\u00a0"))
def test_site_pattern_regexes_match_the_old_ones(name, line):
    from checker.site.patterns import syntax as patterns

    old = re.compile(*OLD_PATTERNS[name]).match(line)
    new = getattr(patterns, name).match(line)
    assert (new and new.groups()) == (old and old.groups())


@SCANNERS
@given(pieces("#", " ", "\t", "File:", "file:", "a", ".md", "\x0c", "\u00a0", ":"))
def test_fix_title_pattern_matches_the_old_one(line):
    from checker.rules.header import _TITLE

    old, new = OLD["fix_title"].match(line), _TITLE.match(line)
    assert (new and new.groups()) == (old and old.groups())

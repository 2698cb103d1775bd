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

from checker.parse import parse_bytes
from checker.rules import BY_CODE

from hostile_strategies import check, knowledge_bases, line_count, reports, sima_bytes, sima_text, site_pages

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

"""Keyword rules SIMA401-403 (catalogue §5): the `## Keywords` section or `**Keywords:**` field."""
from __future__ import annotations

import pytest

from helpers import check, clean_entry, line_of, message, recount

NAME = "X_AWS-LESS-01.md"
CLEAN = clean_entry(NAME, "AWS-LESS-01")
WORDS = "alpha, beta, gamma, delta, epsilon"
SECTION = line_of(CLEAN, "## Keywords")
LINE = line_of(CLEAN, WORDS)


def with_keywords(words: str) -> str:
    """The clean entry with its keyword line replaced."""
    return CLEAN.replace(WORDS, words)


# SIMA401 keywords-missing ------------------------------------------------------------------


def test_no_section_and_no_field_is_an_error_at_the_last_line():
    text = recount(CLEAN.replace(f"## Keywords\n\n{WORDS}\n", ""))
    assert check(text) == [(len(text.splitlines()), "SIMA401")]
    assert message(text, "SIMA401") == "no `## Keywords` section or `**Keywords:**` field"


def test_an_empty_section_is_an_error_at_its_heading():
    text = with_keywords("")
    assert check(text) == [(SECTION, "SIMA401")]
    assert message(text, "SIMA401") == "the keywords section holds no keyword"


@pytest.mark.parametrize("heading", ["## KEYWORDS", "## 🏷️ KEYWORDS", "## keywords", "### Keywords", "## ðŸ·ï¸ KEYWORDS"])
def test_the_heading_matches_case_insensitively_with_emoji(heading):
    assert check(CLEAN.replace("## Keywords", heading), select=("SIMA4",)) == []


def test_an_inline_field_is_accepted():
    text = recount(CLEAN.replace(f"## Keywords\n\n{WORDS}\n", f"**Keywords:** {WORDS}\n"))
    assert check(text) == []


def test_keywords_may_span_several_lines_and_bullets():
    text = recount(with_keywords("- alpha, beta\n- gamma\ndelta, epsilon"))
    assert check(text) == []


def test_keywords_from_front_matter_count():
    # YAML lists are an accepted source (front matter stands in for the header).
    text = "---\nkeywords:\n  - alpha\n  - beta\n  - gamma\n  - delta\n---\n# Guide.md\n"
    assert check(text, "Guide.md", required_fields=(), required_sections=()) == []


def test_a_bulleted_keywords_field_in_the_body_is_not_the_entry_keywords():
    # Regression: `- **Keywords:** 4-8 terms` in a list describing the entry format.
    text = recount(CLEAN.replace(f"## Keywords\n\n{WORDS}\n", "## Format\n\n- **Keywords:** 4-8 terms\n"))
    assert check(text, select=("SIMA4",)) == [(len(text.splitlines()), "SIMA401")]


def test_code_in_the_section_is_not_keywords():
    text = recount(with_keywords(f"{WORDS}\n\n```text\nnot, keywords, here, at, all\n```"))
    assert check(text, select=("SIMA4",)) == []


# SIMA402 keywords-count --------------------------------------------------------------------


@pytest.mark.parametrize("words", ["a, b, c, d", "a, b, c, d, e, f, g, h"])
def test_four_to_eight_keywords_pass(words):
    assert check(with_keywords(words)) == []


@pytest.mark.parametrize("words, n", [("a, b, c", 3), ("a, b, c, d, e, f, g, h, i", 9)])
def test_too_few_or_too_many_keywords_warn(words, n):
    text = with_keywords(words)
    assert check(text) == [(LINE, "SIMA402")]
    assert message(text, "SIMA402") == f"{n} keywords; use 4 to 8"


def test_one_keyword_is_singular():
    assert message(with_keywords("alone"), "SIMA402") == "1 keyword; use 4 to 8"


def test_the_seed_has_nine_keywords():
    seed_words = (
        "synchronous, asynchronous, streaming, request-response, event-driven, queue, "
        "processing patterns, serverless architecture, latency requirements"
    )
    assert message(with_keywords(seed_words), "SIMA402") == "9 keywords; use 4 to 8"


def test_the_range_is_configurable():
    assert check(with_keywords("a, b"), keywords_min=2, keywords_max=3) == []
    assert check(CLEAN, keywords_min=2, keywords_max=3) == [(LINE, "SIMA402")]


# SIMA403 keywords-duplicate ----------------------------------------------------------------


def test_a_repeated_keyword_warns_at_the_repeat():
    text = with_keywords("cache, ttl, Cache, eviction")
    assert check(text) == [(LINE, "SIMA403")]
    assert message(text, "SIMA403") == "keyword `Cache` is repeated"


def test_distinct_keywords_pass():
    assert check(with_keywords("cache, caches, ttl, eviction"), select=("SIMA403",)) == []

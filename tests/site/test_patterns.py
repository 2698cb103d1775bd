"""Pattern extraction: pattern sections, their attribute rows and the decision tree."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.config import Config
from helpers import load
from checker.model import Entry
from checker.parse.scan import parse_text
from checker.site.patterns import Cell, PatternSet, extract, match_pattern

REPO = Path(__file__).resolve().parents[2]
SEED = "aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"
CORPUS = REPO / ".." / "shared" / "corpus" / "sima-public-2025-11-01"


def shipped(rel: str) -> Entry:
    """Parse a file of the shipped KB."""
    return parse_text(rel, (REPO / "sima" / rel).read_text(encoding="utf-8"))


def ex(text: str) -> PatternSet:
    """Extract from Markdown text."""
    return extract(parse_text("t/T-01.md", text))


def answers(pset: PatternSet) -> list[tuple[str, str, str]]:
    """(id, yes, no) with each outcome shown as its goto, its pattern or its text."""
    show = lambda o: o.goto or (f"={o.pattern}" if o.pattern else o.text)  # noqa: E731
    return [(q.id, show(q.yes), show(q.no)) for q in pset.tree.questions]


@pytest.fixture(scope="module")
def seed() -> PatternSet:
    return extract(shipped(SEED))


def test_seed_has_three_patterns_with_qualifiers(seed):
    assert [(p.number, p.name, p.qualifier) for p in seed.patterns] == [
        (1, "Synchronous", "Request-Response"),
        (2, "Asynchronous", "Queued Processing"),
        (3, "Streaming", "Continuous Flow"),
    ]
    assert seed.entry_relpath == SEED


def test_seed_slugs_and_lines_come_from_the_entry_headings(seed):
    entry = shipped(SEED)
    by_line = {h.line: h for h in entry.headings}
    for p in seed.patterns:
        assert by_line[p.heading_line].slug == p.slug
        assert entry.line_text(p.heading_line).startswith("### Pattern")
    assert seed.patterns[0].slug == "pattern-1-synchronous-request-response"


def test_seed_rows(seed):
    for row in ("Latency", "User Experience", "Error Handling", "When to Use", "Examples",
                "Advantages", "Disadvantages", "Flow", "Characteristics"):
        assert row in seed.attributes
        assert all(p.rows.get(row) for p in seed.patterns), row
    sync, asyn, stream = seed.patterns
    assert sync.rows["Latency"].text == "< 1 second required"
    assert stream.rows["Error Handling"].text == "Very complex (checkpointing, ordering)"
    assert sync.rows["Characteristics"].items == ("Client waits for response",)
    assert sync.rows["When to Use"].items[0] == "\u2705 User expects immediate response"
    assert len(sync.rows["When to Use"].items) == 4
    assert sync.rows["Examples"].items == (
        "API queries (GET /user/123)", "Form submissions (POST /order)", "Search requests",
        "Shopping cart retrieval", "User login/authentication",
    )
    assert asyn.rows["Advantages"].items[-1] == "Can handle variable processing time"
    assert sync.rows["Flow"].code and "Client blocks and waits" in sync.rows["Flow"].text
    assert "Decision Tree" not in seed.attributes


def test_seed_attribute_order_follows_the_sections(seed):
    assert seed.attributes == (
        "Characteristics", "Latency", "User Experience", "Error Handling", "Flow",
        "When to Use", "Examples", "Advantages", "Disadvantages",
    )


def test_seed_decision_tree(seed):
    assert seed.tree.start == "Q1"
    assert answers(seed) == [
        ("Q1", "=Synchronous", "Q2"),
        ("Q2", "=Synchronous", "Q3"),
        ("Q3", "=Streaming", "=Asynchronous"),
    ]
    q1 = seed.tree.questions[0]
    assert q1.text == "Does user expect immediate result?"
    assert shipped(SEED).line_text(q1.line).strip().startswith("Q1:")


@pytest.mark.parametrize("rel, first, last", [
    ("entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md", "Gateway Layer", "Core Layer"),
    ("aws/lambda/AWS-Lambda-TimeoutConstraints_AWS-LESS-12.md", "Fit the Budget", "Orchestrate or Leave Lambda"),
])
def test_other_shipped_entries(rel, first, last):
    pset = extract(shipped(rel))
    assert len(pset.patterns) == 4
    assert answers(pset)[0] == ("Q1", f"={first}", "Q2")
    assert answers(pset)[-1][2] == f"={last}"
    assert "When to Use" in pset.attributes and "Decision Tree" not in pset.attributes
    # keys of the Characteristics lists become rows, in section order
    assert pset.attributes.index("When to Use") > 3


def test_shipped_entries_without_patterns():
    assert extract(shipped("entries/decisions/architecture/DEC-05.md")).patterns == ()


VARIANTS = """# T

## Pattern 1 - Alpha (First)

**Cost:** low

## 🚀 Pattern 2 – Beta

**Cost:** high
**Trade-offs:**
- slower

#### pattern: Gamma Ray (Third)

**Benefits:**
- fast
"""


def test_heading_variants():
    pset = ex(VARIANTS)
    assert [(p.number, p.name, p.qualifier) for p in pset.patterns] == [
        (1, "Alpha", "First"), (2, "Beta", ""), (None, "Gamma Ray", "Third"),
    ]
    alpha, beta, gamma = pset.patterns
    assert alpha.rows["Cost"] == Cell("low", (), False, 5)
    assert beta.rows["Trade-offs"].items == ("slower",)
    assert gamma.rows["Benefits"].items == ("fast",)
    assert beta.slug == "pattern-2-beta"


def test_qualifier_is_a_balanced_trailing_group():
    text = "# T\n\n## Pattern 1: Dict Merge (Python 3.9+)\n## Pattern 2: Use `any()`\n## Pattern 3: f(x) (outer (inner))\n"
    assert [(p.name, p.qualifier) for p in ex(text).patterns] == [
        ("Dict Merge", "Python 3.9+"), ("Use any()", ""), ("f(x)", "outer (inner)"),
    ]


@pytest.mark.parametrize("text", [
    "# T\n\n### Pattern 1: Only One\n\n**Cost:** low\n",
    "# T\n\n### Pattern 1: [Pattern Name]\n\n### Pattern 2: [Pattern Name]\n",
    "# T\n\n### Anti-Pattern 1: Bad\n\n### Anti-Pattern 2: Worse\n",
    "# T\n\n### Pattern Recognition\n\n### Pattern Mastery\n",
    "# T\n\n```\n### Pattern 1: In Code\n### Pattern 2: In Code\n```\n",
    "# Pattern 1: Title\n\n# Pattern 2: Title\n",
])
def test_not_two_patterns(text):
    assert ex(text).patterns == ()


def test_section_ends_at_same_level_heading():
    pset = ex("# T\n\n## P\n\n### Pattern 1: A\n\n**X:** 1\n\n## Other\n\n**Y:** 2\n\n### Pattern 2: B\n\n**X:** 3\n")
    assert pset.attributes == ("X",)


def test_characteristics_split_and_sub_lists():
    text = """# T

### Pattern 1: A

**Key Characteristics:**
- **Speed:** fast
- Plain item
- Memory: small, bounded
  continued

**When to Use:**
```
✅ yes this
❌ not that

Examples:
  - one
  - two
```

### Pattern 2: B

Intro text.

**Speed:** slow

```python
print("b")
```
"""
    a, b = ex(text).patterns
    assert a.rows["Key Characteristics"].items == ("Plain item",)
    assert a.rows["Speed"].text == "fast"
    assert a.rows["Memory"].text == "small, bounded continued"
    assert a.rows["When to Use"].items == ("\u2705 yes this", "\u274c not that")
    assert a.rows["Examples"].items == ("one", "two")
    assert b.rows["Speed"].text == "slow"
    assert b.rows["Notes"].text == "Intro text."
    assert b.rows["Code"] == Cell('print("b")', (), True, b.rows["Code"].line)


def test_rows_merge_case_insensitively_in_a_shared_order():
    text = "# T\n\n### Pattern 1: A\n\n**Cost:** 1\n\n**Risk:** r\n\n### Pattern 2: B\n\n**Setup:** s\n\n**cost:** 2\n"
    pset = ex(text)
    assert pset.attributes == ("Setup", "Cost", "Risk")
    assert pset.patterns[1].rows["Cost"].text == "2"


def test_loose_list_and_intro_line_stay_in_the_block():
    text = "# T\n\n### Pattern 1: A\n\n**Pros:**\nThe main ones:\n\n- one\n\n- two\n\nAfter.\n\n### Pattern 2: B\n"
    a = ex(text).patterns[0]
    assert a.rows["Pros"] == Cell("The main ones:", ("one", "two"), False, 5)
    assert a.rows["Notes"].text == "After."


TREE = """# T

### Pattern 1: Fast Path

### Pattern 2: Slow Path (Queued)

## Decision Tree

Q1: Is it urgent?
  yes -> fast path
  No -> goto q2
**Q2:** Is it big?
- **YES** → Use Slow Path (Queued)
- NO → Go to Q9
Q3: Orphan question?
YES → Fast Path
"""


def test_decision_tree_variants():
    pset = ex(TREE)
    assert pset.tree.line == 7
    assert answers(pset) == [("Q1", "=Fast Path", "Q2"), ("Q2", "=Slow Path", "Go to Q9")]


def test_unfenced_tree_after_a_label_with_bold_questions():
    text = ("# T\n\n### Pattern 1: A\n\n### Pattern 2: B\n\n**Decision Tree:**\n"
            "**Q1:** First?\n- YES → A\n- NO → Q2\n\n**Q2:** Second?\n- YES → B\n- NO → A\n\n"
            "**Next:** not part of it\nQ3: Later?\nYES → A\nNO → B\n")
    pset = ex(text)
    assert answers(pset) == [("Q1", "=A", "Q2"), ("Q2", "=B", "=A")]
    assert pset.attributes == ("Next",)


def test_tree_outcome_matching():
    pats = ex("# T\n\n### Pattern 1: Sync\n\n### Pattern 2: Sync Batch\n\n### Pattern 3: Stream\n").patterns
    assert match_pattern("SYNC", pats).name == "Sync"
    assert match_pattern("Use sync batch jobs", pats).name == "Sync Batch"
    assert match_pattern("Sync or Stream", pats) is None  # two names, same length: ambiguous
    assert match_pattern("Something else", pats) is None


@pytest.mark.parametrize("text", [
    "",
    "\n\n",
    "# T\n\n**Decision Tree:**\n```\nSTART\n├─ Q: ascii art?\n│  └─ YES → x\n```\n",
    "# T\n\n### Pattern 1: A\n\n**X:**\n```\nunclosed\n\n### Pattern 2: B\n",
    "---\ntitle: [broken\n---\n# T\n\n### Pattern 1: A\n### Pattern 2: B\n",
    "# T\n\n### Pattern 1: A\n**X:**\n### Pattern 2: B\n**Y:**",
    "# T\n\n**Decision Tree:**\nQ1: loop?\nYES → Q1\nNO → Q1\n",
])
def test_odd_input_does_not_crash(text):
    pset = ex(text)
    assert isinstance(pset, PatternSet)


def test_undecodable_entry():
    entry = Entry(relpath="x.md", kind="entry", text="", lines=(), line_count=0, encoding_error="bad")
    assert extract(entry) == PatternSet("x.md")


LINES = st.sampled_from([
    "", "# T", "## Pattern 1: A (Q)", "### Pattern 2: B", "#### Pattern: C", "**Decision Tree:**",
    "## Decision Tree", "Q1: ask?", "Q2: more?", "YES → A", "NO → Go to Q2", "no -> B", "```", "~~~",
    "**Characteristics:**", "- Key: value", "- item", "  continued", "**When to Use:**", "✅ do",
    "Examples:", "  - ex", "---", "| a | b |", "text", "**Label:** inline", "    indented",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_extract_never_raises(lines):
    pset = ex("\n".join(lines))
    assert len(pset.patterns) != 1
    for p in pset.patterns:
        assert set(p.rows) <= set(pset.attributes)


def test_corpus_runs_without_exceptions():
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    kb = load(CORPUS.resolve(), Config())
    with_patterns = with_tree = 0
    for entry in kb.entries.values():
        pset = extract(entry)
        with_patterns += bool(pset.patterns)
        with_tree += bool(pset.patterns and pset.tree)
        for p in pset.patterns:
            assert p.slug in {h.slug for h in entry.headings}
    print(f"\ncorpus: {len(kb.entries)} files, {with_patterns} with patterns, {with_tree} with a decision tree")
    assert with_patterns >= 1 and with_tree >= 1


def test_a_pattern_name_is_the_text_its_heading_shows():
    """`Fast &amp; Cheap` renders as "Fast & Cheap"; the comparison escapes the name once."""
    text = "# X.md\n\n## Pattern 1: Fast &amp; Cheap\n\nSome words.\n\n## Pattern 2: 5 &lt; 6\n\nMore.\n"
    found = extract(parse_text("X.md", text))
    assert [p.name for p in found.patterns] == ["Fast & Cheap", "5 < 6"]
    assert [p.slug for p in found.patterns] == ["pattern-1-fast-cheap", "pattern-2-5-6"]

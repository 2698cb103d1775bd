"""Every rule's documented example runs: it fails as documented, and its documented fix passes.

The labelled paragraphs of a rule's Example section (`File:`, `Header:`, `Body:` ...; see
checker/rules/base.py) describe a small KB whose every other line is a clean entry built by
`clean_entry`. `build` turns them into files; the tests run the engine with the default config.
"""
from __future__ import annotations

import re

import pytest

from checker.config import Config
from checker.fix.plan import fix_entry
from checker.kb.index import KnowledgeBase
from checker.parse.refid import grammar
from checker.rules import RULES
from checker.rules.base import EXAMPLE_LABELS, Rule, code_spans
from checker.parse.text import split
from helpers import Unreadable, clean_entry, findings, parse, recount

DEFAULT_FILE = "lessons/LESS-01.md"
SUMMARY_TEXT = "Nothing here is wrong."  # the summary paragraph of `clean_entry`
_FIELD = re.compile(r"\*\*[^*]+:\*\*")

Items = list[tuple[str, list[str]]]


def merged(example: Items, fix: Items) -> Items:
    """The example with each label the fix shows replaced by the fix's paragraphs of that label."""
    shown = {label for label, _ in fix}
    return [item for item in example if item[0] not in shown] + fix


def clean_file(path: str, body: str = "") -> str:
    """A clean entry at `path` with the REF-ID its file name implies (none for `Lambda-Index.md`)."""
    refid = grammar().from_filename(path.rsplit("/", 1)[-1])
    text = clean_entry(path, refid or "NONE", body)
    return text if refid else text.replace("**REF-ID:** NONE  \n", "")


def _remove(lines: list[str], prefix: str) -> None:
    """Remove the first line starting with `prefix`; a heading goes with its section."""
    start = next((i for i, line in enumerate(lines) if line.startswith(prefix)), None)
    assert start is not None, f"`Without: {prefix}` matches no line of a clean entry"
    end = start + 1
    if prefix.startswith("#"):
        while end < len(lines) and not (lines[end].startswith("#") or lines[end] == "---"):
            end += 1
    del lines[start:end]


def _put(lines: list[str], line: str, lo: int, hi: int, replaced: set[str]) -> None:
    """Replace the first field of `line`'s label in lines[lo:hi] not put there by the example, else
    add `line` after the last field there."""
    label = _FIELD.match(line)
    for i in range(lo, hi):
        if label and lines[i].lower().startswith(label.group(0).lower()) and lines[i] not in replaced:
            lines[i] = line
            replaced.add(line)
            return
    last = max((i for i in range(lo, hi) if lines[i].startswith("**")), default=hi - 1)
    lines.insert(last + 1, line)
    replaced.add(line)


def _header_end(lines: list[str]) -> int:
    """Index of the line closing the header: its `---`, else the first `##` heading."""
    return next(i for i, line in enumerate(lines) if line == "---" or line.startswith("## "))


def _save(text: str, how: list[str]) -> bytes | Unreadable:
    """The bytes of `text` as the `Saved with:` values say (or a file that cannot be read)."""
    encoding = "utf-8"
    for value in how:
        key = value.lower()
        if key == "no read permission":
            return Unreadable("Permission denied")
        if key == "crlf":
            text = text.replace("\n", "\r\n")
        elif key == "no final newline":
            text = text.rstrip("\r\n")
        elif key in ("windows-1252", "utf-8"):
            encoding = key
        else:
            assert key in ("lf", "a final newline", "read permission"), f"unknown `Saved with:` value `{value}`"
    return text.encode(encoding, errors="replace")  # what an editor saving as Windows-1252 does to 🟠


def build(items: Items) -> tuple[str, dict[str, str | bytes]]:
    """The KB an example describes: the path of the entry under test, and every file's content."""
    spans: dict[str, list[str]] = {label: [] for label in EXAMPLE_LABELS}
    for label, values in items:
        spans[label] += values
    name = spans["File"][-1] if spans["File"] else DEFAULT_FILE
    body = "\n".join(["", *spans["Body"]]) if spans["Body"] else ""
    lines = clean_file(name, body).split("\n")[:-1]
    if spans["Title"]:
        lines[0] = spans["Title"][-1]
    for prefix in spans["Without"]:
        _remove(lines, prefix)
    replaced: set[str] = set()
    for line in spans["Header"]:
        _put(lines, line, 1, _header_end(lines), replaced)
    footer = max(i for i, line in enumerate(lines) if line == "---") + 1
    for line in spans["Footer"]:
        _put(lines, line, footer, len(lines), replaced)
    if spans["Keywords"]:
        heading = next(i for i, line in enumerate(lines) if line.startswith("## Keywords"))
        lines[heading + 2] = spans["Keywords"][-1]
    text = "\n".join(lines) + "\n"
    for value in spans["Length"]:
        missing = int(value) - len(split(text).lines)
        assert missing >= 0, f"`Length: {value}` is shorter than a clean entry"
        filler = "".join(f"Line {n} of the padding.\n" for n in range(missing))
        text = text.replace(SUMMARY_TEXT + "\n", SUMMARY_TEXT + "\n" + filler, 1)
    if not any(line.startswith("**Total Lines:**") for line in spans["Footer"]):
        text = recount(text)
    files: dict[str, str | bytes] = {name: _save(text, spans["Saved with"])}
    for other in spans["Other files"]:
        files[other] = clean_file(other)
    return name, files


def codes(name: str, files: dict[str, str | bytes]) -> set[str]:
    """The codes the engine reports for `name` with the default config."""
    others = {rel: body for rel, body in files.items() if rel != name}
    return {f.code for f in findings(files[name], name, others)}


def _ids(rule: Rule) -> str:
    return rule.code


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_example_is_written_in_labelled_paragraphs(rule: Rule):
    """Every example is executable; a paragraph that looks labelled uses a known label."""
    assert rule.example(), f"{rule.code}: the Example has no labelled paragraph (`File:`, `Header:`, `Body:` ...)"
    for title in ("Example:", "Fix:"):
        for para in re.split(r"\n\s*\n", rule.section(title)):
            m = re.match(r"([A-Z][a-z]+(?: [a-z]+)?):\s", para.strip())
            if m and code_spans(para):
                assert m.group(1) in EXAMPLE_LABELS, f"{rule.code}: unknown label `{m.group(1)}:` in {title}"
        for label, values in rule.example(title):
            assert values, f"{rule.code}: `{label}:` in {title} holds no code span"


def test_code_spans_follow_markdown():
    """Double backticks hold a backtick; one space inside each end is dropped."""
    assert code_spans("Footer: `` **Location:** `/sima/aws/` `` and `a`, `~~~`") == [
        "**Location:** `/sima/aws/`", "a", "~~~"
    ]


def test_the_clean_entries_pass():
    """The base every example edits is clean, so what an example adds is what fails."""
    assert codes(*build([])) == set()


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_example_fails_as_documented(rule: Rule):
    """The rule reports the example."""
    name, files = build(rule.example())
    assert rule.code in codes(name, files), f"{rule.code} is silent on its own example"


FIXES = [r for r in RULES if r.example("Fix:")]


@pytest.mark.parametrize("rule", FIXES, ids=_ids)
def test_documented_fix_passes(rule: Rule):
    """The corrected form in the Fix section silences the rule."""
    name, files = build(merged(rule.example(), rule.example("Fix:")))
    assert rule.code not in codes(name, files), f"{rule.code} still reports its example after the documented fix"


@pytest.mark.parametrize("rule", [r for r in RULES if r.fixable], ids=_ids)
def test_sima_check_fix_repairs_the_example(rule: Rule):
    """A fixable rule's example is repaired by `--fix` (the engine's fixer, in memory)."""
    name, files = build(rule.example())
    config = Config()
    entries = {rel: parse(rel, body, config) for rel, body in files.items()}
    kb = KnowledgeBase(entries.values())
    after = fix_entry(entries[name], kb, config)
    assert after is not None, f"--fix changes nothing in the {rule.code} example"
    assert rule.code not in codes(name, {**files, name: after})


def test_most_rules_show_a_corrected_form():
    """Rules whose fix is a judgement (split, add a section) may describe it in prose only."""
    prose_only = {r.code for r in RULES if not r.example("Fix:")}
    assert prose_only <= {"SIMA106", "SIMA201", "SIMA401"}, sorted(prose_only)

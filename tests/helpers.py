"""Test helpers: build a small knowledge base in memory and check it in one line."""
from __future__ import annotations

import re
from pathlib import Path

from dataclasses import dataclass

from checker.api import check as api_check
from checker.config import Config
from checker.run.engine import check_parsed
from checker.kb.discover import unreadable_entry
from checker.kb.index import KnowledgeBase
from checker.parse.kinds import classify
from checker.model import Entry, Finding
from checker.parse.scan import parse_bytes
from checker.parse.refid import grammar
from checker.parse.text import split

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "sima" / "aws" / "general" / "AWS-General-ProcessingPatterns_AWS-LESS-01.md"
CORPUS = REPO / ".." / "shared" / "corpus" / "sima-public-2025-11-01"

# Lines of `clean_entry()`: the header fields, and where `body_extra` starts.
TITLE, VERSION, DATE, PURPOSE, REFID, CATEGORY, TYPE, PRIORITY, STATUS = 1, 3, 4, 5, 6, 7, 8, 9, 10
HEADER_END = 12
SUMMARY = 14
BODY = 17

_TOTAL = re.compile(r"(\*\*Total Lines:\*\* )\d+")


@dataclass(frozen=True)
class Unreadable:
    """A file of the KB that cannot be read, for the reason given."""

    reason: str


def parse(relpath: str, text: str | bytes | Unreadable, config: Config | None = None) -> Entry:
    """Parse one file as the loader would (kind from its path, grammar from the config)."""
    config = config or Config()
    if isinstance(text, Unreadable):
        return unreadable_entry(relpath, text.reason, config)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return parse_bytes(relpath, data, classify(relpath, config.kind_globs()), grammar(config.refid_patterns))


def findings(
    text: str | bytes, name: str = "X_AWS-LESS-01.md", others: dict[str, str | bytes] | None = None, **config
) -> list[Finding]:
    """Every finding for the file `name` holding `text`, in a KB made of it and `others`."""
    cfg = Config(**config)
    files = {name: text, **(others or {})}
    entries = [parse(rel, body, cfg) for rel, body in files.items()]
    kb = KnowledgeBase(entries, settings=cfg)
    return [f for f in check_parsed([e for e in entries if e.relpath == name], kb).findings if f.path == name]


def check(
    text: str | bytes, name: str = "X_AWS-LESS-01.md", others: dict[str, str | bytes] | None = None, **config
) -> list[tuple[int, str]]:
    """Sorted (line, code) pairs for `text` checked as the file `name` (see `findings`)."""
    return sorted((f.line, f.code) for f in findings(text, name, others, **config))


def codes(text: str | bytes, name: str = "X_AWS-LESS-01.md", others=None, **config) -> set[str]:
    """The set of codes found (when only presence matters)."""
    return {code for _, code in check(text, name, others, **config)}


def message(text: str | bytes, code: str, name: str = "X_AWS-LESS-01.md", others=None, **config) -> str:
    """The message of the (first) finding with `code`."""
    return next(f.message for f in findings(text, name, others, **config) if f.code == code)


def recount(text: str) -> str:
    """Rewrite the footer's `**Total Lines:** N` to the real count (after a test edits lines)."""
    n = len(split(text).lines)  # the checker's own line split, not str.splitlines()
    return _TOTAL.sub(lambda m: f"{m.group(1)}{n}", text)


def clean_entry(name: str, refid: str, body_extra: str = "") -> str:
    """A fully valid entry: title, 8 header fields, `---`, Summary, Cross-References, 5 keywords,
    and a footer whose Location and Total Lines are right. `body_extra` starts at line BODY."""
    directory, _, base = name.rpartition("/")
    lines = [
        f"# {base}",
        "",
        "**Version:** 1.0.0  ",
        "**Date:** 2025-11-01  ",
        "**Purpose:** A small clean entry that every rule accepts",
        f"**REF-ID:** {refid}  ",
        "**Category:** Testing  ",
        "**Type:** LESS (Lesson Learned)  ",
        "**Priority:** 🟠 High  ",
        "**Status:** Active",
        "",
        "---",
        "",
        "## Summary",
        "",
        "Nothing here is wrong.",
    ]
    if body_extra:
        lines += body_extra.split("\n")
    lines += [
        "",
        "## Cross-References",
        "",
        "- None yet",
        "",
        "---",
        "",
        "## Keywords",
        "",
        "alpha, beta, gamma, delta, epsilon",
        "",
        "---",
        "",
        f"**Location:** `/sima/{directory + '/' if directory else ''}`  ",
        "**Total Lines:** 0",
    ]
    return recount("\n".join(lines) + "\n")


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def resolutions(
    text: str, name: str = "X_AWS-LESS-01.md", others: dict[str, str] | None = None, **config
) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(syntax, target, status, targets) for every reference of `name`, in order."""
    cfg = Config(**config)
    files = {name: text, **(others or {})}
    entries = {rel: parse(rel, body, cfg) for rel, body in files.items()}
    kb = KnowledgeBase(entries.values(), settings=cfg)
    entry = entries[name]
    out = []
    for ref in entry.references:
        res = kb.resolve(ref, entry)
        out.append((ref.syntax, ref.target, res.status, res.targets))
    return out


@dataclass
class Loaded:
    """A KB checked from disk with its files kept: the index, each file as checked, the root."""

    kb: KnowledgeBase
    checked: dict
    root: Path
    io_errors: list

    @property
    def entries(self) -> dict[str, Entry]:
        """Every parsed file by relpath."""
        return {rel: c.entry for rel, c in self.checked.items()}


def load(root: Path, config: Config | None = None) -> Loaded:
    """Check a KB root with `api.check(keep=True)`, in one process and without a cache."""
    report = api_check([root], config or Config(), jobs=1, keep=True)
    return Loaded(report.kbs[root], report.checked[root], root, report.io_errors)


def in_memory(files: dict[str, str | bytes], config: Config | None = None) -> tuple[KnowledgeBase, list[Entry]]:
    """The KB index and the parsed entries of `files` (relpath -> text)."""
    cfg = config or Config()
    entries = [parse(rel, body, cfg) for rel, body in files.items()]
    return KnowledgeBase(entries, settings=cfg), entries

"""What one site build knows about the KB: findings per file, resolutions, titles, backlinks,
patterns and which files are published. Built once per build by `prepare`."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from ..kb.index import KnowledgeBase
from ..model import Checked, Entry, Finding, Severity
from .backlinks import Backlink, collect
from .filememo import FileMemo
from .html import Resolved
from .render import entry_title

MODES = ("fail", "exclude", "warn")


@dataclass
class SiteData:
    """The checked KB as the page builders see it."""

    kb: KnowledgeBase
    entries: dict[str, Entry]  # every parsed file, by relpath
    findings: dict[str, list[Finding]]  # by relpath
    resolved: dict[str, Resolved]
    titles: dict[str, str]
    backlinks: dict[str, list[Backlink]]
    excluded: dict[str, list[Finding]] = field(default_factory=dict)  # relpath -> its errors
    patterns: dict[str, object] = field(default_factory=dict)  # relpath -> PatternSet (two or more patterns)
    mode: str = "fail"
    layouts: dict = field(default_factory=dict, repr=False, compare=False)  # page builders' memo (`pages.paging.memo`)

    @cached_property
    def refids(self) -> dict[str, str]:
        """REF-ID of each file that owns one (computed once: every entry page's backlinks ask)."""
        return {rel: e.refid for rel, e in self.entries.items() if e.refid}

    def published(self) -> list[str]:
        """Relpaths of the KB files that go on the site."""
        return [rel for rel in sorted(self.entries) if rel not in self.excluded]

    def entry(self, rel: str) -> Entry:
        """The parsed file."""
        return self.entries[rel]

    def errors(self) -> list[Finding]:
        """Every error finding, sorted."""
        return sorted(f for fs in self.findings.values() for f in fs if f.severity is Severity.ERROR)

    def counts(self) -> dict[str, int]:
        """Findings by severity name."""
        out = {"error": 0, "warning": 0, "info": 0}
        for fs in self.findings.values():
            for f in fs:
                out[str(f.severity)] += 1
        return out


def prepare(
    kb: KnowledgeBase,
    checked: dict[str, Checked],
    findings: list[Finding],
    mode: str = "fail",
    extract: Callable[[Entry], object] | None = None,
    memo: dict | None = None,
) -> SiteData:
    """Everything the pages need, from one check run that kept its files (`keep=True`): the
    entries, their resolved references and the findings, by relpath. `memo`: the caller's
    memory of the last build (backlinks and titles of unchanged files are taken from it)."""
    entries = {rel: c.entry for rel, c in checked.items()}
    resolved = {rel: list(c.resolved) for rel, c in checked.items()}
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.relpath, []).append(f)
    excluded = {}
    for rel, entry in entries.items():
        errors = [f for f in grouped.get(rel, []) if f.severity is Severity.ERROR]
        unreadable = entry.encoding_error or rel in kb.outside_links  # never rendered, in any mode
        if (errors and mode == "exclude") or unreadable:
            excluded[rel] = errors
    data = SiteData(
        kb=kb,
        entries=entries,
        findings={rel: grouped.get(rel, []) for rel in entries},
        resolved=resolved,
        titles=_titles(entries, kb, memo.setdefault("titles", FileMemo()) if memo is not None else None),
        backlinks=collect(entries, resolved, memo.setdefault("backlinks", FileMemo()) if memo is not None else None),
        excluded=excluded,
        mode=mode,
    )
    if extract is not None:
        for rel in data.published():
            entry = entries[rel]
            if entry.kind == "entry" and entry.text:
                pset = extract(entry)
                if getattr(pset, "patterns", ()):
                    data.patterns[rel] = pset
    return data


def _titles(entries: dict[str, Entry], kb: KnowledgeBase, memo: FileMemo | None) -> dict[str, str]:
    """Each file's readable title; with `memo` (the last build's), an Entry that is the same
    object under the same REF-ID grammar keeps its title."""
    if memo is None:
        return {rel: entry_title(e, kb.grammar) for rel, e in entries.items()}
    key = kb.settings.refid_patterns
    out = {rel: memo.get(rel, e, key, lambda e=e: entry_title(e, kb.grammar)) for rel, e in entries.items()}
    memo.roll()
    return out

"""Run the rules over a KB: severity, select/ignore, suppressions, sorting, exit code."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..config.settings import Config
from ..kb.index import KnowledgeBase
from ..model import Entry, Finding, Severity, line_context
from ..parse.refid import grammar
from ..rules import RULES, Context, Rule, lookup

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_CODES_HELP = (
    "Exit codes: 0 = nothing at or above --fail-on; 1 = findings at or above it; "
    "2 = usage, configuration or I/O error."
)


@dataclass
class Result:
    """Findings of one run and what was checked."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    entries_checked: int = 0
    io_errors: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # display paths of the files checked (junit)

    def summary(self) -> dict[str, int]:
        """Counts by severity name."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[str(f.severity)] += 1
        return counts

    def merge(self, other: "Result") -> None:
        """Add another KB's result (several roots in one run)."""
        self.findings = sorted(self.findings + other.findings)
        self.files_checked += other.files_checked
        self.entries_checked += other.entries_checked
        self.io_errors += other.io_errors
        self.files = sorted(self.files + other.files)


def exit_code(result: Result, fail_on: str) -> int:
    """The exit-code contract: 2 on I/O errors, 1 on findings at or above `fail_on`, else 0."""
    if result.io_errors:
        return EXIT_USAGE
    if fail_on == "never":
        return EXIT_OK
    floor = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(f.severity >= floor for f in result.findings) else EXIT_OK


def _matches(rule: Rule, selectors: Iterable[str]) -> bool:
    for s in selectors:
        s_up = s.upper()
        if rule.name == s.lower() or (s_up.startswith("SIMA") and rule.code.startswith(s_up)):
            return True
    return False


def active_rules(config: Config) -> list[Rule]:
    """Rules left after --select/--ignore and severity `off`."""
    rules = [r for r in RULES if not config.select or _matches(r, config.select)]
    rules = [r for r in rules if not _matches(r, config.ignore)]
    return [r for r in rules if _severity_override(r, config.severity) != "off"]


def _severity_override(rule: Rule, table: tuple[tuple[str, str], ...]) -> str | None:
    for key, value in table:
        if lookup(key) is rule:
            return value
    return None


def _severity(rule: Rule, escalate: bool, config: Config, relpath: str) -> Severity | None:
    table = config.severity
    for o in config.overrides:
        if o.matches(relpath):
            table = table + o.severity
    chosen = None
    for key, value in table:
        if lookup(key) is rule:
            chosen = value
    if chosen == "off":
        return None
    if chosen:
        return Severity.parse(chosen)
    return Severity.ERROR if escalate else rule.severity


def check_entry(entry: Entry, kb: KnowledgeBase, config: Config, rules: list[Rule], display: str) -> list[Finding]:
    """All findings for one entry, suppressions applied."""
    ctx = Context(kb=kb, config=config, grammar=grammar(config.refid_patterns))
    if entry.encoding_error:
        chosen = [r for r in rules if r.code == "SIMA601"]
    elif entry.relpath in kb.outside_links:
        chosen = [r for r in rules if r.code == "SIMA306"]
    else:
        chosen = rules
        ctx.resolved = [(ref, kb.resolve(ref, entry)) for ref in entry.references]
    ignored = {r.code for o in config.overrides if o.matches(entry.relpath) for r in RULES if _matches(r, o.ignore)}
    findings: list[Finding] = []
    for late in (False, True):
        for rule in chosen:
            if rule.late != late or entry.kind not in rule.kinds or rule.code in ignored:
                continue
            if late:
                ctx.errors = [f for f in findings if f.severity is Severity.ERROR]
            for hit in rule.check(entry, ctx):
                severity = _severity(rule, hit.escalate, config, entry.relpath)
                if severity is None:
                    continue
                fixable = rule.fixable if hit.fixable is None else hit.fixable
                findings.append(Finding(display, hit.line, hit.column, rule.code, rule.name, severity, hit.message, fixable,
                                        line_context(entry.line_text(hit.line))))
        if not late:
            findings = _suppress(entry, findings, display, config, rules)
    return findings


def _suppress(entry: Entry, findings: list[Finding], display: str, config: Config, rules: list[Rule]) -> list[Finding]:
    """Drop suppressed findings; report suppressions that matched nothing (SIMA001)."""
    if not entry.suppressions:
        return findings
    # The first suppression covering (line, code): indexed, not a scan per finding, which is
    # quadratic in a file of thousands of suppressions and findings.
    whole: dict[str, int] = {}
    by_line: dict[tuple[int, str], int] = {}
    for i, s in enumerate(entry.suppressions):
        for c in s.codes:
            rule = lookup(c)
            if rule is not None:
                if s.scope == "next-line":
                    by_line.setdefault((s.target_line, rule.code), i)
                else:
                    whole.setdefault(rule.code, i)
    kept, used = [], set()
    for f in findings:
        hits = [i for i in (whole.get(f.code), by_line.get((f.line, f.code))) if i is not None]
        hit = min(hits) if hits else None
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    meta = lookup("SIMA001")
    if meta in rules:
        for i, s in enumerate(entry.suppressions):
            unknown = [c for c in s.codes if lookup(c) is None]
            if unknown:
                msg = f"suppression names unknown rule(s): {', '.join(unknown)}"
            elif i not in used:
                msg = f"suppression of {', '.join(s.codes)} matches no finding; remove it"
            else:
                continue
            sev = _severity(meta, False, config, entry.relpath)
            if sev is not None:
                kept.append(Finding(display, s.line, 1, meta.code, meta.name, sev, msg, False, line_context(entry.line_text(s.line))))
    return kept


def printable(path: str) -> str:
    """A path safe to print: undecodable bytes of a file name shown as `\\xNN`."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def display_prefix(root: Path, cwd: Path | None = None) -> str:
    """The root as shown in output: relative to the working directory, '/' separated."""
    rel = os.path.relpath(os.path.abspath(root), os.path.abspath(cwd or Path.cwd()))
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"


def run(kb: KnowledgeBase, config: Config, root: Path, only: set[str] | None = None, cwd: Path | None = None) -> Result:
    """Check every entry of the KB (or just `only`, against the whole KB)."""
    chosen = (kb.entries[rel] for rel in sorted(kb.entries) if only is None or rel in only)
    return check_entries(chosen, kb, config, root, cwd)


def check_entries(entries: Iterable[Entry], kb: KnowledgeBase, config: Config, root: Path, cwd: Path | None = None) -> Result:
    """Check these entries, in this order, against `kb`."""
    result = Result()
    for one in check_each(entries, kb, config, root, cwd):
        result.files_checked += one.files_checked
        result.files += one.files
        result.entries_checked += one.entries_checked
        result.findings += one.findings
    result.findings.sort()
    return result


def check_each(entries: Iterable[Entry], kb: KnowledgeBase, config: Config, root: Path, cwd: Path | None = None) -> Iterator[Result]:
    """One Result per entry (the fast path caches them per file and passes a KB of
    skeletons; see pipeline.py)."""
    rules = active_rules(config)
    prefix = display_prefix(root, cwd)
    for entry in entries:
        shown = printable(prefix + entry.relpath)
        findings = sorted(check_entry(entry, kb, config, rules, shown))
        yield Result(findings=findings, files_checked=1, entries_checked=int(entry.kind == "entry"), files=[shown])

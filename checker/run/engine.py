"""Run the rules over one file against the KB: policy, suppressions, late rules, the exit code."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from ..config.policy import Policy, compile_policy
from ..kb.index import KnowledgeBase
from ..model import Checked, Entry, Finding, Report, Severity, finding_order, line_context
from ..rules import Context, lookup

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_CODES_HELP = (
    "Exit codes: 0 = nothing at or above --fail-on; 1 = findings at or above it (a file of the "
    "knowledge base that cannot be read is a finding, SIMA606); 2 = usage, configuration, or a "
    "path given on the command line that cannot be used, or a write that failed."
)


def exit_code(result: Report, fail_on: str) -> int:
    """The exit-code contract: 2 on I/O errors, 1 on findings at or above `fail_on`, else 0."""
    if result.io_errors:
        return EXIT_USAGE
    if fail_on == "never":
        return EXIT_OK
    floor = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(f.severity >= floor for f in result.findings) else EXIT_OK


def state_of(entry: Entry, kb: KnowledgeBase) -> str:
    """What the file is for the rules: text, undecodable, or a stand-in for an outside symlink."""
    if entry.read_error is not None:
        return "unreadable"
    if entry.encoding_error:
        return "undecodable"
    if entry.relpath in kb.outside_links:
        return "outside"
    return "text"


def check_entry(entry: Entry, kb: KnowledgeBase, policy: Policy, display: str, rules=None) -> tuple[list[Finding], list]:
    """All findings for one entry, suppressions applied, and its resolved references."""
    ctx = Context(kb=kb)
    state = state_of(entry, kb)
    here = policy.for_path(entry.relpath)
    chosen = [r for r in (policy.rules if rules is None else rules)
              if state in r.states and entry.kind in r.kinds and r.code not in here.ignored]
    if state == "text":
        ctx.resolved = [(ref, kb.resolve(ref, entry)) for ref in entry.references]
    findings: list[Finding] = []
    for late in (False, True):
        if late:
            findings = _suppress(entry, findings, ctx)
            ctx.errors = [f for f in findings if f.severity is Severity.ERROR]
        for rule in chosen:
            if rule.late != late:
                continue
            for hit in rule.check(entry, ctx):
                severity = here.severity(rule, hit.escalate)
                if severity is None:
                    continue
                fixable = rule.fixable if hit.fixable is None else hit.fixable
                findings.append(Finding(display, hit.line, hit.column, rule.code, rule.name, severity, hit.message, fixable,
                                        line_context(entry.line_text(hit.line) if hit.anchor is None else hit.anchor), entry.relpath))
    return findings, ctx.resolved


def _suppress(entry: Entry, findings: list[Finding], ctx: Context) -> list[Finding]:
    """Drop suppressed findings; record for SIMA001 which suppressions matched nothing."""
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
    ctx.suppressions = [(s, i in used, [c for c in s.codes if lookup(c) is None]) for i, s in enumerate(entry.suppressions)]
    return kept


def printable(path: str) -> str:
    """A path safe to print: undecodable bytes of a file name shown as `\\xNN`."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def display_prefix(root: Path, cwd: Path | None = None) -> str:
    """The root as shown in output: relative to the working directory, '/' separated."""
    rel = os.path.relpath(os.path.abspath(root), os.path.abspath(cwd or Path.cwd()))
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"


def check_each(entries: Iterable[Entry], kb: KnowledgeBase, policy: Policy, root: Path, cwd: Path | None = None, keep: bool = False) -> Iterator[tuple[Report, Checked | None]]:
    """One Report per entry, and (with keep) the entry as checked."""
    prefix = display_prefix(root, cwd)
    for entry in entries:
        shown = printable(prefix + entry.relpath)
        findings, resolved = check_entry(entry, kb, policy, shown)
        one = Report(findings=sorted(findings, key=finding_order), files_checked=1, entries_checked=int(entry.kind == "entry"), files=[shown])
        yield one, (Checked(entry, tuple(resolved), shown) if keep else None)


def check_parsed(entries: Iterable[Entry], kb: KnowledgeBase, root: Path = Path("."), cwd: Path | None = None, keep: bool = False) -> Report:
    """Check already parsed entries against `kb` in this process: the pipeline's check stage
    alone, for callers that hold the parsed files (in-memory KBs, tests)."""
    parts, checked = [], {}
    for one, seen in check_each(entries, kb, compile_policy(kb.settings), root, cwd, keep):
        parts.append(one)
        if seen is not None:
            checked[seen.entry.relpath] = seen
    report = Report.combine(parts)
    if keep:
        report.kbs[root], report.checked[root] = kb, checked
    return report

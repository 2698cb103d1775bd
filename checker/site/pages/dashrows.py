"""The compliance dashboard's data: one row per checked file, the per-rule and per-folder
counts, and the JSON of all rows that `assets/dashboard.js` loads.

Computed once per build (`dashboard_rows`), shared by the dashboard's first page, its paged
file tables and the data file, so every view counts the same rows the same way."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..data import SiteData
from ..html import Linker, inert_json
from .paths import Paths

SEVERITIES = ("error", "warning", "info")
ROOT_FOLDER = "(root)"


@dataclass(frozen=True)
class Row:
    """One checked file as the dashboard shows it."""

    index: int  # position in path order, 0-based: the row's page and anchor
    path: str
    title: str
    kind: str
    counts: tuple[int, int, int]  # errors, warnings, infos
    rules: tuple[tuple[str, str, int], ...]  # (code, severity, findings), sorted by code
    published: bool

    @property
    def folder(self) -> str:
        """Top-level folder of the file, `(root)` for a file at the KB root."""
        return self.path.split("/", 1)[0] if "/" in self.path else ROOT_FOLDER


@dataclass(frozen=True)
class RuleCount:
    """Findings of one rule (at one severity) over the KB."""

    code: str
    name: str
    severity: str
    files: int
    findings: int


@dataclass(frozen=True)
class FolderCount:
    """Files and findings of one top-level folder; `first` is the index of its first row."""

    folder: str
    files: int
    counts: tuple[int, int, int]
    first: int


def dashboard_rows(data: SiteData) -> list[Row]:
    """Every checked file (published or not), sorted by path."""
    rows = []
    for i, rel in enumerate(sorted(data.entries)):
        fs = data.findings.get(rel, [])
        sev = Counter(str(f.severity) for f in fs)
        rules = Counter((f.code, str(f.severity)) for f in fs)
        rows.append(Row(
            i, rel, data.titles.get(rel, rel), data.entry(rel).kind, tuple(sev[s] for s in SEVERITIES),
            tuple((code, s, n) for (code, s), n in sorted(rules.items())), rel not in data.excluded,
        ))
    return rows


def rule_counts(data: SiteData) -> list[RuleCount]:
    """Per rule and severity: files and findings, by code (a fixed set, so bounded)."""
    findings = Counter((f.code, f.rule, str(f.severity)) for fs in data.findings.values() for f in fs)
    files = Counter({k: 0 for k in findings})
    for fs in data.findings.values():
        for key in {(f.code, f.rule, str(f.severity)) for f in fs}:
            files[key] += 1
    return [RuleCount(code, name, sev, files[(code, name, sev)], n) for (code, name, sev), n in sorted(findings.items())]


def folder_counts(rows: list[Row]) -> list[FolderCount]:
    """Per top-level folder, in path order (the rows are sorted, so a folder's rows are contiguous
    except for root files, which sort among the folders)."""
    out: dict[str, list] = {}
    for r in rows:
        slot = out.setdefault(r.folder, [0, [0, 0, 0], r.index])
        slot[0] += 1
        for k in range(3):
            slot[1][k] += r.counts[k]
    return [FolderCount(name, n, tuple(c), first) for name, (n, c, first) in out.items()]


def rows_json(rows: list[Row], data: SiteData, linker: Linker, paths: Paths) -> str:
    """All rows as compact arrays (see `COLUMNS`), hrefs relative to the data file's URL.

    `<`, `>` and `&` are written as `\\u` escapes, so the text stays inert even if it were ever
    inlined into a page; the script writes every value with textContent."""
    codes = sorted({c for r in rows for c, _, _ in r.rules})
    names = {f.code: f.rule for fs in data.findings.values() for f in fs}
    doc = {
        "version": 1,
        "columns": COLUMNS,
        "dashboard": linker.href(paths.compliance),
        "rules": {c: {"name": names.get(c, ""), "href": linker.href(paths.rule(c))} for c in codes},
        "rows": [
            [r.path, linker.href(r.path) if r.published else None, r.title, r.kind, *r.counts,
             [[c, s[0], n] for c, s, n in r.rules], 1 if r.published else 0]
            for r in rows
        ],
    }
    return inert_json(doc, ascii=True) + "\n"


# Row array layout of the JSON; `rules` items are [code, severity initial (e|w|i), findings].
COLUMNS = ["path", "href", "title", "kind", "errors", "warnings", "infos", "rules", "published"]

"""Findings as LSP diagnostics: the CLI's code, rule name, severity and message, 0-based ranges."""
from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types

from ..model import Entry, Finding, Severity
from .navigate import extent
from .positions import span

SOURCE = "sima-check"
# Without a published site, a rule links to the README's rule table (the package's page);
# with `siteUrl` in the client's initializationOptions, to the site's own rule page.
DEFAULT_DOCS = "https://pypi.org/project/sima-check/#rules"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def rule_url(code: str, site_url: str | None = None) -> str:
    """The documentation page of a rule: the site's `catalog/rules/SIMAxxx/`, else the README."""
    if site_url:
        return f"{site_url.rstrip('/')}/catalog/rules/{code}/"
    return DEFAULT_DOCS


def _end(entry: Entry | None, f: Finding) -> int:
    """Where the finding's range ends (code points): its reference, else the end of the line."""
    if entry is None:
        return f.column
    for ref in entry.references:
        if ref.line == f.line and ref.column == f.column:
            return extent(ref)[1]
    return max(len(entry.line_text(f.line)), f.column)


def diagnostic(f: Finding, entry: Entry | None, encoding: str = "utf-16", site_url: str | None = None) -> types.Diagnostic:
    """One finding as a diagnostic."""
    lines = entry.lines if entry else ()
    line, start = max(f.line - 1, 0), max(f.column - 1, 0)
    return types.Diagnostic(
        range=span(lines, line, start, _end(entry, f), encoding),
        message=f.message + (" (fixable)" if f.fixable else ""),
        severity=_SEVERITY[f.severity],
        code=f.code,
        code_description=types.CodeDescription(href=rule_url(f.code, site_url)),
        source=SOURCE,
        data={"rule": f.rule, "fixable": f.fixable},
    )


def diagnostics(findings: Iterable[Finding], entry: Entry | None, encoding: str = "utf-16", site_url: str | None = None) -> list[types.Diagnostic]:
    """Every finding of one file as a diagnostic, in report order."""
    return [diagnostic(f, entry, encoding, site_url) for f in sorted(findings)]

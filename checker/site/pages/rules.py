"""The rules index and one page per rule, from the rules' own documentation.

A rule page lists at most `FINDINGS_MAX` of the rule's findings in the KB (a common rule would
otherwise grow the page with the KB) and links to the compliance dashboard filtered by the rule
(`?q=CODE`), where every file with the rule is a row; without JavaScript the dashboard's paged
file table shows each file's rule badges."""
from __future__ import annotations

import re
from collections import Counter

from ...rules import RULES
from ...rules.base import Rule
from ..data import SiteData
from ..html import Linker, esc, inline
from .common import block, entry_link, rule_ref, table
from .paths import Paths

FINDINGS_MAX = 50  # findings listed on a rule's page


def doc_html(text: str) -> str:
    """A rule-doc block as HTML: escaped, `code` spans kept, blank lines split paragraphs."""
    paras = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>" + " ".join(inline(p).split()) + "</p>" for p in paras)


def rules_index(data: SiteData, linker: Linker, paths: Paths) -> str:
    """Every rule: code, name, default severity, fixability, findings in this KB, summary."""
    counts = Counter(f.code for fs in data.findings.values() for f in fs)
    rows = [
        [rule_ref(r.code, r.name, linker, paths), esc(r.severity), "yes" if r.fixable else "",
         _filtered(r.code, str(counts[r.code]), linker, paths) if counts[r.code] else "", doc_html(r.summary)]
        for r in RULES
    ]
    return block(
        "# Rules",
        '<p class="sima-lead">The rules <code>sima-check</code> enforces, from the rule catalogue. '
        "Each page is rendered from the rule's own documentation, the same text as <code>sima-check --explain</code>.</p>",
        table(["Rule", "Default", "Fixable", "Findings here", "What it checks"], rows, "sima-rules"),
    )


def rule_page(rule: Rule, data: SiteData, linker: Linker, paths: Paths) -> str:
    """One rule's page from its docs, with the findings it has in this KB."""
    kinds = "every kind" if len(rule.kinds) == 6 else ", ".join(rule.kinds)
    meta = (
        f'<p class="sima-rule-meta"><span class="sima-badge sima-badge--{esc(rule.severity)}">{esc(rule.severity)}</span> '
        f"Applies to: {esc(kinds)}. Fixable: {'yes' if rule.fixable else 'no'}. "
        f"Explain locally: <code>sima-check --explain {esc(rule.code)}</code>.</p>"
    )
    parts = [f"# {rule.code} {rule.name}", meta, doc_html(rule.description())]
    for title, key in (("Why", "Why:"), ("Example", "Example:"), ("Fix", "Fix:")):
        text = rule.section(key)
        if text:
            parts += [f"## {title}", doc_html(text)]
    hits = [(rel, f) for rel, fs in sorted(data.findings.items()) for f in fs if f.code == rule.code]
    items = "".join(
        f"<li>{entry_link(rel, data, linker)} <span class=\"sima-finding__where\">line {f.line}</span> {inline(f.message)}</li>"
        for rel, f in hits[:FINDINGS_MAX]
    )
    if not hits:
        parts += ["## In this knowledge base", "<p>No findings.</p>"]
        return block(*parts)
    files = len({rel for rel, _ in hits})
    shown = f"The first {FINDINGS_MAX} of {len(hits)} findings" if len(hits) > FINDINGS_MAX else f"{len(hits)} finding{'s' if len(hits) != 1 else ''}"
    lead = (f'<p class="sima-rule-hits">{shown} in {files} file{"s" if files != 1 else ""}. '
            + _filtered(rule.code, f"All files with {esc(rule.code)} findings", linker, paths)
            + " on the compliance dashboard.</p>")
    parts += ["## In this knowledge base", f'<div data-search-exclude>{lead}<ul class="sima-findings">{items}</ul></div>']
    return block(*parts)


def _filtered(code: str, text: str, linker: Linker, paths: Paths) -> str:
    """A link to the compliance dashboard filtered by a rule code (the filter needs JavaScript;
    without it the link opens the dashboard, whose rows carry each file's rule badges)."""
    href = linker.href(paths.compliance)
    return f'<a class="sima-dash-link" href="{esc(href)}?q={esc(code)}">{text}</a>' if href else text

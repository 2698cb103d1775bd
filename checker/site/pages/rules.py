"""The rules index and one page per rule, from the rules' own documentation."""
from __future__ import annotations

import re
from collections import Counter

from ...rules import RULES
from ...rules.base import Rule
from ..data import SiteData
from ..html import Linker, esc, inline
from .common import block, entry_link, rule_ref, table
from .paths import Paths


def doc_html(text: str) -> str:
    """A rule-doc block as HTML: escaped, `code` spans kept, blank lines split paragraphs."""
    paras = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>" + " ".join(inline(p).split()) + "</p>" for p in paras)


def rules_index(data: SiteData, linker: Linker, paths: Paths) -> str:
    """Every rule: code, name, default severity, fixability, findings in this KB, summary."""
    counts = Counter(f.code for fs in data.findings.values() for f in fs)
    rows = [
        [rule_ref(r.code, r.name, linker, paths), esc(r.severity), "yes" if r.fixable else "", str(counts[r.code] or ""), doc_html(r.summary)]
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
        for rel, f in hits
    )
    parts += ["## In this knowledge base", f'<ul class="sima-findings" data-search-exclude>{items}</ul>' if hits else "<p>No findings.</p>"]
    return block(*parts)

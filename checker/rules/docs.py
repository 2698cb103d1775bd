"""Rule documentation rendered from the rules' docstrings (for --list-rules, --explain, site)."""
from __future__ import annotations

from . import RULES, lookup
from .base import Rule


def rule_table() -> str:
    """One line per rule: code, name, default severity, kinds, fixability, summary."""
    rows = []
    for r in RULES:
        kinds = "all" if len(r.kinds) == 6 else ",".join(r.kinds)
        fix = "fix" if r.fixable else "   "
        rows.append(f"{r.code}  {r.name:<22} {str(r.severity):<7} {fix}  {kinds:<28} {r.summary}")
    return "\n".join(rows)


def markdown_table() -> str:
    """The README's rule table: one row per rule of the registry (a test keeps them equal)."""
    rows = ["| code | name | default | fixable | applies to | what |", "|---|---|---|---|---|---|"]
    for r in RULES:
        kinds = "all" if len(r.kinds) == 6 else ", ".join(r.kinds)
        rows.append(f"| {r.code} | {r.name} | {r.severity} | {'yes' if r.fixable else ''} | {kinds} | {r.summary} |")
    return "\n".join(rows) + "\n"


def explain(code_or_name: str) -> str | None:
    """A rule's full documentation, or None when there is no such rule."""
    r = lookup(code_or_name)
    if r is None:
        return None
    return render(r)


def render(r: Rule) -> str:
    """The text of one rule's page."""
    kinds = "every kind" if len(r.kinds) == 6 else ", ".join(r.kinds)
    head = f"{r.code} {r.name}\nDefault severity: {r.severity}. Applies to: {kinds}. Fixable: {'yes' if r.fixable else 'no'}."
    note = "(Examples show only what differs from a clean entry; `Other files` exist beside it.)"
    return f"{head}\n\n{r.doc}\n\n{note}\n"

"""The metadata card at the top of an entry page and its compliance result (escaped HTML).

Both are kept out of Material's search index with `data-search-exclude` on elements that hold no
element of their own tag: Material's indexer matches excluded elements by tag name only."""
from __future__ import annotations

import re
from typing import Callable, Iterable

from ..model import Entry, Finding, HeaderField, Severity
from .html import Linker, Span, esc, external_links, html_text, inline

PRIMARY = ("REF-ID", "Type", "Category", "Priority", "Status", "Version", "Date")
_KEYS = {"date": ("date", "last updated", "updated", "created")}
_SKIP = frozenset({"purpose"})  # shown as the card's lead line
_PRIORITY = re.compile(r"(critical|high|medium|low)", re.IGNORECASE)

RuleHref = Callable[[str], "str | None"]


def _field(entry: Entry, label: str) -> HeaderField | None:
    key = label.lower()
    return entry.field(*_KEYS.get(key, (key,)), header_only=True)


def _value_html(entry: Entry, f: HeaderField, row: Iterable[Span], linker: Linker) -> str:
    """The field's value, escaped, with its cross-references and http(s) links as links."""
    line = entry.line_text(f.line)
    offset = f.column - 1
    if line[offset : offset + len(f.value)] != f.value:  # front matter: no spans to place
        return external_links(f.value)
    spans = list(row)
    if spans:
        return html_text(f.value, spans, linker, offset)
    return external_links(f.value)


def _css_token(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "none"


def card_html(entry: Entry, spans: dict[int, list[Span]], linker: Linker) -> str:
    """The metadata card: the seven key fields, the purpose, then every other header field."""
    cells = []
    for label in PRIMARY:
        f = _field(entry, label)
        if f is None or not f.value:
            cells.append(f'<div class="sima-card__field sima-card__field--missing"><dt>{label}</dt> <dd>\u2014</dd></div> ')
            continue
        value = _value_html(entry, f, spans.get(f.line, ()), linker)
        extra = ""
        if label == "Status":
            extra = f" sima-status sima-status--{_css_token(f.value)}"
        elif label == "Priority":
            level = _PRIORITY.search(f.value)
            extra = f" sima-priority sima-priority--{level.group(1).lower() if level else 'none'}"
        elif label == "REF-ID":
            value = f"<code>{value}</code>"
        cls = f' class="{extra.strip()}"' if extra else ""
        cells.append(f'<div class="sima-card__field"><dt>{label}</dt> <dd{cls}>{value}</dd></div> ')
    parts = ['<div class="sima-card">', f'<dl class="sima-card__grid" data-search-exclude>{"".join(cells)}</dl>']
    purpose = entry.field("purpose", header_only=True)
    if purpose and purpose.value:
        parts.append(f'<p class="sima-card__purpose" data-search-exclude>{_value_html(entry, purpose, spans.get(purpose.line, ()), linker)}</p>')
    shown = {k for label in PRIMARY for k in _KEYS.get(label.lower(), (label.lower(),))} | _SKIP
    others = [f for f in entry.fields if f.in_header and f.key not in shown and f.value]
    if others:
        rows = "".join(
            f"<dt>{esc(f.label)}</dt> <dd>{_value_html(entry, f, spans.get(f.line, ()), linker)}</dd> " for f in others
        )
        parts.append(f'<dl class="sima-card__more" data-search-exclude>{rows}</dl>')
    parts.append(f'<p class="sima-card__file" data-search-exclude>File <code>{esc(entry.relpath)}</code></p></div>')
    return "".join(parts)


def compliance_html(findings: list[Finding], rule_href: RuleHref) -> str:
    """The entry's compliance result: clean, or its errors and warnings (each linking to the
    rule's page); infos are folded away."""
    loud = [f for f in findings if f.severity >= Severity.WARNING]
    quiet = [f for f in findings if f.severity < Severity.WARNING]
    if not loud:
        note = f" ({len(quiet)} note{'s' if len(quiet) != 1 else ''})" if quiet else ""
        head = (
            '<div class="admonition success sima-compliance sima-compliance--clean" data-search-exclude>'
            f'<p class="admonition-title">Compliance: clean{note}</p>'
        )
    else:
        errors = sum(f.severity is Severity.ERROR for f in loud)
        warnings = len(loud) - errors
        kind = "failure" if errors else "warning"
        counts = ", ".join(
            f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning")) if n
        )
        head = (
            f'<div class="admonition {kind} sima-compliance sima-compliance--{"error" if errors else "warning"}" data-search-exclude>'
            f'<p class="admonition-title">Compliance: {counts}</p>' + _finding_list(loud, rule_href)
        )
    if quiet:
        head += (
            f'<details class="sima-compliance__notes"><summary>{len(quiet)} note{"s" if len(quiet) != 1 else ""} '
            f"(info)</summary>{_finding_list(quiet, rule_href)}</details>"
        )
    return head + "</div>"


def _finding_list(findings: list[Finding], rule_href: RuleHref) -> str:
    items = []
    for f in findings:
        href = rule_href(f.code)
        code = f"<code>{esc(f.code)}</code> {esc(f.rule)}"
        rule = f'<a href="{esc(href)}">{code}</a>' if href else code
        items.append(
            f'<li class="sima-finding sima-finding--{f.severity}">{rule} '
            f'<span class="sima-finding__where">line {f.line}</span> {inline(f.message)}</li>'
        )
    return f'<ul class="sima-findings">{"".join(items)}</ul>'

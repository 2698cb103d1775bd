"""Page builders: plain functions from the checked KB to Markdown with escaped HTML blocks.

Entry values only ever reach the page through `esc` (or as the entry's own Markdown body);
hrefs come from the `Linker`, so they are relative site URLs, never `javascript:`.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from ..model import Entry, Severity
from ..rules import RULES
from ..rules.base import Rule
from . import links
from .backlinks import backlinks_html
from .card import card_html, compliance_html
from .data import SiteData
from .links import Linker, esc, inline
from .render import github_compat, title_source_lines

_RULE_LINE = re.compile(r"^ {0,3}---+\s*$")
_SLOT = "<!-- sima: pattern comparison -->"  # where the comparison goes, kept out of the Markdown fixes


@dataclass(frozen=True)
class Paths:
    """Source paths of the generated pages (all under `base`, except the home page)."""

    base: str = "catalog"
    home: str = "index.md"

    @property
    def refids(self) -> str:
        """REF-ID index."""
        return f"{self.base}/refids.md"

    @property
    def keywords(self) -> str:
        """Keyword index."""
        return f"{self.base}/keywords.md"

    @property
    def compliance(self) -> str:
        """Compliance dashboard."""
        return f"{self.base}/compliance.md"

    @property
    def comparison(self) -> str:
        """Pattern comparison."""
        return f"{self.base}/patterns.md"

    @property
    def pattern_list(self) -> str:
        """All patterns."""
        return f"{self.base}/pattern-list.md"

    @property
    def rules(self) -> str:
        """Rules index."""
        return f"{self.base}/rules/index.md"

    def rule(self, code: str) -> str:
        """The page of one rule."""
        return f"{self.base}/rules/{code}.md"


def field_value(entry: Entry, *keys: str) -> str:
    """A header field's value, '' when absent."""
    f = entry.field(*keys, header_only=True)
    return f.value if f else ""


def entry_link(rel: str, data: SiteData, linker: Linker, anchor: str | None = None) -> str:
    """`<a>` to a KB page with its title, or the escaped title when it is not published."""
    title = esc(data.titles.get(rel, rel))
    href = linker.href(rel, anchor)
    return f'<a href="{esc(href)}">{title}</a>' if href else title


def _rule_href(linker: Linker, paths: Paths) -> Callable[[str], str | None]:
    return lambda code: linker.href(paths.rule(code))


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells are already-escaped HTML."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    # no class on the table itself: Material styles `table:not([class])`
    return f'<div class="sima-table {cls}"><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'


def _block(*parts: str) -> str:
    """Markdown: HTML blocks and headings separated by blank lines."""
    return "\n\n".join(p for p in parts if p) + "\n"


# ---------------------------------------------------------------- entry pages


def entry_page(entry: Entry, data: SiteData, linker: Linker, paths: Paths, comparison_html: str = "") -> str:
    """An entry's page: readable title, metadata card, compliance result, the body with every
    cross-reference linked, the pattern comparison, and "Referenced by"."""
    rel = entry.relpath
    resolved = data.resolved.get(rel, [])
    lines = links.rewrite(entry, resolved, linker, data.kb)
    fm = entry.front_matter_lines
    titles = title_source_lines(entry)
    header = {f.line for f in entry.fields if f.in_header and f.line > fm}
    with_card = entry.kind == "entry" and bool(header)
    end = max(titles, default=fm)  # last line of the head the card replaces
    if with_card:
        end = max(end, entry.header_end or max(header))
    kept = [
        lines[i - 1] for i in range(fm + 1, end + 1)
        if lines[i - 1].strip() and i not in header and i not in titles and not _RULE_LINE.match(lines[i - 1])
    ]
    card = card_html(entry, links.spans(entry, resolved), linker) if with_card else ""
    result = compliance_html(data.findings.get(rel, []), _rule_href(linker, paths))
    body = lines[end:]
    insert = _comparison_insert(entry, data, end, len(lines)) if comparison_html else None
    if insert is not None:
        body[insert - end - 1 : insert - end - 1] = ["", _SLOT, ""]
    out = [f"# {md_text(data.titles.get(rel, entry.name))}", "", card, "", result, ""] + kept + [""]
    out += [comparison_html if line == _SLOT else line for line in github_compat(body)]
    if comparison_html and insert is None:
        out += ["", "## Pattern comparison", "", comparison_html]
    refs = backlinks_html(data.backlinks.get(rel, []), data.titles, data.refids, linker)
    out += ["", "## Referenced by", "", refs, ""]
    return "\n".join(out)


def md_text(text: str) -> str:
    """Plain text for Markdown (a heading): HTML escaped, Markdown specials backslashed."""
    return re.sub(r"([\\`*_\[\]{}#!])", r"\\\1", html.escape(text, quote=False))


def _comparison_insert(entry: Entry, data: SiteData, after: int, n: int) -> int | None:
    """1-based line before which the comparison goes: the end of the decision tree's section."""
    pset = data.patterns.get(entry.relpath)
    tree = getattr(pset, "tree", None)
    if tree is None:
        return None
    nxt = next((h.line for h in entry.headings if h.line > tree.line and h.level <= 2), n + 1)
    while nxt - 1 > tree.line and (not entry.line_text(nxt - 1).strip() or _RULE_LINE.match(entry.line_text(nxt - 1))):
        nxt -= 1
    return nxt if nxt > after else None


# ---------------------------------------------------------------- home


def _counter_table(title: str, counts: Counter, total: int) -> str:
    rows = []
    for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower())):
        pct = round(100 * count / total) if total else 0
        bar = f'<span class="sima-bar" style="width:{pct}%"></span>'
        rows.append([esc(value or "(none)"), f'<span class="sima-count">{count}</span>{bar}'])
    return _table([esc(title), "Entries"], rows, "sima-counts")


def home_page(data: SiteData, linker: Linker, paths: Paths, site_name: str = "SIMA knowledge base") -> str:
    """The home page: what the KB holds (by category, type, status) and its compliance."""
    published = data.published()
    entries = [data.entry(r) for r in published if data.entry(r).kind == "entry"]
    total = len(entries)
    c = data.counts()
    clean = sum(1 for r in published if not any(f.severity >= Severity.WARNING for f in data.findings.get(r, [])))
    folders = {r.rsplit("/", 1)[0] for r in published if "/" in r}
    stats = [
        (total, "entries", paths.refids), (len(folders), "folders", None),
        (len({k.text.lower() for e in entries for k in e.keywords}), "keywords", paths.keywords),
        (sum(len(p.patterns) for p in data.patterns.values()), "patterns compared", paths.comparison),
    ]
    tiles = "".join(
        f'<a class="sima-tile" href="{esc(linker.href(target))}"><strong>{n}</strong><span>{label}</span></a>'
        if target and linker.href(target) else f'<div class="sima-tile"><strong>{n}</strong><span>{label}</span></div>'
        for n, label, target in stats
    )
    kind = "success" if not c["error"] and not c["warning"] else ("failure" if c["error"] else "warning")
    excluded = f", {len(data.excluded)} not published (errors)" if data.excluded else ""
    summary = (
        f'<div class="admonition {kind} sima-summary"><p class="admonition-title">'
        f'{len(data.entries)} files checked: {c["error"]} errors, {c["warning"]} warnings, {c["info"]} infos</p>'
        f"<p>{clean} of {len(published)} published pages have no errors or warnings{excluded}. "
        f'See the <a href="{esc(linker.href(paths.compliance))}">compliance dashboard</a> and the '
        f'<a href="{esc(linker.href(paths.rules))}">rules</a>.</p></div>'
    )
    recent = sorted(entries, key=lambda e: field_value(e, "date", "last updated", "updated"), reverse=True)[:5]
    recent_rows = [
        [entry_link(e.relpath, data, linker), f"<code>{esc(e.refid or '')}</code>", esc(field_value(e, "date", "last updated", "updated"))]
        for e in recent
    ]
    by = {
        label: Counter(field_value(e, key) for e in entries)
        for label, key in (("Category", "category"), ("Type", "type"), ("Status", "status"))
    }
    return _block(
        f"# {md_text(site_name)}",
        f'<div class="sima-hero"><p>Validated by <code>sima-check</code>: every page carries its metadata, '
        f"its compliance result and working cross-references.</p>"
        f'<div class="sima-tiles">{tiles}</div></div>',
        "## Compliance", summary,
        "## Recently updated", _table(["Entry", "REF-ID", "Date"], recent_rows),
        "## By category", _counter_table("Category", by["Category"], total),
        "## By type", _counter_table("Type", by["Type"], total),
        "## By status", _counter_table("Status", by["Status"], total),
    )


# ---------------------------------------------------------------- indexes


def refid_index(data: SiteData, linker: Linker) -> str:
    """Every REF-ID with its title, category, status and page."""
    rows = []
    owned = [(e.refid, rel) for rel, e in data.entries.items() if e.refid and rel not in data.excluded]
    for refid, rel in sorted(owned, key=lambda x: (_natural(x[0]), x[1])):
        e = data.entry(rel)
        href = linker.href(rel)
        page = f'<a href="{esc(href)}"><code>{esc(rel)}</code></a>' if href else f"<code>{esc(rel)}</code>"
        rows.append([
            f'<code id="{esc(refid)}">{esc(refid)}</code>', entry_link(rel, data, linker),
            esc(field_value(e, "category")), esc(field_value(e, "status")), page,
        ])
    return _block(
        "# REF-ID index",
        f'<p class="sima-lead">{len(rows)} REF-IDs, from the <code>**REF-ID:**</code> field or the file name.</p>',
        _table(["REF-ID", "Title", "Category", "Status", "Page"], rows, "sima-refids"),
    )


def keyword_index(data: SiteData, linker: Linker) -> str:
    """Keywords (case-insensitive), each with the entries that list it, grouped by letter."""
    spelled: dict[str, Counter] = {}
    where: dict[str, set[str]] = {}
    for rel in data.published():
        for k in data.entry(rel).keywords:
            key = " ".join(k.text.lower().split())
            spelled.setdefault(key, Counter())[k.text] += 1
            where.setdefault(key, set()).add(rel)
    letters: dict[str, list[str]] = {}
    for key in sorted(where):
        letter = key[0].upper() if key[:1].isalpha() else "#"
        letters.setdefault(letter, []).append(key)
    jump = " ".join(f'<a href="#kw-{esc(_slug_letter(l))}">{esc(l)}</a>' for l in letters)
    parts = ["# Keyword index", f'<p class="sima-lead">{len(where)} keywords.</p><nav class="sima-jump">{jump}</nav>']
    for letter, keys in letters.items():
        items = "".join(
            f'<li><span class="sima-keyword">{esc(spelled[k].most_common(1)[0][0])}</span> '
            + ", ".join(entry_link(r, data, linker) for r in sorted(where[k], key=lambda r: data.titles[r].lower()))
            + "</li>"
            for k in keys
        )
        parts.append(f'<h2 id="kw-{esc(_slug_letter(letter))}">{esc(letter)}</h2><ul class="sima-keywords">{items}</ul>')
    return _block(*parts)


def _slug_letter(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()


def pattern_list(data: SiteData, linker: Linker, paths: Paths, anchor_of: Callable[[Entry], str] | None = None) -> str:
    """Every pattern the KB describes, linked to its section and to its comparison table."""
    rows = []
    flat = [(p, rel) for rel, pset in data.patterns.items() for p in pset.patterns]
    for p, rel in sorted(flat, key=lambda t: (t[0].name.casefold(), data.titles[t[1]].lower(), t[0].heading_line)):
        href = linker.href(rel, p.slug)
        name = f'<a href="{esc(href)}">{esc(p.name)}</a>' if href else esc(p.name)
        compare = linker.href(paths.comparison, anchor_of(data.entry(rel)) if anchor_of else None)
        rows.append([
            name, esc(p.qualifier), entry_link(rel, data, linker), esc(field_value(data.entry(rel), "category")),
            f'<a href="{esc(compare)}">compare</a>' if compare else "",
        ])
    lead = (
        f"{len(rows)} patterns described in {len(data.patterns)} entries (sections headed "
        "<code>Pattern N: Name (Qualifier)</code>), each linked to its section and to its side-by-side table."
    )
    return _block(
        "# All patterns", f'<p class="sima-lead">{lead}</p>',
        _table(["Pattern", "Qualifier", "Entry", "Category", "Table"], rows, "sima-patterns"),
    )


def comparison(data: SiteData, linker: Linker, build: Callable[[list], str]) -> str:
    """The comparison page: `build` (comparison.comparison_page) fed the entries with patterns."""
    items = [(data.entry(rel), data.patterns[rel], linker.href(rel) or "") for rel in sorted(data.patterns)]
    body = build(items)
    return body if body.lstrip().startswith("# ") else _block("# Pattern comparison", body)


# ---------------------------------------------------------------- compliance and rules


def _badges(findings: list, linker: Linker, paths: Paths) -> str:
    counts = Counter((f.code, str(f.severity)) for f in findings)
    out = []
    for (code, sev), n in sorted(counts.items()):
        href = linker.href(paths.rule(code))
        label = f"{esc(code)}" + (f" \u00d7{n}" if n > 1 else "")
        out.append(f'<a class="sima-badge sima-badge--{sev}" href="{esc(href)}">{label}</a>' if href else label)
    return " ".join(out)


def compliance_page(data: SiteData, linker: Linker, paths: Paths) -> str:
    """Every checked file with its findings by severity and rule; the excluded files last."""
    rows, details = [], []
    for rel in sorted(data.entries):
        fs = data.findings.get(rel, [])
        sev = Counter(str(f.severity) for f in fs)
        state = "error" if sev["error"] else "warning" if sev["warning"] else "clean"
        rows.append([
            entry_link(rel, data, linker) + f'<br><code class="sima-path">{esc(rel)}</code>',
            esc(data.entry(rel).kind),
            *(f'<span class="sima-n sima-n--{k}">{sev[k]}</span>' if sev[k] else "" for k in ("error", "warning", "info")),
            _badges(fs, linker, paths) or f'<span class="sima-state sima-state--{state}">clean</span>',
        ])
        if fs:
            items = "".join(
                f'<li class="sima-finding sima-finding--{f.severity}"><span class="sima-finding__where">'
                f"{esc(f.severity)} \u00b7 line {f.line}</span> "
                + _rule_ref(f.code, f.rule, linker, paths) + f" {inline(f.message)}</li>"
                for f in sorted(fs, key=lambda f: (-f.severity, f.line, f.code))
            )
            details.append(f"<details data-search-exclude><summary>{entry_link(rel, data, linker)} ({len(fs)})</summary><ul class=\"sima-findings\">{items}</ul></details>")
    by_rule = Counter((f.code, f.rule, str(f.severity)) for fs in data.findings.values() for f in fs)
    rule_rows = [
        [_rule_ref(code, name, linker, paths), esc(sev), str(n)]
        for (code, name, sev), n in sorted(by_rule.items())
    ]
    c = data.counts()
    parts = [
        "# Compliance dashboard",
        f'<p class="sima-lead">{len(data.entries)} files checked with the project\'s <code>[tool.sima-check]</code> '
        f'settings: {c["error"]} errors, {c["warning"]} warnings, {c["info"]} infos. '
        f"Error findings {_mode_text(data.mode)}.</p>",
        "## Files", _table(["File", "Kind", "Errors", "Warnings", "Info", "Rules"], rows, "sima-compliance-table").replace("<div ", "<div data-search-exclude ", 1),
        "## Findings by rule", _table(["Rule", "Severity", "Findings"], rule_rows) if rule_rows else "<p>No findings.</p>",
    ]
    if details:
        parts += ["## Findings by file", "".join(details)]
    if data.excluded:
        items = "".join(
            f"<li><code>{esc(rel)}</code><ul>"
            + "".join(f"<li>line {f.line}: {_rule_ref(f.code, f.rule, linker, paths)} {inline(f.message)}</li>" for f in errs)
            + "</ul></li>"
            for rel, errs in sorted(data.excluded.items())
        )
        parts += ["## Not published", f'<p>These files are not on the site: they have error findings (<code>on_violation: exclude</code>), '
                  f'are not valid UTF-8, or are symlinks leading out of the knowledge base.</p><ul class="sima-excluded">{items}</ul>']
    return _block(*parts)


def _mode_text(mode: str) -> str:
    return {
        "fail": "stop the build (<code>on_violation: fail</code>)",
        "exclude": "keep a file off the site (<code>on_violation: exclude</code>)",
        "warn": "are logged and the files published anyway (<code>on_violation: warn</code>)",
    }.get(mode, esc(mode))


def _rule_ref(code: str, name: str, linker: Linker, paths: Paths) -> str:
    href = linker.href(paths.rule(code))
    text = f"<code>{esc(code)}</code> {esc(name)}"
    return f'<a href="{esc(href)}">{text}</a>' if href else text


def doc_html(text: str) -> str:
    """A rule-doc block as HTML: escaped, `code` spans kept, blank lines split paragraphs."""
    paras = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>" + " ".join(inline(p).split()) + "</p>" for p in paras)


def rules_index(data: SiteData, linker: Linker, paths: Paths) -> str:
    """Every rule: code, name, default severity, fixability, findings in this KB, summary."""
    counts = Counter(f.code for fs in data.findings.values() for f in fs)
    rows = [
        [_rule_ref(r.code, r.name, linker, paths), esc(r.severity), "yes" if r.fixable else "", str(counts[r.code] or ""), doc_html(r.summary)]
        for r in RULES
    ]
    return _block(
        "# Rules",
        '<p class="sima-lead">The rules <code>sima-check</code> enforces, from the rule catalogue. '
        "Each page is rendered from the rule's own documentation, the same text as <code>sima-check --explain</code>.</p>",
        _table(["Rule", "Default", "Fixable", "Findings here", "What it checks"], rows, "sima-rules"),
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
    return _block(*parts)

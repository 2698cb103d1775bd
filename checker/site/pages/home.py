"""The home page: what the KB holds (by category, type, status) and its compliance."""
from __future__ import annotations

from collections import Counter

from ...model import Severity
from ..data import SiteData
from ..html import Linker, esc, md_text
from .common import block, entry_link, field_value, table
from .paths import Paths


MAX_VALUES = 20  # rows of a count table; the rarer values are summed in one row, so the page stays bounded


def _countertable(title: str, counts: Counter, total: int) -> str:
    rows = []
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
    rest = ranked[MAX_VALUES:]
    for value, count in ranked[:MAX_VALUES]:
        pct = round(100 * count / total) if total else 0
        bar = f'<span class="sima-bar" style="width:{pct}%"></span>'
        rows.append([esc(value or "(none)"), f'<span class="sima-count">{count}</span>{bar}'])
    if rest:
        rows.append([f"{len(rest)} other values", f'<span class="sima-count">{sum(c for _, c in rest)}</span>'])
    return table([esc(title), "Entries"], rows, "sima-counts")


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
    return block(
        f"# {md_text(site_name)}",
        f'<div class="sima-hero"><p>Validated by <code>sima-check</code>: every page carries its metadata, '
        f"its compliance result and working cross-references.</p>"
        f'<div class="sima-tiles">{tiles}</div></div>',
        "## Compliance", summary,
        "## Recently updated", table(["Entry", "REF-ID", "Date"], recent_rows),
        "## By category", _countertable("Category", by["Category"], total),
        "## By type", _countertable("Type", by["Type"], total),
        "## By status", _countertable("Status", by["Status"], total),
    )

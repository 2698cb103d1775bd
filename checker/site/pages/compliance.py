"""The compliance dashboard: every checked file with its findings; the files not published."""
from __future__ import annotations

from collections import Counter

from ..data import SiteData
from ..html import Linker, esc, inline
from .common import block, entry_link, rule_ref, table
from .paths import Paths


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
                + rule_ref(f.code, f.rule, linker, paths) + f" {inline(f.message)}</li>"
                for f in sorted(fs, key=lambda f: (-f.severity, f.line, f.code))
            )
            details.append(f"<details data-search-exclude><summary>{entry_link(rel, data, linker)} ({len(fs)})</summary><ul class=\"sima-findings\">{items}</ul></details>")
    by_rule = Counter((f.code, f.rule, str(f.severity)) for fs in data.findings.values() for f in fs)
    rule_rows = [
        [rule_ref(code, name, linker, paths), esc(sev), str(n)]
        for (code, name, sev), n in sorted(by_rule.items())
    ]
    c = data.counts()
    parts = [
        "# Compliance dashboard",
        f'<p class="sima-lead">{len(data.entries)} files checked with the project\'s <code>[tool.sima-check]</code> '
        f'settings: {c["error"]} errors, {c["warning"]} warnings, {c["info"]} infos. '
        f"Error findings {_mode_text(data.mode)}.</p>",
        "## Files", table(["File", "Kind", "Errors", "Warnings", "Info", "Rules"], rows, "sima-compliance-table").replace("<div ", "<div data-search-exclude ", 1),
        "## Findings by rule", table(["Rule", "Severity", "Findings"], rule_rows) if rule_rows else "<p>No findings.</p>",
    ]
    if details:
        parts += ["## Findings by file", "".join(details)]
    if data.excluded:
        items = "".join(
            f"<li><code>{esc(rel)}</code><ul>"
            + "".join(f"<li>line {f.line}: {rule_ref(f.code, f.rule, linker, paths)} {inline(f.message)}</li>" for f in errs)
            + "</ul></li>"
            for rel, errs in sorted(data.excluded.items())
        )
        parts += ["## Not published", f'<p>These files are not on the site: they have error findings (<code>on_violation: exclude</code>), '
                  f'are not valid UTF-8, or are symlinks leading out of the knowledge base.</p><ul class="sima-excluded">{items}</ul>']
    return block(*parts)


def _mode_text(mode: str) -> str:
    return {
        "fail": "stop the build (<code>on_violation: fail</code>)",
        "exclude": "keep a file off the site (<code>on_violation: exclude</code>)",
        "warn": "are logged and the files published anyway (<code>on_violation: warn</code>)",
    }.get(mode, esc(mode))

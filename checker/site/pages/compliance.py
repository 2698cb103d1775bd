"""The compliance dashboard, bounded however large the KB grows (issue 11), and a filterable,
sortable tool where JavaScript runs (issue 12 §3).

Layout:
- The first page (`Paths.compliance`) holds the totals, the per-rule counts (rules are a fixed
  set), the per-folder counts (top-level folders, at most `FOLDERS_MAX`), page 1 of the file
  table, the pager, and the files that are not published (at most `EXCLUDED_MAX`, each linking
  to the row that lists its errors).
- The file table is split into static pages of `PAGE_SIZE` rows in path order
  (`Paths.compliance_page(n)`, out of the nav). Every checked file is on exactly one page; a
  row is the file link, kind, errors, warnings, infos and its rule badges, so without
  JavaScript everything is there, two clicks from the dashboard at most (pager, folder link).
- All rows are also in one JSON file (`Paths.compliance_data`, see `dashrows.rows_json`).
  `assets/dashboard.js` loads it and replaces the static table by one table over every row,
  with a filter box (`?q=` in the URL), sortable columns and counts that set the filter.
- The old "Findings by file" details are gone: their messages grew with the KB, and each
  entry page already lists its own findings with messages. A file that is not published has
  no entry page, so its row on the paged table lists its first `MESSAGES_MAX` errors.

Every page of the table has the catalogues' page bar of fixed size (`paging.page_bar`); the
first page also lists every page with the files it holds (`paging.page_list`), the one part
that grows with the KB (about 80 bytes per `PAGE_SIZE` files)."""
from __future__ import annotations

from ..data import SiteData
from ..html import Linker, esc, inline
from .common import block, entry_link, rule_ref
from .dashrows import ROOT_FOLDER, SEVERITIES, Row, dashboard_rows, folder_counts, rule_counts, rows_json
from .paging import memo, page_bar, page_list
from .paths import Paths

PAGE_SIZE = 100  # rows per static page of the file table
FOLDERS_MAX = 100  # folders listed on the first page; the rest are reached through the pager
EXCLUDED_MAX = 50  # unpublished files listed on the first page
MESSAGES_MAX = 10  # error messages of one unpublished file on its row


class Dashboard:
    """The dashboard's pages and data file over rows computed once per build."""

    def __init__(self, data: SiteData, paths: Paths) -> None:
        self.data, self.paths = data, paths
        self.rows = memo(data, "dashboard-rows", lambda: dashboard_rows(data))  # the registry and the data file share them

    @property
    def page_count(self) -> int:
        """Pages of the file table (at least one, which is the dashboard itself)."""
        return max(1, -(-len(self.rows) // PAGE_SIZE))

    def page_of(self, index: int) -> int:
        """The page (from 1) that holds row `index`."""
        return index // PAGE_SIZE + 1

    def first_page(self, linker: Linker) -> str:
        """Totals, per-rule and per-folder counts, page 1 of the file table, what is not published."""
        return compliance_page(self.data, linker, self.paths, self)

    def page(self, n: int, linker: Linker) -> str:
        """Page `n` (from 2) of the file table."""
        lo = (n - 1) * PAGE_SIZE
        last = min(lo + PAGE_SIZE, len(self.rows))
        return block(
            f"# Compliance: files {lo + 1}\u2013{last}",
            f'<p class="sima-lead">Page {n} of {self.page_count} of the files checked, in path order. '
            f'<a href="{esc(linker.href(self.paths.compliance) or "")}">Back to the compliance dashboard</a> '
            "for the totals, the counts by rule and folder, and the filter.</p>",
            '<div class="sima-dash-page" data-search-exclude>' + self._table(n, linker) + "</div>",
        )

    def json(self, linker: Linker) -> str:
        """The data file: every row, hrefs relative to the file's own URL."""
        return rows_json(self.rows, self.data, linker, self.paths)

    # -- parts ---------------------------------------------------------------------------

    def _table(self, n: int, linker: Linker) -> str:
        rows = self.rows[(n - 1) * PAGE_SIZE : n * PAGE_SIZE]
        head = "".join(f"<th>{h}</th>" for h in ("File", "Kind", "Errors", "Warnings", "Infos", "Rules"))
        body = "".join(self._row(r, linker) for r in rows)
        table = (f'<div class="sima-table sima-compliance-table"><table><thead><tr>{head}</tr></thead>'
                 f"<tbody>{body}</tbody></table></div>")
        pager = self._pager(n, linker)
        return pager + table + pager

    def _row(self, r: Row, linker: Linker) -> str:
        file = entry_link(r.path, self.data, linker) + f'<br><code class="sima-path">{esc(r.path)}</code>'
        if not r.published:
            errs = self.data.excluded.get(r.path, [])
            items = "".join(
                f"<li>line {f.line}: {rule_ref(f.code, f.rule, linker, self.paths)} {inline(f.message)}</li>"
                for f in errs[:MESSAGES_MAX]
            )
            more = f"<li>and {len(errs) - MESSAGES_MAX} more</li>" if len(errs) > MESSAGES_MAX else ""
            file += ' <span class="sima-unpublished">not published</span>'
            if items:
                file += f'<ul class="sima-dash__errors">{items}{more}</ul>'
        nums = "".join(
            f'<td><span class="sima-n sima-n--{k}">{v}</span></td>' if v else "<td></td>"
            for k, v in zip(SEVERITIES, r.counts)
        )
        badges = _badges(r, linker, self.paths) or '<span class="sima-state sima-state--clean">clean</span>'
        return f'<tr id="row-{r.index}"><td>{file}</td><td>{esc(r.kind)}</td>{nums}<td>{badges}</td></tr>'

    def _pages(self) -> tuple[list[str], list[str]]:
        """The table's pages: source paths and the files each holds."""
        srcs = [self.paths.compliance_page(k) for k in range(1, self.page_count + 1)]
        ranges = [f"files {lo + 1}\u2013{min(lo + PAGE_SIZE, len(self.rows))}" for lo in range(0, self.page_count * PAGE_SIZE, PAGE_SIZE)]
        return srcs, ranges

    def _pager(self, n: int, linker: Linker) -> str:
        srcs, ranges = self._pages()
        return page_bar(linker, srcs, n, ranges)

    def pages_html(self, linker: Linker) -> str:
        """Every page of the table with the files it holds ('' for one page)."""
        return page_list(linker, *self._pages())

    def row_href(self, index: int, linker: Linker) -> str:
        """Link to row `index` on its page."""
        return linker.href(self.paths.compliance_page(self.page_of(index)), f"row-{index}") or ""


def _badges(r: Row, linker: Linker, paths: Paths) -> str:
    out = []
    for code, sev, n in r.rules:
        href = linker.href(paths.rule(code))
        label = esc(code) + (f" \u00d7{n}" if n > 1 else "")
        out.append(f'<a class="sima-badge sima-badge--{sev}" href="{esc(href)}">{label}</a>' if href else label)
    return " ".join(out)


def compliance_page(data: SiteData, linker: Linker, paths: Paths, dash: Dashboard | None = None) -> str:
    """The dashboard's first page (see the module docstring for the layout)."""
    dash = dash or Dashboard(data, paths)
    c = data.counts()
    n = len(dash.rows)
    data_href = linker.href(paths.compliance_data) or ""
    totals = " ".join(
        f'<a class="sima-dash__total sima-n--{k}" href="#files" data-q="{k}">{c[k]} {k}{"s" if c[k] != 1 else ""}</a>'
        for k in SEVERITIES
    )
    tools = (
        '<div class="sima-dash__tools" hidden><label for="sima-dash-q">Filter</label> '
        '<span class="sima-dash__q" data-id="sima-dash-q" data-placeholder="SIMA202, error, a path\u2026"></span> <button type="button" class="sima-dash__clear">Clear</button> '
        '<span class="sima-dash__status" role="status" aria-live="polite"></span>'
        '<p class="sima-dash__help">Every word must match: a rule code, a severity (error, warning, info), '
        "a kind, or part of a path or title; <code>^</code> anchors a path at its start; quotes keep spaces in a word.</p></div>"
    )
    first = (
        f'<p class="sima-dash__range">Files 1\u2013{min(PAGE_SIZE, n)} of {n}, in path order.</p>'
        if dash.page_count > 1 else ""
    )
    dashboard = (
        f'<div class="sima-dash" data-rows="{esc(data_href)}" data-search-exclude>'
        f'<p class="sima-dash__totals">Findings: {totals}</p>'
        f'<div class="sima-dash__counts">{_by_rule(data, linker, paths)}{_by_folder(dash, linker)}</div>'
        f'<h2 id="files">Files</h2>{tools}'
        f'<div class="sima-dash__static">{first}{dash._table(1, linker)}{dash.pages_html(linker)}</div>'
        '<div class="sima-dash__live" hidden></div></div>'
    )
    parts = [
        "# Compliance dashboard",
        f'<p class="sima-lead">{n} files checked with the project\'s <code>[tool.sima-check]</code> '
        f'settings: {c["error"]} errors, {c["warning"]} warnings, {c["info"]} infos. '
        f"Error findings {_mode_text(data.mode)}.</p>",
        dashboard,
    ]
    if data.excluded:
        listed = [r for r in dash.rows if not r.published][:EXCLUDED_MAX]
        items = "".join(
            f'<li><a href="{esc(dash.row_href(r.index, linker))}"><code>{esc(r.path)}</code></a> '
            f"({len(data.excluded.get(r.path, []))} errors)</li>"
            for r in listed
        )
        more = len(data.excluded) - len(listed)
        tail = f"<p>And {more} more, marked <em>not published</em> in the file table.</p>" if more > 0 else ""
        parts += ["## Not published", f'<p>These files are not on the site: they have error findings (<code>on_violation: exclude</code>), '
                  f'are not valid UTF-8, or are symlinks leading out of the knowledge base. Each links to its row, '
                  f'which lists its errors.</p><ul class="sima-excluded">{items}</ul>{tail}']
    return block(*parts)


def _by_rule(data: SiteData, linker: Linker, paths: Paths) -> str:
    rows = []
    for rc in rule_counts(data):
        href = esc(linker.href(paths.rule(rc.code)) or "")
        q = esc(rc.code)
        rows.append(
            f"<tr><td>{rule_ref(rc.code, rc.name, linker, paths)}</td><td>{esc(rc.severity)}</td>"
            f'<td><a class="sima-dash__count" href="{href}" data-q="{q}">{rc.files}</a></td>'
            f'<td><a class="sima-dash__count" href="{href}" data-q="{q}">{rc.findings}</a></td></tr>'
        )
    if not rows:
        return '<section class="sima-dash__by"><h2 id="by-rule">By rule</h2><p>No findings.</p></section>'
    return ('<section class="sima-dash__by"><h2 id="by-rule">By rule</h2><div class="sima-table"><table><thead><tr>'
            "<th>Rule</th><th>Severity</th><th>Files</th><th>Findings</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div></section>")


def _by_folder(dash: Dashboard, linker: Linker) -> str:
    folders = folder_counts(dash.rows)
    rows = []
    for fc in folders[:FOLDERS_MAX]:
        href = esc(dash.row_href(fc.first, linker))
        word = f'"{fc.folder}/"' if any(ch.isspace() for ch in fc.folder) else f"{fc.folder}/"  # the script splits on spaces
        q = f' data-q="^{esc(word)}"' if fc.folder != ROOT_FOLDER else ""
        nums = "".join(f'<td><span class="sima-n sima-n--{k}">{v}</span></td>' if v else "<td></td>" for k, v in zip(SEVERITIES, fc.counts))
        rows.append(f'<tr><td><a href="{href}"{q}><code>{esc(fc.folder)}</code></a></td>'
                    f'<td><a class="sima-dash__count" href="{href}"{q}>{fc.files}</a></td>{nums}</tr>')
    more = len(folders) - FOLDERS_MAX
    tail = f"<p>And {more} more folders, in the file table.</p>" if more > 0 else ""
    return ('<section class="sima-dash__by"><h2 id="by-folder">By folder</h2><div class="sima-table"><table><thead><tr>'
            "<th>Folder</th><th>Files</th><th>Errors</th><th>Warnings</th><th>Infos</th></tr></thead><tbody>"
            + "".join(rows) + f"</tbody></table></div>{tail}</section>")


def _mode_text(mode: str) -> str:
    return {
        "fail": "stop the build (<code>on_violation: fail</code>)",
        "exclude": "keep a file off the site (<code>on_violation: exclude</code>)",
        "warn": "are logged and the files published anyway (<code>on_violation: warn</code>)",
    }.get(mode, esc(mode))

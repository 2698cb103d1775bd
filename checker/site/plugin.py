"""The `sima` MkDocs plugin: thin glue between MkDocs and the checker and page builders.

Hooks used, and why:
- on_config: load the checker's `[tool.sima-check]` settings once and register the CSS/JS assets.
- on_files: run the checker over `docs_dir` (once per build, so `mkdocs serve` re-checks on
  every edit), apply `on_violation`, add the generated pages and assets as generated files,
  and set the navigation (files are final here and the nav is not built yet).
- on_nav: record every page's URL so links can be written relative to each page.
- on_page_markdown: replace a page's Markdown with the builders' output.
- on_page_content: last-line defence, no `javascript:`-style URL survives in the HTML.
- on_serve: also watch the checker's settings file.
"""
from __future__ import annotations

import posixpath
from dataclasses import replace
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..api import check
from ..config import ConfigError, load as load_config
from ..rules import RULES
from . import comparison, pages, patterns
from .data import MODES, SiteData, prepare
from .links import Linker, neutralize
from .nav import site_nav
from .render import humanize, nav_title

log = get_plugin_logger("sima")

ASSET_DIR = Path(__file__).resolve().parent / "assets"
ASSETS = ("site.css",) + tuple(comparison.ASSETS)
ASSET_URI = "assets/sima/"
MAX_LISTED = 40  # error findings listed when the build stops


class SimaConfig(base.Config):
    """Options of the `sima` plugin in mkdocs.yml."""

    on_violation = c.Choice(MODES, default="fail")
    """What error findings do: `fail` stops the build listing them; `exclude` publishes only the
    files without errors (listed on the compliance page); `warn` publishes all and logs them."""

    checker_config = c.Optional(c.Type(str))
    """Settings file for the checker; default: `.sima-check.toml`, else `pyproject.toml`, next to mkdocs.yml."""

    pages_dir = c.Type(str, default="catalog")
    """Folder of the generated pages (indexes, compliance, rules, patterns) in the site."""

    nav = c.Type(bool, default=True)
    """Build the navigation from the KB's folders (ignored when mkdocs.yml has its own `nav`)."""


class SimaPlugin(BasePlugin[SimaConfig]):
    """Publish a SIMA knowledge base validated by sima-check."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.project = Path(config.config_file_path or ".").resolve().parent
        explicit = self.config.checker_config
        try:
            self.checker = load_config(self.project / explicit if explicit else None, cwd=self.project)
        except ConfigError as exc:
            raise PluginError(f"sima: {exc}") from None
        self.settings_file = next(
            (p for p in ([self.project / explicit] if explicit else [self.project / ".sima-check.toml", self.project / "pyproject.toml"]) if p.is_file()),
            None,
        )
        self.paths = pages.Paths(self.config.pages_dir.strip("/") or "catalog")
        self.site_name = config.site_name
        for name in ASSETS:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if ASSET_URI + name not in [str(x) for x in target]:
                target.append(ASSET_URI + name)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = Path(config.docs_dir)
        result = check([root], self.checker, jobs=1, keep=True, cwd=self.project)
        if result.io_errors:
            raise PluginError("sima: cannot read " + "; ".join(f"{p}: {why}" for p, why in result.io_errors))
        self.data = prepare(result.kbs[root], result.checked[root], result.findings, self.config.on_violation, patterns.extract)
        self._report(self.data, result.summary())
        for rel in self.data.excluded:
            f = files.get_file_from_path(rel)
            if f is not None:
                files.remove(f)
        self._claim_home(files)
        self.generated = self._generated_pages()
        p = self.paths
        self._unsearched = {p.refids, p.keywords, p.compliance, p.comparison, p.pattern_list, p.rules}
        for src in self.generated:
            if files.get_file_from_path(src) is not None:
                raise PluginError(f"sima: {src} exists in the KB; set the plugin's `pages_dir` to a free folder")
            f = File.generated(config, src, content="")
            if src == self.paths.home:
                f.dest_uri = "index.html"
            files.append(f)
        for name in ASSETS:
            files.append(File.generated(config, ASSET_URI + name, abs_src_path=str(ASSET_DIR / name)))
        if self.config.nav and (not config.nav or config.nav is getattr(self, "_own_nav", None)):
            config.nav = self._own_nav = self._nav(files)
        return files

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
        return nav

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        linker = Linker(src, self.urls)
        if src in self.generated:
            if src == self.paths.comparison:
                page.meta.setdefault("hide", ["toc"])  # Material: the wide tables take the TOC column
            if src in self._unsearched:
                page.meta["search"] = {"exclude": True}  # Material: catalogues repeat the entries' text
            return self.generated[src](linker)
        entry = self.data.entries.get(src)
        if entry is None or not entry.text:
            return markdown
        if "title" in page.meta:
            page.meta["title"] = nav_title(self.data.titles[src])
        pset = self.data.patterns.get(src)
        extra = comparison.comparison_table(pset, "") + "\n" + comparison.selector_html(entry, pset, "") if pset else ""
        return pages.entry_page(entry, self.data, linker, self.paths, extra)

    def on_page_content(self, html: str, page, config: MkDocsConfig, files: Files) -> str:
        return neutralize(html)

    def on_serve(self, server, config: MkDocsConfig, builder):
        if self.settings_file is not None:
            server.watch(str(self.settings_file))
        return server

    # -- helpers ------------------------------------------------------------------------

    def _report(self, data: SiteData, summary: dict[str, int]) -> None:
        log.info(
            f"checked {len(data.entries)} files: {summary['error']} errors, "
            f"{summary['warning']} warnings, {summary['info']} infos"
        )
        errors = data.errors()
        if not errors:
            return
        mode = self.config.on_violation
        if mode == "fail":
            shown = [f"{f.path}:{f.line}:{f.column}: {f.code} [error] {f.message}" for f in errors[:MAX_LISTED]]
            more = f"\n  ... and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
            raise PluginError(
                f"sima: {len(errors)} error finding(s) (on_violation: fail):\n  " + "\n  ".join(shown) + more
            )
        if mode == "exclude":
            log.info(f"not publishing {len(data.excluded)} file(s) with errors (listed on the compliance page)")
        else:
            for f in errors:
                log.warning(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")

    def _claim_home(self, files: Files) -> None:
        """The generated home page takes `index.html`; a KB root README/index moves to its own URL."""
        if files.get_file_from_path(self.paths.home) is not None:
            self.paths = replace(self.paths, home=f"{self.paths.base}/home.md")
        for f in list(files.documentation_pages()):
            if f.dest_uri == "index.html":
                stem = posixpath.splitext(f.src_uri)[0].lower()
                dest = f"{stem}/index.html" if f.use_directory_urls else f"{stem}.html"
                files.remove(f)
                files.append(File(f.src_uri, f.src_dir, f.dest_dir, f.use_directory_urls, dest_uri=dest))

    def _generated_pages(self) -> dict:
        d, p = self.data, self.paths
        out = {
            p.home: lambda ln: pages.home_page(d, ln, p, self.site_name),
            p.refids: lambda ln: pages.refid_index(d, ln),
            p.keywords: lambda ln: pages.keyword_index(d, ln),
            p.compliance: lambda ln: pages.compliance_page(d, ln, p),
            p.comparison: lambda ln: pages.comparison(d, ln, lambda items: comparison.comparison_page(items, grammar=d.kb.grammar)),
            p.pattern_list: lambda ln: pages.pattern_list(d, ln, p, comparison.anchor_id),
            p.rules: lambda ln: pages.rules_index(d, ln, p),
        }
        for r in RULES:
            out[p.rule(r.code)] = lambda ln, r=r: pages.rule_page(r, d, ln, p)
        return out

    def _nav(self, files: Files) -> list:
        p = self.paths
        kb_pages = [
            (rel, nav_title(self.data.titles.get(rel) or humanize(posixpath.splitext(posixpath.basename(rel))[0])))
            for rel in (f.src_uri for f in files.documentation_pages())
            if rel not in self.generated
        ]
        head = [
            {"Home": p.home},
            {"Catalogue": [
                {"REF-ID index": p.refids}, {"Keyword index": p.keywords},
                {"Pattern comparison": p.comparison}, {"All patterns": p.pattern_list},
                {"Compliance": p.compliance},
                {"Rules": [p.rules] + [{f"{r.code} {r.name}": p.rule(r.code)} for r in RULES]},
            ]},
        ]
        return site_nav(head, kb_pages)



"""The `sima` MkDocs plugin: thin glue between MkDocs and the checker and page builders.

Hooks used, and why:
- on_startup: its presence keeps one plugin instance across `mkdocs serve` rebuilds, so the
  pattern extraction of unchanged entries is reused (the check's own cache does the rest).
- on_config: load the checker's `[tool.sima-check]` settings once and register the CSS/JS assets.
- on_files: run the checker over `docs_dir` (once per build, with its cache outside `docs_dir`,
  so a rebuild re-parses only edited files), apply `on_violation`, add the generated pages
  (`pages.generated_pages`, the one registry) and assets, and set the navigation (files are
  final here and the nav is not built yet).
- on_nav: record every page's URL so links can be written relative to each page; fill the
  generated data files (JSON the catalogue pages' scripts load), whose links need those URLs;
  under `serve --dirty`, write the generated files' own sources (before MkDocs reads any page).
  On `mkdocs build` it then starts the helper process that renders pages from the end of the
  list (`parallel`), when the build's page hooks are this plugin's own.
- on_page_markdown: replace a page's Markdown with the builders' output; the generated HTML
  blocks (card, compliance, comparison, backlinks, catalogue tables) are held in `Slots` and
  Python-Markdown only sees a placeholder comment for each.
- on_page_content: put the body's held links in (plain-labelled cross-references, written as
  finished `<a>` so Python-Markdown and MkDocs do not parse and validate each), before search
  indexes the page; then the last-line defence: no `javascript:`-style URL survives in the HTML.
- on_post_page: put the held blocks in. After search indexed the page, so they stay out of
  the search index without Material parsing them.
- on_env / on_build_error: stop the helper process.
- on_serve: also watch the checker's settings file.
"""
from __future__ import annotations

import posixpath
import secrets
import tempfile
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..model import Entry
from . import build, pages, parallel, patterns
from .build import ASSET_DIR, ASSET_URI, ASSETS
from .data import MODES, SiteData
from .html import Linker, neutralize
from .render import nav_title

log = get_plugin_logger("sima")



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

    cache = c.Type(bool, default=True)
    """Keep the checker's cache (`.sima-check-cache` beside mkdocs.yml, or a temporary folder when
    that is inside `docs_dir`), so a rebuild re-parses only the files that changed."""

    parallel = c.Type(bool, default=True)
    """On `mkdocs build`, render pages in a second process as well (Linux, two or more CPUs, no
    other plugin with page hooks); the site is the same either way."""


class SimaPlugin(BasePlugin[SimaConfig]):
    """Publish a SIMA knowledge base validated by sima-check."""

    def __init__(self) -> None:
        super().__init__()
        self._patterns: dict[tuple[str, str], object] = {}  # (relpath, text) -> PatternSet, across rebuilds
        self._checked: dict = {}  # the last build's checked files (`api.check(reuse=...)`)
        self._memo: dict = {}  # the last build's titles and backlinks (`data.prepare(memo=...)`)
        self._slots: dict[str, pages.Slots] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so MkDocs keeps this instance across `mkdocs serve` rebuilds. Under
        `mkdocs serve --dirty` the generated pages get source files of their own, rewritten
        only when their text changes, so a rebuild renders just them and the edited pages."""
        self._command, self._dirty_build = command, dirty
        if command == "serve" and dirty:
            self._dirty = tempfile.TemporaryDirectory(prefix="sima-pages-")
            self._inputs, self._texts = {}, {}  # the sources live in this new folder

    _dirty: tempfile.TemporaryDirectory | None = None
    _command: str | None = None  # None when MkDocs' build is called without its command line
    _dirty_build = False  # `--dirty`: MkDocs skips unchanged pages, a helper process would not
    _helper: parallel.Helper | None = None
    _remote: set[str] | frozenset = frozenset()  # pages the helper rendered, until on_page_content

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.project = Path(config.config_file_path or ".").resolve().parent
        try:
            self.checker = build.load_settings(self.project, self.config.checker_config)
        except build.SiteError as exc:
            raise PluginError(str(exc)) from None
        self.settings_file = build.settings_file(self.project, self.config.checker_config)
        try:
            self.paths = pages.Paths(pages.pages_base(self.config.pages_dir))
        except ValueError as exc:
            raise PluginError(f"sima: {exc}") from None
        self.site_name = config.site_name
        for name in ASSETS:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if ASSET_URI + name not in [str(x) for x in target]:
                target.append(ASSET_URI + name)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = Path(config.docs_dir)
        cache = build.cache_dir(self.project, root) if self.config.cache else None
        self._kept: dict[tuple[str, str], object] = {}
        try:
            self.data, summary = build.check_site(
                root, self.checker, self.config.on_violation, extract=self._extract, cache=cache, cwd=self.project,
                reuse=self._checked, memo=self._memo,
            )
        except build.SiteError as exc:
            raise PluginError(str(exc)) from None
        self._patterns = self._kept  # only this build's files stay remembered
        self._report(self.data, summary)
        for rel in self.data.excluded:
            f = files.get_file_from_path(rel)
            if f is not None:
                files.remove(f)
        self._claim_home(files)
        self._carry_layouts()
        self.registry = pages.generated_pages(self.data, self.paths, self.site_name)
        self.generated = {page.src: page for page in self.registry}
        self._slot_key = secrets.token_hex(4)  # an author's comment cannot name a slot
        self._slots = {}
        self._inline: dict[str, pages.Slots] = {}
        self.data_files = {d.src: d for d in pages.generated_data(self.data, self.paths)}
        for src in [*self.generated, *self.data_files]:
            if files.get_file_from_path(src) is not None:
                raise PluginError(f"sima: {src} exists in the KB; set the plugin's `pages_dir` to a free folder")
            f = self._generated_file(src, config)
            if src == self.paths.home:
                f.dest_uri = "index.html"
            files.append(f)
        self._built = {}
        for name in ASSETS:
            files.append(File.generated(config, ASSET_URI + name, abs_src_path=str(ASSET_DIR / name)))
        if self.config.nav and (not config.nav or config.nav is getattr(self, "_own_nav", None)):
            sources = [f.src_uri for f in files.documentation_pages()]
            config.nav = self._own_nav = build.navigation(self.data, self.registry, sources)
        return files

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
        for src in self.data_files:
            self.urls[src] = files.get_file_from_path(src).url
        if self._dirty is None:
            for src, gen in self.data_files.items():
                files.get_file_from_path(src).content_string = gen.build(Linker(src, self.urls))
        else:
            self._write_sources()
        self._remote: set[str] = set()
        use_helper = self.config.parallel and not self._dirty_build
        if use_helper and parallel.eligible(self._command, config, self, len(self.urls)):
            from mkdocs.commands.build import _populate_page  # MkDocs' own page step, run by the helper

            doc = [f for f in files.documentation_pages() if f.page is not None]
            self._helper = parallel.Helper.start(doc, _populate_page, (config, files), self)
        return nav

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        done = self._helper.take(src) if self._helper is not None else None
        if done is not None:  # the helper process rendered this page: take its results
            done.replay_logs()
            page.meta = done.meta
            if done.state is not None:
                self._slots[src] = done.state
            page.render = lambda config, files: done.install(page, files)
            self._remote.add(src)
            return done.markdown
        linker = Linker(src, self.urls)
        slots = self._slots[src] = pages.Slots(self._slot_key)
        if src in self.generated:
            gen = self.generated[src]
            for key, value in gen.meta.items():
                page.meta.setdefault(key, value)
            if not gen.searchable:
                page.meta["search"] = {"exclude": True}  # Material: catalogues repeat the entries' text
            built = self._built.pop(src, None)
            return slots.lift(built if built is not None else gen.build(linker))
        inline = self._inline[src] = pages.Slots(self._slot_key + "i")
        page_md = pages.entry_markdown(src, self.data, linker, self.paths, slots, inline)
        if page_md is None:
            return markdown
        if "title" in page.meta:
            page.meta["title"] = nav_title(self.data.titles[src])
        if self.data.patterns.get(src):
            page.meta.setdefault("hide", ["toc", "navigation"])  # Material: the comparison takes the full width
        return page_md

    def on_page_content(self, html: str, page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self._remote:  # the helper's HTML is final
            self._remote.discard(page.file.src_uri)
            del page.render
            return html
        inline = self._inline.pop(page.file.src_uri, None)  # the body's links: before search indexes it
        return neutralize(inline.fill(html) if inline is not None else html)

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        slots = self._slots.pop(page.file.src_uri, None)
        return slots.fill(output, neutralize) if slots is not None else output

    def on_env(self, env, config: MkDocsConfig, files: Files):
        self._stop_helper()
        return env

    def on_build_error(self, error: Exception) -> None:
        self._stop_helper(at_once=True)

    def on_serve(self, server, config: MkDocsConfig, builder):
        if self.settings_file is not None:
            server.watch(str(self.settings_file))
        return server

    # -- helpers ------------------------------------------------------------------------

    def _page_state(self, src: str):
        """What this plugin keeps of a page between on_page_markdown and on_post_page (the
        helper process sends it with the page)."""
        return self._slots.pop(src, None)

    def _stop_helper(self, at_once: bool = False) -> None:
        if self._helper is not None:
            self._helper.close(stop=at_once)
            log.debug(f"{self._helper.done} pages rendered in a second process")
            self._helper = None

    def _generated_file(self, src: str, config: MkDocsConfig) -> File:
        """A generated page's or data file's File: content filled later, or under `serve
        --dirty` a source file of its own (see `_write_source`)."""
        if self._dirty is None:
            return File.generated(config, src, content="")  # pages: built in on_page_markdown; data: on_nav
        return File(src, self._dirty.name, config.site_dir, config.use_directory_urls)

    def _carry_layouts(self) -> None:
        """Under `mkdocs serve`: the catalogue layouts of the families whose inputs are as in the
        last build (`pages.family_inputs`) are taken from it instead of computed again."""
        if self._command != "serve":
            return
        inputs = pages.family_inputs(self.data)
        last = self._last
        if last is not None:
            pages.carry_layouts(last[0], self.data, {f for f, v in inputs.items() if last[1].get(f) == v})
        self._last = (self.data, inputs)

    _last: tuple | None = None  # under serve: the last build's SiteData and `family_inputs`

    def _write_sources(self) -> None:
        """`serve --dirty`: the generated files' own sources, built again except for the families
        whose inputs and URLs are as in the last build (`pages.family_inputs`): those keep their text."""
        known = self._last[1] if self._last is not None else pages.family_inputs(self.data)  # set in on_files under serve
        inputs = {family: (value, self.urls, self.paths, self.site_name) for family, value in known.items()}
        same = {family for family, value in inputs.items() if self._inputs.get(family) == value}
        texts = {}
        for src, gen in [*self.data_files.items(), *self.generated.items()]:
            text = self._texts.get(src) if gen.family in same else None
            texts[src] = text if text is not None else self._write_source(src, gen.build(Linker(src, self.urls)))
            if src in self.generated:
                self._built[src] = texts[src]
        self._inputs, self._texts = inputs, texts

    _inputs: dict = {}  # serve --dirty: the last build's `family_inputs` (with URLs, paths, site name)
    _texts: dict[str, str] = {}  # serve --dirty: the last build's generated texts

    def _write_source(self, src: str, text: str) -> str:
        """`serve --dirty`: rewrite a generated file's own source only when its text changed;
        MkDocs then rebuilds just those (and the edited entries: other pages keep their
        backlinks until a full build). Returns the text."""
        path = Path(self._dirty.name) / src
        try:
            same = path.read_text(encoding="utf-8") == text
        except OSError:
            same = False
        if not same:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return text

    def _report(self, data: SiteData, summary: dict[str, int]) -> None:
        log.info(
            f"checked {len(data.entries)} files: {summary['error']} errors, "
            f"{summary['warning']} warnings, {summary['info']} infos"
        )
        stop = build.violations(data)
        if stop is not None:
            raise PluginError(stop)
        errors = data.errors()
        if not errors:
            return
        mode = self.config.on_violation
        if mode == "exclude":
            log.info(f"not publishing {len(data.excluded)} file(s) with errors (listed on the compliance page)")
        else:
            for f in errors:
                log.warning(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")

    def _claim_home(self, files: Files) -> None:
        """The generated home page takes `index.html`; a KB root README/index moves to its own URL."""
        self.paths = build.claim_home(self.paths, [f.src_uri for f in files.documentation_pages()])
        for f in list(files.documentation_pages()):
            if f.dest_uri == "index.html":
                url = build.moved_root_page(f.src_uri) or posixpath.splitext(f.src_uri)[0].lower() + "/"
                dest = f"{url}index.html" if f.use_directory_urls else f"{url[:-1]}.html"
                files.remove(f)
                files.append(File(f.src_uri, f.src_dir, f.dest_dir, f.use_directory_urls, dest_uri=dest))

    def _extract(self, entry: Entry):
        """`patterns.extract`, remembered across rebuilds for unchanged files."""
        key = (entry.relpath, entry.text)
        found = self._patterns.get(key)
        if found is None:
            found = patterns.extract(entry)
        self._kept[key] = found
        return found

"""Pages read and rendered in a second process during `mkdocs build`.

MkDocs reads and renders every page's Markdown in one loop, on one CPU. On `mkdocs build`
(not `serve`: its server threads make forking unsafe), on Linux with two or more CPUs and at
least `MIN_PAGES` pages, `Helper.start` forks a process after the navigation is final. It
takes pages from the end of the list (the catalogue pages first, then entries backwards) and
runs MkDocs' own page step on each (`_populate_page`: read, every plugin's Markdown hook,
Python-Markdown, every plugin's content hook), while MkDocs takes pages from the front. A
shared pair of counters says who has which page; where the two meet, MkDocs takes the helper's
results instead of rendering: the page's Markdown, metadata, HTML, table of contents, title,
anchors and the plugin's held blocks, plus the log records the page produced, logged again in
MkDocs' process at the page's place (so `--strict` counts them and the log reads as before).

The helper is used only when the page hooks of the build are the `sima` plugin's own: another
plugin's page hooks would run twice or keep state in the wrong process. A page the helper
fails on, or a helper that dies, falls back to MkDocs rendering that page itself, so errors
are reported exactly as without the helper. The built site is the same byte for byte.
"""
from __future__ import annotations

import gc
import logging
import pickle
import queue
import sys
import threading
import time
from dataclasses import dataclass, field

from ..run.pool import can_fork, cpu_count

MIN_PAGES = 40  # below this, starting the process costs more than it saves
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content")
_WAIT = 0.5  # seconds between checks that the helper still runs


@dataclass
class Rendered:
    """What MkDocs' page step left on one page, to be put on the same page in MkDocs' process."""

    markdown: str
    meta: dict
    content: str
    toc: object
    title: str | None
    anchors: set | None
    links: dict | None  # links_to_anchors, keyed by the target's src_uri instead of its File
    state: object  # the plugin's per-page state (`SimaPlugin._page_state`)
    logs: list = field(default_factory=list)  # (logger name, level, message)

    def install(self, page, files) -> None:
        """Set the page as MkDocs' `render` would have."""
        page.content, page.toc, page._title_from_render = self.content, self.toc, self.title
        page.present_anchor_ids = self.anchors
        if self.links is not None:
            page.links_to_anchors = {
                f: v for f, v in ((files.get_file_from_path(k), v) for k, v in self.links.items()) if f is not None
            }

    def replay_logs(self) -> None:
        for name, level, message in self.logs:
            logging.getLogger(name).log(level, message)  # no args: the message is not %-formatted again


def eligible(command: str | None, config, plugin, pages: int) -> bool:
    """Whether this build renders with a helper process: `mkdocs build` (or gh-deploy) on Linux
    with two CPUs or more, one thread, enough pages, no page hooks but `plugin`'s, and no nav
    hook after `plugin`'s (the helper is forked there)."""
    if command not in ("build", "gh-deploy") or not can_fork() or pages < MIN_PAGES:
        return False
    if cpu_count() < 2 or threading.active_count() > 1:
        return False
    build = sys.modules.get("mkdocs.commands.build")
    if build is None or not hasattr(build, "_populate_page"):
        return False
    events = getattr(config.plugins, "events", None)
    if not isinstance(events, dict):
        return False
    nav = events.get("nav", [])
    if nav and getattr(nav[-1], "__self__", None) is not plugin:
        return False  # a later nav hook would change pages or files the helper has already copied
    return all(getattr(m, "__self__", None) is plugin for name in PAGE_EVENTS for m in events.get(name, []))


class Helper:
    """The second process and MkDocs' side of the page split."""

    def __init__(self, srcs: list[str]) -> None:
        self.index = {src: i for i, src in enumerate(srcs)}
        self.results: dict[int, Rendered | None] = {}
        self.done = 0

    @classmethod
    def start(cls, doc: list, populate, args: tuple, plugin) -> "Helper | None":
        """Fork the helper over `doc` (File objects with their Page, in build order); it runs
        `populate(page, *args)` on each page it takes (MkDocs' `_populate_page(page, config,
        files)`) and sends `plugin._page_state(src)` with it."""
        import multiprocessing

        self = cls([f.src_uri for f in doc])
        ctx = multiprocessing.get_context("fork")
        self.claim = ctx.Array("i", [0, len(doc)])  # [next page MkDocs takes, lowest page the helper took]
        self.queue = ctx.Queue()
        gc.freeze()  # the child does not touch (and so copy) the parent's objects' GC headers
        try:
            self.proc = ctx.Process(
                target=_work, args=(doc, self.claim, self.queue, populate, args, plugin),
                daemon=True,
            )
            self.proc.start()
        except OSError:
            return None
        finally:
            gc.unfreeze()
        return self

    def take(self, src: str) -> Rendered | None:
        """The helper's result for `src`, waiting for it if the helper took the page; None when
        MkDocs renders the page itself (it came first, the helper failed on it, or the helper
        is gone)."""
        i = self.index.get(src)
        if i is None:
            return None
        if i not in self.results:
            if self.gone or not self._lock():
                return None
            try:
                if i < self.claim[1]:
                    self.claim[0] = i + 1
                    return None
            finally:
                self.claim.get_lock().release()
            self._receive(i)
        found = self.results.pop(i, None)
        self.done += found is not None
        return found

    gone = False  # the helper stopped or died: MkDocs renders whatever it has not sent

    def _receive(self, i: int, seconds: float | None = None) -> None:
        """Read the helper's results until page `i`'s is there or the helper is gone (or, with
        `seconds`, that time has passed)."""
        end = None if seconds is None else time.monotonic() + seconds
        while i not in self.results and not self.gone and (end is None or time.monotonic() < end):
            try:
                item = self.queue.get(timeout=_WAIT)
            except queue.Empty:
                self.gone = not self.proc.is_alive()
                continue
            if item is None:
                self.gone = True
            else:
                j, blob = item
                self.results[j] = pickle.loads(blob) if blob is not None else None

    def _lock(self) -> bool:
        """Take the counters' lock; False, and the helper is given up, if it died holding it."""
        lock = self.claim.get_lock()
        while not lock.acquire(timeout=_WAIT):
            if not self.proc.is_alive():
                self.gone = True
                return False
        return True

    def close(self, stop: bool = False) -> None:
        """End the helper: once MkDocs took every page it has nothing left and exits (what it
        still sends is read and dropped); `stop` (a failed build): at once."""
        if stop:
            self.proc.terminate()
        else:
            self._receive(-1, 5)  # up to its end marker: a full pipe would keep it from exiting
        self.proc.join(timeout=1)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.queue.close()


class _Capture(logging.Handler):
    """The helper's log records, kept to be logged again in MkDocs' process."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        if record.stack_info:
            message += "\n" + record.stack_info
        self.records.append((record.name, record.levelno, message))


def _work(doc, claim, out, populate, args: tuple, plugin) -> None:
    """The helper: take pages from the end until it meets MkDocs, render each, send the results."""
    gc.disable()  # short-lived
    capture = _Capture()
    logging.getLogger().handlers = [capture]
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.handlers, mkdocs_log.propagate = [capture], False
    try:
        while True:
            with claim.get_lock():
                j = claim[1] - 1
                if j < claim[0]:
                    break
                claim[1] = j
            page = doc[j].page
            capture.records = []
            try:
                populate(page, *args)
                links = page.links_to_anchors
                found = Rendered(
                    page.markdown, page.meta, page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                    None if links is None else {f.src_uri: v for f, v in links.items()},
                    plugin._page_state(doc[j].src_uri), capture.records,
                )
                blob = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # MkDocs renders this page itself and reports what went wrong
                out.put((j, None))
                break
            out.put((j, blob))
    finally:
        out.put(None)
        out.close()
        out.join_thread()

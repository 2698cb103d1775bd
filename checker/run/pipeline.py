"""The one check path: parallel parsing, the cache, bounded memory, unsaved buffers.

Two stages over shards of the files (the main process is shard 0; `jobs` adds up to N-1
worker processes, each keeping what it parsed; see shard.py and pool.py):

1. scan: each file whose stamp the cache does not vouch for is read, hashed and parsed; its
   Summary (path, kind, title, REF-ID, headings) goes to the cache's index.
2. check: each file to report on is checked as a full Entry (text and lines restored from the
   file) against the KnowledgeBase of the summaries of all files, one file at a time.

A file's findings depend only on its bytes, the settings and the summaries of all files, so
they are cached under exactly that: an edit that leaves headings, REF-IDs and file names alone
re-checks one file. Results never depend on the number of jobs, on the cache or on whether a
file's text came from disk or from an overlay (an editor's unsaved buffer, never cached).
"""
from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

from ..config.settings import Config
from ..kb.discover import discover, excluded
from ..kb.targets import Target, selected
from ..model import Checked, Finding, Report
from . import cache as C
from .engine import display_prefix
from .pool import Pool, PoolBroken, cpu_count, jobs_for
from .shard import Row, Shard, Stub, build_kb

__all__ = ["Run", "Shard", "check_target"]


def _result_ok(result: object) -> bool:
    """A cached per-file Report as `check_each` makes them."""
    return isinstance(result, Report) and all(isinstance(f, Finding) for f in result.findings)


def _row_ok(row: object) -> bool:
    """An index row as `scan` makes them (anything else in the cache is a miss)."""
    return isinstance(row, Row) and isinstance(row.summary, bytes) and isinstance(row.digest, str)


def check_target(target: Target, settings: Config, cache_dir: Path | None, jobs: int | None = None,
                 cwd: Path | None = None, overlay: dict[str, str] | None = None, keep: bool = False,
                 progress=None, reuse: dict | None = None) -> tuple[Report, list[tuple[str, str]]]:
    """Check one target: (Report, unreadable files as (relpath, reason)); `progress`: a
    `progress.Progress` to count parsed files on; `reuse`: see `api.check`."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects, no cycles: collection passes are pure cost
    try:
        try:
            return Run(target, settings, cache_dir, jobs, cwd or Path.cwd(), overlay, keep, progress, reuse).go()
        except PoolBroken:
            if jobs == 1:
                raise
            return Run(target, settings, cache_dir, 1, cwd or Path.cwd(), overlay, keep, progress, reuse).go()
    finally:
        if progress is not None:
            progress.finish()
        if enabled:
            gc.enable()


class Run:
    """One target's run."""

    def __init__(self, target: Target, settings: Config, cache_dir: Path | None, jobs: int | None, cwd: Path,
                 overlay: dict[str, str] | None = None, keep: bool = False, progress=None,
                 reuse: dict | None = None) -> None:
        self.target, self.settings, self.jobs, self.cwd, self.keep = target, settings, jobs, cwd, keep
        self.reuse = reuse if keep else None  # context -> {relpath: (digest, Report, Checked)} of the last run
        self.progress = progress
        self.root = target.root
        if cache_dir is not None and not C.usable(cache_dir, self.root):
            cache_dir = None  # never write into the knowledge base
        self.cache = C.Cache(cache_dir)
        self.salt = C.key(C.fingerprint(), settings.kinds, settings.refid_patterns)
        self.root_key = C.key(self.salt, os.path.abspath(self.root))[:32]
        base = os.path.join(os.path.realpath(self.root), "")
        self.overlay = {p: t for p, t in (overlay or {}).items() if p.startswith(base)}
        self.volatile = {p[len(base):].replace(os.sep, "/") for p in self.overlay}  # never cached
        self.pool = Pool(jobs or cpu_count(), Shard, (self.root, settings, self.overlay))
        self.remember = self.cache.enabled and not self.overlay  # findings under unsaved text are not kept
        self.unreadable: dict[str, str] = {}  # relpath -> why: reported as SIMA606

    def go(self) -> tuple[Report, list[tuple[str, str]]]:
        """Scan, then check what the findings table lacks; keep what was learnt."""
        try:
            markdown, other, outside = discover(self.root, self.settings)
            markdown = self._with_overlay(markdown)
            only = selected(self.target, markdown + outside)
            index = self.cache.load_split(f"index-{self.root_key}")
            rows, todo = self._fresh(markdown, index)
            owner = self._scan(todo, index, rows) if todo else {}
            readable = [rel for rel in markdown if rel in rows]
            wanted = sorted(r for r in (*readable, *outside, *self.unreadable) if only is None or r in only)
            results, checked = self._check(wanted, readable, rows, other, outside, owner)
            stored = {rel: (index[rel] if rel in self.volatile else row) for rel, row in rows.items()
                      if rel not in self.volatile or rel in index}
            if self.cache.enabled and stored != index:
                changed = {C.bucket(rel) for rel in stored.keys() | index.keys() if stored.get(rel) != index.get(rel)}
                self.cache.store_split(f"index-{self.root_key}", stored, changed)
            report = Report.combine(results[rel] for rel in wanted if rel in results)
            if self.keep:
                stubs = self._stubs(readable, rows)
                report.kbs[self.root] = build_kb(stubs, other, outside, self.settings, None, self.unreadable)[0]
                report.checked[self.root] = {rel: checked[rel] for rel in wanted if rel in checked}
            return report, []
        finally:
            self.pool.close()

    def _with_overlay(self, markdown: list[str]) -> list[str]:
        """Unsaved buffers of Markdown files not on disk yet join the KB."""
        new = [rel for rel in self.volatile if rel.lower().endswith(".md") and not excluded(rel, self.settings)]
        return sorted(set(markdown).union(new)) if new else markdown

    def _fresh(self, markdown: list[str], index: dict) -> tuple[dict, list]:
        """Rows the stamps vouch for, and the files to scan (with their last digest)."""
        rows, todo = {}, []
        base = os.path.join(self.root, "")
        for rel in markdown:
            row = index.get(rel)
            if not _row_ok(row):
                row = None
            if rel in self.volatile:
                fresh = False
            else:
                try:
                    fresh = row is not None and C.same_file(row.stamp, os.stat(base + rel))
                except OSError:
                    fresh = False
            if fresh:
                rows[rel] = row
            else:
                todo.append((rel, row.digest if row else None))
        return rows, todo

    def _scan(self, todo: list, index: dict, rows: dict) -> dict[str, int]:
        """Stage 1; returns relpath -> the shard that parsed (and keeps) it."""
        self.pool.grow(jobs_for(self.jobs, len(todo)))
        n = self.pool.size
        if self.progress is not None:
            self.progress.begin(len(todo), n)
            self.pool.local.progress = self.progress
        owner = {}
        for shard, part in enumerate(self.pool.call("scan", [(todo[i::n],) for i in range(n)])):
            for scanned in part:
                if scanned.error is not None:
                    self.unreadable[scanned.rel] = scanned.error
                elif scanned.touched:
                    rows[scanned.rel] = index[scanned.rel]._replace(stamp=scanned.row.stamp)
                else:
                    rows[scanned.rel] = scanned.row
                    owner[scanned.rel] = shard
        return owner

    @staticmethod
    def _stubs(readable: list[str], rows: dict) -> list[Stub]:
        return [Stub(rel, rows[rel].refid, rows[rel].kind, rows[rel].summary) for rel in readable]

    def _check(self, wanted, readable, rows, other, outside, owner) -> tuple[dict[str, Report], dict[str, Checked]]:
        """Stage 2 for the files whose findings are not cached under this KB's summaries."""
        sig = hashlib.sha256()
        for rel in readable:
            sig.update(f"{rel}\0{rows[rel].summary_digest}\0".encode("utf-8", "surrogatepass"))
        kb_key = C.key(self.salt, sig.hexdigest(), other, outside, sorted(self.unreadable.items()))[:32]
        context = C.key(kb_key, repr(self.settings), os.path.abspath(self.root), display_prefix(self.root, self.cwd))
        name = f"findings-{self.root_key}-{context[:32]}"
        table = self.cache.load_split(name, {C.bucket(rel) for rel in wanted})
        results, need = {}, []
        checked: dict[str, Checked] = {}
        last = self.reuse.pop(context, {}) if self.reuse is not None else {}
        if self.reuse is not None:
            self.reuse.clear()  # only the last run's context is worth keeping
        for rel in wanted:
            digest = rows[rel].digest if rel in rows else ""
            kept = last.get(rel)
            if kept is not None and digest and kept[0] == digest and rel not in self.volatile:
                results[rel], checked[rel] = kept[1], kept[2]  # same file, same KB index: as last time
                continue
            hit = table.get(rel)
            if not self.keep and isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digest and _result_ok(hit[1]):
                results[rel] = hit[1]
            else:
                need.append(rel)
        if not need:
            self._remember(context, wanted, rows, results, checked)
            return results, checked
        self.pool.grow(jobs_for(self.jobs, len(need)))
        n = self.pool.size
        shares: list[list[str]] = [[] for _ in range(n)]
        for i, rel in enumerate(need):  # a file goes back to the shard that keeps its parse
            shares[owner[rel] if rel in owner else i % n].append(rel)
        stubs = self._stubs(readable, rows)
        state_name = f"kbstate-{self.root_key}-{kb_key}"
        state = self._kb_state(state_name)
        want = self.remember and state is None
        late: set[str] = set()
        calls = [(stubs, other, outside, s, str(self.cwd), state, want and i == 0, self.keep, self.unreadable)
                 for i, s in enumerate(shares)]
        for part, kept, vanished, built in self.pool.call("check", calls):
            results.update(part)
            checked.update(kept)
            late.update(vanished)
            if built is not None:
                self.cache.store(state_name, {"state": built})
                self.cache.prune(f"kbstate-{self.root_key}-", 2)
        for rel in need:
            if rel in results and rel not in late and rel not in self.unreadable:
                table[rel] = (rows[rel].digest if rel in rows else "", results[rel])
        if self.remember:
            self.cache.store_split(name, table, {C.bucket(rel) for rel in need})
            self.cache.prune(f"findings-{self.root_key}-", C.KEEP_FINDINGS)
        self._remember(context, [rel for rel in wanted if rel not in late], rows, results, checked)
        return results, checked

    def _remember(self, context: str, done: list[str], rows: dict, results: dict, checked: dict) -> None:
        """Keep this run's checked files for the next one (`reuse`), unsaved buffers aside."""
        if self.reuse is None:
            return
        self.reuse[context] = {
            rel: (rows[rel].digest, results[rel], checked[rel]) for rel in done
            if rel in rows and rel in results and rel in checked and rel not in self.volatile and rel not in self.unreadable
        }

    def _kb_state(self, name: str) -> bytes | None:
        value = self.cache.load(name)
        blob = value.get("state") if isinstance(value, dict) else None
        return blob if isinstance(blob, bytes) else None

"""The fast path of a plain `sima-check` run: parallel parsing, the cache, bounded memory.

Same findings as `load()` + `engine.run()`, in two stages over shards of the files (the main
process is shard 0; `--jobs N` adds up to N-1 worker processes, each keeping what it parsed):

1. scan: each file whose stamp the cache does not vouch for is read, hashed and parsed. What
   the other files may see of it, its *skeleton*, goes to the index.
2. check: each file to report on is checked as a full Entry (text and lines restored from the
   file) against a KnowledgeBase of the skeletons of all files, one file at a time.

A skeleton is an Entry without text, lines, fields, references, keywords, fences and
suppressions: resolving references needs only paths, REF-IDs and headings. A rule that read more
of *another* file than that would see it empty here; the tests compare this path with the plain
one on three knowledge bases. A file's findings depend on its bytes, the settings and the
skeletons of all files, so they are cached under exactly that: an edit that leaves every
skeleton alone re-checks one file. Results never depend on the number of jobs or the cache.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import sys
import time
import traceback
from dataclasses import fields, replace
from pathlib import Path

from . import cache as C
from .config import Config
from .engine import Result, check_each, display_prefix
from .kb import KnowledgeBase
from .load import discover, outside_entry, parse_file, read_bytes
from .model import Entry
from .targets import Target, selected
from .text import decode

PARALLEL_MIN = 150  # files of work per extra process before one pays (fork start-up ~10 ms)
SPAWN_MIN = 3000  # the same where processes must be spawned (macOS, Windows: ~0.3 s each)
PICKLE = pickle.HIGHEST_PROTOCOL


def skeleton(entry: Entry) -> Entry:
    """What a check sees of the other files (see the module docstring)."""
    return replace(
        entry, text="", lines=(), fields=(), references=(), keywords=(), fences=(), suppressions=()
    )


def light(entry: Entry) -> Entry:
    """An Entry without its text and lines, which the file gives back cheaply."""
    return replace(entry, text="", lines=()) if entry.lines or entry.text else entry


def restore(entry: Entry, data: bytes) -> Entry:
    """The full Entry again from its light copy and the file's bytes (as parse_bytes decodes)."""
    decoded = decode(data)
    if decoded.error:
        return entry
    return replace(entry, text=decoded.text, lines=decoded.lines)


def combine(parts: list[Result]) -> Result:
    """One Result from per-file ones, as `Result.merge` would make it."""
    total = Result()
    for part in parts:
        for f in fields(Result):
            value = getattr(part, f.name)
            if isinstance(value, list):
                getattr(total, f.name).extend(value)
            elif isinstance(value, int):
                setattr(total, f.name, getattr(total, f.name) + value)
    out = Result()
    out.merge(total)  # sorts like every other path
    return out


class Shard:
    """One process's share of the files, and the parsed files it keeps between the stages."""

    def __init__(self, root: Path, config: Config, keep_blobs: bool) -> None:
        self.root, self.config, self.keep_blobs = root, config, keep_blobs
        self.kept: dict[str, tuple[str, Entry]] = {}  # relpath -> (digest, light entry)

    def scan(self, todo: list[tuple[str, str | None]]) -> list[tuple]:
        """Read, hash and parse files: (rel, stamp, digest, skeleton, its digest, light, error)."""
        out = []
        for rel, known in todo:
            try:
                st = os.stat(os.path.join(self.root, rel))
                data = read_bytes(self.root, rel)
            except OSError as exc:
                out.append((rel, None, "", None, "", None, exc.strerror or str(exc)))
                continue
            digest = C.digest(data)
            stamp = C.stamp(st, time.time_ns())
            if digest == known:  # touched, not changed: the index keeps its skeleton
                out.append((rel, stamp, digest, None, "", None, None))
                continue
            entry = light(parse_file(rel, data, self.config))
            self.kept[rel] = (digest, entry)
            skel = pickle.dumps(skeleton(entry), PICKLE)
            blob = pickle.dumps(entry, PICKLE) if self.keep_blobs else None
            out.append((rel, stamp, digest, skel, C.digest(skel), blob, None))
        return out

    def check(self, skeletons: list[bytes], other: list[str], outside: list[str], items: list[tuple], cwd: str) -> tuple:
        """Check files against the KB of all skeletons: ({rel: Result}, io errors).

        items: (rel, digest the scan saw, light entry pickle from the pack or None).
        """
        if not items:
            return {}, []
        kb = KnowledgeBase(
            [pickle.loads(b) for b in skeletons] + [outside_entry(r, self.config) for r in outside],
            frozenset(other), frozenset(outside),
        )
        outside_set, errors, done = set(outside), [], []

        def full_entries():
            for rel, expected, blob in items:
                if rel in outside_set:
                    entry = outside_entry(rel, self.config)
                else:
                    try:
                        data = read_bytes(self.root, rel)
                    except OSError as exc:  # vanished since the scan
                        errors.append((rel, exc.strerror or str(exc)))
                        continue
                    entry = restore(self._light(rel, data, expected, blob), data)
                done.append(rel)
                yield entry

        results: dict[str, Result] = {}
        for one in check_each(full_entries(), kb, self.config, self.root, Path(cwd)):
            results[done[len(results)]] = one  # the entry just yielded
        return results, errors

    def _light(self, rel: str, data: bytes, expected: str, blob: bytes | None) -> Entry:
        digest = C.digest(data)
        kept = self.kept.pop(rel, None)  # dropped once checked: memory stays bounded
        if kept and kept[0] == digest:
            return kept[1]
        if blob is not None and digest == expected:
            try:
                entry = pickle.loads(blob)
                if isinstance(entry, Entry) and entry.relpath == rel:
                    return entry
            except Exception:  # a damaged pack is a miss
                pass
        return light(parse_file(rel, data, self.config))


def _serve(conn, root: Path, config: Config, keep_blobs: bool) -> None:
    """A worker process: run the stages the main process asks for on its shard."""
    gc.disable()  # short-lived, no cycles worth collecting: the collector only costs time
    shard = Shard(root, config, keep_blobs)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, args = message
        try:
            conn.send(("ok", getattr(shard, name)(*args)))
        except BaseException:  # the main process falls back to working alone
            conn.send(("error", traceback.format_exc()))


class PoolBroken(Exception):
    """A worker died or failed; the run is redone in one process."""


class Pool:
    """The main process's shard plus worker processes, started when first needed."""

    def __init__(self, limit: int, args: tuple) -> None:
        self.limit, self.args = limit, args
        self.local = Shard(*args)
        self.workers: list[tuple] = []

    @property
    def size(self) -> int:
        """Shards running now."""
        return len(self.workers) + 1

    def grow(self, n: int) -> None:
        """Have min(n, limit) shards."""
        ctx = None
        while self.size < min(n, self.limit):
            ctx = ctx or multiprocessing.get_context("fork" if _can_fork() else "spawn")
            try:
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(child, *self.args), daemon=True)
                proc.start()
                child.close()
            except OSError as exc:
                raise PoolBroken(str(exc)) from None
            self.workers.append((proc, parent))

    def call(self, name: str, per_shard: list[tuple]) -> list:
        """Run a stage on every shard: the local one while the workers run theirs."""
        try:
            for (_, conn), args in zip(self.workers, per_shard[1:]):
                conn.send((name, args))
        except (OSError, ValueError) as exc:
            raise PoolBroken(str(exc)) from None
        results = [getattr(self.local, name)(*per_shard[0])]
        for _, conn in self.workers:
            try:
                status, value = conn.recv()
            except (EOFError, OSError) as exc:
                raise PoolBroken(f"worker died: {exc}") from None
            if status != "ok":
                raise PoolBroken(value)
            results.append(value)
        return results

    def close(self) -> None:
        """Stop the workers."""
        for _, conn in self.workers:
            try:
                conn.send(None)
                conn.close()
            except OSError:
                pass
        for proc, _ in self.workers:
            proc.join(timeout=2)
            if proc.is_alive():
                proc.terminate()
        self.workers = []


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def cpu_count() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def jobs_for(jobs: int | None, work: int) -> int:
    """Processes for `work` files: as asked, or (auto) as many as pay on this machine."""
    if jobs is not None:
        return max(1, jobs)
    per = PARALLEL_MIN if _can_fork() else SPAWN_MIN
    return max(1, min(cpu_count(), work // per))


def check_target(target: Target, config: Config, cache_dir: Path | None, jobs: int | None = None, cwd: Path | None = None) -> tuple[Result, list[tuple[str, str]]]:
    """Check one target as load() + run() do: (Result, unreadable files)."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects, no cycles: collection passes are pure cost
    try:
        try:
            return Run(target, config, cache_dir, jobs, cwd or Path.cwd()).go()
        except PoolBroken:
            if jobs == 1:
                raise
            return Run(target, config, cache_dir, 1, cwd or Path.cwd()).go()
    finally:
        if enabled:
            gc.enable()


class Run:
    """One target's run of the fast path."""

    def __init__(self, target: Target, config: Config, cache_dir: Path | None, jobs: int | None, cwd: Path) -> None:
        self.target, self.config, self.jobs, self.cwd = target, config, jobs, cwd
        self.root = target.root
        if cache_dir is not None and not C.usable(cache_dir, self.root):
            cache_dir = None  # never write into the knowledge base
        self.cache = C.Cache(cache_dir)
        self.salt = C.key(C.fingerprint(), config.kinds, config.refid_patterns)
        self.root_key = C.key(self.salt, os.path.abspath(self.root))[:32]
        self.pool = Pool(jobs or cpu_count(), (self.root, config, self.cache.enabled))
        self.errors: list[tuple[str, str]] = []

    def go(self) -> tuple[Result, list[tuple[str, str]]]:
        """Scan, then check what the findings table lacks; keep what was learnt."""
        try:
            markdown, other, outside = discover(self.root, self.config)
            only = selected(self.target, markdown + outside)
            index = self.cache.load(f"index-{self.root_key}")
            rows, todo = self._fresh(markdown, index)
            owner = self._scan(todo, index, rows) if todo else {}
            readable = [rel for rel in markdown if rel in rows]
            wanted = sorted(r for r in (*readable, *outside) if only is None or r in only)
            results = self._check(wanted, readable, rows, other, outside, owner)
            if self.cache.enabled and rows != index:
                self._keep(rows, index, owner)
            return combine([results[rel] for rel in wanted if rel in results]), sorted(self.errors)
        finally:
            self.pool.close()

    def _fresh(self, markdown: list[str], index: dict) -> tuple[dict, list]:
        """Rows the stamps vouch for, and the files to scan (with their last digest)."""
        rows, todo = {}, []
        for rel in markdown:
            row = index.get(rel)
            try:
                fresh = row is not None and C.same_file(row[0], os.stat(os.path.join(self.root, rel)))
            except (OSError, TypeError, IndexError):
                fresh = False
            if fresh:
                rows[rel] = row
            else:
                todo.append((rel, row[1] if isinstance(row, tuple) and len(row) > 1 else None))
        return rows, todo

    def _scan(self, todo: list, index: dict, rows: dict) -> dict[str, tuple[int, bytes | None]]:
        """Stage 1; returns relpath -> (shard that kept it, light pickle) for parsed files."""
        self.pool.grow(jobs_for(self.jobs, len(todo)))
        n = self.pool.size
        shares: list[list] = [todo[i::n] for i in range(n)]
        owner = {}
        for shard, part in enumerate(self.pool.call("scan", [(s,) for s in shares])):
            for rel, stamp, digest, skel, skel_digest, blob, error in part:
                if error is not None:
                    self.errors.append((rel, error))
                elif skel is None:
                    rows[rel] = (stamp, digest, *index[rel][2:4])
                else:
                    rows[rel] = (stamp, digest, skel, skel_digest)
                    owner[rel] = (shard, blob)
        return owner

    def _check(self, wanted, readable, rows, other, outside, owner) -> dict[str, Result]:
        """Stage 2 for the files whose findings are not cached under this KB's skeletons."""
        sig = hashlib.sha256()
        for rel in readable:
            sig.update(f"{rel}\0{rows[rel][3]}\0".encode("utf-8", "surrogatepass"))
        context = C.key(self.salt, repr(self.config), os.path.abspath(self.root), display_prefix(self.root, self.cwd), sig.hexdigest(), other, outside)
        name = f"findings-{self.root_key}-{context[:32]}"
        table = self.cache.load(name)
        results, need = {}, []
        for rel in wanted:
            digest = rows[rel][1] if rel in rows else ""
            hit = table.get(rel)
            if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digest and isinstance(hit[1], Result):
                results[rel] = hit[1]
            else:
                need.append(rel)
        if not need:
            return results
        pack = self.cache.load(f"pack-{self.root_key}") if any(r not in owner for r in need) else {}
        self.pool.grow(jobs_for(self.jobs, len(need)))
        n = self.pool.size
        shares: list[list] = [[] for _ in range(n)]
        for i, rel in enumerate(need):
            kept = owner.get(rel)
            blob = None
            if kept is None and rel in rows:
                packed = pack.get(rel)
                blob = packed[1] if isinstance(packed, tuple) and len(packed) == 2 and packed[0] == rows[rel][1] else None
            shard = kept[0] if kept is not None and kept[0] < n else i % n
            shares[shard].append((rel, rows[rel][1] if rel in rows else "", blob))
        skeletons = [rows[rel][2] for rel in readable]
        late: set[str] = set()
        for part, errors in self.pool.call("check", [(skeletons, other, outside, s, str(self.cwd)) for s in shares]):
            results.update(part)
            self.errors += errors
            late.update(rel for rel, _ in errors)
        for rel in need:
            if rel in results and rel not in late:
                table[rel] = (rows[rel][1] if rel in rows else "", results[rel])
        if self.cache.enabled:
            self.cache.store(name, table)
            self.cache.prune(f"findings-{self.root_key}-", C.KEEP_FINDINGS)
        return results

    def _keep(self, rows: dict, index: dict, owner: dict) -> None:
        """Write the index and the pack of parsed files for the next run."""
        self.cache.store(f"index-{self.root_key}", rows)
        old = self.cache.load(f"pack-{self.root_key}")
        pack = {}
        for rel, row in rows.items():
            if rel in owner and owner[rel][1] is not None:
                pack[rel] = (row[1], owner[rel][1])
            elif isinstance(old.get(rel), tuple) and old[rel][0] == row[1]:
                pack[rel] = old[rel]
        self.cache.store(f"pack-{self.root_key}", pack)

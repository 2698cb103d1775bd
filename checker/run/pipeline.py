"""The fast path of a plain `sima-check` run: parallel parsing, the cache, bounded memory.

Same findings as `load()` + `engine.run()`, in two stages over shards of the files (the main
process is shard 0; `--jobs N` adds up to N-1 worker processes, each keeping what it parsed):

1. scan: each file whose stamp the cache does not vouch for is read, hashed and parsed; what
   the other files may see of it, its *skeleton*, goes to the cache's index.
2. check: each file to report on is checked as a full Entry (text and lines restored from the
   file) against a KnowledgeBase of the skeletons of all files, one file at a time.

A skeleton is a file's path, kind, title, REF-ID and headings (level, text, anchor), without
line numbers: resolving references needs no more. A rule that read more of *another* file
would see it empty here; the tests compare this path with the plain one on three knowledge
bases. A file's findings depend only on its bytes, the settings and the skeletons of all files,
so they are cached under exactly that: an edit that leaves headings, REF-IDs and file names
alone re-checks one file. Results never depend on the number of jobs or on the cache.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import time
import traceback
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path

from . import cache as C
from ..config.settings import Config
from .engine import Result, check_each, display_prefix
from ..kb.index import KnowledgeBase
from ..kb.discover import discover, outside_entry, parse_file, read_bytes
from ..model import Entry, Finding, Heading
from ..kb.targets import Target, selected
from ..parse.text import decode

PARALLEL_MIN = 100  # files of work per extra process before one pays (fork start-up ~10 ms)
SPAWN_MIN = 3000  # the same where processes must be spawned (macOS, Windows: ~0.3 s each)
PICKLE = pickle.HIGHEST_PROTOCOL


def skeleton(entry: Entry) -> Entry:
    """What a check sees of the other files (see the module docstring)."""
    return Entry(
        relpath=entry.relpath, kind=entry.kind, text="", lines=(), line_count=0, title=entry.title,
        refid=entry.refid, headings=tuple(Heading(h.level, h.text, 0, h.slug) for h in entry.headings),
    )


def light(entry: Entry) -> Entry:
    """An Entry without its text and lines, which the file gives back cheaply."""
    return _with(entry, text="", lines=()) if entry.lines or entry.text else entry


def restore(entry: Entry, data: bytes) -> Entry:
    """The full Entry again from its light copy and the file's bytes (as parse_bytes decodes)."""
    decoded = decode(data)
    if decoded.error:
        return entry
    return _with(entry, text=decoded.text, lines=decoded.lines)


def _with(entry: Entry, **changes) -> Entry:
    """`dataclasses.replace` without the 27-field __init__ (Entry computes nothing in it)."""
    if hasattr(Entry, "__post_init__"):
        return replace(entry, **changes)
    new = object.__new__(Entry)
    new.__dict__.update(entry.__dict__)
    new.__dict__.update(changes)
    return new


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


class Skeletons(Mapping):
    """relpath -> skeleton Entry, unpickled on first use (most are never looked at)."""

    def __init__(self, blobs: dict[str, bytes], ready: dict[str, Entry]) -> None:
        self._blobs, self._ready = blobs, dict(ready)

    def __getitem__(self, rel: str) -> Entry:
        entry = self._ready.get(rel)
        if entry is None:
            entry = self._ready[rel] = pickle.loads(self._blobs[rel])
        return entry

    def __contains__(self, rel: object) -> bool:
        return rel in self._blobs or rel in self._ready

    def __iter__(self):
        yield from self._blobs
        yield from (rel for rel in self._ready if rel not in self._blobs)

    def __len__(self) -> int:
        return len(self._blobs) + sum(1 for rel in self._ready if rel not in self._blobs)


class Shard:
    """One process's share of the files, and the parsed files it keeps between the stages."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root, self.config = root, config
        self.kept: dict[str, tuple[str, Entry]] = {}  # relpath -> (digest, light entry)

    def scan(self, todo: list[tuple[str, str | None]]) -> list[tuple]:
        """Read, hash and parse files: (rel, stamp, digest, skeleton pickle, its digest, REF-ID, kind, error)."""
        out = []
        for rel, known in todo:
            try:
                st = os.stat(os.path.join(self.root, rel))
                data = read_bytes(self.root, rel)
            except OSError as exc:
                out.append((rel, None, "", None, "", None, "", exc.strerror or str(exc)))
                continue
            digest = C.digest(data)
            stamp = C.stamp(st, time.time_ns())
            if digest == known:  # touched, not changed: the index keeps its skeleton
                out.append((rel, stamp, digest, None, "", None, "", None))
                continue
            entry = light(parse_file(rel, data, self.config))
            self.kept[rel] = (digest, entry)
            skel = pickle.dumps(skeleton(entry), PICKLE)
            out.append((rel, stamp, digest, skel, C.digest(skel), entry.refid, entry.kind, None))
        return out

    def check(self, skeletons: list[tuple], other: list[str], outside: list[str], items: list[str], cwd: str, state: bytes | None = None, want_state: bool = False) -> tuple:
        """Check files against the KB of all skeletons, (rel, REF-ID, kind, pickle) each:
        ({rel: Result}, io errors, the KB's indexes pickled when wanted and built here)."""
        if not items:
            return {}, [], None
        stand_ins = {r: outside_entry(r, self.config) for r in outside}
        kb = _kb_from_state(state)
        if kb is None:  # the indexes need only paths and REF-IDs: stubs, not skeletons
            stubs = [Entry(relpath=rel, kind=kind, text="", lines=(), line_count=0, refid=refid) for rel, refid, kind, _ in skeletons]
            kb = KnowledgeBase(stubs + list(stand_ins.values()), frozenset(other), frozenset(outside))
            state = pickle.dumps({k: v for k, v in vars(kb).items() if k != "entries"}, PICKLE) if want_state else None
        else:
            state = None
        kb.entries = Skeletons({rel: blob for rel, _, _, blob in skeletons}, stand_ins)  # unpickled on use
        outside_set, errors, done = set(outside), [], []

        def full_entries():
            for rel in items:
                if rel in outside_set:
                    entry = outside_entry(rel, self.config)
                else:
                    try:
                        data = read_bytes(self.root, rel)
                    except OSError as exc:  # vanished since the scan
                        errors.append((rel, exc.strerror or str(exc)))
                        continue
                    kept = self.kept.pop(rel, None)  # dropped once checked: memory stays bounded
                    if kept and kept[0] == C.digest(data):
                        entry = restore(kept[1], data)
                    else:
                        entry = parse_file(rel, data, self.config)
                done.append(rel)
                yield entry

        results: dict[str, Result] = {}
        for one in check_each(full_entries(), kb, self.config, self.root, Path(cwd)):
            results[done[len(results)]] = one  # the entry just yielded
        return results, errors, state


def _result_ok(result: object) -> bool:
    """A cached per-file Result as `check_each` makes them."""
    return isinstance(result, Result) and all(isinstance(f, Finding) for f in result.findings)


def _row_ok(row: object) -> bool:
    """An index row as `scan` makes them (anything else in the cache is a miss)."""
    return (
        isinstance(row, tuple) and len(row) == 6 and (row[0] is None or isinstance(row[0], tuple))
        and isinstance(row[1], str) and isinstance(row[2], bytes) and isinstance(row[3], str)
        and (row[4] is None or isinstance(row[4], str)) and isinstance(row[5], str)
    )


def _kb_from_state(state: bytes | None) -> KnowledgeBase | None:
    """A KnowledgeBase from its pickled attributes (as __init__ left them), or None."""
    if state is None:
        return None
    try:
        attributes = pickle.loads(state)
    except Exception:
        return None
    if not isinstance(attributes, dict):
        return None
    kb = object.__new__(KnowledgeBase)
    kb.__dict__.update(attributes)
    return kb


def _serve(conn, root: Path, config: Config) -> None:
    """A worker process: run the stages the main process asks for on its shard."""
    gc.disable()  # short-lived, no cycles worth collecting: the collector only costs time
    shard = Shard(root, config)
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
            import multiprocessing  # only runs with workers pay for it

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
    return sys.platform.startswith("linux")  # elsewhere fork is missing or unsafe


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
        self.pool = Pool(jobs or cpu_count(), (self.root, config))
        self.errors: list[tuple[str, str]] = []

    def go(self) -> tuple[Result, list[tuple[str, str]]]:
        """Scan, then check what the findings table lacks; keep what was learnt."""
        try:
            markdown, other, outside = discover(self.root, self.config)
            only = selected(self.target, markdown + outside)
            index = self.cache.load_split(f"index-{self.root_key}")
            rows, todo = self._fresh(markdown, index)
            owner = self._scan(todo, index, rows) if todo else {}
            readable = [rel for rel in markdown if rel in rows]
            wanted = sorted(r for r in (*readable, *outside) if only is None or r in only)
            results = self._check(wanted, readable, rows, other, outside, owner)
            if self.cache.enabled and rows != index:
                changed = {C.bucket(rel) for rel in rows.keys() | index.keys() if rows.get(rel) != index.get(rel)}
                self.cache.store_split(f"index-{self.root_key}", rows, changed)
            return combine([results[rel] for rel in wanted if rel in results]), sorted(self.errors)
        finally:
            self.pool.close()

    def _fresh(self, markdown: list[str], index: dict) -> tuple[dict, list]:
        """Rows the stamps vouch for, and the files to scan (with their last digest)."""
        rows, todo = {}, []
        base = os.path.join(self.root, "")
        for rel in markdown:
            row = index.get(rel)
            if not _row_ok(row):
                row = None
            try:
                fresh = row is not None and C.same_file(row[0], os.stat(base + rel))
            except OSError:
                fresh = False
            if fresh:
                rows[rel] = row
            else:
                todo.append((rel, row[1] if row else None))
        return rows, todo

    def _scan(self, todo: list, index: dict, rows: dict) -> dict[str, int]:
        """Stage 1; returns relpath -> the shard that parsed (and keeps) it."""
        self.pool.grow(jobs_for(self.jobs, len(todo)))
        n = self.pool.size
        owner = {}
        for shard, part in enumerate(self.pool.call("scan", [(todo[i::n],) for i in range(n)])):
            for rel, stamp, digest, skel, skel_digest, refid, kind, error in part:
                if error is not None:
                    self.errors.append((rel, error))
                elif skel is None:
                    rows[rel] = (stamp, digest, *index[rel][2:])
                else:
                    rows[rel] = (stamp, digest, skel, skel_digest, refid, kind)
                    owner[rel] = shard
        return owner

    def _check(self, wanted, readable, rows, other, outside, owner) -> dict[str, Result]:
        """Stage 2 for the files whose findings are not cached under this KB's skeletons."""
        sig = hashlib.sha256()
        for rel in readable:
            sig.update(f"{rel}\0{rows[rel][3]}\0".encode("utf-8", "surrogatepass"))
        kb_key = C.key(self.salt, sig.hexdigest(), other, outside)[:32]
        context = C.key(kb_key, repr(self.config), os.path.abspath(self.root), display_prefix(self.root, self.cwd))
        name = f"findings-{self.root_key}-{context[:32]}"
        table = self.cache.load_split(name, {C.bucket(rel) for rel in wanted})
        results, need = {}, []
        for rel in wanted:
            digest = rows[rel][1] if rel in rows else ""
            hit = table.get(rel)
            if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digest and _result_ok(hit[1]):
                results[rel] = hit[1]
            else:
                need.append(rel)
        if not need:
            return results
        self.pool.grow(jobs_for(self.jobs, len(need)))
        n = self.pool.size
        shares: list[list[str]] = [[] for _ in range(n)]
        for i, rel in enumerate(need):  # a file goes back to the shard that keeps its parse
            shares[owner[rel] if rel in owner else i % n].append(rel)
        skeletons = [(rel, rows[rel][4], rows[rel][5], rows[rel][2]) for rel in readable]
        state_name = f"kbstate-{self.root_key}-{kb_key}"
        state = self._kb_state(state_name)
        want = self.cache.enabled and state is None
        late: set[str] = set()
        calls = [(skeletons, other, outside, s, str(self.cwd), state, want and i == 0) for i, s in enumerate(shares)]
        for i, (part, errors, built) in enumerate(self.pool.call("check", calls)):
            results.update(part)
            self.errors += errors
            late.update(rel for rel, _ in errors)
            if built is not None:
                self.cache.store(state_name, {"state": built})
                self.cache.prune(f"kbstate-{self.root_key}-", 2)
        for rel in need:
            if rel in results and rel not in late:
                table[rel] = (rows[rel][1] if rel in rows else "", results[rel])
        if self.cache.enabled:
            self.cache.store_split(name, table, {C.bucket(rel) for rel in need})
            self.cache.prune(f"findings-{self.root_key}-", C.KEEP_FINDINGS)
        return results

    def _kb_state(self, name: str) -> bytes | None:
        value = self.cache.load(name)
        blob = value.get("state") if isinstance(value, dict) else None
        return blob if isinstance(blob, bytes) else None

"""Worker processes: the main process's shard plus up to N-1 forked (or spawned) ones.

Each worker keeps one shard object (whatever it parsed stays there between stages) and runs
the stage methods the main process names. A worker that dies or fails raises PoolBroken, and
the run is redone in one process.
"""
from __future__ import annotations

import gc
import os
import sys
import traceback

PARALLEL_MIN = 100  # files of work per extra process before one pays (fork start-up ~10 ms)
SPAWN_MIN = 3000  # the same where processes must be spawned (macOS, Windows: ~0.3 s each)
PER_CPU_MAX = 4  # processes per CPU that `--jobs` may ask for


class PoolBroken(Exception):
    """A worker died or failed; the run is redone in one process."""


def _serve(conn, factory, args: tuple) -> None:
    """A worker process: run the stages the main process asks for on its shard."""
    gc.disable()  # short-lived, no cycles worth collecting: the collector only costs time
    shard = factory(*args)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, call_args = message
        try:
            conn.send(("ok", getattr(shard, name)(*call_args)))
        except BaseException:  # the main process falls back to working alone
            conn.send(("error", traceback.format_exc()))


class Pool:
    """The main process's shard plus worker processes, started when first needed."""

    def __init__(self, limit: int, factory, args: tuple) -> None:
        self.limit, self.factory, self.args = limit, factory, args
        self.local = factory(*args)
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

            ctx = ctx or multiprocessing.get_context("fork" if can_fork() else "spawn")
            try:
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(child, self.factory, self.args), daemon=True)
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


def can_fork() -> bool:
    """Whether workers are forked (cheap) rather than spawned."""
    return sys.platform.startswith("linux")  # elsewhere fork is missing or unsafe


def cpu_count() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def jobs_for(jobs: int | None, work: int) -> int:
    """Processes for `work` files: as asked, or (auto) as many as pay on this machine.

    Never more than one per file, nor more than `PER_CPU_MAX` per CPU: past that a process
    only costs its start-up and its copy of the KB's index (`--jobs 100000` is no fork bomb).
    """
    if jobs is not None:
        return max(1, min(jobs, work, PER_CPU_MAX * cpu_count()))
    per = PARALLEL_MIN if can_fork() else SPAWN_MIN
    return max(1, min(cpu_count(), work // per))

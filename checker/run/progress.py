"""A progress line on a terminal for long runs: `files parsed / total`, erased when done.

Shown only when stderr is a terminal, not in CI (`CI` set), and only once a run has taken
longer than `AFTER` seconds, so quick runs and anything piped or logged never see it.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Callable, TextIO

AFTER = 2.0  # seconds before the line appears
EVERY = 0.1  # seconds between redraws


def wanted(stream: TextIO | None = None, env: dict | None = None) -> bool:
    """True when a progress line may be drawn on `stream` (default stderr)."""
    stream = stream or sys.stderr
    env = os.environ if env is None else env
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and not env.get("CI") and env.get("TERM") != "dumb"


class Progress:
    """Counts files as the main process parses its share and redraws one line now and then."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.clock = stream or sys.stderr, clock
        self.start = clock()
        self.total = 0
        self.shards = 1
        self.done = 0
        self.last = 0.0
        self.drawn = False

    def begin(self, total: int, shards: int) -> None:
        """A stage over `total` files split across `shards` processes (the local share is 1/shards)."""
        self.total, self.shards, self.done = total, max(1, shards), 0

    def step(self) -> None:
        """One more file parsed by this process."""
        self.done += 1
        now = self.clock()
        if now - self.start < AFTER or now - self.last < EVERY:
            return
        self.last = now
        seen = min(self.total, self.done * self.shards)  # the workers keep pace with this process
        self.stream.write(f"\rsima-check: parsed {seen:,}/{self.total:,} files")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """Erase the line, if one was drawn."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False

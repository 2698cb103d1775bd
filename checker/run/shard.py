"""One process's share of a run: read, hash and parse files (scan), then check them (check).

A file's Summary is what every other file's check may see of it; a scan hands summaries to
the main process pickled, and the check stage builds the KnowledgeBase from them. A file's
parse is kept between the stages (whole up to `KEEP_TEXT_BYTES`, then without its text, which
the file gives back cheaply).
"""
from __future__ import annotations

import os
import pickle
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from ..config.policy import compile_policy
from ..config.settings import Config
from ..kb.discover import outside_entry, parse_file, read_bytes, unreadable_entry
from ..kb.index import KnowledgeBase
from ..model import Checked, Entry, Report, Summary
from ..parse.text import decode
from . import cache as C
from .engine import check_each

PICKLE = pickle.HIGHEST_PROTOCOL
# A shard keeps whole parsed files between the stages up to this many bytes of text (beyond
# it, parses without their text, which the check stage reads and decodes again): a KB of a few
# thousand entries is read once, and memory stays bounded for any size.
KEEP_TEXT_BYTES = 2 << 20


class Row(NamedTuple):
    """What the index keeps of a file: its stamp (None: re-read next time), content digest,
    pickled Summary and that pickle's digest, REF-ID and kind."""

    stamp: tuple | None
    digest: str
    summary: bytes
    summary_digest: str
    refid: str | None
    kind: str


class Scanned(NamedTuple):
    """A scan's answer for one file: a new Row, `touched` (same digest as before: keep the old
    row's summary), or the reason it could not be read."""

    rel: str
    row: Row | None
    touched: bool = False
    error: str | None = None


class Stub(NamedTuple):
    """What the check stage needs of each file to build the indexes."""

    rel: str
    refid: str | None
    kind: str
    summary: bytes


def light(entry: Entry) -> Entry:
    """An Entry without its text and lines, which the file gives back cheaply."""
    return replace(entry, text="", lines=()) if entry.lines or entry.text else entry


def restore(entry: Entry, data: bytes) -> Entry:
    """The full Entry again from its light copy and the file's bytes (as parse_bytes decodes)."""
    if entry.encoding_error:
        return entry
    decoded = decode(data)
    if decoded.error:
        return entry
    return replace(entry, text=decoded.text, lines=decoded.lines)


class Summaries(Mapping):
    """relpath -> Summary, unpickled on first use (most are never looked at)."""

    def __init__(self, blobs: dict[str, bytes], ready: dict[str, Summary]) -> None:
        self._blobs, self._ready = blobs, dict(ready)

    def __getitem__(self, rel: str) -> Summary:
        summary = self._ready.get(rel)
        if summary is None:
            summary = self._ready[rel] = pickle.loads(self._blobs[rel])
        return summary

    def __contains__(self, rel: object) -> bool:
        return rel in self._blobs or rel in self._ready

    def __iter__(self):
        yield from self._blobs
        yield from (rel for rel in self._ready if rel not in self._blobs)

    def __len__(self) -> int:
        return len(self._blobs) + sum(1 for rel in self._ready if rel not in self._blobs)


def build_kb(stubs: list[Stub], other, outside, settings: Config, state: bytes | None = None,
             unreadable: dict[str, str] | None = None) -> tuple[KnowledgeBase, bytes | None]:
    """The KnowledgeBase of the stubs (its indexes restored from `state` when given), summaries
    unpickled lazily, with stand-ins for outside symlinks and unreadable files; and its indexes
    pickled (when built here)."""
    stand_ins = {r: Summary.of(outside_entry(r, settings)) for r in outside}
    stand_ins.update({r: Summary.of(unreadable_entry(r, why, settings)) for r, why in (unreadable or {}).items()})
    lazy = Summaries({s.rel: s.summary for s in stubs}, stand_ins)
    kb = _kb_from_state(state, lazy, settings)
    if kb is not None:
        return kb, None
    index = [Summary(s.rel, s.kind, None, s.refid) for s in stubs] + list(stand_ins.values())
    kb = KnowledgeBase(index, frozenset(other), frozenset(outside), settings, lazy=lazy)
    # The state holds the indexes alone: they depend on the settings only through the kinds and
    # REF-ID patterns, which are in its cache key; the rest of the settings is this run's.
    return kb, pickle.dumps({k: v for k, v in vars(kb).items() if k not in ("summaries", "settings")}, PICKLE)


def _kb_from_state(state: bytes | None, lazy, settings: Config) -> KnowledgeBase | None:
    """A KnowledgeBase from its pickled indexes (as __init__ left them) and this run's
    settings, or None."""
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
    kb.summaries, kb.settings = lazy, settings
    return kb


class Shard:
    """One process's share of the files, and the parsed files it keeps between the stages."""

    def __init__(self, root: Path, settings: Config, overlay: dict[str, str] | None = None) -> None:
        self.root, self.settings = root, settings
        self.overlay = overlay or {}
        self.base = os.path.join(os.path.realpath(root), "")
        self.kept: dict[str, tuple[str, Entry]] = {}  # relpath -> (digest, whole or light entry)
        self.kept_bytes = 0  # text held by the whole entries in `kept`
        self.progress = None  # the main process's Progress, if a line is shown

    def read(self, rel: str) -> bytes:
        """A file's bytes: the unsaved text when the overlay has it, else the disk's."""
        text = self.overlay.get(self.base + rel)
        if text is not None:
            try:
                return text.encode("utf-8", "surrogateescape")  # undecodable bytes given back as they were
            except UnicodeEncodeError:  # a lone surrogate (`\ud800` sent by an editor): SIMA601 for this file alone
                return text.encode("utf-8", "surrogatepass")
        return read_bytes(self.root, rel)

    def scan(self, todo: list[tuple[str, str | None]]) -> list[Scanned]:
        """Read, hash and parse files, given each with the digest the index knows."""
        out = []
        for rel, known in todo:
            if self.progress is not None:
                self.progress.step()
            try:
                overlaid = self.base + rel in self.overlay
                st = None if overlaid else os.stat(os.path.join(self.root, rel))
                data = self.read(rel)
            except OSError as exc:
                out.append(Scanned(rel, None, error=exc.strerror or str(exc)))
                continue
            digest = C.digest(data)
            stamp = None if st is None else C.stamp(st, time.time_ns())
            if digest == known:  # touched, not changed: the index keeps its summary
                out.append(Scanned(rel, Row(stamp, digest, b"", "", None, ""), touched=True))
                continue
            entry = parse_file(rel, data, self.settings)
            if self.kept_bytes + len(data) <= KEEP_TEXT_BYTES:
                self.kept_bytes += len(data)
            else:
                entry = light(entry)
            self.kept[rel] = (digest, entry)
            blob = pickle.dumps(Summary.of(entry), PICKLE)
            out.append(Scanned(rel, Row(stamp, digest, blob, C.digest(blob), entry.refid, entry.kind)))
        return out

    def check(self, stubs: list[Stub], other: list[str], outside: list[str], items: list[str], cwd: str,
              state: bytes | None = None, want_state: bool = False, keep: bool = False,
              unreadable: dict[str, str] | None = None) -> tuple:
        """Check files against the KB of all stubs: ({rel: Report}, {rel: Checked} when kept,
        the files that could not be read after all, the KB's indexes pickled when wanted and
        built here)."""
        if not items:
            return {}, {}, [], None
        unreadable = unreadable or {}
        kb, built = build_kb(stubs, other, outside, self.settings, state, unreadable)
        outside_set, errors, done = set(outside), [], []

        def full_entries():
            for rel in items:
                if rel in outside_set:
                    entry = outside_entry(rel, self.settings)
                elif rel in unreadable:
                    entry = unreadable_entry(rel, unreadable[rel], self.settings)
                elif rel in self.kept and (self.kept[rel][1].lines or self.kept[rel][1].text):
                    entry = self.kept.pop(rel)[1]  # whole: checked as the scan read it
                else:
                    try:
                        data = self.read(rel)
                    except OSError as exc:  # vanished since the scan: reported, not cached
                        errors.append(rel)
                        done.append(rel)
                        yield unreadable_entry(rel, exc.strerror or str(exc), self.settings)
                        continue
                    kept = self.kept.pop(rel, None)  # dropped once checked: memory stays bounded
                    if kept and kept[0] == C.digest(data):
                        entry = restore(kept[1], data)
                    else:
                        entry = parse_file(rel, data, self.settings)
                done.append(rel)
                yield entry

        results: dict[str, Report] = {}
        checked: dict[str, Checked] = {}
        policy = compile_policy(self.settings)
        for one, seen in check_each(full_entries(), kb, policy, self.root, Path(cwd), keep):
            rel = done[len(results)]  # the entry just yielded
            results[rel] = one
            if seen is not None:
                checked[rel] = seen
        return results, checked, errors, (built if want_state else None)

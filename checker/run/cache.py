"""The on-disk cache: file stamps and skeletons per KB root, parsed files, whole-run results.

Layout under the cache directory (`.sima-check-cache/` in the working directory by default):

    CACHEDIR.TAG, .gitignore                 mark it as a cache for backup tools and git
    v1/index-<root>.NN.pickle                relpath -> (stamp, digest, skeleton, its digest,
                                             REF-ID, kind), split in 16 by relpath
    v1/findings-<root>-<context>.NN.pickle   relpath -> (digest, that file's Result), split too
    v1/kbstate-<root>-<skeletons>.pickle     the KnowledgeBase's indexes for one set of skeletons

The index holds each file's parse as far as the other files see it (its skeleton: title,
REF-ID, headings; see pipeline.py) under the digest of its bytes; a findings table holds each
file's findings under its digest, for one context: settings, display path and the skeletons of
every file.

Every key is a SHA-256 over the sima-check version, a fingerprint of its source code, the
settings that matter and the file contents, so a changed file, setting or checker is a miss,
never a stale hit. A stamp (size, mtime, ctime, inode) only spares re-reading a file whose
digest is known; stamps taken within two seconds of a write are not trusted (the "racy git"
rule). Writes are atomic (temp file, then rename) and every file carries the SHA-256 of its
content. Anything missing, unreadable or damaged is a miss; a cache that cannot be written is
silently left alone. The cache is trusted input (it is
pickle): keep it where only you can write, as the default in your working directory is.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .. import __version__

DEFAULT_DIR = ".sima-check-cache"
LAYOUT = "v1"
KEEP_FINDINGS = 4  # findings tables kept per KB root (one per settings / skeleton set)
BUCKETS = 16  # tables by relpath come in 16 files: a one-file change rewrites one of them
RACY_NS = 2_000_000_000
MAGIC = b"sima-check cache 1\n"  # then the SHA-256 of the pickle, then the pickle

Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
Row = tuple  # (stamp or None: re-read next time, content digest, skeleton pickle, its digest)


def digest(data: bytes) -> str:
    """The content key of a file."""
    return hashlib.sha256(data).hexdigest()


def key(*parts: object) -> str:
    """A cache key from strings (and reprs of anything else)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def bucket(rel: str) -> int:
    """Which file of a split table holds a relpath."""
    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % BUCKETS


def stamp(st: os.stat_result, now_ns: int) -> Stamp | None:
    """The stamp of a file, or None when it changed too recently to be trusted."""
    if now_ns - st.st_mtime_ns < RACY_NS or now_ns - st.st_ctime_ns < RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def same_file(row_stamp: Stamp | None, st: os.stat_result) -> bool:
    """True when a trusted stamp still describes the file."""
    return row_stamp is not None and row_stamp == (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The version plus a digest of the checker's own source: a changed checker misses."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        try:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def usable(directory: Path, root: Path) -> bool:
    """False when the cache would land inside the KB where discovery sees it.

    sima-check never writes into a knowledge base; a cache under the root is only allowed in a
    folder that discovery skips (a name starting with `.`, like the default).
    """
    try:
        inner = Path(os.path.abspath(directory)).relative_to(os.path.abspath(root))
    except ValueError:
        return True
    return any(part.startswith(".") for part in inner.parts)


class Cache:
    """Read and write cache files; a disabled cache (directory None) misses and drops writes."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.base = self.directory / LAYOUT if self.directory is not None else None
        self._ready = False

    @property
    def enabled(self) -> bool:
        """Whether anything is read or written."""
        return self.base is not None

    # -- per KB root: index, pack of parsed files, findings ------------------------------------

    def load(self, name: str) -> dict:
        """A table by name (`index-...`, `findings-...`); empty when missing or bad."""
        value = self._load(f"{name}.pickle")
        return value if isinstance(value, dict) else {}

    def store(self, name: str, table: dict) -> None:
        """Write a table."""
        self._store(f"{name}.pickle", table)

    def load_split(self, name: str, buckets: Iterable[int] = range(BUCKETS)) -> dict:
        """The union of buckets of a table split by relpath."""
        out: dict = {}
        for b in buckets:
            out.update(self.load(f"{name}.{b:02d}"))
        return out

    def store_split(self, name: str, table: dict, buckets: Iterable[int]) -> None:
        """Write these buckets of a table split by relpath (the table holds all of their rows)."""
        parts: dict[int, dict] = {b: {} for b in buckets}
        for rel, value in table.items():
            part = parts.get(bucket(rel))
            if part is not None:
                part[rel] = value
        for b, part in sorted(parts.items()):
            self.store(f"{name}.{b:02d}", part)

    def prune(self, prefix: str, keep: int) -> None:
        """Keep only the newest `keep` tables (a split table counts once) named `prefix...`."""
        if self.base is None:
            return
        try:
            newest: dict[str, int] = {}
            found = []
            for e in os.scandir(self.base):
                if e.name.startswith(prefix):
                    group = e.name.split(".", 1)[0]
                    newest[group] = max(newest.get(group, 0), e.stat().st_mtime_ns)
                    found.append((group, e.path))
            kept = set(sorted(newest, key=newest.__getitem__, reverse=True)[:keep])
            for group, path in found:
                if group not in kept:
                    os.unlink(path)
        except OSError:
            pass

    # -- files --------------------------------------------------------------------------------

    def _load(self, name: str):
        if self.base is None:
            return None
        try:
            with open(self.base / name, "rb") as fh:
                data = memoryview(fh.read())
            head, payload = len(MAGIC) + 32, data[len(MAGIC) + 32 :]
            if data[: len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != data[len(MAGIC) : head]:
                return None  # truncated, damaged or not ours
            return pickle.loads(payload)
        except Exception:  # missing, unreadable, from another Python: all a miss
            return None

    def _store(self, name: str, value) -> None:
        if self.base is None:
            return
        path = self.base / name
        try:
            import tempfile  # only runs that write pay for it

            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, pickle.PicklingError, RecursionError):
            pass  # a read-only or full disk only costs speed

    def _prepare(self) -> None:
        if self._ready or self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# sima-check cache: safe to delete\n")
            (self.directory / ".gitignore").write_text("*\n")
        self._ready = True

"""Why a reference broke, guessed from file paths and REF-IDs alone: moved, renamed, a typo.

Pure lookups in the KB's name and REF-ID indexes; nothing here reads an entry's content, so it
works on an index of summaries as well as on parsed entries. Ranked by how references break:

1. moved: the file name exists elsewhere (unique: certain);
2. renamed: the name's REF-ID is owned by one file (certain), or by several (named);
3. typo: one edit (insert, delete, substitute, swap) away in the file name, same folder first;
4. close: a similar name in the same folder or sharing its first letters (difflib, last resort).
"""
from __future__ import annotations

import difflib
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

_FOLD = re.compile(r"[\s_-]+")
_K = 8  # names of 2K+1 characters or more are found by their first or last K characters
MAX_NAMED = 3


def fold(name: str) -> str:
    """Case, whitespace and `_`/`-` runs folded (as the KB's near-miss key)."""
    return _FOLD.sub("-", name.lower())


@dataclass(frozen=True)
class Suggestion:
    """A guess at the file a broken reference meant.

    kind: moved | renamed | typo | close; `refid` is the REF-ID a renamed guess went by;
    `more` counts the candidates left out of `targets` (at most MAX_NAMED are named);
    `certain`: one file is meant beyond doubt, so `--fix` may rewrite the reference.
    """

    kind: str
    targets: tuple[str, ...]
    refid: str | None = None
    more: int = 0
    certain: bool = False


def one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one insert, delete, substitution or adjacent swap."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    i, n = 0, min(la, lb)
    while i < n and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:])
    return a[i + 1:] == b[i:] if la > lb else a[i:] == b[i + 1:]


class Suggester:
    """Suggestions over a KB's `by_name` and `by_refid` indexes (relpaths, REF-IDs)."""

    def __init__(self, by_name: Mapping[str, Sequence[str]], by_refid: Mapping[str, Sequence[str]]) -> None:
        self.by_name = by_name
        self.by_refid = by_refid
        self._cache: dict[tuple, Suggestion | None] = {}
        self._folded: dict[str, list[str]] | None = None

    def suggest(self, missing: str, grammar, near: str = "", citer: str = "") -> Suggestion | None:
        """The best guess for `missing` (a KB path, or a bare name looked up from folder `near`)
        in a reference made by the file `citer`, which a typo or a similar name never is."""
        key = (missing, near if "/" not in missing else "", grammar, citer)
        if key not in self._cache:
            self._cache[key] = self._suggest(missing, grammar, near, citer)
        return self._cache[key]

    def _suggest(self, missing: str, grammar, near: str, citer: str = "") -> Suggestion | None:
        directory, _, name = missing.rpartition("/")
        if "/" not in missing:
            directory = near
        elif name:  # a path: is the very file somewhere else?
            hits = [r for r in self.by_name.get(name, ()) if r != missing]
            if not hits:
                hits = [r for n in self._folded_names().get(fold(name), ()) for r in self.by_name[n] if r != missing]
            if hits:
                named, _, more = _closest(hits, directory)
                return Suggestion("moved", named, None, more, certain=len(named) == 1)
        if not name:
            return None
        refid = grammar.from_filename(name)
        owners = tuple(self.by_refid.get(refid, ())) if refid else ()
        typos = self._typos(name, directory, citer)
        if owners:
            stem = name[:-3] if name.lower().endswith(".md") else name
            others = [t for t in typos if t not in owners]
            # `DEC-05.md` names only its REF-ID: the REF-ID is what was meant. A longer name with
            # a one-edit neighbour (`..._AWS-LESS-12.md` for `..._AWS-LESS-11.md`) may be a typo.
            if len(owners) == 1 and others and stem.strip() != refid:
                return Suggestion("typo", (*others[:MAX_NAMED - 1], owners[0]))
            # `INT-07_UTILITY-Interface.md` when INT-07 is `INT-07-Metrics-Interface.md` and
            # `INT-10-Utility-Interface.md` sits beside it: the REF-ID alone is no longer certain.
            rival = self._better_named(name, refid, owners[0], directory, grammar) if len(owners) == 1 else None
            if rival:
                return Suggestion("typo", (rival, owners[0]))
            named, _, more = _closest(list(owners), directory)
            return Suggestion("renamed", named, refid, more, certain=len(named) == 1 and _agree(name, refid, named[0]))
        if typos:
            return Suggestion("typo", typos)
        close = self._close(name, directory, citer)
        return Suggestion("close", (close,)) if close else None

    # -- typos ------------------------------------------------------------------------------

    def _folded_names(self) -> dict[str, list[str]]:
        if self._folded is None:
            folded: dict[str, list[str]] = defaultdict(list)
            for n in self.by_name:
                folded[fold(n)].append(n)
            self._folded = folded
        return self._folded

    def _neighbour_index(self):
        """Built on the first typo lookup: short names by their one-deletion variants, long
        names by their first and last K characters (one edit leaves one of those intact)."""
        if "_short" not in self.__dict__:
            short: dict[str, set[str]] = defaultdict(set)
            heads: dict[str, set[str]] = defaultdict(set)
            tails: dict[str, set[str]] = defaultdict(set)
            for f in self._folded_names():
                if len(f) <= 2 * _K:
                    short[f].add(f)
                    for i in range(len(f)):
                        short[f[:i] + f[i + 1:]].add(f)
                else:
                    heads[f[:_K]].add(f)
                    tails[f[-_K:]].add(f)
            self._short, self._heads, self._tails = short, heads, tails
        return self._short, self._heads, self._tails

    def _typos(self, name: str, directory: str, citer: str = "") -> tuple[str, ...]:
        """Files one edit away from `name` other than `citer`, those in `directory` first (up to
        MAX_NAMED)."""
        q = fold(name)
        short, heads, tails = self._neighbour_index()
        pool: set[str] = set()
        if len(q) <= 2 * _K + 1:
            pool.update(short.get(q, ()))
            for i in range(len(q)):
                pool.update(short.get(q[:i] + q[i + 1:], ()))
        if len(q) >= 2 * _K:
            pool.update(heads.get(q[:_K], ()))
            pool.update(tails.get(q[-_K:], ()))
        folded = self._folded_names()
        hits = sorted(r for f in pool if one_edit(q, f) for n in folded[f] for r in self.by_name[n] if r != citer)
        here = [r for r in hits if posixpath.dirname(r) == directory]
        return tuple((here or hits)[:MAX_NAMED])

    def _better_named(self, name: str, refid: str, owner: str, directory: str, grammar) -> str | None:
        """An entry of the same REF-ID family beside the owner (or in the written folder) whose
        name shares more words with `name` than the owner's name does; among several, the one
        whose shared words are rarest there (`Metrics` tells more than `Interface` among
        interfaces). An index or any file without a REF-ID of that family is no rival."""
        want = _words(name, refid)
        if not want:
            return None
        dirs = self._dirs_index()
        family = refid.rsplit("-", 1)[0]
        pool = sorted({*dirs.get(posixpath.dirname(owner), ()), *dirs.get(directory, ())})
        words = {rel: _words(posixpath.basename(rel)) for rel in pool}
        seen = defaultdict(int)
        for ws in words.values():
            for w in ws & want:
                seen[w] += 1

        def score(rel: str) -> tuple[int, float]:  # every file scored is in `pool`, so seen[w] >= 1
            shared = words[rel] & want
            return len(shared), sum(1 / seen[w] for w in shared)

        floor = score(owner)[0]
        best, best_score = None, (floor, float("inf"))
        for rel in pool:
            other = grammar.from_filename(posixpath.basename(rel)) if rel != owner else None
            if other and other != refid and other.rsplit("-", 1)[0] == family:
                n = score(rel)
                if n[0] > floor and (best is None or n > best_score):
                    best, best_score = rel, n
        return best

    def _dirs_index(self) -> dict[str, list[str]]:
        if "_dirs" not in self.__dict__:
            dirs: dict[str, list[str]] = defaultdict(list)
            for rels in self.by_name.values():
                for r in rels:
                    dirs[posixpath.dirname(r)].append(r)
            self._dirs = dirs
        return self._dirs

    # -- the last resort ---------------------------------------------------------------------

    def _close(self, name: str, directory: str, citer: str = "") -> str | None:
        """A similar name (difflib ratio >= 0.75) in `directory` or sharing its first letters,
        other than `citer`."""
        if "_prefixes" not in self.__dict__:
            prefixes: dict[str, list[str]] = defaultdict(list)
            for n, rels in self.by_name.items():
                prefixes[fold(n)[:6]].extend(rels)
            self._prefixes = prefixes
        candidates = (set(self._dirs_index().get(directory, ())) | set(self._prefixes.get(fold(name)[:6], ()))) - {citer}
        matcher = difflib.SequenceMatcher(None, fold(name), "")
        best, best_score = None, 0.75
        for rel in sorted(candidates):
            matcher.set_seq2(fold(posixpath.basename(rel)))
            # The quick ratios bound ratio() from above: skip what cannot win.
            if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
                continue
            score = matcher.ratio()
            if score > best_score or best is None and score >= best_score:
                best, best_score = rel, score
        return best


def _words(name: str, refid: str | None = None) -> set[str]:
    """The words of a file name besides its REF-ID and `.md`, cut to six letters so that
    `Wrapper` and `Wrappers` count as one."""
    stem = name[:-3] if name.lower().endswith(".md") else name
    if refid:
        stem = stem.replace(refid, " ")
    return {w[:6] for w in re.findall(r"[a-z]{2,}", stem.lower())}


def _agree(name: str, refid: str, owner: str) -> bool:
    """The rest of the written name does not contradict the owner's: it is the bare REF-ID
    (`GATE-03.md`), or most of its words are in the owner's name (`INT-01_CACHE-Interface.md`
    for `INT-01_CACHE-Interface-Pattern.md`; not `INT-09_DATA-Interface.md` for
    `INT-09-Singleton-Interface.md`, where the REF-ID may be the stale part)."""
    want = _words(name, refid)
    return not want or 2 * len(want & _words(posixpath.basename(owner), refid)) > len(want)


def _closest(rels: list[str], directory: str) -> tuple[tuple[str, ...], None, int]:
    """Up to MAX_NAMED relpaths, those sharing most leading folders with `directory` first;
    then no REF-ID and how many were left out (Suggestion's remaining fields)."""
    want = directory.split("/") if directory else []

    def shared(rel: str) -> int:
        have = posixpath.dirname(rel).split("/")
        n = 0
        while n < min(len(want), len(have)) and want[n] == have[n]:
            n += 1
        return n

    ranked = sorted(dict.fromkeys(rels), key=lambda r: (-shared(r), r))
    return tuple(ranked[:MAX_NAMED]), None, max(0, len(ranked) - MAX_NAMED)

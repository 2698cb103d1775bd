"""KnowledgeBase: the parsed files with indexes by path, basename and REF-ID, and `resolve`."""
from __future__ import annotations

import difflib
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote

from collections.abc import Iterable, Mapping

from ..config.settings import Config
from ..model import Entry, Reference, Summary, quick_init
from ..parse.refid import RefIdGrammar, grammar
from .suggest import Suggester, Suggestion

_NORM = re.compile(r"[\s_-]+")


def normalise(path: str) -> str:
    """Key for near-miss matching: case, whitespace and `_`/`-` runs folded."""
    return _NORM.sub("-", path.lower())


@quick_init
@dataclass(frozen=True, init=False)
class Resolution:
    """Where a reference leads.

    status: ok | ambiguous | near | unresolved | outside | unknown-refid | anchor
    suggestion: the nearest heading slug, for an anchor; `missing`: the KB path or bare name
    looked up in vain (for `KnowledgeBase.suggest`); `written`: the text a near miss matched
    when it starts before the reference (a bare name written with spaces for `-`).
    """

    status: str
    targets: tuple[str, ...] = ()
    suggestion: str | None = None
    missing: str | None = None
    written: str | None = None

    @property
    def target(self) -> str | None:
        """The single (or first) target relpath."""
        return self.targets[0] if self.targets else None


class KnowledgeBase:
    """The index of one KB root: a Summary per Markdown file, indexed once by path, name,
    folder and REF-ID; the KB owns its settings and REF-ID grammar. Resolution is pure lookup."""

    def __init__(
        self,
        summaries: Iterable[Summary | Entry] = (),
        other_files: frozenset[str] = frozenset(),
        outside_links: frozenset[str] = frozenset(),
        settings: Config | None = None,
        lazy: Mapping[str, Summary] | None = None,
    ) -> None:
        """Index `summaries` (parsed entries are summarised); `lazy`, when given, is what
        `summaries` then answers with: a mapping that builds the full summaries on first use,
        for an index made from stubs that hold only paths, kinds and REF-IDs."""
        index = {s.relpath: (s if isinstance(s, Summary) else Summary.of(s)) for s in summaries}
        self.summaries: Mapping[str, Summary] = index if lazy is None else lazy
        self.settings = settings or Config()
        self.grammar: RefIdGrammar = grammar(self.settings.refid_patterns)
        self.other_files = other_files  # non-Markdown files (images...) that links may target
        self.outside_links = outside_links  # symlinks leading out of the root: never read
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_norm_path: dict[str, list[str]] = defaultdict(list)
        self.by_norm_name: dict[str, list[str]] = defaultdict(list)
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        self.by_refid: dict[str, list[str]] = defaultdict(list)
        self.by_dir: dict[str, list[str]] = defaultdict(list)
        for rel in sorted(index):
            e = index[rel]
            name = e.name
            self.by_name[name].append(rel)
            self.by_norm_path[normalise(rel)].append(rel)
            self.by_norm_name[normalise(name)].append(rel)
            self.by_dir[e.directory].append(rel)
            parts = rel.split("/")
            for i in range(1, len(parts) - 1):
                self.by_suffix["/".join(parts[i:])].append(rel)
            if e.refid:
                self.by_refid[e.refid].append(rel)

    def __len__(self) -> int:
        return len(self.summaries)

    # -- resolution -------------------------------------------------------------------

    def resolve(self, ref: Reference, source: Entry) -> Resolution:
        """Resolve a reference made in `source` (catalogue §4 resolution order)."""
        if ref.syntax in ("refid", "field"):
            owners = self.by_refid.get(ref.target, [])
            if not owners:
                return Resolution("unknown-refid")
            if len(owners) > 1 and source.relpath in owners:
                return Resolution("ok", (source.relpath,))  # a file naming its own REF-ID (SIMA307 reports the duplicate)
            return Resolution("ok" if len(owners) == 1 else "ambiguous", tuple(owners))
        target = ref.target.replace("\\", "/")
        if ref.syntax == "link":
            res = self._resolve_link(target, source)
        elif ref.syntax == "kb-path" or target.lower().startswith("/sima/"):
            res = self._resolve_rooted(target[len("/sima/"):])
        elif ref.syntax == "bare" and "/" not in target:
            res = self._resolve_bare(target)
            if res.status == "unresolved" and ref.lead:
                res = self._resolve_spaced(ref.lead + target) or self._resolve_separated(ref.lead, target) or res
        else:
            res = self._resolve_relative(target, source)
        if ref.anchor and res.status in ("ok", "ambiguous"):
            return self._check_anchor(ref.anchor, res)
        return res

    def _check_anchor(self, anchor: str, res: Resolution) -> Resolution:
        entry = self.summaries.get(res.targets[0])
        if entry is None or not anchor:
            return res
        # Slugs and suggestions are cached per target: a file with thousands of headings and
        # of broken anchors would otherwise be quadratic.
        cache = self.__dict__.setdefault("_anchors", {})
        if entry.relpath not in cache:
            slugs = [h.slug for h in entry.headings]
            by_first: dict[str, list[str]] = defaultdict(list)
            for s in slugs:
                by_first[s[:1]].append(s)
            cache[entry.relpath] = (slugs, set(slugs), by_first, {})
        slugs, known, by_first, suggested = cache[entry.relpath]
        wanted = unquote(anchor)
        if wanted in known:
            return res
        if wanted not in suggested:
            # Real entries have a few dozen headings and broken anchors; past 1000 headings only
            # those sharing the first letter are compared, past 200 broken anchors none.
            pool = slugs if len(slugs) <= 1000 else by_first.get(wanted[:1].lower(), [])[:1000]
            close = difflib.get_close_matches(wanted.lower(), pool, n=1, cutoff=0.6) if len(suggested) < 200 else []
            suggested[wanted] = close[0] if close else None
        return Resolution("anchor", res.targets, suggested[wanted])

    def _resolve_link(self, target: str, source: Entry) -> Resolution:
        if target == "":
            return Resolution("ok", (source.relpath,))
        if target.lower().startswith("/sima/"):
            return self._resolve_rooted(target[len("/sima/"):])
        if self._kb_absolute(target):
            return self._resolve_rooted(target[1:])
        if target.startswith("/") or re.match(r"^[A-Za-z]:/", target) or target.startswith("~") or target[:5].lower() == "file:":
            return Resolution("outside")
        joined = posixpath.normpath(posixpath.join(source.directory, target))
        if joined.startswith("../") or joined == "..":
            return Resolution("outside")
        if target.endswith("/"):
            joined += "/"
        return self._lookup(joined)

    def _resolve_rooted(self, rel: str) -> Resolution:
        joined = posixpath.normpath(rel) if rel else "."
        if joined.startswith("../") or joined == ".." or rel.startswith("/"):
            return Resolution("outside")
        return self._lookup(joined)

    def _resolve_bare(self, name: str) -> Resolution:
        hits = self.by_name.get(name)
        if hits:
            return Resolution("ok" if len(hits) == 1 else "ambiguous", tuple(hits))
        near = self.by_norm_name.get(normalise(name))
        if near:
            return Resolution("near", tuple(near))
        return Resolution("unresolved", (), missing=name)

    def _resolve_spaced(self, text: str) -> Resolution | None:
        """A bare name whose file name has spaces: `... ARCH-SUGA_Single Universal X.md`."""
        for name in self._spaced_names():
            if text.endswith(name) and (len(text) == len(name) or not text[-len(name) - 1].isalnum()):
                return self._resolve_bare(name)
        return None

    def _resolve_separated(self, lead: str, name: str) -> Resolution | None:
        """`File Server URLs.md` for `File-Server-URLs.md`: the longest run of the words before
        a bare name that, with it, names a file once spaces count as `-`/`_` (a near miss)."""
        found = None
        words = list(re.finditer(r"\S+", lead))[-8:]
        for m in reversed(words):
            word = m.group(0)
            tail = re.sub(r"^.*/|^[^\w.-]+", "", word)  # a path or punctuation starts the name
            written = tail + lead[m.end():] + name
            hits = self.by_norm_name.get(normalise(written))
            if hits:
                found = Resolution("near", tuple(hits), written=written)
            if tail != word:
                break
        return found

    def _spaced_names(self) -> list[str]:
        if not hasattr(self, "_spaced"):
            self._spaced = sorted((n for n in self.by_name if " " in n), key=len, reverse=True)
        return self._spaced

    def _kb_absolute(self, target: str) -> bool:
        """`/support/tools/X.md`: an absolute path whose first folder is a top-level KB folder
        means "from the KB root" (`/etc/x.md`, `/home/me/x.md` stay outside)."""
        if not hasattr(self, "_top_dirs"):
            self._top_dirs = {p.split("/", 1)[0] for p in (*self.summaries, *self.other_files) if "/" in p}
        return target.startswith("/") and target[1:].split("/", 1)[0] in self._top_dirs and "/" in target[1:]

    def _resolve_relative(self, target: str, source: Entry) -> Resolution:
        if self._kb_absolute(target):
            return self._resolve_rooted(target[1:])
        if target.startswith("/") or re.match(r"^[A-Za-z]:/", target):
            return Resolution("outside")
        joined = posixpath.normpath(posixpath.join(source.directory, target))
        if joined.startswith("../") or joined == "..":
            return Resolution("outside")
        if joined in self.summaries:
            return Resolution("ok", (joined,))
        if not target.startswith((".", "/")):
            clean = posixpath.normpath(target)
            if clean in self.summaries:
                return Resolution("ok", (clean,))
            hits = self.by_suffix.get(clean)
            if hits:
                return Resolution("ok" if len(hits) == 1 else "ambiguous", tuple(hits))
            if clean.lower().startswith("sima/"):  # `/sima/...` written without its leading `/`
                rooted = self._resolve_rooted(clean[len("sima/"):])
                if rooted.status in ("ok", "near"):
                    return rooted
        return self._lookup(joined)

    def _lookup(self, rel: str) -> Resolution:
        if rel in self.summaries:
            return Resolution("ok", (rel,))
        if rel.rstrip("/") in self.other_files or rel.rstrip("/") in self.by_dir:
            return Resolution("ok", ())
        near = self.by_norm_path.get(normalise(rel))
        if near:
            return Resolution("near", tuple(near))
        return Resolution("unresolved", (), missing=rel)

    # -- suggestions ------------------------------------------------------------------

    def suggest(self, res: Resolution, source: Entry, grammar: RefIdGrammar | None = None) -> Suggestion | None:
        """What an unresolved reference probably meant (see `suggest.py`), with the settings'
        REF-ID grammar; asked only for broken references, so the happy path does no such work."""
        if not res.missing:
            return None
        if "_suggester" not in self.__dict__:
            self._suggester = Suggester(self.by_name, self.by_refid)
        return self._suggester.suggest(res.missing, grammar or self.grammar, source.directory, source.relpath)

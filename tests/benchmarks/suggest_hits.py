"""How often SIMA301's suggestion names the file a broken reference meant, per way of breaking it.

    python tests/benchmarks/suggest_hits.py [CORPUS] [--seed 1] [--limit N]

Takes a KB (default: the public corpus beside the checkout), and for every file that can be
broken that way (or `--limit` of them, chosen with `--seed`):

- moved: the file goes to another existing folder; a `/sima/` path and a relative link cite
  its old place;
- renamed: the file gets another name that keeps its REF-ID (a bare-REF-ID name gains a
  title, a titled one loses its last word, or gains one); a `/sima/` path cites the old name;
- typo: a `/sima/` path cites it with one edit in its name (a letter dropped, doubled,
  replaced, or two swapped), the file stays;
- separators: its dashes are written as spaces, in a bare name in prose and in a `/sima/` path.

Each broken reference goes through the resolver as SIMA301/302 see it (in memory, nothing is
written). A hit is a suggestion whose first file is the right one; `named` counts the right
file anywhere in the message; `certain` counts the hits `--fix` would rewrite, and `wrong`
the certain answers that name another file. For comparison, `difflib` is the suggestion
before issue 10 (string similarity of the whole path), on the same broken references.
"""
from __future__ import annotations

import argparse
import difflib
import posixpath
import random
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from checker.api import check  # noqa: E402
from checker.config import Config  # noqa: E402
from checker.kb.index import KnowledgeBase, normalise  # noqa: E402
from checker.model import Entry, Reference  # noqa: E402
from checker.parse.refid import grammar  # noqa: E402
from checker.parse.refs import scan_line  # noqa: E402

CORPUS = (REPO / ".." / "shared" / "corpus" / "sima-public-2025-11-01").resolve()
KINDS = ("moved", "renamed", "typo", "separators")


def stubs(kb: KnowledgeBase) -> list[Entry]:
    """Path, kind and REF-ID of every file: all a suggestion may use."""
    return [Entry(relpath=s.relpath, kind=s.kind, text="", lines=(), line_count=0, refid=s.refid) for s in kb.summaries.values()]


def with_path(entries: list[Entry], old: str, new: str) -> KnowledgeBase:
    """The KB with the file `old` at `new`."""
    return KnowledgeBase([replace(e, relpath=new) if e.relpath == old else e for e in entries])


def old_suggest(kb: KnowledgeBase, target: str) -> str | None:
    """The suggestion before issue 10: difflib ratio >= 0.75 of the whole path, candidates from
    the same folder, the same first six letters, and the REF-ID of the name."""
    directory, _, name = target.rpartition("/")
    candidates = set(kb.by_dir.get(directory, ()))
    key = normalise(name)[:6]
    for norm_name, rels in kb.by_norm_name.items():
        if norm_name[:6] == key:
            candidates.update(rels)
    refid = grammar().from_filename(name)
    if refid:
        candidates.update(kb.by_refid.get(refid, ()))
    best, best_score = None, 0.0
    matcher = difflib.SequenceMatcher(None, normalise(target), "")
    for rel in sorted(candidates):
        matcher.set_seq2(normalise(rel if "/" in target else rel.rsplit("/", 1)[-1]))
        score = matcher.ratio()
        if score > best_score:
            best, best_score = rel, score
    return best if best_score >= 0.75 else None


class Tally:
    """Counts per kind and syntax."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Counter] = defaultdict(Counter)

    def add(self, kind: str, syntax: str, want: str, kb: KnowledgeBase, ref: Reference, source: Entry, old: str | None) -> None:
        res = kb.resolve(ref, source)
        c = self.rows[(kind, syntax)]
        c["total"] += 1
        if res.status == "near":  # SIMA302: certain by construction when it names one file
            targets, certain = res.targets, len(res.targets) == 1
        elif res.status == "unresolved":
            s = kb.suggest(res, source, grammar())
            targets, certain = (s.targets, s.certain) if s else ((), False)
        else:
            targets, certain = (), False
            c["resolved?"] += 1
        c["hit"] += bool(targets) and targets[0] == want
        c["named"] += want in targets
        c["certain"] += certain and targets[0] == want
        c["wrong"] += certain and targets[0] != want
        if old is not None:
            c["difflib"] += old == want

    def table(self) -> str:
        head = "| kind | reference | broken | hit | named | certain (fixed) | certain but wrong | difflib (before) |"
        lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|"]
        for (kind, syntax), c in sorted(self.rows.items(), key=lambda kv: (KINDS.index(kv[0][0]), kv[0][1])):
            n = c["total"]

            def pct(key: str) -> str:
                return f"{c[key]} ({100 * c[key] / n:.0f}%)" if n else "-"

            old = pct("difflib") if kind != "separators" else "n/a"
            lines.append(f"| {kind} | {syntax} | {n} | {pct('hit')} | {pct('named')} | {pct('certain')} | {c['wrong']} | {old} |")
        return "\n".join(lines)


def citer(entries: list[Entry], avoid: str, rnd: random.Random) -> Entry:
    """Some other file, in another folder, to make the reference in."""
    while True:
        e = rnd.choice(entries)
        if e.relpath != avoid and e.directory != posixpath.dirname(avoid):
            return e


def kb_path(target: str, line: int = 1) -> Reference:
    text = f"/sima/{target}"
    return Reference(text, text, "kb-path", line, 1)


def typo(name: str, rnd: random.Random) -> str:
    stem = name[:-3]
    letters = [i for i, ch in enumerate(stem) if ch.isalpha()]
    i = rnd.choice(letters)
    how = rnd.choice(("drop", "double", "replace", "swap"))
    if how == "drop":
        stem = stem[:i] + stem[i + 1:]
    elif how == "double":
        stem = stem[:i] + stem[i] + stem[i:]
    elif how == "replace":
        ch = stem[i]
        other = rnd.choice([c for c in "etaoinsrhl" if c != ch.lower()])
        stem = stem[:i] + (other.upper() if ch.isupper() else other) + stem[i + 1:]
    elif i + 1 < len(stem) and stem[i + 1] != stem[i]:
        stem = stem[:i] + stem[i + 1] + stem[i] + stem[i + 2:]
    else:
        stem = stem[:i] + stem[i + 1:]
    return stem + ".md"


def renamed(name: str, refid: str) -> str:
    stem = name[:-3]
    if stem == refid:
        return f"{refid}_Decision-Record.md"
    words = stem.replace(refid, "").strip("_- ").split("-")
    if len(words) > 1:
        new = "-".join(words[:-1])
    else:
        new = words[0] + "-Guide"
    return f"{new}_{refid}.md" if stem.endswith(refid) else f"{refid}_{new}.md"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="files per kind (0: every file that can be broken that way)")
    args = ap.parse_args()
    root = args.corpus.resolve()
    entries = stubs(check([root], Config(), jobs=1, cache=None, keep=True).kbs[root])
    kb = KnowledgeBase(entries)
    g = grammar()
    rnd = random.Random(args.seed)
    dirs = sorted({e.directory for e in entries})
    tally = Tally()

    def sample(pool: list[Entry]) -> list[Entry]:
        pool = sorted(pool, key=lambda e: e.relpath)
        return rnd.sample(pool, args.limit) if args.limit and args.limit < len(pool) else pool

    for e in sample(entries):  # moved
        folders = [d for d in dirs if d != e.directory and f"{d}/{e.name}" not in kb.summaries]
        new = f"{rnd.choice(folders)}/{e.name}".lstrip("/")
        moved = with_path(entries, e.relpath, new)
        src = citer(entries, e.relpath, rnd)
        ref = kb_path(e.relpath)
        tally.add("moved", "/sima/ path", new, moved, ref, src, old_suggest(moved, e.relpath))
        link = posixpath.relpath(e.relpath, src.directory or ".")
        ref = Reference(f"[x]({link})", link, "link", 1, 1)
        tally.add("moved", "relative link", new, moved, ref, src, old_suggest(moved, posixpath.normpath(posixpath.join(src.directory, link))))

    owners = Counter(e.refid for e in entries if e.refid)
    for e in sample([e for e in entries if e.refid and g.from_filename(e.name) == e.refid and owners[e.refid] == 1]):
        new_name = renamed(e.name, e.refid)
        new = posixpath.join(e.directory, new_name)
        if new in kb.summaries:
            continue
        kb2 = with_path(entries, e.relpath, new)
        src = citer(entries, e.relpath, rnd)
        tally.add("renamed", "/sima/ path", new, kb2, kb_path(e.relpath), src, old_suggest(kb2, e.relpath))

    for e in sample([e for e in entries if any(ch.isalpha() for ch in e.name[:-3])]):
        broken = posixpath.join(e.directory, typo(e.name, rnd))
        ref = kb_path(broken)
        src = citer(entries, e.relpath, rnd)
        if kb.resolve(ref, src).status != "unresolved":
            continue  # the typo made another existing (or near) name
        tally.add("typo", "/sima/ path", e.relpath, kb, ref, src, old_suggest(kb, broken))

    for e in sample([e for e in entries if "-" in e.name and " " not in e.name]):
        spaced = e.name.replace("-", " ")
        if spaced in kb.by_name:
            continue
        src = citer(entries, e.relpath, rnd)
        refs = scan_line(f"- See {spaced} for the details", 1, g, "prose")
        ref = next(r for r in reversed(refs) if r.syntax == "bare")
        tally.add("separators", "bare name in prose", e.relpath, kb, ref, src, None)
        tally.add("separators", "/sima/ path", e.relpath, kb, kb_path(posixpath.join(e.directory, spaced)), src, None)

    print(f"{args.corpus.name}: {len(entries)} files, seed {args.seed}\n")
    print(tally.table())


if __name__ == "__main__":
    main()

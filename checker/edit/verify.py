"""The safety net of `mv`: resolve every citation again in the KB as it will be after the move;
a plan under which a citation would stop finding its file, or would find another one, is refused."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..kb.discover import parse_file
from ..kb.index import KnowledgeBase
from ..model import Checked, Entry
from .plan import MovePlan


def _bad(statuses) -> Counter:
    return Counter(s for s in statuses if s != "ok")


def broken(plan: MovePlan, kb: KnowledgeBase, checked: dict[str, Checked], mapper) -> list[str]:
    """`file: line N: `x.md` would be unresolved after the move`, for each file the plan would break."""
    settings = kb.settings
    edited = {e.relpath: e.after for e in plan.edits}
    after: dict[str, Entry] = {}
    for rel, c in checked.items():
        new = mapper(rel)
        if rel in edited:
            after[new] = parse_file(new, edited[rel], settings)
        elif new != rel:
            after[new] = replace(c.entry, relpath=new)
        else:
            after[new] = c.entry
    summaries = []
    for rel in kb.summaries:
        new = mapper(rel)
        summaries.append(after[new] if new in after else replace(kb.summaries[rel], relpath=new))
    new_kb = KnowledgeBase(summaries, frozenset(mapper(o) for o in kb.other_files),
                           frozenset(mapper(o) for o in kb.outside_links), settings)
    problems = []
    for rel, c in sorted(checked.items()):
        entry = after[mapper(rel)]
        resolved = [new_kb.resolve(ref, entry) for ref in entry.references]
        problem = _compare(c.resolved, resolved, mapper) if len(resolved) == len(c.resolved) else None
        if len(resolved) != len(c.resolved):
            was = _bad(res.status for _, res in c.resolved)
            now = _bad(res.status for res in resolved)
            if sum(now.values()) > sum(was.values()):
                problem = f"{sum(now.values()) - sum(was.values())} more unresolved citations"
        if problem:
            problems.append(f"{mapper(rel)}: {problem} after the move")
    return problems


# A citation breaks when it resolved and no longer does, or when a near miss, an ambiguous name
# or a bad anchor (a citation that finds its file) no longer finds any. A dangling one that
# comes closer to a moved file (`unresolved` becoming `near`) is not the move's doing.
_FOUND = ("ok", "near", "ambiguous", "anchor")


def _compare(before, after, mapper) -> str | None:
    for (ref, old), new in zip(before, after):
        if old.status == "ok" and new.status != "ok":
            return f"line {ref.line}: `{ref.target}` would be {new.status}"
        if old.status in _FOUND and new.status not in _FOUND:
            return f"line {ref.line}: `{ref.target}` would be {new.status}"
        if old.status == new.status == "ok" and tuple(map(mapper, old.targets)) != new.targets:
            return f"line {ref.line}: `{ref.target}` would lead to {new.target} instead"
    return None

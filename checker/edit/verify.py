"""The safety net of `mv`: resolve every citation again in the KB as it will be after the move;
a plan that would leave any file with more unresolved citations than before is refused."""
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
    """`file: N more unresolved citations (status...)` for each file the plan would break."""
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
        was = _bad(res.status for _, res in c.resolved)
        now = _bad(new_kb.resolve(ref, entry).status for ref in entry.references)
        worse = {s: n - was.get(s, 0) for s, n in now.items() if n > was.get(s, 0)}
        if worse:
            what = ", ".join(f"{n} {s}" for s, n in sorted(worse.items()))
            problems.append(f"{mapper(rel)}: {what} citation{'s' if sum(worse.values()) > 1 else ''} after the move")
    return problems

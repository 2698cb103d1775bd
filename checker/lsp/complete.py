"""Completion: REF-IDs after a family prefix, `/sima/` paths segment by segment, heading anchors
after `#`. Each candidate replaces the partial word before the cursor (code points)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from ..kb.index import KnowledgeBase
from ..model import Entry, Reference

_REFID = re.compile(r"(?<![\w/.-])([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-[A-Za-z0-9]*)$")
_PATH = re.compile(r"/sima/((?:[^\s`()\[\]<>/]+/)*)([^\s`()\[\]<>/]*)$")
_ANCHOR = re.compile(r"(\]\()?([^\s`()\[\]<>]*)#([^\s`()\[\]<>#]*)$")
# A `/sima/` path may hold spaces (as the checker reads it: refs._KB_PATH, up to 400 characters).
_SPACED_ANCHOR = re.compile(r"(?<![\w/])(/sima/[^\n`*()\[\]<>|\"#]{0,400}?\.md)#([^\s`()\[\]<>#]*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A completion: what to insert over code points [start, cursor), what it is."""

    label: str
    start: int
    kind: str  # "refid", "file", "folder", "anchor"
    detail: str = ""


def complete(entry: Entry, kb: KnowledgeBase, line: int, char: int) -> list[Candidate]:
    """Candidates at 0-based (line, code point) of a checked document."""
    before = entry.line_text(line + 1)[:char]
    m = _SPACED_ANCHOR.search(before[-420:])  # the tail only: the pattern is bounded, the line is not
    if m and " " in m.group(1):
        return anchors(entry, kb, m.group(1), False, char - len(m.group(2)))
    m = _ANCHOR.search(before)
    if m:
        return anchors(entry, kb, m.group(2), bool(m.group(1)), char - len(m.group(3)))
    m = _PATH.search(before)
    if m:
        return paths(kb, m.group(1), char - len(m.group(2)))
    m = _REFID.search(before)
    if m:
        return refids(kb, m.group(1), char - len(m.group(1)))
    return []


def refids(kb: KnowledgeBase, prefix: str, start: int) -> list[Candidate]:
    """REF-IDs of the KB that start with `prefix` (`DEC-`, `AWS-LESS-`), with their files' titles."""
    out = []
    for refid in sorted(kb.by_refid):
        if refid.startswith(prefix):
            owners = kb.by_refid[refid]
            summary = kb.summaries.get(owners[0])
            title = (summary.title if summary and summary.title else owners[0])
            out.append(Candidate(refid, start, "refid", title if len(owners) == 1 else f"{title} (+{len(owners) - 1} more)"))
    return out


def paths(kb: KnowledgeBase, folder: str, start: int) -> list[Candidate]:
    """The next segment of a `/sima/` path: the sub-folders and files of `folder`."""
    folder = folder.rstrip("/")
    subs = set()
    prefix = folder + "/" if folder else ""
    for d in kb.by_dir:
        if d and d.startswith(prefix) and d != folder:
            subs.add(d[len(prefix):].split("/", 1)[0])
    out = [Candidate(s + "/", start, "folder") for s in sorted(subs)]
    for rel in kb.by_dir.get(folder, []):
        summary = kb.summaries.get(rel)
        out.append(Candidate(rel.rsplit("/", 1)[-1], start, "file", (summary.title or "") if summary else ""))
    return out


def anchors(entry: Entry, kb: KnowledgeBase, target: str, link: bool, start: int) -> list[Candidate]:
    """The heading slugs of the file a path or link before `#` leads to."""
    if target.lower().endswith(".md") or (link and target == ""):
        syntax = "link" if link else ("kb-path" if target.lower().startswith("/sima/") else ("relative" if "/" in target else "bare"))
        res = kb.resolve(Reference(target, unquote(target), syntax, 1, 1), entry)
        if res.status not in ("ok", "ambiguous", "near") or not res.targets:
            return []
        if res.targets[0] == entry.relpath:
            headings = entry.headings  # the buffer's own headings, as typed
        else:
            summary = kb.summaries.get(res.targets[0])
            headings = summary.headings if summary else ()
        return [Candidate(h.slug, start, "anchor", "#" * h.level + " " + h.text) for h in headings]
    return []

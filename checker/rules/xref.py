"""Cross-reference rules (SIMA3xx): every path, file name, link and REF-ID must resolve."""
from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from urllib.parse import quote, unquote

from ..kb.index import normalise
from ..kb.suggest import Suggestion
from ..model import Entry, Hit, Severity
from .base import Context, hits_for, rule

_LINK_TARGET = re.compile(r"<([^>\n]*)>|([^)\s]*)")


def _did_you_mean(suggestion: str | None) -> str:
    return f"; did you mean `{suggestion}`?" if suggestion else ""


def _named(targets: tuple[str, ...], more: int = 0, last: str = ", ") -> str:
    quoted = [f"`{t}`" for t in targets]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + last + quoted[-1]
    return listed + (f" and {more} more" if more else "")


def unresolved_message(target: str, s: Suggestion | None) -> str:
    """SIMA301's message: where the file is when that is known, else the nearest guess."""
    if s is None:
        return f"`{target}` does not resolve to any file"
    if s.kind == "moved":
        where = "the file is at" if len(s.targets) == 1 else "files of that name are at"
        return f"`{target}` does not resolve; {where} {_named(s.targets, s.more)}"
    if s.kind == "renamed":
        return f"`{target}` does not resolve; REF-ID {s.refid} is owned by {_named(s.targets, s.more)}"
    return f"`{target}` does not resolve to any file; did you mean {_named(s.targets, last=' or ')}?"


def respell(written: str, target: str, encoded: bool, angle: bool) -> str | None:
    """`written` with each path segment spelt as in `target`; prefixes (`../`, `/sima/`) kept."""
    prefix = ""
    if written.lower().startswith("/sima/"):
        prefix, written = written[:6], written[6:]
    segs, want = written.split("/"), target.split("/")
    j = len(want) - 1
    for i in range(len(segs) - 1, -1, -1):
        seg = segs[i]
        if seg in ("", ".", ".."):
            break
        plain = unquote(seg) if encoded else seg
        if j < 0 or normalise(plain) != normalise(want[j]):
            return None
        if plain != want[j]:
            segs[i] = _encode_like(seg, want[j], angle) if encoded else want[j]
        j -= 1
    return prefix + "/".join(segs)


def _encode_like(old: str, new: str, angle: bool) -> str:
    """A link segment percent-encoded when the old one was (or when it must be)."""
    if "%" in old or (not angle and any(c in new for c in " ()<>%#")):
        return quote(new, safe="!$&'*+,;=:@~")
    return new


def reference_span(line: str, ref, new_path, written: str | None = None) -> tuple[int, int, str] | None:
    """The edit that rewrites the path of `ref` on its line: `new_path(written, encoded, angle)`
    gives the new spelling (None: leave it); `written`: the text a near miss matched when it
    starts before the reference."""
    if ref.syntax == "link":
        m = _LINK_TARGET.match(line, ref.column - 1)
        if not m:
            return None
        angle = m.group(1) is not None
        start = m.start(1) if angle else m.start(2)
        path = (m.group(1) if angle else m.group(2)).split("#", 1)[0]
        new = new_path(path, True, angle)
        return (start, start + len(path), new) if new else None
    written = written or ref.target
    if written != ref.target:  # a bare name written with spaces: the match starts before the reference
        end = ref.column - 1 + len(ref.target)
        start = end - len(written)
        if start < 0 or line[start:end] != written:
            return None
    else:
        start = line.find(written, ref.column - 1)
    if start < 0:
        return None
    new = new_path(written, False, True)
    return (start, start + len(written), new) if new else None


def _found_refs(entry: Entry, found, kb):
    """(finding, its reference, the reference's resolution) for findings made at a reference."""
    refs = {(r.line, r.column): r for r in entry.references}
    for f in found:
        ref = refs.get((f.line, f.column))
        if ref is not None:
            yield f, ref, kb.resolve(ref, entry)


def _fix_near_miss(doc, entry: Entry, found, kb) -> None:
    """Spell each near-miss reference exactly as its target's path, in the citer's own syntax."""
    for f, ref, res in _found_refs(entry, found, kb):
        if res.status != "near" or len(res.targets) != 1:
            continue
        target = res.targets[0]
        edit = reference_span(doc.lines[f.line - 1], ref, lambda w, enc, angle: respell(w, target, enc, angle), res.written)
        if edit:
            doc.replace(f.line, *edit)


def _repointed(written: str, target: str, ref, entry: Entry, kb) -> str | None:
    """`target` in the shape of `written`: `/sima/` rooted, `/` rooted, relative (`../`), a
    folder suffix of as many folders, or a bare name; None unless it then resolves to `target`."""
    low = written.lower()
    if low.startswith(("/sima/", "sima/")):
        shapes = [written[: low.index("sima/") + 5] + target]
    elif written.startswith("/"):
        shapes = ["/" + target]
    elif "/" not in written and ref.syntax != "link":
        shapes = [posixpath.basename(target)]
    elif ref.syntax == "link" or written.startswith(("./", "../")):
        rel = posixpath.relpath(target, entry.directory or ".")
        shapes = ["./" + rel if written.startswith("./") and not rel.startswith("../") else rel]
    else:  # `decisions/DEC-05.md`: a suffix of a KB path, as many folders deep if that is unique
        parts = target.split("/")
        shapes = ["/".join(parts[-(written.count("/") + 1):]), target]
    for new in shapes:
        res = kb.resolve(replace(ref, raw=new, target=new, anchor=None, lead=""), entry)
        if res.status == "ok" and res.targets == (target,):
            return new
    return None


def _repoint(written: str, encoded: bool, angle: bool, target: str, ref, entry: Entry, kb) -> str | None:
    """The new path text for a SIMA301 fix, percent-encoded like a link that was."""
    new = _repointed(unquote(written) if encoded else written, target, ref, entry, kb)
    if new and encoded and ("%" in written or (not angle and any(c in new for c in " ()<>%#"))):
        new = quote(new, safe="/!$&'*+,;=:@~")
    return new


def _fix_unresolved(doc, entry: Entry, found, kb) -> None:
    """Point each broken reference at the file it certainly meant (moved, or its REF-ID names
    it), written as the citer wrote it; uncertain suggestions are left to the writer."""
    for f, ref, res in _found_refs(entry, found, kb):
        s = kb.suggest(res, entry, kb.grammar) if res.status == "unresolved" else None
        if not (s and s.certain):
            continue
        target = s.targets[0]
        edit = reference_span(doc.lines[f.line - 1], ref, lambda w, enc, angle: _repoint(w, enc, angle, target, ref, entry, kb))
        if edit:
            doc.replace(f.line, *edit)


@rule("SIMA301", "xref-unresolved", Severity.ERROR, fix=_fix_unresolved)
def xref_unresolved(entry: Entry, ctx: Context):
    """A path, file name, relative path or Markdown link resolves to nothing.

    Syntaxes: `/sima/dir/File Name.md` (from the KB root, may hold spaces), `Name.md` (unique
    file name anywhere), `dir/Name.md` (from the entry's folder, then as a suffix of a KB
    path), `[text](target.md#anchor)` (from the entry's folder). An absolute path whose first
    folder is a top-level KB folder (`/support/tools/X.md`) counts from the KB root. Globs and
    template placeholders (`AP-*.md`, `NMP##-PROJECT-Index.md`) are not references. The message
    says where the file is when it moved (its name exists elsewhere) or was renamed (the
    REF-ID in its name is owned by another file name), else names files one typo away.

    Why: a broken reference is a dead end for the reader and for every tool that follows it.

    Example:
        Body: `- /sima/entries/decisions/DEC-05.md`

        Other files: `entries/decisions/architecture/DEC-05.md`, where DEC-05 really lives

    Fix: point the reference at the file's real path, or write the missing entry. When one
    file is certain (the only file of that name, or the only owner of that REF-ID with a name
    that agrees), `sima-check --fix` rewrites the reference in its own syntax.

        Body: `- /sima/entries/decisions/architecture/DEC-05.md`
    """
    for ref, res in hits_for(ctx, "unresolved"):
        s = ctx.kb.suggest(res, entry, ctx.grammar)
        yield Hit(ref.line, ref.column, unresolved_message(ref.target, s), fixable=bool(s and s.certain))


@rule("SIMA302", "xref-near-miss", Severity.ERROR, fix=_fix_near_miss)
def xref_near_miss(entry: Entry, ctx: Context):
    """A reference resolves only after folding case, whitespace and `_`/`-` runs.

    A bare name written with spaces for `-` or `_` (`File Server URLs.md` for
    `File-Server-URLs.md`) is a near miss too, not an unresolved `URLs.md`.

    Why: it works on a forgiving file server and breaks on git, on Linux and on the site; the
    real public KB has `ARCH-SUGA_ Single Universal ...` cited as `ARCH-SUGA_Single Universal ...`.

    Example:
        Body: `- /sima/entries/core/ARCH-SUGA_Single-Universal-Gateway-Architecture.md`

        Other files: `entries/core/ARCH-SUGA_ Single Universal Gateway Architecture.md`

    Fix: write the exact path (`sima-check --fix` does).

        Body: `- /sima/entries/core/ARCH-SUGA_ Single Universal Gateway Architecture.md`
    """
    for ref, res in hits_for(ctx, "near"):
        yield Hit(ref.line, ref.column, f"`{res.written or ref.target}` only matches `{res.target}` after folding case, spaces or `_`/`-`; write it exactly")


@rule("SIMA303", "xref-ambiguous", Severity.WARNING)
def xref_ambiguous(entry: Entry, ctx: Context):
    """A bare file name or REF-ID matches more than one file.

    Why: the reader (and the site) cannot know which one is meant. (A file that names its own
    REF-ID means itself, even when another file claims it too: that duplicate is SIMA307's.)

    Example:
        Body: `- Lambda-Index.md`

        Other files: `aws/lambda/Lambda-Index.md` and `python/lambda/Lambda-Index.md`

    Fix: use a path, or give the files distinct names or REF-IDs.

        Body: `- /sima/aws/lambda/Lambda-Index.md`
    """
    for ref, res in hits_for(ctx, "ambiguous"):
        listed = ", ".join(res.targets[:3]) + (" ..." if len(res.targets) > 3 else "")
        yield Hit(ref.line, ref.column, f"`{ref.target}` matches {len(res.targets)} files: {listed}")


@rule("SIMA304", "refid-unknown", Severity.WARNING)
def refid_unknown(entry: Entry, ctx: Context):
    """A REF-ID is mentioned that no file owns.

    A warning in prose; an error inside a relationship field (`**Related:**`, `**Related To:**`,
    `**Inherits From:**`, `**Used In:**`) or the Cross-References section. REF-IDs in
    `**Range:**` and `**Next Available:**` fields name unassigned numbers and are not mentions.

    Why: REF-IDs are the KB's stable names; an unknown one is a typo or a deleted entry.

    Example:
        Header: `**Related:** DEC-99`, when no file has REF-ID DEC-99

    Fix: correct the REF-ID, or write the entry that owns it.

        Header: `**Related:** DEC-04`

        Other files: `decisions/DEC-04.md`
    """
    for ref, res in hits_for(ctx, "unknown-refid"):
        strong = ref.context in ("field", "xref")
        yield Hit(ref.line, ref.column, f"no file owns REF-ID `{ref.target}`", strong)


@rule("SIMA305", "xref-anchor", Severity.ERROR)
def xref_anchor(entry: Entry, ctx: Context):
    """A `#anchor` is not a heading slug of the target file.

    Slugs are made as the site makes them: lower case, ASCII, punctuation dropped, spaces to
    `-`; repeated headings get `_1`, `_2`.

    Why: the link lands at the top of the page instead of the section it promises.

    Example:
        File: `aws/lambda/AWS-Lambda-ColdStarts_AWS-LESS-10.md`

        Body: `[costs](AWS-Lambda-CostModel_AWS-LESS-11.md#pricing)`

        Other files: `aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md`, which has no Pricing heading

    Fix: link to an existing heading's slug, or add the heading.

        Body: `[costs](AWS-Lambda-CostModel_AWS-LESS-11.md#summary)`
    """
    for ref, res in hits_for(ctx, "anchor"):
        yield Hit(ref.line, ref.column, f"`#{ref.anchor}` is not a heading of `{res.target}`{_did_you_mean(res.suggestion and '#' + res.suggestion)}")


@rule("SIMA306", "xref-outside-root", Severity.ERROR, states=("text", "outside"))
def xref_outside_root(entry: Entry, ctx: Context):
    """A reference escapes the KB root (`../../etc/passwd`, absolute host paths).

    Such targets are never read.

    Why: a published KB must be self-contained; a path out of it breaks on every other machine
    and may leak a local layout.

    Example:
        Body: `[notes](../../../home/me/notes.md)`

    Fix: move the target into the KB, or link to it by URL.

        Body: `[notes](https://wiki.example.com/notes)`
    """
    for ref, res in hits_for(ctx, "outside"):
        yield Hit(ref.line, ref.column, f"`{ref.target}` points outside the knowledge base root; not followed")
    if entry.relpath in ctx.kb.outside_links:
        yield Hit(1, 1, "this file is a symlink to a place outside the knowledge base root; not read")


@rule("SIMA307", "refid-duplicate", Severity.ERROR)
def refid_duplicate(entry: Entry, ctx: Context):
    """Two files claim the same REF-ID (the header field first, else derived from the file name).

    Reported on each file.

    Why: numbers are never reused; a REF-ID that names two files makes every mention ambiguous.

    Example:
        File: `lessons/LESS-15.md`

        Other files: `lessons/operations/LESS-15.md`

    Fix: give one of them the next free number and update its citations.

        Other files: `lessons/operations/LESS-16.md`
    """
    owners = ctx.kb.by_refid.get(entry.refid or "", [])
    if len(owners) > 1:
        others = [o for o in owners if o != entry.relpath]
        yield Hit(entry.refid_line, 1, f"REF-ID `{entry.refid}` is also claimed by {', '.join(others)}")

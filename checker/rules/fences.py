"""Fence rules (SIMA505, SIMA506): code fences that swallow the rest of an entry."""
from __future__ import annotations

from ..model import Entry, Fence, Hit, Severity
from ..parse.scan import fence_marker
from .base import ALL_KINDS, Context, rule


@rule("SIMA505", "fence-unclosed", Severity.ERROR, ALL_KINDS)
def fence_unclosed(entry: Entry, ctx: Context):
    """A code fence is never closed, so the rest of the file renders as code.

    Fences follow CommonMark: a run of three or more backticks or tildes indented by at most
    three spaces opens one (after backticks, the info string may hold no backtick); only a line
    of the same character, at least as long, with only spaces or tabs after it, closes it. An unclosed
    fence runs to the end of the file. Reported at the opening line.

    Lists and quotes are followed only as far as fences need (the scanner stays one pass over
    lines, and on the public KB it pairs every fence as GitHub does). A fence indented by up to
    three spaces counts wherever it sits; when the nearest less indented line above is a list
    item's marker line and the fence is indented at least to that item's content, the fence
    also ends where the item ends (the next non-blank line indented less), as in CommonMark,
    and is not reported. A fence that starts on the line of a list marker (`` - ```python ``)
    or a quote marker (`` > ``` ``) is not checked, and no line of it, its closer least of all,
    counts as a fence of its own. A message that says a bare fence "was probably meant to close"
    a block reads the fences as the author did: an info string opens, a bare fence closes.

    Why: from the opening line on, GitHub and every other CommonMark renderer show everything
    as code (the cross-references and the keywords too; the MkDocs site's Python-Markdown
    fences read it in yet another way), and sima-check checks nothing there.

    Example:
        Body: `` ```python `` and `def handler(event):`, then nothing but prose and the footer

    Fix: close the fence with a line of the same character, at least as long.

        Body: `` ```python ``, `def handler(event):` and `` ``` ``
    """
    meant = _meant_closers(entry)
    for f in entry.fences:
        if not f.closed:
            fix = (
                f"it was probably meant to close the block opened on line {meant[f.line]} (see SIMA506)"
                if f.line in meant else f"close it with a line of {_run(entry, f)}"
            )
            yield Hit(
                f.line, 1,
                f"code fence opened here is never closed: from line {f.line} to the end of the file "
                f"everything renders as code and goes unchecked; {fix}",
            )


@rule("SIMA506", "fence-nested", Severity.WARNING, ALL_KINDS)
def fence_nested(entry: Entry, ctx: Context):
    """A fence opener nested in a code block of the same fence: its closer ends the outer block.

    Inside an open fence, a line of the same character, at least as long, with an info string
    (```` ```python ```` inside ```` ```markdown ````) cannot close the block and cannot open
    one: it is text, and the bare fence meant to close it closes the outer block instead, so
    what follows renders as prose and a later fence opens a block that may never close
    (SIMA505). Reported at that line. An outer fence longer than the inner ones nests them as
    meant (four backticks around three), and so does the other character (tildes around
    backticks). List items and quotes are read as for SIMA505.

    Why: the example that shows a code block breaks in two, and the text after it is shown as
    code until the next fence.

    Example:
        Body: `` ```markdown ``, `Call it like this:`, `` ```python ``, `cache_get(key)`, `` ``` ``,
        `Then check the result.` and `` ``` ``

    Fix: make the outer fence longer than any inside it, at both ends.

        Body: `` ````markdown ``, `Call it like this:`, `` ```python ``, `cache_get(key)`, `` ``` ``,
        `Then check the result.` and `` ```` ``
    """
    meant = _meant_closers(entry)
    for f in entry.fences:
        if not f.nested:
            continue
        inner = [fence_marker(entry.line_text(n)) for n in f.nested]
        longer = _run(entry, f)[0] * (max(m[1] for m in inner) + 1)
        close = (
            "nothing closes the outer block, it runs to the end of the file" if not f.closed
            else f"the end of its list item (line {f.end}) closes the outer block instead" if f.by_item
            else f"line {f.end} closes the outer block instead"
        )
        fix = f"an outer fence longer than this one ({longer} to open and to close) nests them"
        if f.line in meant:
            fix += f", but line {f.line} was probably meant to close the block opened on line {meant[f.line]}: fix the fences above first"
        for n, (char, size, info) in zip(f.nested, inner):
            words = info.split()  # the info string's first word, as a language is named
            shown = char * size + (words[0] if words else f" followed by {info!r}")
            yield Hit(n, 1, f"{shown} inside the code block opened on line {f.line} opens nothing: {close}; {fix}")


def _meant_closers(entry: Entry) -> dict[int, int]:
    """Bare fences that open a block only because a nested opener (SIMA506) put the fences out of
    step: their line -> the opening line of the block each probably meant to close.

    Read as the author did: every fence with an info string opens a block, a bare one closes the
    innermost open block of its character. Only lines after the first nested opener count.
    """
    first = min((n for f in entry.fences for n in f.nested), default=0)
    if not first:
        return {}
    events = []  # (line, char, opens, opens a block for CommonMark)
    for f in entry.fences:
        char = _run(entry, f)[0]
        events.append((f.line, char, bool(f.info), True))
        events += [(n, char, True, False) for n in f.nested]
        if f.closed and not f.by_item:
            events.append((f.end, char, False, False))
    stacks: dict[str, list[int]] = {"`": [], "~": []}
    meant = {}
    for line, char, opens, cm_opener in sorted(events):
        stack = stacks[char]
        if opens or not stack:
            stack.append(line)
        else:
            opened = stack.pop()
            if cm_opener and line > first:
                meant[line] = opened
    return meant


def _run(entry: Entry, f: Fence) -> str:
    """The opening run of backticks or tildes of a fence (```` ``` ````, `~~~~`)."""
    m = fence_marker(entry.line_text(f.line))
    return m[0] * m[1] if m else "```"

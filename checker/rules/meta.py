"""Meta rules (SIMA0xx): about sima-check's own inline comments."""
from __future__ import annotations

from ..model import Entry, Hit, Severity
from .base import ALL_KINDS, Context, rule


@rule("SIMA001", "unused-suppression", Severity.INFO, ALL_KINDS, late=True)
def unused_suppression(entry: Entry, ctx: Context):
    """An inline `sima-check: disable` comment suppresses nothing, or names no known rule.

    A late rule: it runs after the engine has applied the suppressions and recorded which
    of them matched a finding.

    Why: a stale suppression hides the next real problem of that kind.

    Example:
        Body: `<!-- sima-check: disable-next-line=SIMA301 -->` above `No reference on this line.`

    Fix: delete the comment.

        Body: `No reference on this line.`
    """
    for s, used, unknown in ctx.suppressions:
        if unknown:
            yield Hit(s.line, 1, f"suppression names unknown rule(s): {', '.join(unknown)}")
        elif not used:
            yield Hit(s.line, 1, f"suppression of {', '.join(s.codes)} matches no finding; remove it")

"""Meta rules (SIMA0xx): about sima-check's own inline comments."""
from __future__ import annotations

from ..model import Entry, Hit, Severity
from .base import ALL_KINDS, Context, rule


@rule("SIMA001", "unused-suppression", Severity.INFO, ALL_KINDS, late=True)
def unused_suppression(entry: Entry, ctx: Context):
    """An inline `sima-check: disable` comment suppresses nothing, or names no known rule.

    The engine reports these after applying suppressions; this function documents the rule.

    Why: a stale suppression hides the next real problem of that kind.

    Example:
        Body: `<!-- sima-check: disable-next-line=SIMA301 -->` above `No reference on this line.`

    Fix: delete the comment.

        Body: `No reference on this line.`
    """
    return ()

"""Keyword rules (SIMA4xx): the `## Keywords` section or `**Keywords:**` field of an entry."""
from __future__ import annotations

from ..model import Entry, Hit, Severity
from .base import ENTRY, Context, rule


@rule("SIMA401", "keywords-missing", Severity.ERROR, ENTRY)
def keywords_missing(entry: Entry, ctx: Context):
    """An entry has no `## Keywords` section and no `**Keywords:**` field, or they are empty.

    The heading is matched case-insensitively and may carry an emoji (`## 🏷️ KEYWORDS`).

    Why: keywords are how people and models find an entry; without them it is invisible to
    keyword search and to the site's keyword index.

    Example:
        Without: `## Keywords`, the whole section, so the last section is the Cross-References

    Fix: add `## Keywords` with one comma-separated line of 4 to 8 keywords.
    """
    if entry.keywords:
        return
    if entry.keywords_line is None:
        yield Hit(max(entry.line_count + entry.front_matter_lines, 1), 1, "no `## Keywords` section or `**Keywords:**` field")
    else:
        yield Hit(entry.keywords_line, 1, "the keywords section holds no keyword")


@rule("SIMA402", "keywords-count", Severity.WARNING, ENTRY)
def keywords_count(entry: Entry, ctx: Context):
    """Fewer than 4 or more than 8 keywords (`keywords-min`, `keywords-max`).

    Why: too few and the entry is hard to find; too many and every search finds it.

    Example:
        Keywords: `lambda, cold start, timeout, memory, vpc, layers, arm64, snapstart, cost`

    Fix: keep the 4 to 8 terms a reader would actually search for.

        Keywords: `lambda, cold start, snapstart, memory`
    """
    n = len(entry.keywords)
    low, high = ctx.settings.keywords_min, ctx.settings.keywords_max
    if n and not low <= n <= high:
        first = entry.keywords[0]
        yield Hit(first.line, first.column, f"{n} keyword{'' if n == 1 else 's'}; use {low} to {high}")


@rule("SIMA403", "keywords-duplicate", Severity.WARNING, ENTRY)
def keywords_duplicate(entry: Entry, ctx: Context):
    """A keyword is repeated (case-insensitive).

    Why: a repeat adds nothing to search and crowds out a useful term.

    Example:
        Keywords: `cache, Cache, ttl, eviction`

    Fix: delete the repeat (and keep at least 4 keywords).

        Keywords: `cache, ttl, eviction, invalidation`
    """
    seen: set[str] = set()
    for k in entry.keywords:
        key = k.text.lower()
        if key in seen:
            yield Hit(k.line, k.column, f"keyword `{k.text}` is repeated")
        seen.add(key)

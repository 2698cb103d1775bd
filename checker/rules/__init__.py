"""The rule registry: every rule of the catalogue, written out in code order."""
from __future__ import annotations

from .base import Context, Rule
from .encoding import encoding, file_unreadable, filename_format, final_newline, line_endings, mojibake
from .fences import fence_nested, fence_unclosed
from .header import (
    header_field_duplicate, header_field_format, header_field_missing, header_legacy_label,
    header_unterminated, priority_emoji, title_filename,
)
from .keywords import keywords_count, keywords_duplicate, keywords_missing
from .meta import unused_suppression
from .size import compliance_claim, footer_location, footer_total_lines, line_limit
from .structure import fence_language, h1_multiple, heading_skip, section_missing
from .xref import (
    refid_duplicate, refid_unknown, xref_ambiguous, xref_anchor, xref_near_miss,
    xref_outside_root, xref_unresolved,
)

RULES: tuple[Rule, ...] = (
    unused_suppression,
    title_filename, header_field_missing, header_field_format, header_field_duplicate,
    header_legacy_label, header_unterminated, priority_emoji,
    line_limit, footer_total_lines, footer_location, compliance_claim,
    xref_unresolved, xref_near_miss, xref_ambiguous, refid_unknown, xref_anchor,
    xref_outside_root, refid_duplicate,
    keywords_missing, keywords_count, keywords_duplicate,
    section_missing, h1_multiple, heading_skip, fence_language, fence_unclosed, fence_nested,
    encoding, mojibake, line_endings, final_newline, filename_format, file_unreadable,
)

FIXABLE: tuple[str, ...] = tuple(r.code for r in RULES if r.fixable)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def lookup(code_or_name: str) -> Rule | None:
    """A rule by code (any case) or kebab-case name."""
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


__all__ = ["RULES", "FIXABLE", "BY_CODE", "BY_NAME", "Context", "Rule", "lookup"]

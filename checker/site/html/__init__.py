"""The site's one HTML vocabulary: escaping (`escape`), safe URLs (`urls`), link spans and
link rewriting (`links`) and the last-line sanitizer (`sanitize`)."""
from __future__ import annotations

from .escape import esc, inert_json, inline, md_text, pre, rich_inline
from .links import Linker, Resolved, Span, html_text, markdown_line, rewrite, spans, target_of
from .sanitize import needs_neutralize, neutralize, neutralize_markdown
from .urls import directory_url, external_links, guard_relative, is_safe_href, page_href, relative_url, safe_url

__all__ = [
    "Linker", "Resolved", "Span", "directory_url", "esc", "inert_json", "external_links", "guard_relative", "html_text",
    "inline", "is_safe_href", "markdown_line", "md_text", "needs_neutralize", "neutralize", "neutralize_markdown", "page_href",
    "pre", "relative_url", "rewrite", "rich_inline", "safe_url", "spans", "target_of",
]

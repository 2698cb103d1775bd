"""Page builders, one module per page family: plain functions from the checked KB to Markdown
with escaped HTML blocks, testable without MkDocs. `registry` lists the generated pages."""
from __future__ import annotations

from .common import Slots, entry_link, field_value, md_text
from .compliance import compliance_page
from .entry import entry_markdown, entry_page
from .home import home_page
from .indexes import keyword_index, refid_index
from .paths import Paths, pages_base
from .patterns import comparison, comparison_src, comparison_srcs, pattern_list
from .registry import DataFile, GeneratedPage, carry_layouts, family_inputs, generated_data, generated_nav, generated_pages
from .rules import doc_html, rule_page, rules_index

__all__ = [
    "DataFile", "GeneratedPage", "Paths", "pages_base", "carry_layouts", "family_inputs", "Slots", "comparison", "comparison_src", "comparison_srcs", "compliance_page", "doc_html", "entry_link", "entry_markdown", "entry_page",
    "field_value", "generated_data", "generated_nav", "generated_pages", "home_page", "keyword_index", "md_text", "pattern_list",
    "refid_index", "rule_page", "rules_index",
]

"""Helpers of every page builder: links to entries and rules, tables, Markdown blocks, and the
slots that keep generated HTML out of Python-Markdown.

Entry values only ever reach a page through `html.esc` (or as the entry's own Markdown body);
hrefs come from the `Linker`, so they are relative site URLs, never `javascript:`."""
from __future__ import annotations

import re
from typing import Callable

from ...model import Entry
from ...parse.inline import decode_entities, drop_tags
from ..data import SiteData
from ..html import Linker, esc, md_text
from .paths import Paths

__all__ = ["Slots", "block", "entry_link", "field_value", "md_text", "natural", "rule_href", "rule_ref", "table"]


def field_value(entry: Entry, *keys: str) -> str:
    """A header field's value, '' when absent."""
    f = entry.field(*keys, header_only=True)
    return f.value if f else ""


def entry_link(rel: str, data: SiteData, linker: Linker, anchor: str | None = None) -> str:
    """`<a>` to a KB page with its title, or the escaped title when it is not published."""
    title = esc(data.titles.get(rel, rel))
    href = linker.href(rel, anchor)
    return f'<a href="{esc(href)}">{title}</a>' if href else title


def rule_href(linker: Linker, paths: Paths) -> Callable[[str], str | None]:
    return lambda code: linker.href(paths.rule(code))


def natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells are already-escaped HTML."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    # no class on the table itself: Material styles `table:not([class])`
    return f'<div class="sima-table {cls}"><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'


def block(*parts: str) -> str:
    """Markdown: HTML blocks and headings separated by blank lines."""
    return "\n\n".join(p for p in parts if p) + "\n"


def rule_ref(code: str, name: str, linker: Linker, paths: Paths) -> str:
    href = linker.href(paths.rule(code))
    text = f"<code>{esc(code)}</code> {esc(name)}"
    return f'<a href="{esc(href)}">{text}</a>' if href else text


class Slots:
    """Generated HTML blocks held out of a page's Markdown. The Markdown carries one
    `<!--sima-slot:N-->` comment per block (Python-Markdown passes an HTML comment through
    untouched and cheaply); `fill` puts the blocks back into the rendered HTML."""

    def __init__(self, key: str = "") -> None:
        self.blocks: list[str] = []
        self.key = re.sub(r"[^0-9a-z]", "", key.lower())  # a per-build nonce: no author comment matches
        self._pattern = re.compile(rf"<!--sima-slot{self.key}:(\d+)-->")
        # The same placeholder shown as text: where the site's Markdown read a code block that
        # the checker (CommonMark) did not (a fence nested in a fence of the same length).
        self._as_text = re.compile(rf"&lt;!--sima-slot{self.key}:(\d+)--&gt;")

    def add(self, block: str) -> str:
        """The placeholder for `block` ('' for an empty block)."""
        if not block:
            return ""
        self.blocks.append(block)
        return f"<!--sima-slot{self.key}:{len(self.blocks) - 1}-->"

    def fill(self, page_html: str, wrap: Callable[[str], str] = lambda b: b) -> str:
        """`page_html` with every placeholder replaced by its block (passed through `wrap`)."""
        if not self.blocks:
            return page_html
        page_html = self._pattern.sub(lambda m: wrap(self.blocks[int(m.group(1))]), page_html)
        if "&lt;!--sima-slot" in page_html:  # in code, the block's text, as the author wrote it there
            page_html = self._as_text.sub(lambda m: esc(decode_entities(drop_tags(self.blocks[int(m.group(1))]))), page_html)
        return page_html

    def lift(self, markdown: str) -> str:
        """A generated page's Markdown with each HTML block (a blank-line separated part that
        starts with `<`) replaced by its placeholder."""
        parts = markdown.split("\n\n")
        return "\n\n".join(self.add(p) if p.startswith("<") else p for p in parts)

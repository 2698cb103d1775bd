"""Where the generated pages live: their source paths under the plugin's `pages_dir`."""
from __future__ import annotations

from dataclasses import dataclass


def pages_base(value: object) -> str:
    """The `pages_dir` option as a folder inside docs_dir (`catalog` when empty); ValueError for
    one that is absolute or has a `.` or `..` part (pages would land outside the site's pages,
    or in the knowledge base)."""
    text = str(value).replace("\\", "/").strip()
    parts = [p for p in text.split("/") if p]
    if (text.startswith("/") and parts) or any(p in (".", "..") for p in parts) or ":" in text:
        raise ValueError(f"`pages_dir` must be a folder inside docs_dir, written relative to it (`catalog`), not {text!r}")
    return "/".join(parts) or "catalog"


@dataclass(frozen=True)
class Paths:
    """Source paths of the generated pages (all under `base`, except the home page). A paged
    catalogue's first page keeps the family's path (`patterns.md`); page n >= 2 goes in a
    folder of that name (`patterns/2.md`, URL `catalog/patterns/2/`)."""

    base: str = "catalog"
    home: str = "index.md"

    @property
    def refids(self) -> str:
        """REF-ID index."""
        return f"{self.base}/refids.md"

    @property
    def keywords(self) -> str:
        """Keyword index."""
        return f"{self.base}/keywords.md"

    @property
    def compliance(self) -> str:
        """Compliance dashboard."""
        return f"{self.base}/compliance.md"

    def compliance_page(self, n: int) -> str:
        """Page `n` (from 1) of the dashboard's file table; page 1 is the dashboard itself."""
        return self.page(self.compliance, n)

    @property
    def compliance_data(self) -> str:
        """The dashboard's rows as JSON, beside its paged pages (`assets/dashboard.js` loads it)."""
        return f"{self.base}/compliance/files.json"

    @property
    def comparison(self) -> str:
        """Pattern comparison."""
        return f"{self.base}/patterns.md"

    @property
    def pattern_list(self) -> str:
        """All patterns."""
        return f"{self.base}/pattern-list.md"

    @property
    def refmap(self) -> str:
        """KB-wide reference map."""
        return f"{self.base}/map.md"

    @property
    def rules(self) -> str:
        """Rules index."""
        return f"{self.base}/rules/index.md"

    def rule(self, code: str) -> str:
        """The page of one rule."""
        return f"{self.base}/rules/{code}.md"

    def page(self, first: str, n: int) -> str:
        """Page `n` (1-based) of the catalogue whose first page is `first`."""
        return first if n <= 1 else f"{first[:-3]}/{n}.md"

    def comparison_page(self, n: int) -> str:
        """Page `n` of the pattern comparison."""
        return self.page(self.comparison, n)

    def pattern_list_page(self, n: int) -> str:
        """Page `n` of the list of all patterns."""
        return self.page(self.pattern_list, n)

    def refids_page(self, n: int) -> str:
        """Page `n` of the REF-ID index."""
        return self.page(self.refids, n)

    def keywords_page(self, n: int) -> str:
        """Page `n` of the keyword index."""
        return self.page(self.keywords, n)

    def refmap_page(self, n: int) -> str:
        """Page `n` of the KB-wide reference map (its folder table)."""
        return self.page(self.refmap, n)

    def cited_by(self, rel: str, n: int = 1) -> str:
        """Page `n` of the entries citing the KB file `rel` (`pages.citedby`): the page number
        is in the folder (`cited-by-2/<relpath>`), so no KB path can make two pages collide."""
        stem = rel[:-3] if rel.lower().endswith(".md") else rel
        return f"{self.base}/cited-by/{stem}.md" if n <= 1 else f"{self.base}/cited-by-{n}/{stem}.md"

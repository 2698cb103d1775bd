"""Where the generated pages live: their source paths under the plugin's `pages_dir`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paths:
    """Source paths of the generated pages (all under `base`, except the home page)."""

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
        return self.compliance if n <= 1 else f"{self.base}/compliance/{n}.md"

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

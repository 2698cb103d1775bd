"""Per-file values remembered from the last build (the plugin keeps them across `mkdocs serve`
rebuilds): a value stays while its file's Entry is the same object (`api.check(reuse=...)` gives
unchanged files back as they were) and its extra key is equal."""
from __future__ import annotations

from typing import Callable, TypeVar

from ..model import Entry

T = TypeVar("T")


class FileMemo:
    """Values by relpath from the last build; `roll` ends a build (what it did not ask for is dropped)."""

    def __init__(self) -> None:
        self._last: dict[str, tuple] = {}
        self._now: dict[str, tuple] = {}

    def get(self, rel: str, entry: Entry, key: object, compute: Callable[[], T]) -> T:
        """The last build's value for `rel` if its Entry is `entry` and its key equals `key`, else `compute()`."""
        hit = self._last.get(rel)
        value = hit[2] if hit is not None and hit[0] is entry and hit[1] == key else compute()
        self._now[rel] = (entry, key, value)
        return value

    def roll(self) -> None:
        self._last, self._now = self._now, {}

    def __len__(self) -> int:
        """Files remembered from the last build that rolled."""
        return len(self._last)

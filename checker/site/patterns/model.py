"""What the pattern extractor finds: patterns, their cells, the decision tree."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One attribute of one pattern: prose or code in `text`, list items in `items`."""

    text: str = ""
    items: tuple[str, ...] = ()
    code: bool = False  # `text` is preformatted (a fenced block or a table)
    line: int = 0

    def __bool__(self) -> bool:
        return bool(self.text or self.items)


@dataclass(frozen=True)
class Pattern:
    """A `Pattern N: Name (Qualifier)` section."""

    number: int | None
    name: str
    qualifier: str
    heading_line: int
    slug: str
    rows: dict[str, Cell] = field(default_factory=dict)
    title: str = ""  # the heading text as written
    level: int = 3


@dataclass(frozen=True)
class Outcome:
    """Where an answer leads: another question, a pattern, or plain text."""

    text: str
    goto: str | None = None  # question id
    pattern: str | None = None  # a Pattern.name of the same entry


@dataclass(frozen=True)
class Question:
    """`Q1: text` with its YES and NO outcomes."""

    id: str
    text: str
    yes: Outcome
    no: Outcome
    line: int


@dataclass(frozen=True)
class DecisionTree:
    """The entry's decision tree; the first question is the start."""

    questions: tuple[Question, ...]
    line: int  # the `**Decision Tree:**` label or heading

    @property
    def start(self) -> str:
        """Id of the first question."""
        return self.questions[0].id


@dataclass(frozen=True)
class PatternSet:
    """Everything the comparison page needs from one entry."""

    entry_relpath: str
    patterns: tuple[Pattern, ...] = ()
    attributes: tuple[str, ...] = ()
    tree: DecisionTree | None = None

    def find(self, name: str | None) -> Pattern | None:
        """The pattern called `name` (exact), if any."""
        return next((p for p in self.patterns if p.name == name), None)

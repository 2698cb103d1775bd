"""What a rule is: code, name, default severity, kinds, fixability and one pure check function.

A rule's docstring is its documentation, in fixed sections (see `DOC_SECTIONS`); `--explain`,
`--list-rules` and the site's rule pages all render that one text.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..config import Config
from ..kb import KnowledgeBase, Resolution
from ..model import Entry, Hit, Reference, Severity
from ..refid import RefIdGrammar, grammar

ALL_KINDS = ("spec", "template", "index", "matrix", "doc", "entry")
ENTRY = ("entry",)
DOC_SECTIONS = ("Why:", "Example:", "Fix:")


@dataclass
class Context:
    """What a rule may look at besides the entry: the KB, the settings, resolved references."""

    kb: KnowledgeBase
    config: Config
    resolved: list[tuple[Reference, Resolution]] = field(default_factory=list)
    errors: list = field(default_factory=list)  # error findings of the entry (for SIMA204)
    grammar: RefIdGrammar = field(default_factory=grammar)


CheckFn = Callable[[Entry, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue."""

    code: str
    name: str
    severity: Severity
    kinds: tuple[str, ...]
    fixable: bool
    check: CheckFn
    late: bool = False  # runs after the other rules (needs their findings)

    @property
    def doc(self) -> str:
        """The rule's documentation (its check function's docstring)."""
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first line of the docs."""
        return self.doc.split("\n", 1)[0]

    def section(self, title: str) -> str:
        """One section of the docs (`Why:`, `Example:`, `Fix:`), without its title."""
        doc = self.doc
        if title not in doc:
            return ""
        rest = doc.split(title, 1)[1]
        for other in DOC_SECTIONS:
            if other != title and other in rest:
                rest = rest.split(other, 1)[0]
        return inspect.cleandoc(rest)

    def description(self) -> str:
        """What the rule checks: the docs before the first section."""
        doc = self.doc
        cut = min((doc.index(s) for s in DOC_SECTIONS if s in doc), default=len(doc))
        return doc[:cut].strip()


def rule(code: str, name: str, severity: Severity, kinds=ALL_KINDS, fixable: bool = False, late: bool = False):
    """Decorator turning a check function into a Rule."""

    def wrap(fn: CheckFn) -> Rule:
        return Rule(code, name, severity, tuple(kinds), fixable, fn, late)

    return wrap


def hits_for(ctx: Context, *statuses: str) -> Iterator[tuple[Reference, Resolution]]:
    """Resolved references whose status is one of `statuses`."""
    for ref, res in ctx.resolved:
        if res.status in statuses:
            yield ref, res

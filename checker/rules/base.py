"""What a rule is: code, name, default severity, kinds, fixability and one pure check function.

A rule's docstring is its documentation, in fixed sections (see `DOC_SECTIONS`); `--explain`,
`--list-rules` and the site's rule pages all render that one text.

The Example section is executable (tests/test_rule_examples.py). Besides prose, it holds
paragraphs that start with a label from `EXAMPLE_LABELS`; their code spans are lines of a small
KB in which everything not shown is a clean entry:
- `File:` the entry's path; `Other files:` clean entries beside it;
- `Title:` its first line; `Keywords:` its keyword line;
- `Header:` / `Footer:` field lines, each replacing the field of its label or added;
- `Body:` lines added after the summary; `Without:` lines removed (a heading with its section);
- `Length:` its line count; `Saved with:` `CRLF`, `LF`, `no final newline`, `Windows-1252`...
Labelled paragraphs in the Fix section show the corrected form: they replace the Example's
paragraphs of the same label, and the rule must then be silent.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..kb.index import KnowledgeBase, Resolution
from ..model import Entry, Finding, Hit, Reference, Severity

ALL_KINDS = ("spec", "template", "index", "matrix", "doc", "entry")
ENTRY = ("entry",)
DOC_SECTIONS = ("Why:", "Example:", "Fix:")
EXAMPLE_LABELS = (
    "File", "Other files", "Title", "Header", "Body", "Footer", "Keywords", "Without", "Length", "Saved with",
)
_LABELLED = re.compile(r"(" + "|".join(EXAMPLE_LABELS) + r"):\s")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.*?[^`])\1(?!`)", re.DOTALL)


def code_spans(text: str) -> list[str]:
    """The contents of the Markdown code spans in `text` (a span in double backticks may hold a backtick)."""
    out = []
    for m in _CODE_SPAN.finditer(text):
        body = m.group(2).replace("\n", " ")
        out.append(body[1:-1] if len(body) > 2 and body[0] == body[-1] == " " else body)
    return out


@dataclass
class Context:
    """What a rule may look at besides the entry: the KB (which owns the settings and the REF-ID
    grammar), the entry's resolved references and, for late rules, what the others found."""

    kb: KnowledgeBase
    resolved: list[tuple[Reference, Resolution]] = field(default_factory=list)
    errors: list = field(default_factory=list)  # error findings of the entry (for SIMA204)
    suppressions: list = field(default_factory=list)  # (Suppression, used, unknown codes) for SIMA001
    reason: str = ""  # why the file could not be read (SIMA606)

    @property
    def settings(self):
        """The KB's validated settings."""
        return self.kb.settings

    @property
    def grammar(self):
        """The KB's REF-ID grammar."""
        return self.kb.grammar


CheckFn = Callable[[Entry, Context], Iterable[Hit]]
FixFn = Callable[..., None]  # (doc, entry, findings of the rule, kb): edits the Doc in place
STATES = ("text", "undecodable", "outside", "unreadable")  # what a file can be; rules say which they check
LAST = 4  # the fix phase that runs only once the others change nothing (it counts the result)


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue."""

    code: str
    name: str
    severity: Severity
    kinds: tuple[str, ...]
    check: CheckFn
    late: bool = False  # runs after the other rules and suppressions (needs their findings)
    fix: FixFn | None = None  # its mechanical fix (`--fix`), defined beside the check
    fix_phase: int = 0  # 0 in-line spans, 1 whole lines, 2 line endings, 3 lines added/removed, LAST
    states: tuple[str, ...] = ("text",)  # the file states it checks (see STATES)

    @property
    def fixable(self) -> bool:
        """The rule has a mechanical fix."""
        return self.fix is not None

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

    def example(self, title: str = "Example:") -> list[tuple[str, list[str]]]:
        """The labelled paragraphs of a section (`Header: `**Version:** 1.0``) as (label, code spans)."""
        items = []
        for para in re.split(r"\n\s*\n", self.section(title)):
            m = _LABELLED.match(para.strip())
            if m:
                items.append((m.group(1), code_spans(para.strip()[m.end():])))
        return items

    def description(self) -> str:
        """What the rule checks: the docs before the first section."""
        doc = self.doc
        cut = min((doc.index(s) for s in DOC_SECTIONS if s in doc), default=len(doc))
        return doc[:cut].strip()


def rule(code: str, name: str, severity: Severity, kinds=ALL_KINDS, *, late: bool = False,
         fix: FixFn | None = None, fix_phase: int = 0, states=("text",)):
    """Decorator turning a check function into a Rule; `fix` is its fix hook, `fix_phase` when
    it runs (see `Rule.fix_phase`), `states` the file states it checks."""

    def wrap(fn: CheckFn) -> Rule:
        return Rule(code, name, severity, tuple(kinds), fn, late, fix, fix_phase, tuple(states))

    return wrap


def hits_for(ctx: Context, *statuses: str) -> Iterator[tuple[Reference, Resolution]]:
    """Resolved references whose status is one of `statuses`."""
    for ref, res in ctx.resolved:
        if res.status in statuses:
            yield ref, res

"""Small immutable values shared by the parser, the rules, the reporters and the site."""
from __future__ import annotations

import hashlib
from dataclasses import MISSING, dataclass, field, fields
from enum import IntEnum
from functools import lru_cache
from operator import attrgetter
from typing import Any, Iterable


def quick_init(cls):
    """A frozen dataclass (declared `init=False`) whose `__init__` sets its fields through a
    global `object.__setattr__` (the generated one looks it up anew for each field): for the
    types made by the hundred thousand. Equality, order, hashing, repr and pickling stay the
    dataclass's."""
    params, body, defaults = [], [], {}
    for f in fields(cls):
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init takes plain fields only")
        if f.default is MISSING:
            params.append(f.name)
        else:
            defaults[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        body.append(f"    _set(self, {f.name!r}, {f.name})")
    # object.__setattr__ as a plain global: the generated __init__ looks it up on every field.
    # Not `self.__dict__[...] = ...`: touching `__dict__` gives every instance a dict of its
    # own instead of CPython's compact inline attributes (~20 MB more per 10,000 entries).
    defaults["_set"] = object.__setattr__
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body), defaults)
    init = defaults["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


class Severity(IntEnum):
    """Finding severity; the order is the order of `--fail-on`."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return _SEVERITY_NAMES[self]  # not `self.name.lower()`: enum's `name` is a slow descriptor

    @classmethod
    def parse(cls, value: str) -> "Severity":
        """Severity from its lower-case name."""
        return cls[value.strip().upper()]


@quick_init
@dataclass(frozen=True, init=False, order=True)
class Finding:
    """One problem at one place; ordered by path, line, column, code."""

    path: str
    line: int
    column: int
    code: str
    rule: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str
    fixable: bool = field(default=False, compare=False)
    context: str = field(default="", compare=False, repr=False)  # line_context() of its line
    relpath: str = field(default="", compare=False, repr=False)  # relative to the KB root ('' when unknown)

    def to_dict(self) -> dict:
        """The JSON shape of §9 of the catalogue."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "fixable": self.fixable,
        }


_SEVERITY_NAMES = {s: s.name.lower() for s in Severity}

# The key of Finding's order (its compared fields): sorting by it makes one tuple per finding,
# not two per comparison as the dataclass's `__lt__` does.
finding_order = attrgetter("path", "line", "column", "code", "message")


@lru_cache(maxsize=4096)  # many findings on one long line hash it once
def line_context(text: str) -> str:
    """A short hash of a line's text, whitespace-normalised: what fingerprints hold instead of a line number."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@quick_init
@dataclass(frozen=True, init=False)
class Hit:
    """What a rule yields: a place and a message; `escalate` asks for error severity."""

    line: int
    column: int
    message: str
    escalate: bool = False
    fixable: bool | None = None  # overrides the rule's fixability for this hit
    # What the baseline/SARIF fingerprint hashes instead of the line's text, for a finding whose
    # line is a position rather than a place (SIMA201's first line over the limit).
    anchor: str | None = None


@quick_init
@dataclass(frozen=True, init=False)
class HeaderField:
    """A `**Label:** value` line (or a front-matter key)."""

    label: str  # as written
    key: str  # lower-cased, single-spaced
    value: str  # stripped, trailing hard break removed
    line: int
    column: int  # column where the value starts
    in_header: bool  # inside the header block (vs. footer / body)


@quick_init
@dataclass(frozen=True, init=False)
class Heading:
    """An ATX heading outside code fences."""

    level: int
    text: str
    line: int
    slug: str


@quick_init
@dataclass(frozen=True, init=False)
class Reference:
    """A cross-reference as written; resolution happens in the knowledge base."""

    raw: str  # the text as written
    target: str  # path / file name / REF-ID to resolve (anchor removed, decoded)
    syntax: str  # one of SYNTAXES
    line: int
    column: int
    anchor: str | None = None
    context: str = "prose"  # "prose", "field" (relationship field) or "xref" (Cross-References)
    lead: str = ""  # text before a bare name on its line (names with spaces end there)


SYNTAXES = ("kb-path", "bare", "relative", "link", "refid", "field")


@quick_init
@dataclass(frozen=True, init=False)
class Keyword:
    """One keyword with its place."""

    text: str
    line: int
    column: int


@quick_init
@dataclass(frozen=True, init=False)
class Fence:
    """A code fence: its opening line, info string and closing line (0 when unclosed).

    `nested` holds the lines inside it that look like openers of the same fence character with
    an info string (```` ```python ```` inside ```` ```markdown ````): text to CommonMark, whose
    bare closer then closes this fence (SIMA506). `by_item`: a fence in a list item that the
    item ends before any closer (CommonMark); `end` is then the item's last line.
    """

    line: int
    info: str
    closed: bool
    end: int = 0
    nested: tuple[int, ...] = ()
    by_item: bool = False


@quick_init
@dataclass(frozen=True, init=False)
class Suppression:
    """An inline `sima-check: disable...` comment."""

    line: int
    codes: tuple[str, ...]
    scope: str  # "file" or "next-line"
    target_line: int  # the line it covers (0 for the whole file)


class Located:
    """A file of the KB by its relpath: its name and folder."""

    relpath: str

    @property
    def name(self) -> str:
        """The file name."""
        return self.relpath.rsplit("/", 1)[-1]

    @property
    def directory(self) -> str:
        """The directory relative to the root, '' for the root itself."""
        return self.relpath.rsplit("/", 1)[0] if "/" in self.relpath else ""


@quick_init
@dataclass(frozen=True, init=False)
class Entry(Located):
    """One Markdown file of the KB, parsed once."""

    relpath: str  # relative to the KB root, '/' separated
    kind: str
    text: str  # decoded, BOM removed; '' when undecodable
    lines: tuple[str, ...]  # without line terminators
    line_count: int  # as the catalogue counts them (front matter excluded)
    encoding_error: str | None = None
    encoding_error_line: int = 1
    read_error: str | None = None  # why the file could not be read (a stand-in, SIMA606)
    has_bom: bool = False
    crlf_lines: tuple[int, ...] = ()
    cr_lines: tuple[int, ...] = ()
    final_newline: bool = True
    front_matter_lines: int = 0  # lines taken by YAML front matter
    front_matter_error: str | None = None
    title_line: int | None = None  # line of the first H1 (or None)
    title: str | None = None
    header_end: int | None = None  # line of the closing `---`
    fields: tuple[HeaderField, ...] = ()
    headings: tuple[Heading, ...] = ()
    references: tuple[Reference, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    keywords_line: int | None = None  # where the keyword section / field starts
    fences: tuple[Fence, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    refid: str | None = None
    refid_line: int = 1
    refid_from_field: bool = False


    def field(self, *keys: str, header_only: bool = False) -> HeaderField | None:
        """The first field whose key is one of `keys`."""
        for f in self.fields:
            if f.key in keys and (f.in_header or not header_only):
                return f
        return None

    def line_text(self, line: int) -> str:
        """Text of a 1-based line, '' when out of range."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


@quick_init
@dataclass(frozen=True, init=False)
class Summary(Located):
    """What every check may know of a file other than its own: the KB index holds these, the cache
    keeps them, and a rule sees nothing more of another file (no line numbers, no text)."""

    relpath: str
    kind: str
    title: str | None = None
    refid: str | None = None
    headings: tuple[Heading, ...] = ()  # line 0: only level, text and slug count

    @classmethod
    def of(cls, entry: Entry) -> "Summary":
        """The summary of a parsed file."""
        return cls(entry.relpath, entry.kind, entry.title, entry.refid,
                   tuple(Heading(h.level, h.text, 0, h.slug) for h in entry.headings))



@dataclass(frozen=True)
class Checked:
    """One reported file as the check saw it: the parsed Entry and its resolved references
    (`(Reference, Resolution)` pairs), kept when `api.check(keep=True)` asks."""

    entry: Entry
    resolved: tuple[tuple[Reference, Any], ...]
    display: str  # the path as findings show it


@dataclass
class Report:
    """Findings of one run and what was checked."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    entries_checked: int = 0
    io_errors: list[tuple[str, str]] = field(default_factory=list)  # (display path, reason): command-line level
    files: list[str] = field(default_factory=list)  # display paths of the files checked (junit)
    kbs: dict[Any, Any] = field(default_factory=dict, repr=False)  # root Path -> KnowledgeBase
    checked: dict[Any, dict[str, Checked]] = field(default_factory=dict, repr=False)  # root -> relpath -> Checked

    def summary(self) -> dict[str, int]:
        """Counts by severity name."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[str(f.severity)] += 1
        return counts

    @classmethod
    def combine(cls, parts: "Iterable[Report]") -> "Report":
        """One Report from per-file ones, sorted like every other path (sorting once)."""
        out = cls()
        for part in parts:
            out.findings.extend(part.findings)
            out.files_checked += part.files_checked
            out.entries_checked += part.entries_checked
            out.files.extend(part.files)
        out.findings.sort(key=finding_order)
        out.files.sort()
        return out

    def merge(self, other: "Report") -> None:
        """Add another KB's (or file's) report."""
        self.findings = sorted(self.findings + other.findings, key=finding_order)
        self.files_checked += other.files_checked
        self.entries_checked += other.entries_checked
        self.io_errors += other.io_errors
        self.files = sorted(self.files + other.files)
        self.kbs.update(other.kbs)
        for root, files in other.checked.items():
            self.checked.setdefault(root, {}).update(files)

    def restrict(self, root: Any, relpaths: set[str]) -> "Report":
        """This report cut down to some files of one root (`--changed-since`): their findings,
        counts and file list; needs `checked` (a keep=True run)."""
        kept = self.checked.get(root, {})
        chosen = {rel: c for rel, c in kept.items() if rel in relpaths}
        return Report(
            findings=[f for f in self.findings if f.relpath in chosen],
            files_checked=len(chosen),
            entries_checked=sum(1 for c in chosen.values() if c.entry.kind == "entry"),
            io_errors=list(self.io_errors),
            files=sorted(c.display for c in chosen.values()),
            kbs=dict(self.kbs),
            checked={root: chosen},
        )

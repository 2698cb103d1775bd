"""`sima-check new TYPE TITLE`: scaffold a SIMAv4 entry with the next free REF-ID of a family.

The scaffold passes every error-level rule as written. What the writer still has to fill in
is marked `TODO`, and the Keywords section holds a single keyword, so that SIMA402
(keywords-count, a warning) reports the entry until it is finished: a scaffold never passes
silently as a finished entry (unless `keywords-min` is 1 or less).
"""
from __future__ import annotations

import datetime
import os
import posixpath
import re
from collections import Counter
from pathlib import Path

from ..config.settings import Config
from ..fix.write import WriteError, inside
from ..kb.discover import discover, discoverable, parse_file, read_bytes
from ..model import Entry
from ..parse.refid import grammar as make_grammar
from ..rules.header import STATUSES
from . import EditError
from .history import used_refids
from .naming import convention

# What a REF-ID type stands for, for the `**Type:**` field when no sibling shows it.
TYPE_WORDS = {
    "LESS": "Lesson Learned", "DEC": "Decision", "AP": "Anti-Pattern", "BUG": "Bug Report",
    "WISD": "Wisdom", "ARCH": "Architecture Pattern", "GATE": "Gateway Pattern",
    "INT": "Interface Pattern", "DT": "Decision Tree", "FW": "Framework", "META": "Meta",
    "PAT": "Pattern", "DEP": "Dependency", "RULE": "Rule", "TOOL": "Tool", "CHK": "Checklist",
    "TMPL": "Template", "QRC": "Quick Reference Card", "WF": "Workflow", "E2E": "End-to-End Workflow",
    "GUIDE": "Guide", "UTIL": "Utility",
}
LEVELS = ("Critical", "High", "Medium", "Low")
TODO_PURPOSE = "TODO: what this entry is for, in one line of at most 100 characters"


def family_of(refid: str) -> str:
    """`AWS-LESS-11` -> `AWS-LESS`; a REF-ID without a number is its own family."""
    m = re.match(r"(.+)-\d+$", refid)
    return m.group(1) if m else refid


def _number(refid: str) -> tuple[int, int]:
    m = re.search(r"-(\d+)$", refid)
    return (int(m.group(1)), len(m.group(1))) if m else (-1, 0)


def _family(family: str, settings: Config) -> str:
    g = make_grammar(settings.refid_patterns)
    for candidate in (family, family.upper()):
        if candidate and not candidate.endswith("-") and g.is_refid(f"{candidate}-01"):
            return candidate
    raise EditError(f"`{family}` is not a REF-ID family of the grammar (e.g. DEC, LESS, AP, AWS-LESS, LANG-PY)")


_HEAD_END = re.compile(rb"^(?: {0,3}---+[ \t]*|#{2,6}[ \t].*)\r?$", re.MULTILINE)


def head(data: bytes) -> bytes:
    """A file's title and header block (up to its closing `---` or first `##` heading, past any
    YAML front matter): all that `new` needs (kind, fields, REF-ID), a fraction of the parse."""
    start = 0
    if data.startswith(b"---"):
        close = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE).search(data, 3)
        start = close.end() if close else 0
    first = data.find(b"\n", start)
    m = _HEAD_END.search(data, first + 1) if first >= 0 else None
    return data[: m.end()] if m else data


def _entries(root: Path, settings: Config) -> list[Entry]:
    """Every readable Markdown file of the KB, its head parsed (unreadable ones are skipped)."""
    out = []
    for rel in discover(root, settings)[0]:
        try:
            out.append(parse_file(rel, head(read_bytes(root, rel)), settings))
        except OSError:
            continue
    return out


def next_refid(family: str, entries: list[Entry], history: set[str]) -> str:
    """One more than the highest number of the family any file or the git history ever used,
    written with the family's usual digit count (2 when it has none yet)."""
    taken = [r for r in {e.refid for e in entries if e.refid} | history if family_of(r) == family]
    numbers = [_number(r) for r in taken if _number(r)[0] >= 0]
    top = max((n for n, _ in numbers), default=0)
    widths = Counter(w for _, w in numbers)
    width = widths.most_common(1)[0][0] if widths else 2
    return f"{family}-{top + 1:0{width}d}"


def _directory(root: Path, directory: str | None, members: list[Entry], family: str) -> str:
    if directory is None:
        if not members:
            raise EditError(f"no {family} entry in the knowledge base yet; say where it goes with --dir")
        counts = Counter(e.directory for e in members)
        return max(counts, key=lambda d: (counts[d], d))
    if os.path.isabs(directory):
        directory = os.path.relpath(os.path.abspath(directory), os.path.abspath(root))
    path = Path(root) / directory
    rel = posixpath.normpath(directory.replace(os.sep, "/"))
    if rel.startswith("../") or rel == ".." or not inside(path / "x.md", root):
        raise EditError(f"{directory}: outside the knowledge base root {root}")
    if path.exists() and not path.is_dir():
        raise EditError(f"{directory}: not a folder")
    return "" if rel == "." else rel


def _common(values: list[str], fallback: str) -> str:
    values = [v for v in values if v and "TODO" not in v]
    return Counter(values).most_common(1)[0][0] if values else fallback


def _priority(priority: str | None, settings: Config) -> str:
    word = (priority or "Medium").strip()
    level = next((lv for lv in LEVELS if lv.lower() == word.lower()), None)
    if level is None:
        raise EditError(f"priority `{priority}` is not one of {', '.join(LEVELS)}")
    emoji = next((e for e, lv in settings.priority_legend if lv == level.lower()), None)
    return f"{emoji} {level}" if emoji else level


def _status(status: str | None) -> str:
    word = " ".join((status or "Draft").split())
    if word.lower() not in STATUSES:
        raise EditError(f"status `{status}` is not one of {', '.join(s.title() for s in STATUSES)}")
    return word.title()


def _title(title: str) -> str:
    clean = " ".join(title.split())
    if not clean or any(ord(c) < 32 for c in title) or "/" in clean or "\\" in clean:
        raise EditError(f"title {title!r} must be one line of text without `/`")
    return clean


def scaffold(root: Path, settings: Config, family: str, title: str, directory: str | None = None,
             category: str | None = None, priority: str | None = None, status: str | None = None,
             today: datetime.date | None = None) -> tuple[str, str]:
    """(relpath, text) of a new entry of `family` titled `title`; raises EditError when refused."""
    root = Path(root)
    if not root.is_dir():
        raise EditError(f"{root}: knowledge base root not found")
    family, title = _family(family, settings), _title(title)
    prio, state = _priority(priority, settings), _status(status)
    entries = _entries(root, settings)
    g = make_grammar(settings.refid_patterns)
    refid = next_refid(family, entries, used_refids(root, g))
    members = [e for e in entries if e.refid and family_of(e.refid) == family and e.kind == "entry"]
    folder = _directory(root, directory, members, family)
    near = [e for e in members if e.directory == folder] or members
    name = convention([(e.name, e.refid) for e in near]).name(refid, title)
    if g.from_filename(name) != refid:  # the name must not claim another REF-ID
        name = f"{refid}.md"
    rel = f"{folder}/{name}" if folder else name
    if os.path.lexists(root / rel) or any(e.relpath.lower() == rel.lower() for e in entries):
        raise EditError(f"{rel}: already exists; not overwritten")
    if not discoverable(rel, settings):  # the check would never see it, nor count its REF-ID
        raise EditError(f"{rel}: hidden or excluded by the settings; a new entry must be one of the knowledge base's files")
    if category is not None and any(ord(c) < 32 for c in category):
        raise EditError(f"category {category!r} must be one line of text")
    kind_word = TYPE_WORDS.get(family.rsplit("-", 1)[-1], family)
    fields = {
        "Version": "1.0.0",
        "Date": (today or datetime.date.today()).isoformat(),
        "Purpose": TODO_PURPOSE,
        "REF-ID": refid,
        "Category": category.strip() if category and category.strip() else _common([_field(e, "category") for e in near], kind_word),
        "Type": _common([_field(e, "type") for e in near], f"{family.rsplit('-', 1)[-1]} ({kind_word})"),
        "Priority": prio,
        "Status": state,
    }
    return rel, render(rel, title, fields, settings)


def _field(entry: Entry, key: str) -> str:
    f = entry.field(key, header_only=True)
    return f.value if f else ""


def render(rel: str, title: str, fields: dict[str, str], settings: Config) -> str:
    """The scaffold's text; `**Total Lines:**` holds its true line count."""
    name = rel.rsplit("/", 1)[-1]
    folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
    shown_title = f"# {name}" if _fold(title) in _fold(name) else f"# {name} - {title}"
    header = [f"**{label}:** {value}  " for label, value in fields.items()]
    header[2] = header[2].rstrip()  # as in SIMA entries: a blank line after Purpose
    header.insert(3, "")
    for label in settings.required_for("entry"):
        if label.lower() not in {k.lower() for k in fields} and not (label.lower() == "date"):
            header.append(f"**{label}:** TODO  ")
    header[-1] = header[-1].rstrip()
    lines = [shown_title, "", *header, "", "---", ""]
    for section in settings.required_sections:
        if section.lower() == "keywords":
            continue
        lines += [f"## {section}", "", f"TODO: write the {section.lower()} section.", "", "---", ""]
    keyword = " ".join(re.findall(r"[^\W_]+", title)).lower() or "todo"
    lines += ["## Keywords", "", keyword, "", "---", "", f"**Location:** `/sima/{folder}`  "]
    lines.append(f"**Total Lines:** {len(lines) + 1}")
    return "\n".join(lines) + "\n"


def _fold(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def create(root: Path, settings: Config, family: str, title: str, directory: str | None = None,
           category: str | None = None, priority: str | None = None, status: str | None = None,
           today: datetime.date | None = None) -> tuple[str, str]:
    """`scaffold`, then write the file (never over an existing one); returns (relpath, text)."""
    rel, text = scaffold(root, settings, family, title, directory, category, priority, status, today)
    path = Path(root) / rel
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not inside(path, root):
            raise EditError(f"{rel}: outside the knowledge base root; not written")
        write_new(path, text.encode("utf-8"))
    except OSError as exc:
        raise EditError(f"{rel}: cannot write: {exc.strerror or exc}") from None
    except WriteError as exc:
        raise EditError(f"{rel}: {exc}") from None
    return rel, text


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, atomically: a fsynced temporary file in the same
    folder, linked into place (`os.link` fails on an existing name: never overwrites)."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise EditError(f"{path.name}: already exists; not overwritten") from None
        except OSError:  # no hard links here: reserve the name, then replace the empty file
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            except FileExistsError:
                raise EditError(f"{path.name}: already exists; not overwritten") from None
            os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

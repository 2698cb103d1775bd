"""Mechanical fixes (`--fix`, `--diff`): SIMA101, 202, 203, 302, 602, 603, 604, and SIMA301
where the file a broken reference meant is certain (it moved, or its REF-ID names it).

Fixes start from the findings of the active rules (select/ignore, severity `off`, per-path
ignores and inline suppressions all respected) and the parsed Entry (lines, columns), and edit
the file's original lines. Everything else is kept byte for byte: the BOM and the line
endings stay unless SIMA603 is being fixed, and a line that is inserted or newly terminated
takes the file's own line ending. A file is fixed in passes until nothing changes: the other
fixes first, `**Total Lines:**` last, so that its number counts the final content.
"""
from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, unquote

from ..config.settings import Config
from ..run.engine import active_rules, check_entry
from ..kb.index import KnowledgeBase, normalise
from ..kb.discover import Loaded, load
from ..model import Entry, Finding
from ..parse.scan import parse_bytes
from ..parse.refid import grammar
from ..rules.encoding import demojibake
from ..rules.size import _LOCATION, expected_location, total_lines_field
from ..parse.text import BOM, _BREAK
from .write import WriteError, atomic_write

FIXABLE = ("SIMA101", "SIMA202", "SIMA203", "SIMA301", "SIMA302", "SIMA602", "SIMA603", "SIMA604")
MAX_PASSES = 8  # each pass fixes everything it can; two or three always suffice
_DIGITS = re.compile(r"\d+")
# `((?:.*[^ \t])?)` is what `(.*?)` took before `[ \t]*\Z`, without its quadratic retries.
_TITLE = re.compile(r"#[ \t]+((?:File:[ \t]*)?)((?:.*[^ \t])?)[ \t]*\Z", re.IGNORECASE)
_NAMED = re.compile(r"(.*?\.md)((?:\s+[-–—:|]\s+.*)?)\Z", re.IGNORECASE)
_LINK_TARGET = re.compile(r"<([^>\n]*)>|([^)\s]*)")


@dataclass
class Doc:
    """A file as editable lines, each with its own line ending ('' for an unterminated last)."""

    bom: bool
    lines: list[str]
    ends: list[str]

    @classmethod
    def of(cls, entry: Entry) -> "Doc":
        """The entry's exact original content."""
        crlf, cr = set(entry.crlf_lines), set(entry.cr_lines)
        ends = ["\r\n" if i in crlf else "\r" if i in cr else "\n" for i in range(1, len(entry.lines) + 1)]
        if ends and not entry.final_newline:
            ends[-1] = ""
        return cls(entry.has_bom, list(entry.lines), ends)

    def encode(self) -> bytes:
        """The content as UTF-8 bytes."""
        body = "".join(line + end for line, end in zip(self.lines, self.ends))
        return ((BOM if self.bom else "") + body).encode("utf-8")

    def newline(self) -> str:
        """The file's usual line ending (LF when it has none)."""
        counts = Counter(e for e in self.ends if e)
        return counts.most_common(1)[0][0] if counts else "\n"

    def insert(self, index: int, new: list[str]) -> None:
        """Insert lines before `index`, terminated like the rest of the file."""
        nl = self.newline()
        ends = [nl] * len(new)
        if index == len(self.lines) and self.ends and self.ends[-1] == "":
            self.ends[-1], ends[-1] = nl, ""  # keep "no newline at end of file" as it was
        self.lines[index:index] = new
        self.ends[index:index] = ends


@dataclass(frozen=True)
class FileFix:
    """One file's content before and after fixing."""

    relpath: str
    path: Path
    before: bytes
    after: bytes


# -- the fixes, one function per rule ---------------------------------------------------


def _spans(doc: Doc, entry: Entry, found: list[Finding], kb: KnowledgeBase, g=None) -> None:
    """In-line rewrites (SIMA301/302 references, SIMA203 locations), right to left per line."""
    edits: dict[int, list[tuple[int, int, str]]] = {}
    refs = {(r.line, r.column): r for r in entry.references}
    for f in found:
        edit = None
        if f.code == "SIMA302" and (f.line, f.column) in refs:
            edit = _reference_edit(doc.lines[f.line - 1], refs[(f.line, f.column)], entry, kb)
        elif f.code == "SIMA301" and (f.line, f.column) in refs:
            edit = _repoint_edit(doc.lines[f.line - 1], refs[(f.line, f.column)], entry, kb, g or grammar())
        elif f.code == "SIMA203":
            edit = _location_edit(doc.lines[f.line - 1], f.column, entry)
        if edit and _encodable(edit[2]):
            edits.setdefault(f.line, []).append(edit)
    for lineno, spans in edits.items():
        line, last = doc.lines[lineno - 1], None
        for start, end, text in sorted(set(spans), reverse=True):
            if last is not None and end > last:
                continue  # overlapping spans: leave the later one to the next pass
            line, last = line[:start] + text + line[end:], start
        doc.lines[lineno - 1] = line


def _location_edit(line: str, column: int, entry: Entry) -> tuple[int, int, str] | None:
    m = _LOCATION.match(line, column - 1)
    if not m:
        return None
    declared = m.group(1)
    if not m.group(0).endswith("`"):
        declared = declared.split()[0] if declared.split() else declared
    declared = declared.rstrip()
    want = expected_location(entry)
    if not declared.endswith("/") and want != "/sima/":
        want = want.rstrip("/")
    return m.start(1), m.start(1) + len(declared), want


def _reference_edit(line: str, ref, entry: Entry, kb: KnowledgeBase) -> tuple[int, int, str] | None:
    res = kb.resolve(ref, entry)
    if res.status != "near" or len(res.targets) != 1:
        return None
    target = res.targets[0]
    if ref.syntax == "link":
        m = _LINK_TARGET.match(line, ref.column - 1)
        if not m:
            return None
        angle = m.group(1) is not None
        start = m.start(1) if angle else m.start(2)
        path = (m.group(1) if angle else m.group(2)).split("#", 1)[0]
        new = _respell(path, target, encoded=True, angle=angle)
        return (start, start + len(path), new) if new else None
    written = res.written or ref.target
    if res.written:  # a bare name written with spaces: the match starts before the reference
        end = ref.column - 1 + len(ref.target)
        start = end - len(written)
        if start < 0 or line[start:end] != written:
            return None
    else:
        start = line.find(written, ref.column - 1)
    if start < 0:
        return None
    new = _respell(written, target, encoded=False, angle=True)
    return (start, start + len(written), new) if new else None


def _repoint_edit(line: str, ref, entry: Entry, kb: KnowledgeBase, g) -> tuple[int, int, str] | None:
    """SIMA301: point a reference at the file it certainly meant, written as the citer wrote it."""
    res = kb.resolve(ref, entry)
    found = kb.suggest(res, entry, g) if res.status == "unresolved" else None
    if not (found and found.certain):
        return None
    target = found.targets[0]
    if ref.syntax == "link":
        m = _LINK_TARGET.match(line, ref.column - 1)
        if not m:
            return None
        angle = m.group(1) is not None
        start = m.start(1) if angle else m.start(2)
        path = (m.group(1) if angle else m.group(2)).split("#", 1)[0]
        new = _repointed(unquote(path), target, ref, entry, kb)
        if new and ("%" in path or (not angle and any(c in new for c in " ()<>%#"))):
            new = quote(new, safe="/!$&'*+,;=:@~")
        return (start, start + len(path), new) if new else None
    written = ref.target
    start = line.find(written, ref.column - 1)
    if start < 0:
        return None
    new = _repointed(written, target, ref, entry, kb)
    return (start, start + len(written), new) if new else None


def _repointed(written: str, target: str, ref, entry: Entry, kb: KnowledgeBase) -> str | None:
    """`target` in the shape of `written`: `/sima/` rooted, `/` rooted, relative (`../`), a
    folder suffix of as many folders, or a bare name; None unless it then resolves to `target`."""
    low = written.lower()
    if low.startswith(("/sima/", "sima/")):
        shapes = [written[: low.index("sima/") + 5] + target]
    elif written.startswith("/"):
        shapes = ["/" + target]
    elif "/" not in written and ref.syntax != "link":
        shapes = [posixpath.basename(target)]
    elif ref.syntax == "link" or written.startswith(("./", "../")):
        rel = posixpath.relpath(target, entry.directory or ".")
        shapes = ["./" + rel if written.startswith("./") and not rel.startswith("../") else rel]
    else:  # `decisions/DEC-05.md`: a suffix of a KB path, as many folders deep if that is unique
        parts = target.split("/")
        shapes = ["/".join(parts[-(written.count("/") + 1):]), target]
    for new in shapes:
        res = kb.resolve(replace(ref, raw=new, target=new, anchor=None, lead=""), entry)
        if res.status == "ok" and res.targets == (target,):
            return new
    return None


def _respell(written: str, target: str, encoded: bool, angle: bool) -> str | None:
    """`written` with each path segment spelt as in `target`; prefixes (`../`, `/sima/`) kept."""
    prefix = ""
    if written.lower().startswith("/sima/"):
        prefix, written = written[:6], written[6:]
    segs, want = written.split("/"), target.split("/")
    j = len(want) - 1
    for i in range(len(segs) - 1, -1, -1):
        seg = segs[i]
        if seg in ("", ".", ".."):
            break
        plain = unquote(seg) if encoded else seg
        if j < 0 or normalise(plain) != normalise(want[j]):
            return None
        if plain != want[j]:
            segs[i] = _encode_like(seg, want[j], angle) if encoded else want[j]
        j -= 1
    return prefix + "/".join(segs)


def _encode_like(old: str, new: str, angle: bool) -> str:
    """A link segment percent-encoded when the old one was (or when it must be)."""
    if "%" in old or (not angle and any(c in new for c in " ()<>%#")):
        return quote(new, safe="!$&'*+,;=:@~")
    return new


def _mojibake(doc: Doc, found: list[Finding]) -> None:
    for f in found:
        if f.code == "SIMA602" and f.fixable:
            fixed = demojibake(doc.lines[f.line - 1])
            if fixed is not None:
                doc.lines[f.line - 1] = fixed


def _endings(doc: Doc, codes: set[str]) -> None:
    if "SIMA603" in codes:
        doc.bom = False
        doc.ends = ["\n" if e else "" for e in doc.ends]
    if "SIMA604" in codes and doc.ends and doc.ends[-1] == "":
        doc.ends[-1] = doc.newline()


def _title(doc: Doc, entry: Entry) -> None:
    """SIMA101: rewrite the H1 to name this file, or insert one."""
    first, name = entry.front_matter_lines, entry.name
    line = doc.lines[first] if first < len(doc.lines) else None
    if not _encodable(name):
        return  # an undecodable file name cannot be written into UTF-8 text
    if line is None:
        doc.insert(first, [f"# {name}"])
    elif line.startswith("#") and _TITLE.match(line):
        m = _TITLE.match(line)
        named = _NAMED.match(m.group(2))
        if named:
            doc.lines[first] = f"# {m.group(1)}{name}{named.group(2)}"
        elif _fold(m.group(2)) in ("", _fold(name[:-3])):  # `# GATE-01: Gateway Layer` in GATE-01_Gateway-Layer.md
            doc.lines[first] = f"# {name}"
        else:  # a descriptive title: keep it as the subtitle SIMA101 allows
            doc.lines[first] = f"# {name} - {m.group(2)}"
    elif not line.strip():
        k = next((i for i in range(first, len(doc.lines)) if doc.lines[i].strip()), None)
        if k is not None and doc.lines[k].startswith("# "):
            del doc.lines[first:k], doc.ends[first:k]  # blank lines above the title
        else:
            doc.insert(first, [f"# {name}"])
    else:
        doc.insert(first, [f"# {name}", ""])


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fold(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _total_lines(doc: Doc, entry: Entry) -> None:
    f = total_lines_field(entry)
    if f is None:
        return
    line = doc.lines[f.line - 1]
    m = _DIGITS.search(line, max(f.column - 1, 0))
    if m:
        doc.lines[f.line - 1] = line[: m.start()] + str(entry.line_count) + line[m.end() :]


# -- one file -----------------------------------------------------------------------------


def fix_entry(entry: Entry, kb: KnowledgeBase, config: Config) -> bytes | None:
    """The entry's fixed content, or None when there is nothing to fix."""
    rules = [r for r in active_rules(config) if r.code in FIXABLE]
    if not rules or entry.encoding_error or entry.relpath in kb.outside_links:
        return None
    original = current = Doc.of(entry).encode()
    g = grammar(config.refid_patterns)
    for _ in range(MAX_PASSES):
        found = [f for f in check_entry(entry, kb, config, rules, entry.relpath) if f.fixable]
        codes = {f.code for f in found}
        doc = Doc.of(entry)
        _spans(doc, entry, found, kb, g)
        _mojibake(doc, found)
        _endings(doc, codes)
        if "SIMA101" in codes:
            _title(doc, entry)
        if doc.encode() == current and "SIMA202" in codes:
            _total_lines(doc, entry)  # only once the rest is stable: it counts the final lines
        new = doc.encode()
        if new == current:
            break
        current = new
        entry = parse_bytes(entry.relpath, new, entry.kind, g)
    return None if current == original else current


def plan(kb: KnowledgeBase, root: Path, config: Config, only: set[str] | None = None) -> list[FileFix]:
    """What `--fix` would change: one FileFix per file whose content changes."""
    fixes = []
    for rel in sorted(kb.entries):
        if only is not None and rel not in only:
            continue
        path = Path(root) / rel
        if os.path.islink(path):
            continue  # never written through: two names for one file would fight over its H1
        entry = kb.entries[rel]
        after = fix_entry(entry, kb, config)
        if after is not None:
            fixes.append(FileFix(rel, path, Doc.of(entry).encode(), after))
    return fixes


def apply(fixes: list[FileFix], root: Path) -> list[str]:
    """Write the fixes atomically; returns one message per file that could not be written."""
    errors = []
    for fix in fixes:
        try:
            with open(fix.path, "rb") as fh:
                if fh.read() != fix.before:
                    errors.append(f"{shown(fix.path)}: changed on disk while being checked; not fixed")
                    continue
            atomic_write(fix.path, fix.after, root)
        except OSError as exc:
            errors.append(f"{shown(fix.path)}: cannot read: {exc.strerror or exc}")
        except WriteError as exc:
            errors.append(f"{shown(fix.path)}: {exc}")
    return errors


def fixed_kb(kb: KnowledgeBase, fixes: list[FileFix], config: Config) -> KnowledgeBase:
    """The KB as it would be after the fixes (for `--diff`, which writes nothing)."""
    g = grammar(config.refid_patterns)
    entries = dict(kb.entries)
    for fix in fixes:
        entries[fix.relpath] = parse_bytes(fix.relpath, fix.after, entries[fix.relpath].kind, g)
    return KnowledgeBase(list(entries.values()), kb.other_files, kb.outside_links)


def fix_loaded(loaded: Loaded, config: Config, only: set[str] | None, write: bool) -> tuple[Loaded, list[FileFix], list[str]]:
    """Fix (or, with write=False, preview) one loaded KB; returns the KB to report on."""
    fixes = plan(loaded.kb, loaded.root, config, only)
    if not write:
        return Loaded(fixed_kb(loaded.kb, fixes, config), loaded.root, loaded.io_errors), fixes, []
    errors = apply(fixes, loaded.root)
    return (load(loaded.root, config) if fixes else loaded), fixes, errors


# -- diff ---------------------------------------------------------------------------------


def _keepends(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    out, pos = [], 0
    for m in _BREAK.finditer(text):
        out.append(text[pos : m.end()])
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def shown(path: Path, cwd: Path | None = None) -> str:
    """A path as output shows it: relative to the working directory, `/` separated."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(cwd or Path.cwd())).replace(os.sep, "/")
    return rel.encode("utf-8", "backslashreplace").decode("utf-8")  # undecodable file names


def unified_diff(fixes: list[FileFix], cwd: Path | None = None) -> str:
    """A unified diff of the fixes, paths relative to `cwd` with `a/` and `b/` prefixes."""
    chunks = []
    for fix in fixes:
        name = shown(fix.path, cwd)
        end = "\t" if " " in name else ""  # GNU patch reads a name with spaces up to a tab
        for line in difflib.unified_diff(_keepends(fix.before), _keepends(fix.after), f"a/{name}{end}", f"b/{name}{end}"):
            if line.endswith("\r"):
                line += "\n"  # a lone CR ending: keep the diff one line per line
            chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)

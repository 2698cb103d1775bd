"""Encoding rules (SIMA6xx): UTF-8, mojibake, line endings, final newline, file names."""
from __future__ import annotations

import re

from ..model import Entry, Hit, Severity
from .base import ALL_KINDS, Context, rule


def _continuations() -> str:
    chars = []
    for b in range(0x80, 0xC0):
        try:
            chars.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(b))
    return "".join(chars)


_CONT = _continuations()
# UTF-8 read as Windows-1252: a lead byte shown as `Â`/`Ã` (2-byte sequences: `Â°`, `Ã©`) or `â`/`ï`
# (3-byte: `â†'` for →, `â€"` for —, `ï¸` for the emoji variation selector), then a continuation
# byte (the third is often mangled, `âœ"` for ✓, so one is enough); `ðŸ` for 4-byte emoji, and
# `âŒ`, which is ❌ whose middle byte (0x9D) cp1252 drops.
MOJIBAKE = re.compile("ðŸ|âŒ|[ÂÃâï][" + re.escape(_CONT) + "]")


def may_hold_mojibake(text: str) -> bool:
    """A cheap pre-test: False only when MOJIBAKE finds nothing (a pattern led by a character
    class scans every character; these `in` tests are ~20x cheaper on a KB's text)."""
    return not text.isascii() and ("â" in text or "Ã" in text or "Â" in text or "ï" in text or "ð" in text)


# Runs of characters that cp1252 can encode, outside ASCII: candidates for repair.
_RUN = re.compile("[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u0081\u008d\u008f\u0090\u009d]+")


def _undo(run: str) -> str | None:
    raw = bytearray()
    for c in run:  # each character back to its byte: cp1252's, or Latin-1's for what cp1252 leaves undefined
        try:
            raw += c.encode("cp1252")
        except UnicodeEncodeError:
            if ord(c) > 0xFF:
                return None
            raw.append(ord(c))
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed


def demojibake(line: str) -> str | None:
    """The line with double-encoded runs repaired, or None when the round trip is lossy."""
    if not may_hold_mojibake(line) or not MOJIBAKE.search(line):
        return line
    out, pos = [], 0
    for m in _RUN.finditer(line):
        run = m.group(0)
        if not MOJIBAKE.search(run):
            continue
        fixed = _undo(run)
        if fixed is None:
            return None
        out.append(line[pos : m.start()])
        out.append(fixed)
        pos = m.end()
    out.append(line[pos:])
    result = "".join(out)
    return None if MOJIBAKE.search(result) else result


@rule("SIMA601", "encoding", Severity.ERROR, ALL_KINDS, states=("text", "undecodable"))
def encoding(entry: Entry, ctx: Context):
    """The file is not valid UTF-8 (or holds NUL bytes); the other rules are skipped for it.

    A UTF-8 byte-order mark is tolerated here and reported by SIMA603.

    Why: every other tool in the chain (git diffs, the site, a model's context) assumes UTF-8;
    a Latin-1 or UTF-16 file shows up as garbage or not at all.

    Example:
        Body: `Le café est prêt.`

        Saved with: `Windows-1252`

    Fix: re-save the file as UTF-8.

        Saved with: `UTF-8`
    """
    if entry.encoding_error:
        yield Hit(entry.encoding_error_line, 1, entry.encoding_error)


def _fix_mojibake(doc, entry: Entry, found, kb) -> None:
    """Repair each line whose cp1252 round trip is lossless."""
    for f in found:
        fixed = demojibake(doc.lines[f.line - 1])
        if fixed is not None:
            doc.lines[f.line - 1] = fixed


@rule("SIMA602", "mojibake", Severity.WARNING, ALL_KINDS, fix=_fix_mojibake, fix_phase=1)
def mojibake(entry: Entry, ctx: Context):
    """Text shows double-encoding signatures (`ðŸ`, `âŒ`, or `Â`, `Ã`, `â`, `ï` + a continuation byte).

    Fixable where the cp1252 round trip is lossless.

    Why: UTF-8 text decoded as Windows-1252 and saved again turns `🔴` into `ðŸ”´`; readers see
    garbage and searches miss the words around it.

    Example:
        Header: `**Priority:** ðŸ”´ Critical`

    Fix: `sima-check --fix` repairs lines whose round trip is lossless; retype the others.

        Header: `**Priority:** 🔴 Critical`
    """
    if not may_hold_mojibake(entry.text):
        return  # most files have none
    for i, line in enumerate(entry.lines, 1):
        if not line.isascii():
            m = MOJIBAKE.search(line)
            if m:
                lossless = demojibake(line) is not None
                how = "" if lossless else " (not repairable automatically)"
                yield Hit(i, m.start() + 1, f"mojibake `{m.group(0)}`: UTF-8 text decoded as Windows-1252{how}", fixable=lossless)


def _fix_endings(doc, entry: Entry, found, kb) -> None:
    """LF endings everywhere and no BOM."""
    doc.bom = False
    doc.ends = ["\n" if e else "" for e in doc.ends]


@rule("SIMA603", "line-endings", Severity.WARNING, ALL_KINDS, fix=_fix_endings, fix_phase=2)
def line_endings(entry: Entry, ctx: Context):
    """CRLF or lone CR line endings, or a UTF-8 byte-order mark.

    Why: mixed endings make every diff noisy and break line-based tools; a BOM breaks the H1
    check of tools that do not strip it.

    Example:
        Saved with: `CRLF` line endings, as editors on Windows do

    Fix: save with LF endings and no BOM (`sima-check --fix` does).

        Saved with: `LF` line endings
    """
    if entry.has_bom:
        yield Hit(1, 1, "file starts with a UTF-8 byte-order mark")
    if entry.crlf_lines:
        n = len(entry.crlf_lines)
        yield Hit(entry.crlf_lines[0], 1, f"{n} line(s) end in CRLF; use LF")
    if entry.cr_lines:
        n = len(entry.cr_lines)
        yield Hit(entry.cr_lines[0], 1, f"{n} line(s) end in a lone CR; use LF")


def _fix_final_newline(doc, entry: Entry, found, kb) -> None:
    """Terminate the last line with the file's own line ending."""
    if doc.ends and doc.ends[-1] == "":
        doc.ends[-1] = doc.newline()


@rule("SIMA604", "final-newline", Severity.INFO, ALL_KINDS, fix=_fix_final_newline, fix_phase=2)
def final_newline(entry: Entry, ctx: Context):
    """The last line is not terminated by a newline.

    Why: `wc -l`, `cat` and diffs treat the last line specially; appending to the file glues
    lines together.

    Example:
        Saved with: `no final newline`

    Fix: end the file with a newline (`sima-check --fix` does).

        Saved with: `a final newline`
    """
    if not entry.final_newline and entry.lines:
        last = len(entry.lines)
        yield Hit(last, len(entry.lines[-1]) + 1, "no newline at end of file")


@rule("SIMA605", "filename-format", Severity.INFO, ALL_KINDS)
def filename_format(entry: Entry, ctx: Context):
    """The file name has spaces or is longer than 80 characters.

    Why: spaces need quoting in shells and `%20` in URLs; long names are cut off in listings.

    Example:
        File: `ARCH-SUGA_Single Universal Gateway Architecture.md`

    Fix: use `-` instead of spaces and keep names short (then update the references).

        File: `ARCH-SUGA_Single-Universal-Gateway-Architecture.md`
    """
    name = entry.name
    if " " in name:
        yield Hit(1, 1, f"file name `{name}` contains spaces")
    if len(name) > 80:
        yield Hit(1, 1, f"file name is {len(name)} characters; keep it to 80")


@rule("SIMA606", "file-unreadable", Severity.ERROR, ALL_KINDS, states=("unreadable",))
def file_unreadable(entry: Entry, ctx: Context):
    """A file inside the knowledge base cannot be read.

    A symlink loop, a dangling symlink, a file without read permission, a named pipe or
    device, an I/O error: the file is reported at line 1 with the reason, the rest of the KB
    is checked as usual, and references to it still resolve (the file is there). Only paths
    given on the command line that cannot be used are a tool error (exit 2).

    Why: one unreadable file used to stop the whole run; as a finding it goes through
    baselines, suppressions by path, SARIF and JUnit like any other problem.

    Example:
        Saved with: `no read permission`

    Fix: make the file readable (or remove the broken link).

        Saved with: `read permission`
    """
    if entry.read_error is not None:
        yield Hit(1, 1, f"cannot read this file: {entry.read_error}")

"""`github`: GitHub Actions workflow commands, one annotation per finding, and a step summary.

`::error file=PATH,line=L,col=C,title=CODE rule-name::message` (`::warning`, `::notice` for
info). GitHub displays only 10 annotations of each level per step (50 per job), so the last,
plain line says how many are beyond that; `step_summary()` lists every finding as a Markdown
table for `$GITHUB_STEP_SUMMARY` (the CLI appends it there).
"""
from __future__ import annotations

from ..model import Report
from ..model import Finding, Severity
from .text import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SHOWN_PER_STEP = 10  # per annotation level
SHOWN_PER_JOB = 50
SUMMARY_LIMIT = 1_000_000  # bytes; GitHub refuses a step summary over 1 MiB


def escape_data(text: str) -> str:
    """Escape a command's message (`%`, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (also `:` and `,`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding) -> str:
    """The workflow command for one finding."""
    props = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (("file", f.path), ("line", str(f.line)), ("col", str(f.column)), ("title", f"{f.code} {f.rule}"))
    )
    return f"::{COMMANDS[f.severity]} {props}::{escape_data(f.message)}"


def hidden(result: Report) -> dict[str, int]:
    """Annotations per level that GitHub will not display for this step."""
    counts = {name: 0 for name in COMMANDS.values()}
    for f in result.findings:
        counts[COMMANDS[f.severity]] += 1
    return {name: max(0, n - SHOWN_PER_STEP) for name, n in counts.items()}


def closing_line(result: Report) -> str:
    """The summary line, and how many annotations GitHub leaves out."""
    over = hidden(result)
    total = sum(over.values())
    line = summary_line(result)
    if total:
        parts = ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for name, n in over.items() if n)
        line += (
            f"; {total} annotation{'' if total == 1 else 's'} beyond what GitHub displays ({parts}; it shows "
            f"{SHOWN_PER_STEP} errors, {SHOWN_PER_STEP} warnings and {SHOWN_PER_STEP} notices per step, "
            f"{SHOWN_PER_JOB} per job): every finding is in this log and the job summary"
        )
    return line


def render(result: Report, **_: object) -> str:
    """Every finding as a workflow command, then a plain closing line."""
    lines = [command(f) for f in result.findings]
    lines.append(closing_line(result))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """A Markdown table cell: no raw HTML, no cell breaks, no line breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def step_summary(result: Report) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: every finding in a table, then the closing line."""
    head = ["## sima-check", ""]
    tail = ["", _cell(closing_line(result)), ""]
    if not result.findings:
        return "\n".join(head + ["No findings."] + tail)
    rows = ["| Location | Code | Severity | Message |", "| --- | --- | --- | --- |"]
    size = sum(len(s.encode("utf-8", "surrogatepass")) + 1 for s in head + rows + tail) + 200
    for n, f in enumerate(result.findings):
        row = f"| {_cell(f'{f.path}:{f.line}')} | {f.code} {f.rule} | {f.severity} | {_cell(f.message)} |"
        size += len(row.encode("utf-8", "surrogatepass")) + 1
        if size > SUMMARY_LIMIT:
            left = len(result.findings) - n
            tail.insert(1, f"{left} more finding{'' if left == 1 else 's'} not listed: a step summary is limited to 1 MiB; see the log.")
            tail.insert(2, "")
            break
        rows.append(row)
    return "\n".join(head + rows + tail)

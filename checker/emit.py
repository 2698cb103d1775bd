"""The way out of a run: the report to stdout or `--output`, the GitHub step summary, and
one-line errors (control characters escaped) with exit code 2."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .model import Report
from .reporters.text import visible
from .run.engine import EXIT_USAGE, exit_code


def error(message: str) -> None:
    """One `sima-check: error:` line on stderr, its control characters (a newline or an escape
    sequence in a file name, a config key or an argument) shown as the text report shows them."""
    click.echo(f"sima-check: error: {visible(message)}", err=True)


def fail(message: str) -> None:
    """One line on stderr and exit 2."""
    error(message)
    sys.exit(EXIT_USAGE)


def to_stdout(text: str, color: bool = False) -> None:
    """Write a report to standard output; a full disk or a closed stdout is one error line and
    exit 2 (a closed pipe is click's: a quiet exit)."""
    if sys.stdout is None:
        fail("standard output is closed (use --output FILE)")
    try:
        click.echo(printable(text), nl=False, color=color)
    except BrokenPipeError:
        raise
    except OSError as exc:
        try:  # what is still buffered must not fail again, with a traceback, at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        fail(f"standard output: cannot write: {exc.strerror or exc}")


def _append_step_summary(result: Report) -> None:
    """`--format github` in GitHub Actions: the full table goes to the job summary too."""
    from .reporters.github import step_summary

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(step_summary(result))
    except OSError as exc:
        fail(f"{path}: cannot append the step summary: {exc.strerror or exc}")


def printable(text: str) -> str:
    """Text any stdout can take: undecodable file-name bytes shown as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def emit(result: Report, fmt: str, output: str | None, color: bool | None) -> None:
    from .reporters import REPORTERS

    if fmt not in REPORTERS:
        fail(f"--format {fmt} is not available in this version")
    if color is None:
        color = output is None and sys.stdout is not None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text = REPORTERS[fmt](result, colour=bool(color) and fmt == "text")
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8", errors="backslashreplace")  # undecodable file names
        except OSError as exc:
            fail(f"{output}: cannot write: {exc.strerror}")
    else:
        to_stdout(text, bool(color))  # click strips ANSI off a non-tty unless told
    if fmt == "github":
        _append_step_summary(result)


def emit_diff(patches: list, output: str | None, result: Report, fail_on: str) -> None:
    from .fix.plan import unified_diff

    text = unified_diff(patches)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8", errors="backslashreplace", newline="")
        except OSError as exc:
            fail(f"{output}: cannot write: {exc.strerror}")
    else:
        to_stdout(text)
    code = exit_code(result, fail_on)
    sys.exit(code if code == EXIT_USAGE or not patches else max(code, 1))

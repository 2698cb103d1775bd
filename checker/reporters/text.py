"""`text`: `path:line:col: CODE [severity] message`, then a summary line."""
from __future__ import annotations

import re

from ..model import Report

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET, _BOLD = "\033[0m", "\033[1m"
# Control characters are shown as `\xNN`: each finding stays one line even when a file name
# holds a newline (which could otherwise forge a finding line), and a hostile file cannot
# drive the terminal with ESC sequences.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Text with control characters (tab aside) written as `\\xNN`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def summary_line(result: Report) -> str:
    """`5 files, 0 errors, 3 warnings, 10 infos`."""
    s = result.summary()

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return ", ".join(
        [n(result.files_checked, "file"), n(s["error"], "error"), n(s["warning"], "warning"), n(s["info"], "info")]
    )


def render(result: Report, colour: bool = False, **_: object) -> str:
    """One line per finding and a closing summary."""
    lines = []
    paths: dict[str, str] = {}  # a file's findings share its path: made visible once
    for f in result.findings:
        sev, path = str(f.severity), paths.get(f.path)
        if path is None:
            path = paths[f.path] = visible(f.path)
        if colour:
            where = f"{_BOLD}{path}:{f.line}:{f.column}:{_RESET}"
            tag = f"{_COLOURS[sev]}{f.code} [{sev}]{_RESET}"
        else:
            where, tag = f"{path}:{f.line}:{f.column}:", f"{f.code} [{sev}]"
        fix = " (fixable)" if f.fixable else ""
        lines.append(f"{where} {tag} {visible(f.message)}{fix}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"

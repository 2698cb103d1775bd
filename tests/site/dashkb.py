"""A synthetic KB with findings of several rules and severities, for the dashboard's tests.

Small clean entries (`helpers.clean_entry`) spread over top-level folders, with deliberate
faults cycling by index: a wrong Total Lines (SIMA202, warning), a bad Version (SIMA103,
error), a bad Date as well (two SIMA103), a missing Keywords section. Deterministic."""
from __future__ import annotations

import re

from helpers import clean_entry

FOLDERS = ("aws", "core", "decisions", "lessons", "platform")


def findings_kb(n: int) -> dict[str, str]:
    """`n` entries (relpath -> text)."""
    files = {}
    for i in range(n):
        folder = FOLDERS[i % len(FOLDERS)]
        name = f"{folder}/group{i % 3}/Entry{i:04d}_AWS-LESS-{i + 1:02d}.md"
        text = clean_entry(name, f"AWS-LESS-{i + 1:02d}")
        if i % 5 == 0:
            text = re.sub(r"(\*\*Total Lines:\*\* )\d+", r"\g<1>3", text)
        if i % 4 == 0:
            text = text.replace("**Version:** 1.0.0", "**Version:** one")
        if i % 12 == 0:
            text = text.replace("**Date:** 2025-11-01", "**Date:** yesterday")
        if i % 7 == 0:
            text = text.replace("alpha, beta, gamma, delta, epsilon", "alpha")
        files[name] = text
    return files

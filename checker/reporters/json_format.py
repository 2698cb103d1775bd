"""`json`: the catalogue's §9 document, version 1."""
from __future__ import annotations

import json

from .. import __version__
from ..model import Report


def render(result: Report, **_: object) -> str:
    """The JSON report, findings already sorted by path, line, column, code."""
    doc = {
        "version": 1,
        "tool": {"name": "sima-check", "version": __version__},
        "files_checked": result.files_checked,
        "entries_checked": result.entries_checked,
        "findings": [f.to_dict() for f in result.findings],
        "summary": result.summary(),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

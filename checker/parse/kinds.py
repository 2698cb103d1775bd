"""Classify a KB file into a kind (catalogue §1): spec, template, index, matrix, doc, entry."""
from __future__ import annotations

import re
from fnmatch import fnmatchcase

KINDS = ("spec", "template", "index", "matrix", "doc", "entry")

DOC_FOLDERS = frozenset(
    {"support", "context", "docs", "integration", "redirects", "shared", "planning"}
)
_INDEX = re.compile(r"(?:^|[-_ .])(?:index|indexes)(?=$|[-_ .])", re.IGNORECASE)


def classify(relpath: str, overrides: dict[str, tuple[str, ...]] | None = None) -> str:
    """The kind of a file given its path relative to the KB root; configured globs win."""
    for kind, globs in (overrides or {}).items():
        if any(fnmatchcase(relpath, g) for g in globs):
            return kind
    parts = relpath.split("/")
    name = parts[-1]
    stem = name[:-3] if name.lower().endswith(".md") else name
    if name.startswith("SPEC-"):
        return "spec"
    if "templates" in parts[:-1] or "template" in name.lower() or name.startswith("TMPL-"):
        return "template"
    if _INDEX.search(stem):
        return "index"
    if "Cross-Reference" in name or "Matrix" in name:
        return "matrix"
    if name.lower() == "readme.md" or (len(parts) > 1 and parts[0] in DOC_FOLDERS):
        return "doc"
    return "entry"

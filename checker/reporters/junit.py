"""`junit`: JUnit XML for CI test-report views.

One `<testsuite>` per checked file (name = path), one failing `<testcase>` per finding
(classname = path, name = `CODE line:col`, `<failure type="CODE">`), and one passing testcase
named `no findings` for a clean file. No timestamps or host names: the output is deterministic.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from ..model import Report
from ..model import Finding

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text with XML-illegal characters written as `\\xNN` / `\\uNNNN`."""
    return _INVALID.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def _case(suite: ET.Element, f: Finding) -> None:
    path = _xml(f.path)
    case = ET.SubElement(suite, "testcase", classname=path, name=f"{f.code} {f.line}:{f.column}")
    failure = ET.SubElement(case, "failure", type=f.code, message=_xml(f"[{f.severity}] {f.message}"))
    failure.text = _xml(f"{f.path}:{f.line}:{f.column}: {f.code} {f.rule} [{f.severity}]\n{f.message}")


def render(result: Report, **_: object) -> str:
    """The JUnit XML document."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_path[f.path].append(f)
    paths = sorted(set(result.files) | set(by_path))
    failures = len(result.findings)
    tests = failures + sum(1 for p in paths if p not in by_path)
    root = ET.Element("testsuites", name="sima-check", tests=str(tests), failures=str(failures), errors="0")
    for path in paths:
        found = by_path.get(path, [])
        suite = ET.SubElement(
            root, "testsuite", name=_xml(path), tests=str(max(1, len(found))), failures=str(len(found)),
            errors="0", skipped="0",
        )
        if not found:
            ET.SubElement(suite, "testcase", classname=_xml(path), name="no findings")
        for f in found:
            _case(suite, f)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""`sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; `tool.driver.rules` holds every rule of the catalogue with its documentation, results
point at paths relative to the working directory (`uriBaseId` `%SRCROOT%`), and
`partialFingerprints` come from `checker.baseline.fingerprints`, so an alert keeps its identity
when unrelated lines move.
"""
from __future__ import annotations

import json
from urllib.parse import quote

from .. import __version__
from ..run.baseline import FINGERPRINT_KEY, fingerprints
from ..model import Report
from ..model import Finding, Severity
from ..rules import RULES
from ..rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/sima-check/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _help(rule: Rule) -> dict[str, str]:
    why, example, fix = rule.section("Why:"), rule.section("Example:"), rule.section("Fix:")
    indented = "\n".join("    " + line for line in example.splitlines())
    text = f"Why: {why}\n\nExample:\n{indented}\n\nFix: {fix}"
    markdown = f"{rule.description()}\n\n**Why:** {why}\n\n**Example:**\n\n{example}\n\n**Fix:** {fix}"
    return {"text": text, "markdown": markdown}


def rule_descriptor(rule: Rule) -> dict:
    """A SARIF reportingDescriptor for one rule, from its docstring."""
    family = rule.check.__module__.rsplit(".", 1)[-1]
    tags = ["sima", family] + (["fixable"] if rule.fixable else [])
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description()},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": tags},
    }


def _result(f: Finding, fingerprint: str, index: dict[str, int]) -> dict:
    out: dict = {"ruleId": f.code}
    if f.code in index:
        out["ruleIndex"] = index[f.code]
    out["level"] = LEVELS[f.severity]
    out["message"] = {"text": f.message}
    out["locations"] = [{
        "physicalLocation": {
            "artifactLocation": {"uri": quote(f.path, safe="/", errors="surrogateescape"), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(1, f.line), "startColumn": max(1, f.column)},
        }
    }]
    out["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    return out


def document(result: Report) -> dict:
    """The SARIF log as a dict."""
    index = {r.code: i for i, r in enumerate(RULES)}
    results = [_result(f, fp, index) for f, fp in zip(result.findings, fingerprints(result.findings))]
    driver = {
        "name": "sima-check",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [rule_descriptor(r) for r in RULES],
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": not result.io_errors}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: Report, **_: object) -> str:
    """The SARIF 2.1.0 log as JSON text."""
    return json.dumps(document(result), ensure_ascii=False, indent=2) + "\n"

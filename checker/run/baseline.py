"""Fingerprints and baselines: adopt sima-check on a KB with known findings, report only new ones.

A fingerprint names a finding without its line number, so it survives edits elsewhere in the
file: a hash of the rule code, the path and the whitespace-normalised text of the finding's line
(`Finding.context`, filled in by the engine), followed by `:N`, the occurrence index of that
(code, path, line text) in the file. SARIF's `partialFingerprints` use the same function.

A baseline file is JSON: `{"version": 1, "tool": "sima-check", "findings": [{"fingerprint",
"code", "path", "message"}, ...]}`, sorted, without line numbers (they would churn). It is
a multiset: two identical entries forgive two findings.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Sequence

from ..model import Finding

BASELINE_VERSION = 1
FINGERPRINT_KEY = "simaCheck/v1"  # the SARIF partialFingerprints key


class BaselineError(Exception):
    """A baseline file that cannot be read, written or understood."""


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding, aligned with `findings` (occurrences counted in file order)."""
    out = [""] * len(findings)
    seen: Counter[str] = Counter()
    for i in sorted(range(len(findings)), key=lambda i: findings[i]):
        f = findings[i]
        key = f"{f.code}\0{f.path}\0{f.context}".encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(key).hexdigest()[:32]
        out[i] = f"{digest}:{seen[digest]}"
        seen[digest] += 1
    return out


def dumps(findings: Sequence[Finding]) -> str:
    """The baseline document for these findings."""
    rows = [
        {"fingerprint": fp, "code": f.code, "path": f.path, "message": f.message}
        for f, fp in zip(findings, fingerprints(findings))
    ]
    rows.sort(key=lambda r: (r["path"], r["code"], r["fingerprint"]))
    doc = {"version": BASELINE_VERSION, "tool": "sima-check", "findings": rows}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write(path: str | Path, findings: Sequence[Finding]) -> None:
    """Write the baseline file (lone surrogates from undecodable names stay JSON escapes)."""
    try:
        Path(path).write_text(dumps(findings), encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None


def loads(text: str, name: str = "baseline") -> Counter[str]:
    """The fingerprints of a baseline document, counted."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"{name}: not a sima-check baseline: invalid JSON ({exc})") from None
    except RecursionError:  # `[[[[...` nested past Python's recursion limit
        raise BaselineError(f"{name}: not a sima-check baseline: JSON nested too deeply") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{name}: not a sima-check baseline: expected an object with a `findings` list")
    if type(doc.get("version")) is not int or doc["version"] != BASELINE_VERSION:  # `true` == 1 in Python
        raise BaselineError(f"{name}: baseline version {doc.get('version')!r} is not supported (expected {BASELINE_VERSION})")
    counts: Counter[str] = Counter()
    for n, row in enumerate(doc["findings"], 1):
        fp = row.get("fingerprint") if isinstance(row, dict) else None
        if not isinstance(fp, str) or not fp:
            raise BaselineError(f"{name}: not a sima-check baseline: finding {n} has no `fingerprint` string")
        counts[fp] += 1
    return counts


def read(path: str | Path) -> Counter[str]:
    """Load a baseline file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not a sima-check baseline: not UTF-8 text") from None
    return loads(text, str(path))


def apply(findings: Sequence[Finding], baseline: Counter[str]) -> tuple[list[Finding], int]:
    """(findings not in the baseline, how many were forgiven); each baseline entry forgives one."""
    budget = Counter(baseline)
    kept: list[Finding] = []
    for f, fp in zip(findings, fingerprints(findings)):
        if budget[fp] > 0:
            budget[fp] -= 1
        else:
            kept.append(f)
    return kept, len(findings) - len(kept)

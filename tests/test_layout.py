"""The package layout: every module importable first."""
from __future__ import annotations

import subprocess
import sys

from helpers import REPO

SCRIPT = r"""
import importlib, pathlib, sys
root = pathlib.Path("checker")
names = sorted(".".join(p.with_suffix("").parts).removesuffix(".__init__") for p in root.rglob("*.py"))
failed = []
for name in names:
    for m in [m for m in sys.modules if m == "checker" or m.startswith("checker.")]:
        del sys.modules[m]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\n".join(failed))
print(len(names), "modules")
"""


def test_every_module_imports_on_its_own():
    """Importing any module first works (a package `__init__` that pulled in a higher stage
    would make a cycle at run time that no static count of imports shows)."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1].endswith("modules") and int(lines[-1].split()[0]) > 40
    assert lines[:-1] == []


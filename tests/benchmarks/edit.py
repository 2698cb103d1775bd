"""`new` and `mv` on generated KBs: wall time, and that a move of the most-cited entry (and of a
folder) leaves the findings exactly as before, paths mapped. Not part of the test suite.

    python tests/benchmarks/edit.py --n 1000          # about a minute on 2 CPUs
    python tests/benchmarks/edit.py --n 1000,10000
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))
import generate  # noqa: E402

from checker.api import check  # noqa: E402
from checker.config import Config  # noqa: E402
from checker.edit.move import apply_move, plan_move  # noqa: E402
from checker.edit.new import create  # noqa: E402

ENV = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@e", GIT_COMMITTER_NAME="b",
           GIT_COMMITTER_EMAIL="b@e", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def findings(root: Path, renamed: dict[str, str]) -> list[tuple[str, int, str]]:
    return sorted((renamed.get(f.relpath, f.relpath), f.line, f.code) for f in check([root], Config()).findings)


def most_cited(root: Path) -> tuple[str, int]:
    report = check([root], Config(), keep=True)
    counts = Counter(res.targets[0] for c in report.checked[root].values() for _, res in c.resolved
                     if res.status == "ok" and len(res.targets) == 1)
    rel, n = max(((r, k) for r, k in counts.items() if report.kbs[root].summaries[r].kind == "entry"), key=lambda x: x[1])
    return rel, n


def run(n: int, work: Path) -> list[str]:
    root = work / f"kb{n}" / "sima"
    generate.generate(root, n, seed=1)
    git(root.parent, "init", "-q")
    git(root.parent, "add", "-A")
    git(root.parent, "commit", "-qm", "kb")
    rows = []
    target, cites = most_cited(root)
    dst = f"moved/{target.rsplit('/', 1)[1]}"
    before = findings(root, {target: dst})
    plan, t_plan = timed(lambda: plan_move(root, Config(), target, dst))
    _, t_apply = timed(lambda: apply_move(plan, root))
    same = findings(root, {}) == before
    rows.append(f"| mv most-cited entry ({cites} citations, {len(plan.edits)} files rewritten), {n} files | "
                f"{t_plan:.2f} s plan + {t_apply:.2f} s apply | findings as before: {'yes' if same else 'NO'} |")
    other = next(p.parent for p in sorted(root.rglob("*.md")) if p.parent != root and "moved" not in p.parts)
    src = other.relative_to(root).as_posix()
    moved = {p.relative_to(root).as_posix(): "relocated/" + p.relative_to(other.parent).as_posix()
             for p in other.rglob("*.md")}
    before = findings(root, moved)
    plan, t_plan = timed(lambda: plan_move(root, Config(), src, "relocated/" + other.name))
    _, t_apply = timed(lambda: apply_move(plan, root))
    same = findings(root, {}) == before
    rows.append(f"| mv folder ({len(plan.moves)} files moved, {len(plan.edits)} rewritten), {n} files | "
                f"{t_plan:.2f} s plan + {t_apply:.2f} s apply | findings as before: {'yes' if same else 'NO'} |")
    (rel, _), t_new = timed(lambda: create(root, Config(), "LESS", "Benchmark lesson"))
    errors = [f for f in check([root], Config()).findings if f.relpath == rel and str(f.severity) == "error"]
    rows.append(f"| new LESS entry, {n} files (git history read) | {t_new:.2f} s | `{rel}`, {len(errors)} errors |")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", default="1000", help="comma-separated KB sizes")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sima-check-bench-edit")
    args = ap.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    print("| Measure | Time | Check |\n|---|---|---|")
    for n in (int(x) for x in args.n.split(",")):
        for row in run(n, args.work):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

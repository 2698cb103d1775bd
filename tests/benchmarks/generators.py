"""Build time of one KB under each generator: `python tests/benchmarks/generators.py`.

Rows: `mkdocs build` with the `sima` plugin, `properdocs build` with the plugin, and
`sima-check site --out` followed by `zensical build` or by a plugin-less `mkdocs build`
(the export and the build timed apart, and together). Every command is a subprocess, wall time
best of `--repeat`, cold: the checker's cache, the output folder and Zensical's cache are
removed before each run. KBs: the shipped `sima/` and a generated one (generate.py, `--n`,
`--seed 1`). Synthetic KBs have error findings, so the plugin runs with `on_violation: warn`
and the export with `--on-violation warn`. Not part of the test suite."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
PY = sys.executable


def project(kb: Path, dest: Path) -> Path:
    """A project folder: the repo's mkdocs.yml (docs_dir -> kb, on_violation: warn) and pyproject.toml."""
    dest.mkdir(parents=True, exist_ok=True)
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    yml = re.sub(r"on_violation: \w+", "on_violation: warn", yml).replace("docs_dir: sima", f"docs_dir: '{kb}'")
    (dest / "mkdocs.yml").write_text(yml, encoding="utf-8")
    shutil.copy2(REPO / "pyproject.toml", dest / "pyproject.toml")
    return dest


def timed(cmd: list[str], cwd: Path, clean: list[Path]) -> float:
    for p in clean:
        shutil.rmtree(p, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return took


def measure(name: str, kb: Path, work: Path, repeat: int) -> list[tuple[str, str, float]]:
    proj = project(kb, work / name)
    cache = [proj / ".sima-check-cache", proj / "site"]
    out = proj / "build"
    site_cmd = [PY, "-c", "from checker.cli import main; main()", "site", "--out", "build", "--on-violation", "warn"]
    rows = []

    def best(cmd, cwd, clean):
        return min(timed(cmd, cwd, clean) for _ in range(repeat))

    rows.append((name, "mkdocs build + sima plugin", best([PY, "-m", "mkdocs", "build", "-q"], proj, cache)))
    rows.append((name, "properdocs build + sima plugin", best([PY, "-m", "properdocs", "build", "-q"], proj, cache)))
    export = best(site_cmd, proj, cache + [out])
    rows.append((name, "sima-check site --out", export))
    z = best([PY, "-m", "zensical", "build", "--clean"], out, [out / "site", out / ".cache"])
    rows.append((name, "  then zensical build", z))
    rows.append((name, "site --out + zensical, total", export + z))
    m = best([PY, "-m", "mkdocs", "build", "-q"], out, [out / "site"])
    rows.append((name, "  then plain mkdocs build", m))
    rows.append((name, "site --out + plain mkdocs, total", export + m))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="entries of the generated KB (0: only the shipped KB)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sima-generators-bench")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    kbs = [("shipped KB (5 files)", REPO / "sima")]
    if args.n:
        kb = args.work / f"kb{args.n}"
        subprocess.run([PY, str(HERE / "generate.py"), str(kb), "--n", str(args.n), "--seed", "1"], check=True,
                       capture_output=True)
        kbs.append((f"synthetic KB ({args.n} entries)", kb))
    print(f"CPUs: {os.cpu_count()}, load before: {os.getloadavg()[0]:.2f}, best of {args.repeat}, cold\n")
    print("| KB | generator | seconds |\n|---|---|---|")
    for i, (label, kb) in enumerate(kbs):
        for name, gen, secs in measure(f"p{i}", kb, args.work, args.repeat):
            print(f"| {label} | {gen} | {secs:.2f} |", flush=True)
    print(f"\nload after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

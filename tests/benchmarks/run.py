"""sima-check benchmarks: `python tests/benchmarks/run.py` prints a Markdown table of targets.

Everything is measured in one run on one machine, with `sima-check` as a subprocess (wall
time, best of `--repeat` runs): cold and warm checks of generated KBs of 1,000 and 10,000
entries, a single-file check inside the 10,000-entry KB, peak memory at 10,000, the public
corpus, and `mkdocs build` of the 1,000-entry KB with and without the `sima` plugin. Not part
of the test suite (pytest ignores this folder); see README.md here.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CORPUS = (REPO / ".." / "shared" / "corpus" / "sima-public-2025-11-01").resolve()
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

SEED = 1
EXTENSIONS = ["toc", "tables", "admonition", "attr_list", "pymdownx.highlight", "pymdownx.superfences", "pymdownx.details"]


@dataclass
class Sample:
    """One subprocess run."""

    wall: float
    cpu: float  # user + sys of the process and the workers it waited for
    maxrss_mb: float  # the largest single process (ru_maxrss)
    peak_sum_mb: float  # sampled sum over the process tree (0 when not sampled)
    code: int


def tool(name: str) -> list[str]:
    """A console script of this interpreter's environment."""
    script = Path(sys.executable).parent / name
    return [str(script)] if script.exists() else [sys.executable, "-m", name]


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants (0 once it is gone)."""
    total, todo, page = 0, [pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * page
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            pass
    return total


def measure(cmd: list[str], cwd: Path, sample_memory: bool = False) -> Sample:
    """Run once; wall time, CPU, memory."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sampler() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.005)

    thread = threading.Thread(target=sampler, daemon=True) if sample_memory and sys.platform.startswith("linux") else None
    if thread:
        thread.start()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    if thread:
        thread.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    scale = 1024 if sys.platform.startswith("linux") else 1  # ru_maxrss: KiB on Linux, bytes on macOS
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale / 2**20, peak[0] / 2**20, proc.returncode)


def best(samples: list[Sample]) -> Sample:
    """The fastest run."""
    return min(samples, key=lambda s: s.wall)


def machine() -> dict:
    """What the numbers were measured on."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), model)
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    return {"nproc": nproc, "cpu": model, "python": platform.python_version(), "os": platform.platform(terse=True)}


def load_average() -> str:
    """The 1-minute load average (other work on the machine skews wall times)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def prepare(work: Path, n: int) -> Path:
    """A generated KB of `n` files under `work/kb-n/sima`, reused while the generator is unchanged."""
    base = work / f"kb-{n}"
    stamp = hashlib.sha256((HERE / "generate.py").read_bytes() + f"{n}:{SEED}".encode()).hexdigest()
    if (base / "stamp").is_file() and (base / "stamp").read_text() == stamp:
        return base
    print(f"generating {n} entries ...", file=sys.stderr)
    generate.generate(base / "sima", n, SEED)
    (base / "stamp").write_text(stamp)
    return base


def check_runs(base: Path, cache: Path, repeat: int, args: list[str] | None = None) -> tuple[Sample, Sample]:
    """(best cold, best warm) of `sima-check` in `base`; cold runs start without a cache."""
    cmd = tool("sima-check") + ["--cache-dir", str(cache), *(args or [])]
    cold = []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(measure(cmd, base))
    warm = [measure(cmd, base) for _ in range(repeat)]
    return best(cold), best(warm)


def single_file(base: Path, cache: Path, repeat: int) -> tuple[Sample, Sample, Sample]:
    """A check of one file inside the KB: unchanged, just edited, and with no cache at all."""
    files = sorted(p for p in (base / "sima").rglob("*.md") if "Index" not in p.name and p.name != "README.md")
    one = files[len(files) // 2]
    rel = one.relative_to(base).as_posix()
    cmd = tool("sima-check") + [rel, "--cache-dir", str(cache)]
    measure(tool("sima-check") + ["--cache-dir", str(cache)], base)  # the full run fills the cache
    unchanged = best([measure(cmd, base) for _ in range(repeat)])
    original = one.read_bytes()
    edited = []
    try:
        for i in range(repeat):
            one.write_bytes(original + f"\nEdited for the benchmark, run {i}.\n".encode())
            edited.append(measure(cmd, base))
    finally:
        one.write_bytes(original)
    cold = best([measure(tool("sima-check") + [rel, "--no-cache"], base) for _ in range(max(1, repeat - 1))])
    return unchanged, best(edited), cold


def reference_scans(corpus: Path, repeat: int) -> dict[str, float]:
    """The brief's reference points on this machine: a full markdown-it-py parse, a read + line scan."""
    files = sorted(corpus.rglob("*.md"))
    out = {}
    if importlib.util.find_spec("markdown_it"):
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark")
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            for p in files:
                md.parse(p.read_text(encoding="utf-8", errors="replace"))
            times.append(time.perf_counter() - t)
        out["markdown-it-py parse"] = min(times)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        n = 0
        for p in files:
            for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
                n += line.startswith("#")
        times.append(time.perf_counter() - t)
    out["read + line scan"] = min(times)
    return out


FLOOR = (
    "import os, sys\n"
    "n = 0\n"
    "for d, dirs, files in os.walk(sys.argv[1]):\n"
    "    dirs[:] = [x for x in dirs if not x.startswith('.')]\n"
    "    for f in files:\n"
    "        if f.endswith('.md'):\n"
    "            with open(os.path.join(d, f), 'rb') as fh:\n"
    "                n += len(fh.read().decode('utf-8', 'replace').splitlines())\n"
    "print(n)\n"
)


def floor(root: Path, repeat: int) -> Sample:
    """The read floor: a Python process that only finds, reads, decodes and splits the same files."""
    return best([measure([sys.executable, "-c", FLOOR, str(root)], root) for _ in range(repeat)])


def floor_row(what: str, check: Sample, base: Sample) -> str:
    """`--no-cache` time as a multiple of the read floor (target ≤ 5x, aim 3x)."""
    ratio = check.wall / base.wall
    return row(f"{what}: cold `--no-cache` ÷ read floor", "≤ 5x", f"{ratio:.1f}x ({check.wall:.2f} s vs {base.wall:.2f} s)", ratio <= 5)


def mkdocs_available() -> str | None:
    """Why the plugin measurement cannot run, or None when it can."""
    if not (REPO / "checker" / "site" / "plugin.py").exists():
        return "checker/site/plugin.py does not exist yet"
    if not (Path(sys.executable).parent / "mkdocs").exists() and not shutil.which("mkdocs"):
        return "mkdocs is not installed"
    from importlib.metadata import entry_points

    if not any(ep.name == "sima" for ep in entry_points(group="mkdocs.plugins")):
        return "the `sima` MkDocs plugin is not registered (pip install -e .)"
    return None


def mkdocs_runs(base: Path, work: Path, repeat: int) -> tuple[Sample, Sample]:
    """(best bare build, best build with the sima plugin) of the same KB."""
    project = work / "mkdocs"
    project.mkdir(exist_ok=True)
    builds = {}
    for name, plugins in (("bare", "  - search\n"), ("sima", "  - search\n  - sima:\n      on_violation: warn\n")):
        yml = project / f"{name}.yml"
        yml.write_text(
            f"site_name: bench\ndocs_dir: {base / 'sima'}\nsite_dir: {project / ('site-' + name)}\n"
            "use_directory_urls: true\ntheme:\n  name: material\n  font: false\n"
            f"plugins:\n{plugins}markdown_extensions:\n" + "".join(f"  - {e}\n" for e in EXTENSIONS)
        )
        cmd = tool("mkdocs") + ["build", "-q", "-f", str(yml)]
        builds[name] = best([measure(cmd, project) for _ in range(repeat)])
    return builds["bare"], builds["sima"]


def row(what: str, target: str, measured: str, ok: bool | None) -> str:
    """A table row; ok None means information only."""
    verdict = "" if ok is None else ("pass" if ok else "**FAIL**")
    return f"| {what} | {target} | {measured} | {verdict} |"


def bytecode() -> None:
    """Compile the checker's modules as an installed package has them (an editable install
    does not, and with PYTHONDONTWRITEBYTECODE set every run would compile them again)."""
    import compileall

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(REPO / "checker"), quiet=1)


def main(argv: list[str] | None = None) -> int:
    """Run everything and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sima-check-bench", help="where KBs and caches go (reused)")
    ap.add_argument("--sizes", default="1000,10000", help="KB sizes (the last one gets the single-file and memory runs)")
    ap.add_argument("--no-mkdocs", action="store_true", help="skip the mkdocs builds")
    ap.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = ap.parse_args(argv)
    bytecode()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    info = machine()
    load_before = load_average()
    raw: dict = {"machine": info, "repeat": args.repeat}
    rows = []

    per_entry = {}
    for n in sizes:
        base = prepare(work, n)
        cold, warm = check_runs(base, work / f"cache-{n}", args.repeat)
        nocache = best([measure(tool("sima-check") + ["--no-cache"], base) for _ in range(max(1, args.repeat - 1))])
        per_entry[n] = cold.wall / n
        raw[f"kb{n}"] = {"cold": asdict(cold), "warm": asdict(warm), "no_cache": asdict(nocache)}
        big = n == sizes[-1]
        rows.append(row(f"Cold check, {n:,} entries (cache written)", "≤ 5 s" if n == 10_000 else "", f"{cold.wall:.2f} s (CPU {cold.cpu:.1f} s)", cold.wall <= 5 if n == 10_000 else None))
        rows.append(row(f"Warm re-check, {n:,} unchanged entries", "≤ 1 s" if n == 10_000 else "", f"{warm.wall:.2f} s", warm.wall <= 1 if n == 10_000 else None))
        rows.append(row(f"`--no-cache` check, {n:,} entries", "", f"{nocache.wall:.2f} s", None))
        base_floor = floor(base / "sima", args.repeat)
        raw[f"kb{n}"]["floor"] = asdict(base_floor)
        rows.append(floor_row(f"{n:,} entries", nocache, base_floor))
        if big:
            shutil.rmtree(work / f"cache-{n}", ignore_errors=True)  # a cold run, cache written
            memory = measure(tool("sima-check") + ["--cache-dir", str(work / f"cache-{n}")], base, sample_memory=True)
            raw["memory"] = asdict(memory)
            rows.append(row(f"Peak memory, {n:,} entries (largest process / all processes)", "≤ 300 MB",
                            f"{memory.maxrss_mb:.0f} MB / {memory.peak_sum_mb:.0f} MB", max(memory.maxrss_mb, memory.peak_sum_mb) <= 300))
            unchanged, edited, cold1 = single_file(base, work / f"cache-{n}", args.repeat)
            raw["single_file"] = {"unchanged": asdict(unchanged), "edited": asdict(edited), "no_cache": asdict(cold1)}
            rows.append(row(f"Single-file check inside the {n:,}-entry KB", "≤ 0.5 s", f"{unchanged.wall:.2f} s", unchanged.wall <= 0.5))
            rows.append(row("… the same file just edited", "≤ 0.5 s", f"{edited.wall:.2f} s", edited.wall <= 0.5))
            rows.append(row("… with `--no-cache` (parses the whole KB)", "", f"{cold1.wall:.2f} s", None))
    if len(sizes) > 1:
        ratio = per_entry[sizes[-1]] / per_entry[sizes[0]]
        rows.append(row(f"Cost linear in N: cold time per entry, {sizes[-1]:,} ÷ {sizes[0]:,}", "≤ 1.25", f"{ratio:.2f}", ratio <= 1.25))

    if CORPUS.is_dir():
        cold, warm = check_runs(work, work / "cache-corpus", args.repeat, [str(CORPUS)])
        n_files = sum(1 for _ in CORPUS.rglob("*.md"))
        raw["corpus"] = {"cold": asdict(cold), "warm": asdict(warm), "files": n_files}
        rows.append(row(f"Cold check, public corpus ({n_files} files)", "≤ 0.5 s", f"{cold.wall:.2f} s", cold.wall <= 0.5))
        rows.append(row("Warm re-check, public corpus", "", f"{warm.wall:.2f} s", None))
        nocache = best([measure(tool("sima-check") + ["--no-cache", str(CORPUS)], work) for _ in range(args.repeat)])
        corpus_floor = floor(CORPUS, args.repeat)
        raw["corpus"].update(no_cache=asdict(nocache), floor=asdict(corpus_floor))
        rows.append(floor_row("Public corpus", nocache, corpus_floor))
        refs = reference_scans(CORPUS, args.repeat)
        raw["reference"] = refs
        for name, seconds in refs.items():
            rows.append(row(f"Reference: corpus {name} (in-process)", "", f"{seconds:.2f} s", None))
    else:
        rows.append(row("Public corpus", "≤ 0.5 s", f"not found at {CORPUS}", None))

    why_not = None if not args.no_mkdocs else "skipped (--no-mkdocs)"
    why_not = why_not or mkdocs_available()
    if why_not is None:
        base = prepare(work, 1000)
        bare, sima = mkdocs_runs(base, work, args.repeat)
        extra = sima.wall / bare.wall - 1
        raw["mkdocs"] = {"bare": asdict(bare), "sima": asdict(sima)}
        rows.append(row("`mkdocs build`, 1,000 entries, sima plugin vs bare", "≤ +15 %",
                        f"{sima.wall:.1f} s vs {bare.wall:.1f} s ({extra:+.0%})", extra <= 0.15))
    else:
        rows.append(row("`mkdocs build` with the sima plugin", "≤ +15 %", f"not measured: {why_not}", None))

    load_after = load_average()
    print(f"Machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, {info['os']}; "
          f"load average {load_before} before, {load_after} after; best of {args.repeat} runs.\n")
    print("| Measure | Target | Measured | Result |\n|---|---|---|---|")
    print("\n".join(rows))
    if args.json:
        raw["load"] = [load_before, load_after]
        args.json.write_text(json.dumps(raw, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Site benchmarks: `python tests/benchmarks/site.py` prints a Markdown table of `mkdocs build` costs.

For each size in `--sizes` a generated KB (generate.py, reused while generate.py is unchanged)
is built twice with the project's own mkdocs.yml settings (theme, Markdown extensions) and
`docs_dir` pointing at the KB: with `plugins: [search, sima (on_violation: warn)]` and with
`plugins: [search]`. Every build is a subprocess (`mkdocs build -q`), wall time best of
`--repeat`. It reports build seconds and their ratio, the largest HTML page, the total site
size, the pages over 1 MB and the generated catalogue pages; then the `mkdocs serve` rebuild
after one edited entry in the 1,000-entry KB, against a bare build of a KB holding only that
page. Not part of the test suite (pytest ignores this folder); see README.md here.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (machine line, subprocess timing, KB generation keyed on generate.py)

MB = 1_000_000  # "over 1 MB" means more than 10^6 bytes
SIMA_PLUGINS = ["search", {"sima": {"on_violation": "warn"}}]
BARE_PLUGINS = ["search"]
CATALOGUE = "catalog"  # the plugin's default pages_dir
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def project_config() -> dict:
    """The repository's own mkdocs.yml (theme, markdown_extensions, ...)."""
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def write_yml(path: Path, docs: Path, site: Path, plugins: list) -> Path:
    """The project's settings with `docs_dir`, `site_dir` and `plugins` replaced."""
    cfg = project_config()
    cfg.update(docs_dir=str(docs), site_dir=str(site), plugins=plugins)
    path.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class SiteStats:
    """What a built site weighs."""

    total_bytes: int
    html_pages: int
    largest_path: str
    largest_bytes: int
    over_1mb: int
    search_index_bytes: int
    catalogue: dict[str, int]  # HTML bytes of the generated pages, by path under the site
    largest_nav: int = 0  # bytes of the largest page navigation (Material's `md-nav--primary` sidebar)


NAV_START, NAV_END = '<nav class="md-nav md-nav--primary"', '<div class="md-sidebar md-sidebar--secondary"'


def nav_bytes(text: str) -> int:
    """Bytes of a page's primary navigation (0 without one)."""
    i = text.find(NAV_START)
    if i < 0:
        return 0
    j = text.find(NAV_END, i)
    return len(text[i:j if j > i else len(text)].encode())


def site_stats(site: Path) -> SiteStats:
    """Sizes of everything under a built site."""
    total, pages, largest, over, catalogue, nav = 0, 0, ("", 0), 0, {}, 0
    for p in site.rglob("*"):
        if not p.is_file():
            continue
        size = p.stat().st_size
        total += size
        if p.suffix == ".html":
            rel = p.relative_to(site).as_posix()
            pages += 1
            over += size > MB
            nav = max(nav, nav_bytes(p.read_text(encoding="utf-8", errors="replace")))
            if size > largest[1]:
                largest = (rel, size)
            if rel.startswith(CATALOGUE + "/") or rel == "index.html":
                catalogue[rel] = size
    index = site / "search" / "search_index.json"
    return SiteStats(total, pages, largest[0], largest[1], over, index.stat().st_size if index.is_file() else 0,
                     dict(sorted(catalogue.items())), nav)


def build_pair(base: Path, n: int, work: Path, repeat: int) -> dict:
    """Best bare and best plugin build of the KB in `base`, and the plugin site's sizes."""
    project = work / f"site-{n}"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    out = {}
    for name, plugins in (("bare", BARE_PLUGINS), ("sima", SIMA_PLUGINS)):
        yml = write_yml(project / f"{name}.yml", base / "sima", project / f"site-{name}", plugins)
        cmd = run.tool("mkdocs") + ["build", "-q", "-f", str(yml)]
        samples = []
        for _ in range(repeat):
            shutil.rmtree(project / f"site-{name}", ignore_errors=True)
            samples.append(run.measure(cmd, project))
        out[name] = run.best(samples)
    out["stats"] = site_stats(project / "site-sima")
    out["bare_stats"] = site_stats(project / "site-bare")
    out["project"] = project
    return out


def one_entry(base: Path) -> Path:
    """The entry edited in the serve test (the same choice as run.py's single-file check)."""
    files = sorted(p for p in (base / "sima").rglob("*.md") if "Index" not in p.name and p.name != "README.md")
    return files[len(files) // 2]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`mkdocs serve` as a subprocess whose log lines are read, time-stamped, by a thread."""

    def __init__(self, yml: Path, cwd: Path, dirty: bool = False) -> None:
        self.addr = f"127.0.0.1:{free_port()}"
        cmd = run.tool("mkdocs") + ["serve", "-f", str(yml), "--dev-addr", self.addr] + (["--dirty"] if dirty else [])
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace")
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.tail: list[str] = []
        self.seen: list[tuple[float, str]] = []  # every line read, with its time
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))
        self.lines.put((time.perf_counter(), ""))  # end of output

    def wait_for(self, needle: str, timeout: float) -> tuple[float, str]:
        """(time, line) of the next log line containing `needle`; earlier lines are kept in `tail`."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            try:
                stamp, line = self.lines.get(timeout=max(0.01, left))
            except queue.Empty:
                line = None
            if line is None or (line == "" and self.proc.poll() is not None):
                raise SystemExit(f"mkdocs serve: no '{needle}' within {timeout:.0f} s; last lines:\n" + "\n".join(self.tail[-20:]))
            self.tail.append(line)
            self.seen.append((stamp, line))
            if needle in line:
                return stamp, line

    def settle(self, quiet: float = 1.5, timeout: float = 900) -> None:
        """Wait until the log has been quiet for `quiet` seconds: a save can reach the watcher
        as two events and start a second rebuild, whose lines must not answer the next edit."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                _, line = self.lines.get(timeout=quiet)
            except queue.Empty:
                return
            self.tail.append(line)
            self.seen.append((time.perf_counter(), line))

    def stop(self) -> None:
        """Ctrl-C (serve removes its temporary site folder), then kill if it hangs."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class ServeResult:
    """One edit-and-rebuild cycle under `mkdocs serve`."""

    first_build: float  # mkdocs' own "Documentation built in" figure for the initial build
    to_built: float  # write of the edit -> "Documentation built in ..." line
    to_reload: float  # write of the edit -> "Reloading browsers" line
    reported: float  # mkdocs' own figure for the rebuild
    detect: float  # write -> "Detected file changes"


def serve_rebuild(base: Path, project: Path, repeat: int, timeout: float = 900, dirty: bool = False,
                  bare: bool = False) -> tuple[ServeResult, str]:
    """Best of `repeat` edit-rebuild cycles of one entry under `mkdocs serve` (`--dirty`) with the
    plugin (`bare`: without it, what MkDocs itself needs for the same rebuild)."""
    name = "serve-bare" if bare else "serve"
    yml = write_yml(project / f"{name}.yml", base / "sima", project / f"site-{name}", BARE_PLUGINS if bare else SIMA_PLUGINS)
    entry = one_entry(base)
    original = entry.read_bytes()
    server = Serve(yml, project, dirty)
    results = []
    try:
        _, line = server.wait_for("Documentation built in", timeout)
        first = float(BUILT.search(line).group(1))
        server.wait_for("Serving on", 60)
        for i in range(repeat):
            server.settle()
            t0 = time.perf_counter()
            entry.write_bytes(original + f"\nEdited under mkdocs serve for the benchmark, run {i}.\n".encode())
            t_detect, _ = server.wait_for("Detected file changes", 60)
            mark = len(server.seen)
            t_reload, _ = server.wait_for("Reloading browsers", timeout)
            # MkDocs' duplicate filter drops a "Documentation built in X seconds" line equal to an
            # earlier one: then the build ended just before the reload line
            built = [(t, line) for t, line in server.seen[mark:] if BUILT.search(line)]
            t_built, reported = (built[-1][0], float(BUILT.search(built[-1][1]).group(1))) if built else (t_reload, float("nan"))
            results.append(ServeResult(first, t_built - t0, t_reload - t0, reported, t_detect - t0))
            entry.write_bytes(original)  # restore, and let that rebuild finish before the next edit
            server.wait_for("Reloading browsers", timeout)
    finally:
        entry.write_bytes(original)
        server.stop()
    return min(results, key=lambda r: r.to_reload), entry.relative_to(base / "sima").as_posix()


def one_file_check(base: Path, rel: str, work: Path, repeat: int):
    """`sima-check` of the edited file alone inside the KB, its cache filled by a first run."""
    cache = work / "serve-check-cache"
    cmd = run.tool("sima-check") + [str(Path("sima") / rel), "--cache-dir", str(cache)]
    run.measure(cmd, base)
    return run.best([run.measure(cmd, base) for _ in range(repeat)])


def one_page_build(base: Path, work: Path, repeat: int) -> run.Sample:
    """Bare `mkdocs build` of a KB holding only the edited entry: the floor a rebuild can reach."""
    project = work / "site-one-page"
    shutil.rmtree(project, ignore_errors=True)
    entry = one_entry(base)
    docs = project / "docs" / entry.relative_to(base / "sima").parent
    docs.mkdir(parents=True)
    shutil.copy2(entry, docs / entry.name)
    yml = write_yml(project / "bare.yml", project / "docs", project / "site", BARE_PLUGINS)
    cmd = run.tool("mkdocs") + ["build", "-q", "-f", str(yml)]
    return run.best([run.measure(cmd, project) for _ in range(repeat)])


def kib(n: int) -> str:
    """Bytes, human-readable."""
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB"


def main(argv: list[str] | None = None) -> int:
    """Run everything and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="300,1000", help="KB sizes (comma-separated)")
    ap.add_argument("--big", action="store_true", help="also 10,000 entries")
    ap.add_argument("--repeat", type=int, default=2, help="runs per measurement; the best counts")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sima-site-bench",
                    help="where KBs and sites go (KBs reused while generate.py is unchanged)")
    ap.add_argument("--serve-size", type=int, default=1000, help="KB size of the `mkdocs serve` rebuild (0: skip)")
    ap.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = ap.parse_args(argv)
    run.bytecode()
    why_not = run.mkdocs_available()
    if why_not:
        raise SystemExit(f"cannot build: {why_not}")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.big and 10_000 not in sizes:
        sizes.append(10_000)
    info = run.machine()
    load_before = run.load_average()
    raw: dict = {"machine": info, "repeat": args.repeat}
    rows, pages = [], {}

    for n in sizes:
        base = run.prepare(work, n)
        print(f"building {n} entries ...", file=sys.stderr)
        r = build_pair(base, n, work, args.repeat)
        bare, sima, st, bst = r["bare"], r["sima"], r["stats"], r["bare_stats"]
        ratio = sima.wall / bare.wall
        raw[f"kb{n}"] = {"bare": asdict(bare), "sima": asdict(sima), "stats": asdict(st), "bare_stats": asdict(bst)}
        pages[n] = st.catalogue
        rows.append(run.row(f"`mkdocs build`, {n:,} entries, sima plugin vs bare", "≤ +15 %",
                            f"{sima.wall:.1f} s vs {bare.wall:.1f} s (× {ratio:.2f}, {ratio - 1:+.0%}; "
                            f"CPU {sima.cpu:.1f} s vs {bare.cpu:.1f} s)", ratio <= 1.15))
        rows.append(run.row(f"… largest HTML page with the plugin, {n:,} entries", "",
                            f"`{st.largest_path}` {st.largest_bytes:,} B", None))
        rows.append(run.row(f"… largest page navigation with the plugin, {n:,} entries", "",
                            f"{st.largest_nav:,} B", None))
        rows.append(run.row(f"… site size with the plugin, {n:,} entries", "",
                            f"{kib(st.total_bytes)} in {st.html_pages:,} HTML pages, search index {kib(st.search_index_bytes)} "
                            f"(bare: {kib(bst.total_bytes)} in {bst.html_pages:,}, {kib(bst.search_index_bytes)})", None))
        rows.append(run.row(f"… HTML pages over 1 MB, {n:,} entries", "", f"{st.over_1mb}", None))

    if args.serve_size:
        n = args.serve_size
        base = run.prepare(work, n)
        project = work / f"site-{n}"
        project.mkdir(parents=True, exist_ok=True)
        print(f"mkdocs serve, {n} entries ...", file=sys.stderr)
        result, rel = serve_rebuild(base, project, args.repeat)
        dirty, _ = serve_rebuild(base, project, args.repeat, dirty=True)
        dirty_bare, _ = serve_rebuild(base, project, args.repeat, dirty=True, bare=True)
        floor = one_page_build(base, work, args.repeat)
        check = one_file_check(base, rel, work, args.repeat)
        raw["serve"] = {"entry": rel, "rebuild": asdict(result), "dirty": asdict(dirty), "dirty_bare": asdict(dirty_bare),
                        "one_page_bare": asdict(floor),
                        "one_file_check": asdict(check)}
        rows.append(run.row(f"`mkdocs serve` rebuild, one entry edited, {n:,} entries (edit → \"Reloading browsers\")", "",
                            f"{result.to_reload:.1f} s (mkdocs reports {result.reported:.1f} s; first build {result.first_build:.1f} s)", None))
        bound = floor.wall + check.wall
        rebuild = dirty.to_built - dirty.detect  # from "Detected file changes" to "Documentation built"
        rows.append(run.row(f"`mkdocs serve --dirty` rebuild, same edit, {n:,} entries (change detected → built)",
                            "≤ one-page build + one-file check",
                            f"{rebuild:.2f} s vs {bound:.2f} s (mkdocs reports {dirty.reported:.2f} s; edit → reload {dirty.to_reload:.1f} s)",
                            rebuild <= bound))
        own = dirty_bare.to_built - dirty_bare.detect
        rows.append(run.row("… the same `--dirty` rebuild without the plugin (what MkDocs itself needs)", "",
                            f"{own:.2f} s (mkdocs reports {dirty_bare.reported:.2f} s); the plugin adds {rebuild - own:+.2f} s", None))
        rows.append(run.row("… bare `mkdocs build` of a KB holding only that page", "",
                            f"{floor.wall:.2f} s (full rebuild × {result.to_reload / floor.wall:.0f})", None))
        rows.append(run.row("… `sima-check` of that one file in the KB, cache warm", "", f"{check.wall:.2f} s", None))

    load_after = run.load_average()
    print(f"Machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, {info['os']}; "
          f"load average {load_before} before, {load_after} after; best of {args.repeat} runs.\n")
    print("| Measure | Target | Measured | Result |\n|---|---|---|---|")
    print("\n".join(rows))
    if pages:
        print("\nGenerated pages (HTML bytes, with the plugin):\n")
        print("| Page | " + " | ".join(f"{n:,} entries" for n in pages) + " |")
        print("|---|" + "---:|" * len(pages))
        rule = re.compile(rf"{CATALOGUE}/rules/SIMA\d+/index\.html")
        for rel in sorted({p for d in pages.values() for p in d if not rule.fullmatch(p)}):
            print(f"| `{rel}` | " + " | ".join(f"{d.get(rel, 0):,}" for d in pages.values()) + " |")
        cells = []
        for d in pages.values():
            sizes_ = [b for p, b in d.items() if rule.fullmatch(p)]
            cells.append(f"{len(sizes_)} pages, {min(sizes_):,} to {max(sizes_):,}" if sizes_ else "")
        print(f"| `{CATALOGUE}/rules/SIMA*/index.html` (one per rule) | " + " | ".join(cells) + " |")
    if args.json:
        raw["load"] = [load_before, load_after]
        args.json.write_text(json.dumps(raw, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

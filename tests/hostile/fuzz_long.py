"""The long fuzz run (not collected by pytest: run it by hand or in a nightly job).

    /work/venv/bin/python tests/hostile/fuzz_long.py hypothesis [EXAMPLES]   # default 20000
    /work/venv/bin/python tests/hostile/fuzz_long.py atheris [RUNS] [-- libFuzzer flags]

`hypothesis` runs the properties of `test_fuzz.py` with EXAMPLES examples each (through
pytest, SIMA_FUZZ_EXAMPLES). `atheris` (pip install atheris) feeds coverage-guided bytes to the
same pipeline: an entry beside a real neighbour (seeded from the shipped KB), or, for inputs
starting with byte 1, 1 to 3 files with fuzzed names and contents; each is parsed, checked,
rendered by every reporter and every page builder, each finding must sit on a line that exists,
and all of it runs twice with the same output. Both print what they ran and how long it took.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def run_hypothesis(examples: int) -> int:
    """The default-suite properties with `examples` examples each."""
    env = {**os.environ, "SIMA_FUZZ_EXAMPLES": str(examples)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
           "--hypothesis-show-statistics", str(HERE / "test_fuzz.py")]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, env=env)
    print(f"hypothesis: {examples} examples per property, {time.perf_counter() - start:.0f} s, exit {done.returncode}")
    return done.returncode


def run_atheris(runs: int, extra: list[str]) -> int:
    """Coverage-guided fuzzing of parse -> check -> reporters -> page builders."""
    import atheris

    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(REPO))
    with atheris.instrument_imports(include=["checker"]):
        from checker.rules import BY_CODE
        from hostile_strategies import check, line_count, reports, site_pages

    neighbour = (REPO / "sima" / "entries" / "decisions" / "architecture" / "DEC-05.md").read_bytes()

    def one_input(data: bytes) -> None:
        if data[:1] == b"\x01":  # 1 to 3 files with fuzzed names
            fdp = atheris.FuzzedDataProvider(data[1:])
            files: dict[str, bytes] = {}
            for _ in range(fdp.ConsumeIntInRange(1, 3)):
                name = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 30)).replace("\x00", "").strip("/")
                name = "/".join(p for p in name.split("/") if p) or "x"
                files.setdefault(name + ".md", fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 4096)))
        else:  # one entry (the seeds are real entries) beside a real neighbour to cite
            files = {"aws/general/X_AWS-LESS-01.md": data, "entries/decisions/architecture/DEC-05.md": neighbour}
        kb, result = check(files)
        for f in result.findings:
            assert f.code in BY_CODE and f.path in files, f
            assert 1 <= f.line <= max(1, line_count(files[f.path], kb.entries[f.path])) and f.column >= 1, f
        out = reports(result)
        pages = site_pages(kb, result)
        kb2, again = check(files, reverse=True)
        assert reports(again) == out
        assert site_pages(kb2, again) == pages

    if not any(not a.startswith("-") for a in extra):  # no corpus folder given: seed one
        seeds = Path(tempfile.mkdtemp(prefix="sima-fuzz-"))
        for i, path in enumerate(sorted((REPO / "sima").rglob("*.md"))):
            (seeds / f"seed-{i}").write_bytes(path.read_bytes())
        extra = [*extra, str(seeds)]
        print(f"atheris: corpus seeded from the shipped KB in {seeds}")
    start = time.perf_counter()
    atheris.Setup([sys.argv[0], f"-runs={runs}", *extra], one_input)
    try:
        atheris.Fuzz()
    finally:
        print(f"atheris: {runs} runs requested, {time.perf_counter() - start:.0f} s")
    return 0


def main(argv: list[str]) -> int:
    """Dispatch on the mode."""
    mode = argv[0] if argv else "hypothesis"
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    count = int(argv[1]) if len(argv) > 1 and argv[1] != "--" else None
    if mode == "hypothesis":
        return run_hypothesis(count or 20_000)
    if mode == "atheris":
        return run_atheris(count or 200_000, extra)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

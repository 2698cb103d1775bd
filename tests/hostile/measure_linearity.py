"""Time every adversarial case at scale 1 and 4 (not a test: the suite has no timed assertions).

    /work/venv/bin/python tests/hostile/measure_linearity.py [CASE ...]

For each case of `hostile_cases.CASES`: the input size, then the wall time of parse + check +
text report, and of every site page, at n and 4n, and the 4n/n ratio (about 4 when linear; a
quadratic scanner shows about 16). `yaml-alias-bomb` scales by nesting depth, not size.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: helpers.py
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hostile_cases import CASES  # noqa: E402
from hostile_strategies import check, site_pages  # noqa: E402

from checker.reporters import REPORTERS  # noqa: E402


def timed(data: bytes) -> tuple[float, float]:
    """(check + text report seconds, site pages seconds)."""
    start = time.perf_counter()
    kb, result = check({"x/X_AWS-LESS-01.md": data})
    REPORTERS["text"](result)
    middle = time.perf_counter()
    site_pages(kb, result)
    return middle - start, time.perf_counter() - middle


def main(names: list[str]) -> None:
    """Print one row per case."""
    print(f"{'case':26} {'MB':>6} {'check n':>8} {'4n':>8} {'ratio':>6} {'site n':>8} {'4n':>8} {'ratio':>6}")
    for name in names or CASES:
        small, large = CASES[name](1), CASES[name](4)
        c1, s1 = timed(small)
        c4, s4 = timed(large)
        print(f"{name:26} {len(small) / 1e6:6.2f} {c1:8.3f} {c4:8.3f} {c4 / max(c1, 1e-4):6.1f} "
              f"{s1:8.3f} {s4:8.3f} {s4 / max(s1, 1e-4):6.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

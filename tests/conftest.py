"""Shared fixtures; `tests/` is put on sys.path so every test can `from helpers import ...`."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import CORPUS, REPO, SEED  # noqa: E402


@pytest.fixture
def repo() -> Path:
    """The repository checkout."""
    return REPO


@pytest.fixture
def seed() -> Path:
    """The user's seed entry (never modified)."""
    return SEED


@pytest.fixture
def corpus() -> Path:
    """The public SIMA corpus beside the checkout; skips the test when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"public SIMA corpus not found at {CORPUS.resolve()}")
    return CORPUS.resolve()


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A factory writing files under `tmp_path/sima` and chdir-ing into `tmp_path`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "sima"
        for rel, body in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(body, bytes):
                path.write_bytes(body)
            else:
                path.write_bytes(body.encode("utf-8"))
        root.mkdir(exist_ok=True)
        return root

    return make

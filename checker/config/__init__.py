"""Settings, validated once at the edge: shapes by `settings`, rule selectors by `policy`.

`policy` is imported inside the functions: the rules (which `policy` compiles) sit above
`settings` in the flow, and importing this package must not pull them in.
"""
from __future__ import annotations

from pathlib import Path

from . import settings as _settings
from .settings import Config, ConfigError, Override


def from_mapping(data: dict, source: str = "<config>") -> Config:
    """A `[tool.sima-check]` table as validated settings; ConfigError names the key."""
    from .policy import validate

    return validate(_settings.from_mapping(data, source))


def load(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Validated settings from an explicit file, else `.sima-check.toml`, else `pyproject.toml`."""
    from .policy import validate

    return validate(_settings.load(path, cwd))


__all__ = ["Config", "ConfigError", "Override", "from_mapping", "load"]

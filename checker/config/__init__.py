"""Settings, validated once at the edge: shapes by `settings`, rule selectors by `policy`."""
from __future__ import annotations

from pathlib import Path

from . import settings as _settings
from .policy import Policy, check_selectors, compile_policy, validate
from .settings import Config, ConfigError, Override


def from_mapping(data: dict, source: str = "<config>") -> Config:
    """A `[tool.sima-check]` table as validated settings; ConfigError names the key."""
    return validate(_settings.from_mapping(data, source))


def load(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Validated settings from an explicit file, else `.sima-check.toml`, else `pyproject.toml`."""
    return validate(_settings.load(path, cwd))


__all__ = ["Config", "ConfigError", "Override", "Policy", "check_selectors", "compile_policy", "from_mapping", "load"]

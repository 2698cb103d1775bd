"""Settings, validated once at the edge (`load`, `from_mapping`)."""
from __future__ import annotations

from .settings import Config, ConfigError, Override, from_mapping, load

__all__ = ["Config", "ConfigError", "Override", "from_mapping", "load"]

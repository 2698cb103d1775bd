"""Configuration: `[tool.sima-check]` in pyproject.toml or `.sima-check.toml`, validated once.

Precedence: rule defaults < config file < CLI flags.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from fnmatch import fnmatchcase
from pathlib import Path

from ..parse.kinds import KINDS

DEFAULT_REQUIRED = ("Version", "Date", "Purpose", "REF-ID", "Category", "Type", "Priority", "Status")
DEFAULT_LEGEND = {"🔴": "critical", "🟠": "high", "🟡": "medium", "🟢": "low", "⚪": "low"}
SEVERITY_WORDS = ("error", "warning", "info", "off")


class ConfigError(Exception):
    """A configuration problem; the message names the key."""


@dataclass(frozen=True)
class Override:
    """Settings for the files matching `paths` (globs relative to the KB root)."""

    paths: tuple[str, ...]
    line_limit: int | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()

    def matches(self, relpath: str) -> bool:
        """True when a glob matches the path."""
        return any(fnmatchcase(relpath, g) or fnmatchcase(relpath, g.rstrip("/") + "/*") for g in self.paths)


@dataclass(frozen=True)
class Config:
    """All settings with their defaults."""

    root: str = "sima"
    line_limit: int = 400
    required_fields: tuple[tuple[str, tuple[str, ...]], ...] = (("entry", DEFAULT_REQUIRED),)
    required_sections: tuple[str, ...] = ("Summary", "Cross-References")
    keywords_min: int = 4
    keywords_max: int = 8
    severity: tuple[tuple[str, str], ...] = ()
    kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    refid_patterns: tuple[str, ...] = ()
    priority_legend: tuple[tuple[str, str], ...] = tuple(DEFAULT_LEGEND.items())
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: str = "error"
    overrides: tuple[Override, ...] = ()
    source: str | None = None  # where the settings came from, for messages

    def required_for(self, kind: str) -> tuple[str, ...]:
        """Required header fields for a kind."""
        return dict(self.required_fields).get(kind, ())

    def line_limit_for(self, relpath: str) -> int:
        """The line limit for a file, per-path overrides applied (last match wins)."""
        limit = self.line_limit
        for o in self.overrides:
            if o.line_limit is not None and o.matches(relpath):
                limit = o.line_limit
        return limit

    def kind_globs(self) -> dict[str, tuple[str, ...]]:
        """Configured kind globs, checked before the built-in classification."""
        return dict(self.kinds)


_KEYS = {
    "root": str, "line-limit": int, "required-fields": dict, "required-sections": list,
    "keywords-min": int, "keywords-max": int, "severity": dict, "kinds": dict,
    "refid-patterns": list, "priority-legend": dict, "select": list, "ignore": list,
    "exclude": list, "fail-on": str, "overrides": list,
}
_OVERRIDE_KEYS = {"paths": list, "line-limit": int, "ignore": list, "severity": dict}


def _check_type(key: str, value, expected) -> None:
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"`{key}` must be an integer, not {type(value).__name__}")
    if not isinstance(value, expected):
        raise ConfigError(f"`{key}` must be a {expected.__name__}, not {type(value).__name__}")


def _strings(key: str, value) -> tuple[str, ...]:
    if not all(isinstance(v, str) for v in value):
        raise ConfigError(f"`{key}` must be a list of strings")
    return tuple(value)


def _severity_map(key: str, value: dict) -> tuple[tuple[str, str], ...]:
    """Severity words checked here; that each key names a rule is the policy's check."""
    for code, sev in value.items():
        if sev not in SEVERITY_WORDS:
            raise ConfigError(f"`{key}.{code}` must be one of {', '.join(SEVERITY_WORDS)}")
    return tuple(value.items())


def from_mapping(data: dict, source: str = "<config>") -> Config:
    """Validate the shape of a `[tool.sima-check]` table into a Config (rule selectors are
    checked against the registry by `config.policy`; `config.from_mapping` does both)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: [tool.sima-check] must be a table")
    values: dict = {"source": source}
    for key, value in data.items():
        if key not in _KEYS:
            raise ConfigError(f"{source}: unknown key `{key}` in [tool.sima-check]")
        try:
            _check_type(key, value, _KEYS[key])
            values.update(_convert(key, value))
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    config = replace(Config(), **values)
    if config.keywords_min > config.keywords_max:
        raise ConfigError(f"{source}: `keywords-min` ({config.keywords_min}) is more than `keywords-max` ({config.keywords_max})")
    return config


def _convert(key: str, value) -> dict:
    name = key.replace("-", "_")
    if key in ("line-limit", "keywords-min", "keywords-max") and value < 0:
        raise ConfigError(f"`{key}` must not be negative")
    if key == "fail-on" and value not in ("error", "warning", "info", "never"):
        raise ConfigError("`fail-on` must be one of error, warning, info, never")
    if key in ("select", "ignore"):
        return {name: _strings(key, value)}
    if key in ("required-sections", "exclude"):
        return {name: _strings(key, value)}
    if key == "refid-patterns":
        for p in _strings(key, value):
            try:
                compiled = re.compile(p)
            except re.error as exc:
                raise ConfigError(f"`refid-patterns` entry {p!r} is not a valid regex: {exc}") from None
            if compiled.fullmatch(""):
                raise ConfigError(f"`refid-patterns` entry {p!r} matches the empty string (every word would be a REF-ID)")
        return {name: tuple(value)}
    if key in ("required-fields", "kinds"):
        return {name: _per_kind(key, value, "strings" if key == "required-fields" else "globs")}
    if key == "severity":
        return {name: _severity_map(key, value)}
    if key == "priority-legend":
        for emoji, level in value.items():
            if not isinstance(level, str) or level.lower() not in ("critical", "high", "medium", "low"):
                raise ConfigError(f"`priority-legend.{emoji}` must be critical, high, medium or low")
        return {name: tuple((k, v.lower()) for k, v in value.items())}
    if key == "overrides":
        return {name: tuple(_override(i, o) for i, o in enumerate(value))}
    return {name: value}


def _per_kind(key: str, value: dict, noun: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A table of kind -> list of strings (`required-fields`, `kinds`), each kind checked."""
    out = []
    for kind, items in value.items():
        if kind not in KINDS:
            raise ConfigError(f"`{key}.{kind}`: unknown kind (one of {', '.join(KINDS)})")
        if not isinstance(items, list):
            raise ConfigError(f"`{key}.{kind}` must be a list of {noun}")
        out.append((kind, _strings(f"{key}.{kind}", items)))
    return tuple(out)


def _override(index: int, data) -> Override:
    where = f"overrides[{index}]"
    if not isinstance(data, dict):
        raise ConfigError(f"`{where}` must be a table")
    if "paths" not in data:
        raise ConfigError(f"`{where}.paths` is required")
    for key, value in data.items():
        if key not in _OVERRIDE_KEYS:
            raise ConfigError(f"unknown key `{where}.{key}`")
        _check_type(f"{where}.{key}", value, _OVERRIDE_KEYS[key])
    if data.get("line-limit", 0) < 0:
        raise ConfigError(f"`{where}.line-limit` must not be negative")
    return Override(
        paths=_strings(f"{where}.paths", data["paths"]),
        line_limit=data.get("line-limit"),
        ignore=_strings(f"{where}.ignore", data.get("ignore", [])),
        severity=_severity_map(f"{where}.severity", data.get("severity", {})),
    )


def load(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Config from an explicit file, else `.sima-check.toml`, else `pyproject.toml` in cwd
    (shapes validated; `config.load` validates rule selectors too)."""
    cwd = cwd or Path.cwd()
    if path is not None:
        return _load_file(Path(path), required=True)
    for candidate in (cwd / ".sima-check.toml", cwd / "pyproject.toml"):
        if candidate.is_file():
            config = _load_file(candidate, required=False)
            if config is not None:
                return config
    return Config()


def _load_file(path: Path, required: bool) -> Config | None:
    import tomllib  # only when there is a file to read: most runs have none

    shown = _shown(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: cannot read: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{shown}: `tool` must be a table, not {type(tool).__name__}")
        table = tool.get("sima-check")
        if table is None:
            return Config(source=shown) if required else None
        return from_mapping(table, shown)
    return from_mapping(data, shown)


def _shown(path: Path) -> str:
    """A config path as messages show it: relative to the working directory, `/` separated."""
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return str(path)


def config_fields() -> list[str]:
    """Names of the settings, for docs."""
    return [f.name for f in fields(Config) if f.name != "source"]

"""The policy: settings and the rule registry compiled once into what the engine applies.

Selectors (codes, code prefixes, names) are resolved to rules here and nowhere else: the active
rules, each rule's severity word, and per-path overrides with their ignored codes and
severities. Nothing re-resolves a selector per file or per finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..model import Severity
from ..rules import RULES, Rule, lookup
from .settings import Config, ConfigError, Override


def matches(rule: Rule, selectors) -> bool:
    """True when a selector (code, code prefix or kebab-case name) names the rule."""
    for s in selectors:
        s_up = s.upper()
        if rule.name == s.lower() or (s_up.startswith("SIMA") and rule.code.startswith(s_up)):
            return True
    return False


def check_selectors(key: str, values) -> tuple[str, ...]:
    """Rule selectors that each match a rule; else ConfigError naming `key`."""
    for v in values:
        if not any(matches(r, (v,)) for r in RULES):
            raise ConfigError(f"`{key}`: `{v}` names no rule (see --list-rules)")
    return tuple(values)


def _check_severity_keys(key: str, table) -> None:
    for code, _ in table:
        if lookup(code) is None:
            raise ConfigError(f"`{key}.{code}`: no such rule (see --list-rules)")


def validate(settings: Config) -> Config:
    """Every selector of the settings names a rule; else ConfigError (prefixed with the source)."""
    try:
        check_selectors("select", settings.select)
        check_selectors("ignore", settings.ignore)
        _check_severity_keys("severity", settings.severity)
        for i, o in enumerate(settings.overrides):
            check_selectors(f"overrides[{i}].ignore", o.ignore)
            _check_severity_keys(f"overrides[{i}].severity", o.severity)
    except ConfigError as exc:
        raise ConfigError(f"{settings.source or '<config>'}: {exc}") from None
    return settings


def _table(pairs) -> dict[str, str]:
    """Severity selectors as rule code -> word (later pairs win)."""
    out: dict[str, str] = {}
    for key, word in pairs:
        rule = lookup(key)
        if rule is not None:
            out[rule.code] = word
    return out


@dataclass(frozen=True)
class PathRule:
    """One override compiled: its globs, ignored codes and severity words."""

    override: Override
    ignore: frozenset[str]
    severity: tuple[tuple[str, str], ...]  # (code, word)

    def matches(self, relpath: str) -> bool:
        """True when one of the override's globs matches the path."""
        return self.override.matches(relpath)


@dataclass(frozen=True)
class Policy:
    """Active rules and how severe each is, for every path."""

    settings: Config
    rules: tuple[Rule, ...]
    severity: tuple[tuple[str, str], ...]  # code -> word, from `severity`
    paths: tuple[PathRule, ...]

    def for_path(self, relpath: str) -> "FilePolicy":
        """What applies to one file: codes ignored there and each code's severity word."""
        return _for_path(self, relpath)

    @property
    def codes(self) -> frozenset[str]:
        """Codes of the active rules."""
        return frozenset(r.code for r in self.rules)


@dataclass(frozen=True)
class FilePolicy:
    """The policy as it applies to one file."""

    ignored: frozenset[str]
    words: dict  # code -> severity word ("off" included)

    def severity(self, rule: Rule, escalate: bool = False) -> Severity | None:
        """The finding's severity, or None when the rule is off for this file."""
        word = self.words.get(rule.code)
        if word == "off":
            return None
        if word:
            return Severity.parse(word)
        return Severity.ERROR if escalate else rule.severity


def _for_path(policy: Policy, relpath: str) -> FilePolicy:
    words = dict(policy.severity)
    ignored: set[str] = set()
    for p in policy.paths:
        if p.matches(relpath):
            words.update(p.severity)
            ignored |= p.ignore
    return FilePolicy(frozenset(ignored), words)


@lru_cache(maxsize=64)
def compile_policy(settings: Config) -> Policy:
    """The policy of validated settings (cached: settings are frozen values)."""
    severity = _table(settings.severity)
    rules = [r for r in RULES if not settings.select or matches(r, settings.select)]
    rules = [r for r in rules if not matches(r, settings.ignore) and severity.get(r.code) != "off"]
    paths = tuple(
        PathRule(o, frozenset(r.code for r in RULES if matches(r, o.ignore)), tuple(_table(o.severity).items()))
        for o in settings.overrides
    )
    return Policy(settings, tuple(rules), tuple(severity.items()), paths)

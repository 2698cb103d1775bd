"""The REF-ID grammar (catalogue §7): matching, deriving a file's REF-ID from its name."""
from __future__ import annotations

import re
from functools import lru_cache

TYPES = (
    "LESS DEC AP BUG WISD ARCH GATE INT DT FW META PAT DEP RULE TOOL CHK TMPL QRC WF E2E "
    "GUIDE UTIL"
).split()

_TYPE = "(?:" + "|".join(TYPES) + ")"
_NN = r"\d{2,}"

DEFAULT_PATTERNS: tuple[str, ...] = (
    rf"{_TYPE}-{_NN}",  # DEC-05
    r"ARCH-[A-Z]{2,5}",  # ARCH-SUGA
    rf"LANG-[A-Z]{{2,}}-{_NN}",  # LANG-PY-03
    rf"[A-Z][A-Z0-9]{{1,9}}-{_TYPE}-{_NN}",  # AWS-LESS-01, LEE-DEC-01
    rf"[A-Z][A-Z0-9]{{1,9}}-[A-Z][A-Za-z0-9]{{1,20}}-{_TYPE}-{_NN}",  # AWS-Lambda-DT-14
    rf"NMP{_NN}-[A-Z]{{2,}}-{_NN}",  # NMP01-LEE-02
)


class RefIdGrammar:
    """Compiled REF-ID grammar: whole-value matching and scanning prose for mentions."""

    def __init__(self, extra: tuple[str, ...] = ()) -> None:
        patterns = DEFAULT_PATTERNS + tuple(extra)
        alternatives = "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))
        self.patterns = patterns
        self.full = re.compile(rf"(?:{alternatives})\Z")
        # Mentions are delimited so that `AWS-LESS-01x` or `foo-DEC-05` do not count. Every default
        # REF-ID starts with a capital: the look-ahead lets every other position fail at once
        # (a third faster over prose; extra patterns may start with anything).
        first = "(?=[A-Z])" if not extra else ""
        self.mention = re.compile(rf"{first}(?<![\w-])(?:{alternatives})(?![\w]|-\w)")
        self.leading = [re.compile(rf"(?:{p})(?=$|[-_ .])") for p in patterns]

    def is_refid(self, value: str) -> bool:
        """True when the whole value is a REF-ID."""
        return bool(self.full.match(value))

    def from_filename(self, name: str) -> str | None:
        """REF-ID derived from a file name: the part after the last `_`, else a leading one."""
        stem = name[:-3] if name.lower().endswith(".md") else name
        if "_" in stem:
            tail = stem.rsplit("_", 1)[1].strip()
            if self.is_refid(tail):
                return tail
        best = None
        for pattern in self.leading:
            m = pattern.match(stem)
            if m and (best is None or len(m.group(0)) > len(best)):
                best = m.group(0)
        return best


@lru_cache(maxsize=16)
def grammar(extra: tuple[str, ...] = ()) -> RefIdGrammar:
    """A cached grammar for a set of extra patterns."""
    return RefIdGrammar(extra)

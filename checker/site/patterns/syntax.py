"""The line syntax of pattern sections and decision trees, shared by `extract` and `tree`."""
from __future__ import annotations

import re

_PATTERN = re.compile(
    r"^[^\w\[]*pattern(?:\s+(\d{1,4}))?\s*(?::|\.|\s[-\u2013\u2014]|[-\u2013\u2014](?=\s))\s*(.*\S|.)\s*$",
    re.IGNORECASE,
)
# A value is `(.*\S|.)` / `((?:.*\S)?)` before `\s*$`: what `(.+?)` / `(.*?)` would take, without
# retrying `\s*$` at every character (quadratic on a line with a long run of spaces).
_LABEL = re.compile(r"^ {0,3}\*\*([^*\n]{1,80}?)(?::\*\*|\*\*:)\s*((?:.*\S)?)\s*$")
_PLAIN_KEY = re.compile(r"^ {0,3}([A-Z][\w'/&-]*(?: [\w'/&()-]+){0,2}):\s*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+\u2022]|\d{1,3}[.)])\s+(.*)$")
_MARK = re.compile(r"^\s*(?:[\u2705\u274c\u2714\u2716\u26a0\u2b50\u27a1\u2192\u2022\U0001f300-\U0001faff]|[-*+]\s)")
_KEYED = re.compile(r"^(?:\*\*)?([A-Za-z][\w'/&()-]*(?: [\w'/&()-]+){0,3})(?::\*\*|\*\*:|:)\s+(.+)$")
_QUESTION = re.compile(r"^\W*?(?:\*\*)?Q(\d{1,3})(?:\*\*)?\s*[:.)]\s*(?:\*\*)?\s*(.*\S|.)\s*$", re.IGNORECASE)
_ANSWER = re.compile(r"^\W*?(?:\*\*)?(yes|no)(?:\*\*)?\s*(?:\u2192|->|=>|\u21d2|\u27f6|:)\s*(.*\S|.)\s*$", re.IGNORECASE)
_GOTO = re.compile(
    r"^(?:(?:go|jump|skip|continue|proceed)\s*(?:on\s+)?(?:to|with)\s+|goto\s+|see\s+|next:?\s+)?(q\d{1,3})\b\W*$",
    re.IGNORECASE,
)
_CHARACTERISTICS = ("characteristic", "properties", "attributes", "profile")
_CODE_ROW, _NOTES_ROW = "Code", "Notes"


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").replace("`", "").split())




def _label(line: str, plain: bool = True) -> tuple[str, str] | None:
    """(label, inline value) for `**Label:** value`, `**Label**:` or a bare `Label:` line."""
    m = _LABEL.match(line)
    if m and m.group(1).strip():
        return _plain(m.group(1)), m.group(2).strip()
    m = _PLAIN_KEY.match(line) if plain else None
    return (m.group(1).strip(), "") if m else None

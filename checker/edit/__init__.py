"""Writer's commands that change the KB on request: `new` (scaffold an entry) and `mv` (move
or rename entries and rewrite every citation). No click here: the CLI and the language server
call these functions."""
from __future__ import annotations


class EditError(Exception):
    """A refusal or failure of `new` / `mv`: a one-line message naming the file and the reason."""


__all__ = ["EditError"]

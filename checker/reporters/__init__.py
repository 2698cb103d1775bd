"""Reporters: pure functions from a run's result to text, one module per format."""
from __future__ import annotations

from typing import Callable

from ..model import Report
from . import github, json_format, junit, sarif, text

Reporter = Callable[..., str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}

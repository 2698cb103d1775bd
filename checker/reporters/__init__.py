"""Reporters: pure functions from a run's result to text, one module per format."""
from __future__ import annotations

from importlib import import_module
from typing import Callable

from ..model import Report
from . import text

Reporter = Callable[..., str]


def _on_use(module: str) -> Reporter:
    """The `render` of a reporter module, imported on the first call: a plain check prints
    text and need not load json, XML or the SARIF rule tables at start-up."""

    def render(result: Report, **options: object) -> str:
        return import_module(f"{__name__}.{module}").render(result, **options)

    render.__name__ = render.__qualname__ = f"{module}.render"
    return render


REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": _on_use("json_format"),
    "github": _on_use("github"),
    "sarif": _on_use("sarif"),
    "junit": _on_use("junit"),
}

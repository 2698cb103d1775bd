"""The language server's features as plain functions, without a client."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lsprotocol import types

from checker import api
from checker.config import load
from checker.lsp import actions, complete, navigate
from checker.lsp.diagnostics import diagnostics, rule_url
from checker.lsp.folders import load_folder
from checker.lsp.positions import code_point, position

from helpers import clean_entry
from test_server import CITER, make_kb


def test_positions_count_utf16_code_units():
    lines = ["a🙂b DEC-01"]
    assert position(lines, 0, 2) == types.Position(line=0, character=3)  # the emoji is two units
    assert position(lines, 0, 2, "utf-32") == types.Position(line=0, character=2)
    assert position(lines, 0, 2, "utf-8") == types.Position(line=0, character=5)
    assert code_point(lines, types.Position(line=0, character=3)) == (0, 2)
    assert code_point(lines, types.Position(line=0, character=99)) == (0, len(lines[0]))


def test_line_edit_is_the_smallest_run_of_lines():
    assert actions.line_edit("a\nb\nc\n", "a\nb\nc\n") is None
    assert actions.line_edit("a\nb\nc\n", "a\nB\nc\n") == actions.Edit(1, 2, "B\n")
    assert actions.line_edit("a\nb", "a\nb\n") == actions.Edit(1, 1, "b\n", 1)  # final newline added
    assert actions.line_edit("a\r\nb\r\n", "a\nb\n") == actions.Edit(0, 2, "a\nb\n")


def _kb(tmp_path: Path):
    make_kb(tmp_path)
    settings = load(cwd=tmp_path)
    root = tmp_path / "sima"
    report = api.check([root], settings, jobs=1, keep=True, cwd=tmp_path)
    return root, report


def test_citers_find_every_syntax(tmp_path):
    root, report = _kb(tmp_path)
    files = report.checked[root]
    found = navigate.citers(files, "decisions/DEC-01.md")
    assert {t.rel for t in found} == {"lessons/Cache-Rules_LESS-01.md"}
    lines = {t.line for t in found}
    entry = files[CITER[len("sima/"):]].entry
    raws = sorted(entry.line_text(t.line + 1)[t.start:t.end] for t in found)
    assert raws == sorted(["/sima/decisions/DEC-01.md", "DEC-01.md", "DEC-01", "../decisions/DEC-01.md#rationale"])
    assert len(lines) == 3


def test_completion_functions(tmp_path):
    root, report = _kb(tmp_path)
    kb = report.kbs[root]
    assert [c.label for c in complete.refids(kb, "DEC-", 4)] == ["DEC-01", "DEC-02"]
    assert [c.label for c in complete.paths(kb, "", 0)] == ["decisions/", "lessons/"]
    entry = report.checked[root][CITER[len("sima/"):]].entry
    slugs = [c.label for c in complete.anchors(entry, kb, "../decisions/DEC-01.md", True, 0)]
    assert "rationale" in slugs and "summary" in slugs
    assert complete.anchors(entry, kb, "../decisions/NOPE.md", True, 0) == []


def test_diagnostics_carry_code_severity_and_rule_page(tmp_path):
    root, report = _kb(tmp_path)
    rel = CITER[len("sima/"):]
    found = [f for f in report.findings if f.relpath == rel]
    diags = diagnostics(found, report.checked[root][rel].entry, site_url="https://kb.example.org/")
    assert [(d.code, d.severity) for d in diags] == [(f.code, types.DiagnosticSeverity.Information) for f in found]
    assert diags[0].code_description.href == "https://kb.example.org/catalog/rules/SIMA001/"
    assert rule_url("SIMA301").startswith("https://")


def test_missing_root_is_an_error_not_an_exception(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\nroot = "nowhere"\n', encoding="utf-8")
    folder = load_folder(tmp_path)
    assert folder.settings is None and "knowledge base root not found" in folder.error
    (tmp_path / "pyproject.toml").write_text('[tool.sima-check]\nbogus = 1\n', encoding="utf-8")
    assert "bogus" in load_folder(tmp_path).error


def test_rule_under_the_cursor_by_code_or_by_name_in_a_suppression():
    line = "<!-- sima-check: disable-next-line=SIMA301,keywords-count -->"
    assert navigate.rule_at(line, line.index("SIMA301") + 3) == "SIMA301"
    assert navigate.rule_at(line, line.index("keywords-count") + 3) == "keywords-count"
    assert navigate.hover_rule("keywords-count").startswith("**SIMA402 keywords-count** (warning)")
    assert navigate.rule_at("a well-known fact", 5) is None  # names count only in suppressions
    assert navigate.hover_rule("SIMA999") is None


def test_anchor_completion_after_a_kb_path_with_spaces(tmp_path):
    make_kb(tmp_path)
    spaced = tmp_path / "sima/decisions/Cache Rules_DEC-03.md"
    spaced.write_text(clean_entry("decisions/Cache Rules_DEC-03.md", "DEC-03", "\n## Eviction\n\nOldest first."), encoding="utf-8")
    settings = load(cwd=tmp_path)
    root = tmp_path / "sima"
    report = api.check([root], settings, jobs=1, keep=True, cwd=tmp_path)
    kb, entry = report.kbs[root], report.checked[root][CITER[len("sima/"):]].entry
    line = "see /sima/decisions/Cache Rules_DEC-03.md#ev"
    typed = replace(entry, lines=entry.lines[:-1] + (line,))
    found = complete.complete(typed, kb, len(typed.lines) - 1, len(line))
    assert "eviction" in [c.label for c in found]
    assert {c.start for c in found} == {len(line) - len("ev")}


def test_rename_to_an_empty_name_says_so(tmp_path):
    from checker.edit import EditError
    from checker.lsp.edits import rename_destination
    from checker.model import Reference

    root, report = _kb(tmp_path)
    ref = Reference("DEC-01.md", "DEC-01.md", "bare", 1, 1)
    with pytest.raises(EditError, match="the new name is empty"):
        rename_destination(ref, "decisions/DEC-01.md", "  ", report.kbs[root])
    assert rename_destination(ref, "decisions/DEC-01.md", "DEC-09.md", report.kbs[root]) == "decisions/DEC-09.md"

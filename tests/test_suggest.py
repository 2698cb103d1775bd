"""SIMA301's "did you mean" (issue 10 §2): moved, renamed, typo, separators; --fix/--diff where certain.

The KB under `fixtures/suggest/` holds verbatim copies of files of the public SIMA corpus
(sima-public-2025-11-01, Apache-2.0, its LICENSE beside them). Each test copies it, breaks one
reference the way people break them (moves or renames a file, mistypes or respaces a name) and
checks what SIMA301/302 say and what `--fix` writes. Some breaks are the corpus's own.
"""
from __future__ import annotations

import difflib
import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.kb.suggest import Suggester, fold, one_edit
from checker.parse.refid import grammar

FIXTURE = Path(__file__).parent / "fixtures" / "suggest"
PATTERNS = "entries/platforms/aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md"
AWS_INDEX = "entries/platforms/aws/AWS-Index.md"
DEC01 = "entries/decisions/architecture/DEC-01.md"
DEC02 = "entries/decisions/architecture/DEC-02.md"
DEC05 = "entries/decisions/architecture/DEC-05.md"
SERVER_CONFIG = "support/SERVER-CONFIG.md"
SUGA = "entries/core/ARCH-SUGA_ Single Universal Gateway Architecture.md"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture KB at tmp_path/sima; tmp_path is the working directory."""
    root = tmp_path / "sima"
    shutil.copytree(FIXTURE, root)
    monkeypatch.chdir(tmp_path)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in a file; returns its line number."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def move(root: Path, rel: str, new: str) -> None:
    """Move a file inside the KB."""
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).rename(root / new)


def run(*args: str):
    result = CliRunner().invoke(main, ["--no-cache", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def found(rel: str, line: int, code: str = "SIMA301") -> list[tuple[str, bool]]:
    """(message, fixable) of the findings with `code` at `line` of `rel`."""
    report = json.loads(run("--format", "json", "--select", "SIMA3", "sima").output)
    return [(f["message"], f["fixable"]) for f in report["findings"]
            if f["path"] == f"sima/{rel}" and f["line"] == line and f["code"] == code]


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, text in enumerate(lines, 1) if needle in text)


def expected_diff(root: Path, rel: str, old: str, new: str) -> str:
    """The unified diff `--diff` must print: that one line changed, nothing else."""
    before = (root / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    after = [line.replace(old, new) if old in line else line for line in before]
    name = f"sima/{rel}"
    end = "\t" if " " in name else ""
    return "".join(difflib.unified_diff(before, after, f"a/{name}{end}", f"b/{name}{end}"))


def assert_fix(root: Path, rel: str, old: str, new: str, code: str = "SIMA301") -> None:
    """`--diff` shows exactly `old` -> `new` in `rel`; `--fix` writes it; then the finding is gone."""
    want = expected_diff(root, rel, old, new)
    assert run("--diff", "--select", code, f"sima/{rel}").output.startswith(want)
    before = (root / rel).read_text(encoding="utf-8")
    run("--fix", "--select", code, f"sima/{rel}")
    assert (root / rel).read_text(encoding="utf-8") == before.replace(old, new, 1)


# -- moved: the same file name elsewhere ----------------------------------------------------


def test_moved_kb_path_names_the_real_place_and_is_fixed(kb):
    line = edit(kb, PATTERNS, "/sima/entries/decisions/architecture/DEC-05.md", "/sima/entries/decisions/DEC-05.md")
    assert found(PATTERNS, line) == [(
        "`/sima/entries/decisions/DEC-05.md` does not resolve; the file is at `entries/decisions/architecture/DEC-05.md`", True,
    )]
    assert_fix(kb, PATTERNS, "/sima/entries/decisions/DEC-05.md", "/sima/entries/decisions/architecture/DEC-05.md")


def test_moved_target_of_a_relative_link_keeps_dots_and_anchor(kb):
    edit(kb, AWS_INDEX, "(../core/ARCH-SUGA_Single-Universal-Gateway-Architecture.md)", "(../../core/ARCH-SUGA_%20Single%20Universal%20Gateway%20Architecture.md)")  # the corpus's own break
    edit(kb, AWS_INDEX, "(../../decisions/architecture/DEC-02.md)", "(../../decisions/architecture/DEC-02.md#problem-statement)")
    move(kb, DEC02, "entries/decisions/technical/DEC-02.md")
    line = line_of(kb, AWS_INDEX, "[DEC-02]")
    assert found(AWS_INDEX, line) == [(
        "`../../decisions/architecture/DEC-02.md` does not resolve; the file is at `entries/decisions/technical/DEC-02.md`", True,
    )]
    assert_fix(kb, AWS_INDEX, "(../../decisions/architecture/DEC-02.md#", "(../../decisions/technical/DEC-02.md#")
    assert found(AWS_INDEX, line, "SIMA305") == []  # the anchor still names a heading


def test_the_corpus_own_moved_link_is_rewritten_percent_encoded(kb):
    # AWS-Index.md links `../core/ARCH-SUGA_Single-Universal-Gateway-Architecture.md`; the file
    # is `entries/core/ARCH-SUGA_ Single Universal Gateway Architecture.md` (folder and spelling).
    line = line_of(kb, AWS_INDEX, "[ARCH-SUGA](")
    assert found(AWS_INDEX, line) == [(
        f"`../core/ARCH-SUGA_Single-Universal-Gateway-Architecture.md` does not resolve; the file is at `{SUGA}`", True,
    )]
    assert_fix(kb, AWS_INDEX, "(../core/ARCH-SUGA_Single-Universal-Gateway-Architecture.md)",
               "(../../core/ARCH-SUGA_%20Single%20Universal%20Gateway%20Architecture.md)")


# -- renamed: the REF-ID of the name is owned by another file -----------------------------------


def test_renamed_keeping_the_refid_is_found_and_fixed_in_kb_path_syntax(kb):
    move(kb, DEC05, "entries/decisions/architecture/DEC-05_Sentinel-Sanitization.md")
    line = line_of(kb, PATTERNS, "/sima/entries/decisions/architecture/DEC-05.md")
    assert found(PATTERNS, line) == [(
        "`/sima/entries/decisions/architecture/DEC-05.md` does not resolve; "
        "REF-ID DEC-05 is owned by `entries/decisions/architecture/DEC-05_Sentinel-Sanitization.md`", True,
    )]
    assert_fix(kb, PATTERNS, "/sima/entries/decisions/architecture/DEC-05.md",
               "/sima/entries/decisions/architecture/DEC-05_Sentinel-Sanitization.md")


def test_renamed_bare_name_is_fixed_as_a_bare_name(kb):
    edit(kb, PATTERNS, "/sima/entries/decisions/architecture/DEC-05.md", "DEC-05.md")
    move(kb, DEC05, "entries/decisions/architecture/DEC-05_Sentinel-Sanitization.md")
    line = line_of(kb, PATTERNS, "- DEC-05.md")
    assert found(PATTERNS, line)[0][1] is True
    assert_fix(kb, PATTERNS, "- DEC-05.md", "- DEC-05_Sentinel-Sanitization.md")


def test_the_corpus_own_renamed_links(kb):
    """DEC-01.md cites GATE-01..03 by names they no longer have: GATE-03's name agrees with its
    owner (fixed); GATE-01's and GATE-02's words do not (owner named, nothing rewritten)."""
    line = line_of(kb, DEC01, "[GATE-03](")
    assert found(DEC01, line) == [(
        "`/sima/entries/gateways/GATE-03-Cross-Interface-Communication.md` does not resolve; "
        "REF-ID GATE-03 is owned by `entries/gateways/GATE-03_Cross-Interface-Communication-Rule.md`", True,
    )]
    assert found(DEC01, line - 2) == [(
        "`/sima/entries/gateways/GATE-01-Three-File-Structure.md` does not resolve; "
        "REF-ID GATE-01 is owned by `entries/gateways/GATE-01_Gateway-Layer-Structure.md`", False,
    )]
    assert_fix(kb, DEC01, "(/sima/entries/gateways/GATE-03-Cross-Interface-Communication.md)",
               "(/sima/entries/gateways/GATE-03_Cross-Interface-Communication-Rule.md)")


def test_a_refid_owned_by_several_files_names_them_and_fixes_nothing(kb):
    shutil.copy(kb / "entries/gateways/GATE-01_Gateway-Layer-Structure.md", kb / "entries/gateways/GATE-01-Gateway-Entry-Pattern.md")
    line = edit(kb, PATTERNS, "/sima/entries/decisions/architecture/DEC-05.md", "/sima/entries/gateways/GATE-01.md")
    assert found(PATTERNS, line) == [(
        "`/sima/entries/gateways/GATE-01.md` does not resolve; REF-ID GATE-01 is owned by "
        "`entries/gateways/GATE-01-Gateway-Entry-Pattern.md`, `entries/gateways/GATE-01_Gateway-Layer-Structure.md`", False,
    )]
    assert run("--diff", "--select", "SIMA301", f"sima/{PATTERNS}").output == ""  # nothing to fix


# -- typo: one edit away ------------------------------------------------------------------------


@pytest.mark.parametrize("typo", ["DEC-20.md", "DEC-2.md", "DEC-002.md", "DEX-02.md"])
def test_one_edit_away_is_a_guess_not_a_fix(kb, typo):
    edit(kb, AWS_INDEX, "(../../decisions/architecture/DEC-02.md)", f"(../../decisions/architecture/{typo})")
    line = line_of(kb, AWS_INDEX, "[DEC-02]")
    assert found(AWS_INDEX, line) == [(
        f"`../../decisions/architecture/{typo}` does not resolve to any file; did you mean `{DEC02}`?", False,
    )]


def test_a_typo_in_a_long_name_is_found(kb):
    line = edit(kb, PATTERNS, "/sima/entries/decisions/architecture/DEC-05.md", "/sima/entries/gateways/GATE-02_Lazy-Imprt-Pattern.md")
    # The REF-ID GATE-02 still names the file and most words agree: certain.
    assert found(PATTERNS, line) == [(
        "`/sima/entries/gateways/GATE-02_Lazy-Imprt-Pattern.md` does not resolve; "
        "REF-ID GATE-02 is owned by `entries/gateways/GATE-02_Lazy-Import-Pattern.md`", True,
    )]
    line = edit(kb, PATTERNS, "/sima/entries/gateways/GATE-02_Lazy-Imprt-Pattern.md", "/sima/entries/gateways/Gate-Lazy-Imprt-Pattern.md")
    assert found(PATTERNS, line) == [(
        "`/sima/entries/gateways/Gate-Lazy-Imprt-Pattern.md` does not resolve to any file; "
        "did you mean `entries/gateways/GATE-02_Lazy-Import-Pattern.md`?", False,
    )]


# -- separators: spaces written for `-` in a bare name --------------------------------------------


def test_a_bare_name_written_with_spaces_for_dashes_is_a_near_miss(kb):
    move(kb, "support/File Server URLs.md", "support/File-Server-URLs.md")
    line = edit(kb, SERVER_CONFIG, "- File-Server-URLs.md (output", "- File Server URLs.md (output")
    assert found(SERVER_CONFIG, line) == []  # not `URLs.md` unresolved
    assert found(SERVER_CONFIG, line, "SIMA302") == [(
        "`File Server URLs.md` only matches `support/File-Server-URLs.md` after folding case, spaces or `_`/`-`; write it exactly", True,
    )]
    assert_fix(kb, SERVER_CONFIG, "- File Server URLs.md (output", "- File-Server-URLs.md (output", "SIMA302")


# -- the suggester alone ---------------------------------------------------------------------------


def suggester(*rels: str) -> Suggester:
    by_name: dict[str, list[str]] = {}
    by_refid: dict[str, list[str]] = {}
    g = grammar()
    for rel in rels:
        name = rel.rsplit("/", 1)[-1]
        by_name.setdefault(name, []).append(rel)
        refid = g.from_filename(name)
        if refid:
            by_refid.setdefault(refid, []).append(rel)
    return Suggester(by_name, by_refid)


def test_typos_prefer_the_written_folder():
    s = suggester("a/Cache-Notes.md", "b/Cache-Notes.md", "b/Other.md")
    assert s.suggest("b/Cache-Note.md", grammar()).targets == ("b/Cache-Notes.md",)
    assert s.suggest("c/Cache-Note.md", grammar()).targets == ("a/Cache-Notes.md", "b/Cache-Notes.md")
    assert s.suggest("Cache-Note.md", grammar(), near="a").targets == ("a/Cache-Notes.md",)


def test_a_moved_name_in_several_folders_is_named_not_certain():
    s = suggester("a/x/Notes.md", "b/Notes.md", "c/Notes.md", "d/Notes.md")
    got = s.suggest("a/Notes.md", grammar())
    assert (got.kind, got.targets, got.more, got.certain) == ("moved", ("a/x/Notes.md", "b/Notes.md", "c/Notes.md"), 1, False)


def test_a_refid_typo_in_a_long_name_is_not_taken_for_a_rename():
    s = suggester("l/AWS-Lambda-CostModel_AWS-LESS-11.md", "l/AWS-Lambda-Timeouts_AWS-LESS-12.md")
    got = s.suggest("l/AWS-Lambda-CostModel_AWS-LESS-12.md", grammar())
    assert (got.kind, got.targets, got.certain) == ("typo", ("l/AWS-Lambda-CostModel_AWS-LESS-11.md", "l/AWS-Lambda-Timeouts_AWS-LESS-12.md"), False)


def test_an_index_sharing_words_is_no_rival_of_the_refid_owner():
    """`NM06/Bugs-Critical_BUG-01.md` (the corpus's SESSION-START file): BUG-01 is owned by
    `bugs/BUG-01.md`; `Bugs-Index.md` beside it shares a word but owns no BUG REF-ID."""
    s = suggester("bugs/BUG-01.md", "bugs/Bugs-Index.md", "bugs/BUG-02.md")
    got = s.suggest("NM06/Bugs-Critical_BUG-01.md", grammar())
    assert (got.kind, got.targets) == ("renamed", ("bugs/BUG-01.md",))


def test_the_rarest_shared_words_pick_the_rival():
    """`INT-04_METRICS-Interface-Pattern.md` when INT-04 is HTTP: `Metrics` is one file's word,
    `Pattern` several files' (the corpus's Interface-Quick-Index)."""
    s = suggester("i/INT-01_CACHE-Interface-Pattern.md", "i/INT-02_LOGGING-Interface-Pattern.md",
                  "i/INT-04-HTTP-Interface.md", "i/INT-07-Metrics-Interface.md")
    got = s.suggest("i/INT-04_METRICS-Interface-Pattern.md", grammar())
    assert got.targets == ("i/INT-07-Metrics-Interface.md", "i/INT-04-HTTP-Interface.md")
    # no more shared words than the owner's: the owner stays the answer
    s = suggester("g/GATE-01_Gateway-Layer-Structure.md", "g/GATE-02_Lazy-Import-Pattern.md", "g/Gateway-Index.md")
    assert s.suggest("g/GATE-01_Gateway-Pattern.md", grammar()).targets == ("g/GATE-01_Gateway-Layer-Structure.md",)


def test_the_citing_file_is_never_its_own_typo_or_look_alike():
    s = suggester("p/NMP00-LEE_Index.md", "p/NMP01-LEE-Quick-Index.md")
    assert s.suggest("NM00-Quick_Index.md", grammar(), near="p", citer="p/NMP01-LEE-Quick-Index.md").targets == ("p/NMP00-LEE_Index.md",)
    s = suggester("a/Cache-Notes.md")
    assert s.suggest("a/Cache-Note.md", grammar(), citer="a/Cache-Notes.md") is None
    assert s.suggest("a/Cache-Note.md", grammar()).targets == ("a/Cache-Notes.md",)


def test_a_configured_refid_pattern_is_used():
    s = Suggester({"FOO-7_Thing.md": ["x/FOO-7_Thing.md"]}, {"FOO-7": ["x/FOO-7_Thing.md"]})
    assert s.suggest("x/FOO-7.md", grammar()) is None  # no REF-ID in the name for the default grammar
    got = s.suggest("x/FOO-7.md", grammar((r"FOO-\d",)))
    assert (got.kind, got.targets, got.certain) == ("renamed", ("x/FOO-7_Thing.md",), True)


def test_one_edit_matches_a_brute_force_distance():
    def osa(a: str, b: str) -> int:
        d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i in range(len(a) + 1):
            d[i][0] = i
        for j in range(len(b) + 1):
            d[0][j] = j
        for i in range(1, len(a) + 1):
            for j in range(1, len(b) + 1):
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
                if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        return d[-1][-1]

    rnd = random.Random(7)
    for _ in range(3000):
        a = "".join(rnd.choice("ab-") for _ in range(rnd.randint(0, 6)))
        b = "".join(rnd.choice("ab-") for _ in range(rnd.randint(0, 6)))
        assert one_edit(a, b) == (osa(a, b) == 1), (a, b)


def test_the_neighbour_index_finds_every_one_edit_name():
    """Long names are found by their first or last K characters; short ones by deletions."""
    rnd = random.Random(3)
    names = {"".join(rnd.choice("abc-") for _ in range(rnd.randint(3, 30))) + ".md" for _ in range(400)}
    s = Suggester({n: [f"d/{n}"] for n in names}, {})
    for name in sorted(names)[:40]:
        for q in {name[:i] + name[i + 1:] for i in range(len(name) - 3)} | {name[:i] + "x" + name[i:] for i in range(len(name) - 3)}:
            if q in names:
                continue
            want = sorted(f"d/{n}" for n in names if one_edit(fold(q), fold(n)))
            got = s._typos(q, "d")
            assert set(got) <= set(want) and len(got) == min(len(want), 3), (q, got, want)


def test_references_that_resolve_ask_for_no_suggestion(monkeypatch):
    from checker.kb.index import KnowledgeBase
    from helpers import check, clean_entry

    def refuse(*args, **kwargs):
        raise AssertionError("suggest() asked on the happy path")

    monkeypatch.setattr(KnowledgeBase, "suggest", refuse)
    others = {"entries/decisions/architecture/DEC-05.md": "# DEC-05.md\n", "support/File-Server-URLs.md": "# File-Server-URLs.md\n"}
    body = "- /sima/entries/decisions/architecture/DEC-05.md\n- File-Server-URLs.md\n- [d](../../entries/decisions/architecture/DEC-05.md)"
    text = clean_entry("aws/general/X_AWS-LESS-01.md", "AWS-LESS-01", body)
    assert [c for _, c in check(text, "aws/general/X_AWS-LESS-01.md", others, select=("SIMA3",))] == []


def test_the_rule_uses_the_configured_refid_grammar():
    from helpers import clean_entry, findings

    name = "aws/general/X_AWS-LESS-01.md"
    others = {"notes/FOO-12_Field-Notes.md": "# FOO-12_Field-Notes.md\n"}
    text = clean_entry(name, "AWS-LESS-01", "- /sima/notes/FOO-12.md")
    got = [(f.message, f.fixable) for f in findings(text, name, others, refid_patterns=(r"FOO-\d{2}",)) if f.code == "SIMA301"]
    assert got == [("`/sima/notes/FOO-12.md` does not resolve; REF-ID FOO-12 is owned by `notes/FOO-12_Field-Notes.md`", True)]
    assert [f.message for f in findings(text, name, others) if f.code == "SIMA301"] == ["`/sima/notes/FOO-12.md` does not resolve to any file"]

"""`sima-check mv SRC DST`: every citation follows the move in its citer's syntax, the moved
file follows itself, the KB checks as clean as before, and refusals write nothing."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.api import check
from checker.cli import main
from checker.config import Config
from checker.edit import EditError
from checker.edit.move import MovePlan, apply_move, plan_move
from checker.edit.verify import broken
from helpers import clean_entry

GOLDEN = Path(__file__).parent / "golden"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
COST = "aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md"
EVERY_SYNTAX = "\n".join([
    "- /sima/aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md",
    "- AWS-Lambda-CostModel_AWS-LESS-11.md",
    "- lambda/AWS-Lambda-CostModel_AWS-LESS-11.md",
    "- ../../aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md",
    "- [costs](../../aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md#summary)",
    "- `/sima/aws/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md`",
    "- AWS-LESS-11 prices it",
    "",
    "**Related:** AWS-LESS-11, AWS-Lambda-CostModel_AWS-LESS-11.md",
])


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` with a fixed identity and no user configuration."""
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def every_syntax(kb_dir) -> Path:
    """COST cited in every syntax by DEC-01, linked by its sibling, and citing both itself."""
    return kb_dir({
        COST: clean_entry(COST, "AWS-LESS-11", "See [timeouts](AWS-Lambda-Timeouts_AWS-LESS-12.md#summary) and ../../entries/decisions/DEC-01.md."),
        "aws/lambda/AWS-Lambda-Timeouts_AWS-LESS-12.md": clean_entry("aws/lambda/AWS-Lambda-Timeouts_AWS-LESS-12.md", "AWS-LESS-12", "Costs: [model](AWS-Lambda-CostModel_AWS-LESS-11.md)."),
        "entries/decisions/DEC-01.md": clean_entry("entries/decisions/DEC-01.md", "DEC-01", EVERY_SYNTAX),
    })


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the root (paths relative to it) with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def findings(root: Path, renamed: dict[str, str] | None = None) -> list[tuple[str, int, str]]:
    """(relpath, line, code) of every finding, relpaths mapped by `renamed` (taken before a move:
    'as clean as before, modulo paths')."""
    renamed = renamed or {}
    return sorted((renamed.get(f.relpath, f.relpath), f.line, f.code) for f in check([root], Config()).findings)


def test_dry_run_prints_the_exact_diff_and_writes_nothing(kb_dir):
    root = every_syntax(kb_dir)
    before = snapshot(root)
    result = CliRunner().invoke(main, ["mv", f"sima/{COST}", "sima/aws/billing/AWS-Billing-CostModel_AWS-LESS-11.md", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output == (GOLDEN / "mv-every-syntax.diff").read_text()
    assert snapshot(root) == before


def test_move_in_git_rewrites_every_citation_and_checks_as_clean(kb_dir):
    root = every_syntax(kb_dir)
    git(root.parent, "init", "-q")
    git(root.parent, "add", "-A")
    git(root.parent, "commit", "-qm", "kb")
    new = "aws/billing/AWS-Billing-CostModel_AWS-LESS-11.md"
    clean = findings(root)
    preview = CliRunner().invoke(main, ["mv", f"sima/{COST}", f"sima/{new}", "--dry-run"]).output
    check_apply = subprocess.run(["git", "apply", "--check", "-"], cwd=root.parent, input=preview, text=True, capture_output=True)
    assert check_apply.returncode == 0, check_apply.stderr  # the preview is a patch git accepts
    result = CliRunner().invoke(main, ["mv", f"sima/{COST}", f"sima/{new}"])
    assert result.exit_code == 0, result.output
    assert f"sima/{COST} -> sima/{new}" in result.output
    assert findings(root) == clean == []
    status = git(root.parent, "status", "--porcelain")
    assert f"R  sima/{COST} -> sima/{new}" in status.replace("RM", "R ")  # a rename, as `git mv` makes it
    # what happened is what the preview showed
    git(root.parent, "add", "-A")
    happened = git(root.parent, "diff", "--cached", "-M", "HEAD")
    changed = lambda d: sorted(x for x in d.splitlines() if x[:1] in "+-" and not x.startswith(("+++", "---")))
    assert changed(happened) == changed(preview)


def test_refid_changes_with_the_name(kb_dir):
    root = every_syntax(kb_dir)
    new = "aws/billing/AWS-Billing-Costs_AWS-LESS-13.md"
    plan = plan_move(root, Config(), COST, new)
    assert plan.refids == {"AWS-LESS-11": "AWS-LESS-13"}
    apply_move(plan, root)
    text = (root / new).read_text()
    assert "**REF-ID:** AWS-LESS-13  " in text and text.startswith("# AWS-Billing-Costs_AWS-LESS-13.md\n")
    dec = (root / "entries/decisions/DEC-01.md").read_text()
    assert "AWS-LESS-11" not in dec and "- AWS-LESS-13 prices it" in dec
    assert "**Related:** AWS-LESS-13, AWS-Billing-Costs_AWS-LESS-13.md" in dec
    assert findings(root) == []


def test_spaces_percent_encoding_and_angle_links(kb_dir):
    gate = "entries/core/ARCH-SUGA_Single Universal Gateway.md"
    root = kb_dir({
        gate: clean_entry(gate, "ARCH-SUGA", "Self: [top](#summary)."),
        "entries/decisions/DEC-01.md": clean_entry("entries/decisions/DEC-01.md", "DEC-01", "\n".join([
            "- ARCH-SUGA_Single Universal Gateway.md - bare with spaces",
            "- /sima/entries/core/ARCH-SUGA_Single Universal Gateway.md - rooted",
            "- [g](../core/ARCH-SUGA_Single%20Universal%20Gateway.md#summary) encoded",
            "- [g](<../core/ARCH-SUGA_Single Universal Gateway.md>) angle",
            "- ARCH-SUGA mention",
        ])),
    })
    new = "entries/gateway/ARCH-SUGA_Gateway (Core).md"
    clean = findings(root, {gate: new})
    apply_move(plan_move(root, Config(), gate, new), root)
    dec = (root / "entries/decisions/DEC-01.md").read_text().splitlines()
    assert dec[16:21] == [
        "- ARCH-SUGA_Gateway (Core).md - bare with spaces",
        "- /sima/entries/gateway/ARCH-SUGA_Gateway (Core).md - rooted",
        "- [g](../gateway/ARCH-SUGA_Gateway%20%28Core%29.md#summary) encoded",
        "- [g](<../gateway/ARCH-SUGA_Gateway (Core).md>) angle",
        "- ARCH-SUGA mention",
    ]
    assert "Self: [top](#summary)." in (root / new).read_text()
    assert findings(root) == clean


def test_folder_move_keeps_inner_links_and_rewrites_outer_ones(kb_dir):
    root = every_syntax(kb_dir)
    (root / "aws/lambda/diagram.png").write_bytes(b"\x89PNG")
    dec = root / "entries/decisions/DEC-01.md"
    dec.write_text(dec.read_text().replace("- AWS-LESS-11 prices it", "- ![d](../../aws/lambda/diagram.png) and [all](../../aws/lambda/)"))
    renamed = {f"aws/lambda/{n}": f"compute/lambda/{n}" for n in ("AWS-Lambda-CostModel_AWS-LESS-11.md", "AWS-Lambda-Timeouts_AWS-LESS-12.md")}
    clean = findings(root, renamed)
    result = CliRunner().invoke(main, ["mv", "sima/aws/lambda", "sima/compute/lambda"])
    assert result.exit_code == 0, result.output
    assert not (root / "aws/lambda").exists() and not (root / "aws").exists()
    assert (root / "compute/lambda/diagram.png").read_bytes() == b"\x89PNG"
    moved = (root / "compute/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md").read_text()
    assert "See [timeouts](AWS-Lambda-Timeouts_AWS-LESS-12.md#summary) and ../../entries/decisions/DEC-01.md." in moved
    assert "**Location:** `/sima/compute/lambda/`  " in moved
    text = dec.read_text()
    assert "- ![d](../../compute/lambda/diagram.png) and [all](../../compute/lambda/)" in text
    assert "- /sima/compute/lambda/AWS-Lambda-CostModel_AWS-LESS-11.md" in text
    assert "- lambda/AWS-Lambda-CostModel_AWS-LESS-11.md" in text  # a tail that still names it alone
    assert findings(root) == clean


def test_move_into_a_folder(kb_dir):
    root = every_syntax(kb_dir)
    (root / "archive").mkdir()
    plan = plan_move(root, Config(), COST, "archive")
    assert plan.moves == [(COST, "archive/AWS-Lambda-CostModel_AWS-LESS-11.md")]
    result = CliRunner().invoke(main, ["mv", f"sima/{COST}", "sima/aws/billing/"])  # a new folder
    assert result.exit_code == 0, result.output
    assert (root / "aws/billing/AWS-Lambda-CostModel_AWS-LESS-11.md").is_file()
    assert findings(root) == []


def test_untracked_file_in_a_work_tree_is_renamed(kb_dir):
    root = every_syntax(kb_dir)
    git(root.parent, "init", "-q")
    result = CliRunner().invoke(main, ["mv", f"sima/{COST}", "sima/aws/Costs_AWS-LESS-11.md"])
    assert result.exit_code == 0, result.output
    assert (root / "aws/Costs_AWS-LESS-11.md").is_file() and not (root / COST).exists()
    assert git(root.parent, "ls-files") == ""


@pytest.mark.parametrize("src, dst, message", [
    (f"sima/{COST}", "sima/entries/decisions/DEC-01.md", "already exists"),
    (f"sima/{COST}", "elsewhere/X_AWS-LESS-11.md", "outside the knowledge base root"),
    (f"sima/{COST}", "sima/../../X.md", "outside the knowledge base root"),
    ("sima/aws/lambda/Missing.md", "sima/x/Missing.md", "not a file or folder of the knowledge base"),
    ("README.txt", "sima/README.txt", "outside the knowledge base root"),
    (f"sima/{COST}", "sima/aws/lambda/AWS-Lambda-Timeouts_AWS-LESS-12.txt", "must end in .md"),
    (f"sima/{COST}", "sima/aws/AWS-Lambda-Timeouts_AWS-LESS-12.md", "has the same file name"),
    (f"sima/{COST}", "sima/aws/x/AWS-New_AWS-LESS-12.md", "REF-ID AWS-LESS-12 is already claimed"),
    ("sima/aws", "sima/aws/inner", "cannot move into itself"),
    (f"sima/{COST}", "sima/aws/.hidden.md", "would be hidden or excluded"),
    (f"sima/{COST}", "sima/.drafts/X_AWS-LESS-11.md", "would be hidden or excluded"),
    ("sima/aws", "sima/.old/aws", "would be hidden or excluded"),
    ("", "sima/x/X.md", "an empty argument"),
    (f"sima/{COST}", "", "an empty argument"),
])
def test_refusals_write_nothing(kb_dir, src, dst, message):
    root = every_syntax(kb_dir)
    Path("README.txt").write_text("not in the KB\n")
    before = snapshot(root)
    result = CliRunner().invoke(main, ["mv", src, dst])
    assert result.exit_code == 2
    assert result.output.startswith("sima-check: error: ") and message in result.output, result.output
    assert result.output.count("\n") == 1
    assert snapshot(root) == before


def test_the_safety_net_sees_a_plan_that_would_break_citations(kb_dir):
    root = every_syntax(kb_dir)
    plan = plan_move(root, Config(), COST, "aws/billing/AWS-Billing-CostModel_AWS-LESS-11.md")
    report = check([root], Config(), keep=True)
    lazy = MovePlan(plan.moves, [], plan.refids)  # the renames without the rewrites
    from checker.edit.move import _Mapper
    problems = broken(lazy, report.kbs[root], report.checked[root], _Mapper(COST, plan.moves[0][1], False))
    assert problems and problems[0].startswith("aws/billing/AWS-Billing-CostModel_AWS-LESS-11.md: ")
    assert any(p.startswith("entries/decisions/DEC-01.md: ") and "unresolved" in p for p in problems)


def test_a_failed_rename_undoes_everything(kb_dir, monkeypatch):
    root = every_syntax(kb_dir)
    before = snapshot(root)
    plan = plan_move(root, Config(), COST, "aws/billing/AWS-Billing-CostModel_AWS-LESS-11.md")

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("checker.edit.apply.os.rename", refuse)
    with pytest.raises(EditError, match="every file is as it was"):
        apply_move(plan, root)
    monkeypatch.undo()
    after = snapshot(root)
    assert after == before


def test_a_file_changed_since_planning_is_not_overwritten(kb_dir):
    root = every_syntax(kb_dir)
    plan = plan_move(root, Config(), COST, "aws/billing/AWS-Billing-CostModel_AWS-LESS-11.md")
    dec = root / "entries/decisions/DEC-01.md"
    dec.write_text(dec.read_text() + "edited\n")
    with pytest.raises(EditError, match="changed on disk"):
        apply_move(plan, root)
    assert (root / COST).is_file()


def test_a_dangling_citation_may_come_closer_but_no_citation_breaks(kb_dir):
    root = every_syntax(kb_dir)
    dec = root / "entries/decisions/DEC-01.md"
    dec.write_text(dec.read_text().replace("- AWS-LESS-11 prices it", "- /sima/aws/billing/costs_AWS-LESS-11.md (dangling)"))
    assert ("entries/decisions/DEC-01.md", 23, "SIMA301") in findings(root)
    apply_move(plan_move(root, Config(), COST, "aws/billing/Costs_AWS-LESS-11.md"), root)
    assert findings(root) == [("entries/decisions/DEC-01.md", 23, "SIMA302")]


def test_messages_show_paths_as_typed(kb_dir):
    every_syntax(kb_dir)
    result = CliRunner().invoke(main, ["mv", f"sima/{COST}", "sima/entries/decisions/DEC-01.md"])
    assert result.output == "sima-check: error: sima/entries/decisions/DEC-01.md: already exists; not overwritten\n"


def test_public_corpus_moves_check_as_before(corpus, tmp_path):
    import shutil

    root = tmp_path / "sima"
    shutil.copytree(corpus, root)
    folder = "entries/decisions"
    renamed = {p.relative_to(root).as_posix(): "relocated/decisions/" + p.relative_to(root / folder).as_posix()
               for p in (root / folder).rglob("*.md")}
    before = findings(root, renamed)
    plan = plan_move(root, Config(), folder, "relocated/decisions")
    apply_move(plan, root)
    assert plan.edits and findings(root) == before
    old = "relocated/decisions/architecture/DEC-05.md"
    before = findings(root, {old: "entries/DEC-99.md"})
    plan = plan_move(root, Config(), old, "entries/DEC-99.md")
    assert plan.refids == {"DEC-05": "DEC-99"}
    apply_move(plan, root)
    assert findings(root) == before

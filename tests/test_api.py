"""The one check API: overlays of unsaved text, kept files, and settings the KB owns."""
from __future__ import annotations

import os
from pathlib import Path

from checker.api import check
from checker.config import Config
from checker.model import Summary

from helpers import clean_entry


def _kb(tmp_path: Path) -> Path:
    root = tmp_path / "sima"
    (root / "decisions").mkdir(parents=True)
    (root / "decisions" / "DEC-01.md").write_text(clean_entry("decisions/DEC-01.md", "DEC-01"), encoding="utf-8")
    (root / "decisions" / "DEC-02.md").write_text(clean_entry("decisions/DEC-02.md", "DEC-02"), encoding="utf-8")
    return root


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def test_an_overlay_is_checked_instead_of_the_file_against_the_rest_of_the_kb(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    assert check([root], Config(), jobs=1, cwd=tmp_path).findings == []
    before = _snapshot(tmp_path)
    text = clean_entry("decisions/DEC-01.md", "DEC-01", "\nSee DEC-02 and /sima/decisions/DEC-09.md and DEC-77.\n")
    report = check([root], Config(), jobs=1, cwd=tmp_path, overlay={root / "decisions" / "DEC-01.md": text})
    got = [(f.path, f.code, f.relpath) for f in report.findings]
    # DEC-02 resolves against the file on disk; the broken path and REF-ID are the buffer's own.
    assert got == [("sima/decisions/DEC-01.md", "SIMA301", "decisions/DEC-01.md"),
                   ("sima/decisions/DEC-01.md", "SIMA304", "decisions/DEC-01.md")]
    assert report.findings[0].line == 18
    assert _snapshot(tmp_path) == before  # nothing written, not even a cache


def test_an_overlay_for_a_new_file_joins_the_kb_and_other_files_resolve_to_it(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    citer = clean_entry("decisions/DEC-02.md", "DEC-02", "\nSee DEC-03.\n")
    (root / "decisions" / "DEC-02.md").write_text(citer, encoding="utf-8")
    assert [f.code for f in check([root], Config(), jobs=1, cwd=tmp_path).findings] == ["SIMA304"]
    new = root / "decisions" / "DEC-03.md"
    report = check([root], Config(), jobs=1, cwd=tmp_path, overlay={new: clean_entry("decisions/DEC-03.md", "DEC-03")})
    assert report.findings == [] and report.files_checked == 3
    assert not new.exists()


def test_overlays_and_the_cache_give_the_same_findings_as_disk(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    cache = tmp_path / "cache"
    text = clean_entry("decisions/DEC-01.md", "DEC-01", "\nSee DEC-44.\n")
    with_overlay = check([root], Config(), jobs=1, cache=cache, cwd=tmp_path, overlay={root / "decisions" / "DEC-01.md": text})
    (root / "decisions" / "DEC-01.md").write_text(text, encoding="utf-8")
    for jobs in (1, 2):
        assert check([root], Config(), jobs=jobs, cache=cache, cwd=tmp_path).findings == with_overlay.findings


def test_keep_returns_the_index_of_summaries_and_each_file_as_checked(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    report = check([root], Config(), jobs=1, keep=True, cwd=tmp_path)
    kb, checked = report.kbs[root], report.checked[root]
    assert sorted(checked) == ["decisions/DEC-01.md", "decisions/DEC-02.md"]
    assert all(isinstance(kb.summaries[rel], Summary) for rel in kb.summaries)
    assert kb.summaries["decisions/DEC-01.md"].refid == "DEC-01"
    assert checked["decisions/DEC-01.md"].entry.text.startswith("# DEC-01.md")
    assert os.path.basename(checked["decisions/DEC-02.md"].display) == "DEC-02.md"


def test_the_kb_owns_its_refid_grammar(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "Thing-Name_ZZ-07.md").write_text("# Thing-Name_ZZ-07.md\n", encoding="utf-8")
    report = check([root], Config(refid_patterns=(r"ZZ-\d{2}",)), jobs=1, keep=True, cwd=tmp_path)
    assert report.kbs[root].summaries["Thing-Name_ZZ-07.md"].refid == "ZZ-07"
    assert report.kbs[root].grammar.from_filename("Other_ZZ-08.md") == "ZZ-08"


def test_reuse_skips_unchanged_files_while_the_kb_index_is_unchanged(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    memory: dict = {}
    first = check([root], Config(), jobs=1, cwd=tmp_path, keep=True, reuse=memory)
    again = check([root], Config(), jobs=1, cwd=tmp_path, keep=True, reuse=memory)
    one, two = first.checked[root], again.checked[root]
    assert set(two) == {"decisions/DEC-01.md", "decisions/DEC-02.md"}
    assert all(two[rel] is one[rel] for rel in two)  # nothing read or checked again
    assert again.findings == first.findings == []

    # an edit that leaves the KB index alone: only that file is checked again
    dec1 = root / "decisions" / "DEC-01.md"
    dec1.write_text(clean_entry("decisions/DEC-01.md", "DEC-01", "\nSee DEC-77.\n"), encoding="utf-8")
    edited = check([root], Config(), jobs=1, cwd=tmp_path, keep=True, reuse=memory)
    three = edited.checked[root]
    assert three["decisions/DEC-02.md"] is two["decisions/DEC-02.md"]
    assert three["decisions/DEC-01.md"] is not two["decisions/DEC-01.md"]
    assert [(f.relpath, f.code) for f in edited.findings] == [("decisions/DEC-01.md", "SIMA304")]
    assert edited.findings == check([root], Config(), jobs=1, cwd=tmp_path).findings  # as a fresh run says

    # a new heading changes the index (anchors may now resolve): every file is checked again
    dec2 = root / "decisions" / "DEC-02.md"
    dec2.write_text(clean_entry("decisions/DEC-02.md", "DEC-02", "\n## A New Section\n\nText.\n"), encoding="utf-8")
    renamed = check([root], Config(), jobs=1, cwd=tmp_path, keep=True, reuse=memory)
    assert all(renamed.checked[root][rel] is not three[rel] for rel in three)
    assert renamed.findings == check([root], Config(), jobs=1, cwd=tmp_path).findings

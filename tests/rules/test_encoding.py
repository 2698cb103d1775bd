"""Encoding rules SIMA601-605 (catalogue §6): UTF-8, mojibake, line endings, final newline, names."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.rules.encoding import demojibake
from helpers import BODY, check, clean_entry, findings, message

NAME = "X_AWS-LESS-01.md"
CLEAN = clean_entry(NAME, "AWS-LESS-01")
LAST = len(CLEAN.splitlines())


def body(extra: str) -> str:
    """The clean entry with `extra` from line BODY."""
    return clean_entry(NAME, "AWS-LESS-01", extra)


def mojibake(text: str) -> str:
    """UTF-8 text decoded as Windows-1252: what a double-encoding does to it (the five bytes
    cp1252 leaves undefined become the C1 controls of the same number, as Windows maps them)."""
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in text.encode("utf-8"))


# SIMA601 encoding --------------------------------------------------------------------------


def test_latin1_bytes_are_an_error_and_nothing_else_is_checked():
    data = body("Café au lait").encode("utf-8").replace("é".encode(), b"\xe9")
    assert check(data) == [(BODY, "SIMA601")]
    assert message(data, "SIMA601").startswith("not valid UTF-8: byte 0xe9 at offset")


def test_utf16_is_named():
    data = CLEAN.encode("utf-16")
    assert check(data) == [(1, "SIMA601")]
    assert message(data, "SIMA601") == "UTF-16 text (byte-order mark); save it as UTF-8"


def test_nul_bytes_are_an_error():
    data = body("binary\x00junk").encode("utf-8")
    assert check(data) == [(BODY, "SIMA601")]
    assert message(data, "SIMA601") == "contains NUL bytes (binary file?)"


def test_valid_utf8_passes():
    assert check(body("Café ✅ 🔴 — naïve")) == []


# SIMA602 mojibake --------------------------------------------------------------------------


@pytest.mark.parametrize("original, signature", [("🔴 Critical", "ðŸ"), ("✅ done", "âœ"), ("“quoted", "â€"), ("été", "Ã©")])
def test_double_encoding_signatures_warn_and_are_fixable(original, signature):
    text = body(mojibake(original))
    assert check(text) == [(BODY, "SIMA602")]
    assert message(text, "SIMA602") == f"mojibake `{signature}`: UTF-8 text decoded as Windows-1252"
    assert [f.fixable for f in findings(text) if f.code == "SIMA602"] == [True]


@pytest.mark.parametrize("original", ["a → b", "↓ next", "150µs", "°C", "⚖️ TRADE-OFFS", "“x” – y"])
def test_every_utf8_lead_read_as_cp1252_is_mojibake_and_repairs(original):
    """The corpus's `â†'`, `Âµ`, `âš–ï¸` (the emoji's variation selector has a byte cp1252 lacks)."""
    text = body(mojibake(original))
    assert check(text) == [(BODY, "SIMA602")]
    assert [f.fixable for f in findings(text) if f.code == "SIMA602"] == [True]
    assert demojibake(mojibake(original)) == original


def test_a_cross_mark_missing_its_middle_byte_is_mojibake_not_repairable():
    text = body("- âŒ Wrong: [Bad example]")  # ❌ is E2 9D 8C; cp1252 has no 0x9D, so it was dropped
    assert [(f.code, f.fixable) for f in findings(text) if f.code == "SIMA602"] == [("SIMA602", False)]


@pytest.mark.parametrize("legit", ["Fuß“ und „Maß”", "naïve café à la carte", "Ærø Ñandú Ölfeld", "â la mode"])
def test_accented_text_is_not_mojibake(legit):
    assert check(body(legit)) == []


def test_a_lossy_round_trip_is_reported_but_not_fixable():
    # The public KB has `ðŸ"Š` where the cp1252 right quote became an ASCII `"`.
    text = body('## ðŸ"Š SECTION')
    found = [f for f in findings(text) if f.code == "SIMA602"]
    assert [(f.line, f.fixable) for f in found] == [(BODY, False)]
    assert found[0].message.endswith("(not repairable automatically)")


@pytest.mark.parametrize("words", ["Ångström", "São Paulo", "Ã alone", "façade"])
def test_ordinary_accents_are_not_mojibake(words):
    assert check(body(words)) == []


# SIMA603 line-endings ----------------------------------------------------------------------


def test_crlf_warns_once_with_a_count():
    text = CLEAN.replace("\n", "\r\n")
    assert check(text) == [(1, "SIMA603")]
    assert message(text, "SIMA603") == f"{LAST} line(s) end in CRLF; use LF"


def test_mixed_endings_report_the_first_crlf_line():
    lines = CLEAN.split("\n")
    lines[9] += "\r"  # line 10 ends in CRLF
    assert check("\n".join(lines)) == [(10, "SIMA603")]


def test_lone_cr_warns():
    text = CLEAN.replace("\n", "\r")
    assert check(text) == [(1, "SIMA603")]
    assert message(text, "SIMA603") == f"{LAST} line(s) end in a lone CR; use LF"


def test_utf8_bom_warns_and_the_title_still_counts():
    text = "\ufeff" + CLEAN
    assert check(text) == [(1, "SIMA603")]
    assert message(text, "SIMA603") == "file starts with a UTF-8 byte-order mark"


# SIMA604 final-newline ---------------------------------------------------------------------


def test_missing_final_newline_is_info_at_the_end_of_the_last_line():
    text = CLEAN.rstrip("\n")
    found = [(f.line, f.column, f.code) for f in findings(text)]
    assert found == [(LAST, len(text.splitlines()[-1]) + 1, "SIMA604")]


def test_empty_file_has_no_final_newline_finding():
    assert (1, "SIMA604") not in check("", "README.md")


# SIMA605 filename-format -------------------------------------------------------------------


def test_spaces_in_the_name_are_info():
    name = "entries/core/ARCH-SUGA_Single Universal Gateway Architecture.md"
    text = clean_entry(name, "ARCH-SUGA")
    assert check(text, name) == [(1, "SIMA605")]
    assert message(text, "SIMA605", name) == (
        "file name `ARCH-SUGA_Single Universal Gateway Architecture.md` contains spaces"
    )


def test_names_over_80_characters_are_info():
    name = "A" * 70 + "_AWS-LESS-01.md"
    assert check(clean_entry(name, "AWS-LESS-01"), name) == [(1, "SIMA605")]
    assert message(clean_entry(name, "AWS-LESS-01"), "SIMA605", name) == "file name is 85 characters; keep it to 80"


def test_names_of_80_characters_pass():
    name = "A" * 65 + "_AWS-LESS-01.md"
    assert len(name) == 80
    assert check(clean_entry(name, "AWS-LESS-01"), name) == []


@given(st.text(alphabet=st.sampled_from("abc 🔴✅–—“”µ°ÂÃâïðŸœ€Œ†š\x8f\x9d") | st.characters(), max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_mojibake_pre_test_never_hides_a_signature(text):
    from checker.rules.encoding import MOJIBAKE, may_hold_mojibake

    assert may_hold_mojibake(text) or not MOJIBAKE.search(text)
    assert may_hold_mojibake(mojibake("→ " + text))

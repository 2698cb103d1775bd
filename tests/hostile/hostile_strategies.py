"""Hypothesis strategies for SIMA-shaped and arbitrary input, and the pipeline they feed.

Shared by the default-suite fuzz tests (`test_fuzz.py`) and the long run (`fuzz_long.py`).
"""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

from checker.config import Config
from checker.model import Report as Result
from checker.run.engine import check_parsed
from checker.kb.index import KnowledgeBase
from helpers import Loaded
from checker.parse.kinds import classify
from checker.model import Entry
from checker.parse.scan import parse_bytes
from checker.parse.refid import grammar
from checker.reporters import REPORTERS

# -- pieces of SIMA-looking text --------------------------------------------------------------

LABELS = (
    "Version", "Date", "Purpose", "REF-ID", "Category", "Type", "Priority", "Status", "Keywords",
    "Related", "Related To", "Inherits From", "Used In", "Total Lines", "Lines", "Location",
    "SIMAv4 Compliant", "Last Updated", "Updated", "Range", "Next Available", "File",
)
TYPES = ("LESS", "DEC", "AP", "BUG", "WISD", "ARCH", "GATE", "INT", "DT", "PAT", "TMPL")
EMOJI = ("🔴", "🟠", "🟡", "🟢", "⚪", "🏷️", "✅", "❌", "🚀", "👍🏽", "🇫🇷", "\u200d", "\ufe0f")
MOJIBAKE = ("ðŸ”´", "ðŸ·ï¸", "âœ…", "â€™", "â€”", "Ã©", "Ã", "Â ", "ï»¿")
ODD = ("\t", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ud7ff",
       "\U0010ffff", "\u202e", "\x00", "\x7f", "\\", "%2F", "%00", "&amp;", "<", ">", '"', "'", "`")
HOSTILE = ("<script>alert(1)</script>", '" onerror="alert(1)', "javascript:alert(1)", "../../../../etc/passwd",
           "..%2F..%2Fetc%2Fpasswd.md", "..\\..\\x.md", "/etc/passwd", "C:\\Windows\\x.md", "file:///etc/passwd")
SCALARS = (
    "1.0.0", "1.0", "2025-11-01", "2025-02-30", "2025-11-01 (note)", "Active", "Draft", "Bogus",
    "🔴 High", "🟠 High", "High", "Prio 1", "DEC-05", "AWS-LESS-01", "AWS-Lambda-DT-14", "LANG-PY-03",
    "NMP01-LEE-02", "ARCH-SUGA", "DEC-5", "298 (≤400 for SIMAv4)", "`/sima/aws/`", "✅", "None", "N/A",
)

words = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=12)
small_words = st.sampled_from(("cache", "lambda", "gateway", "Cache", "ttl", "a", "", " ", "AWS", "x-y"))


@st.composite
def refids(draw) -> str:
    """REF-ID-like tokens, well-formed or nearly."""
    kind = draw(st.sampled_from(TYPES))
    digits = draw(st.sampled_from(("01", "05", "117", "5", "0" * 30, "")))
    prefix = draw(st.sampled_from(("", "AWS-", "AWS-Lambda-", "LEE-", "aws-", "A-", "X" * 12 + "-")))
    return f"{prefix}{kind}-{digits}"


@st.composite
def kb_paths(draw) -> str:
    """`/sima/...` paths, relative paths and bare names, existing-looking or not."""
    segs = draw(st.lists(st.sampled_from(("aws", "entries", "core", "lambda", "..", ".", "", "a b", "x")), max_size=4))
    name = draw(st.sampled_from(("DEC-05", "X_AWS-LESS-01", "Lambda-Index", "ARCH-SUGA_Single Universal Gateway Architecture", "a", "")))
    ext = draw(st.sampled_from((".md", ".MD", ".md#anchor", ".md#", "", ".mdx", "/")))
    lead = draw(st.sampled_from(("/sima/", "", "./", "../", "/", "sima/")))
    return lead + "/".join(segs + [name]) + ext


@st.composite
def sima_line(draw) -> str:
    """One line of something that looks like a SIMA entry, or garbage."""
    value = draw(st.one_of(st.sampled_from(SCALARS), words, refids(), kb_paths(), st.sampled_from(EMOJI + MOJIBAKE + ODD + HOSTILE)))
    choice = draw(st.integers(0, 15))
    if choice == 0:
        return f"# {draw(st.one_of(words, kb_paths()))}"
    if choice == 1:
        label = draw(st.one_of(st.sampled_from(LABELS), words))
        tail = draw(st.sampled_from(("", "  ", "\\", " \t")))
        return f"{draw(st.sampled_from(('', '- ', '  ', '* ')))}**{label}:** {value}{tail}"
    if choice == 2:
        return draw(st.sampled_from(("---", "----", " ---", "...", "***", "")))
    if choice == 3:
        hashes = "#" * draw(st.integers(1, 8))
        text = draw(st.one_of(st.sampled_from(("Summary", "Cross-References", "🏷️ KEYWORDS", "Keywords", "Pattern 1: A", "Pattern 2: B")), words))
        return f"{hashes} {text}{draw(st.sampled_from(('', ' #', ' {#id}', ' {: #x .y}')))}"
    if choice == 4:
        return draw(st.sampled_from(("```", "```python", "~~~", "````", "``` `x`", "    ```")))
    if choice == 5:
        return f"[{draw(words)}]({draw(st.one_of(kb_paths(), st.sampled_from(HOSTILE), words))})"
    if choice == 6:
        return f"see {draw(kb_paths())} and {draw(refids())}"
    if choice == 7:
        return ", ".join(draw(st.lists(st.one_of(small_words, words), max_size=10)))
    if choice == 8:
        scope = draw(st.sampled_from(("disable", "disable-next-line", "disable-all")))
        codes = draw(st.sampled_from(("SIMA301", "SIMA201,SIMA402", "xref-unresolved", "BOGUS", "")))
        return f"<!-- sima-check: {scope}={codes} -- {draw(words)} -->"
    if choice == 9:
        return f"`{draw(kb_paths())}` {'`' * draw(st.integers(0, 5))}{draw(words)}"
    if choice == 10:
        return draw(st.sampled_from(("> " * 30 + "x", "- " * 30 + "x", "  " * 20 + "- a", "| a | b |", "|---|---|", "<details>", "</details>", "<!--", "-->")))
    if choice == 11:
        return f"- **{draw(words)}**: {value}"
    return draw(st.one_of(words, st.just(value)))


ENDINGS = ("\n", "\r\n", "\r")


@st.composite
def sima_text(draw) -> str:
    """A SIMA-shaped file as text: optional front matter, a title, a header, a body; mixed line
    endings."""
    lines = []
    if draw(st.booleans()) and draw(st.booleans()):
        lines += ["---", *draw(st.lists(st.sampled_from(("title: x", "Version: 1.0.0", "tags: [a, b]", "a: &a [1, 2]", "b: *a", "bad: [", "- x", "k: {a: 1}")), max_size=4)), "---"]
    lines += draw(st.lists(sima_line(), max_size=25))
    parts = []
    for line in lines:
        parts += [line, draw(st.sampled_from(ENDINGS)) if draw(st.integers(0, 9)) == 0 else "\n"]
    if parts and draw(st.booleans()):
        parts.pop()  # no final newline
    return "".join(parts)


@st.composite
def sima_bytes(draw) -> bytes:
    """File contents: SIMA text (maybe with a BOM, maybe mutated bytes) or arbitrary bytes."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=400))
    data = draw(sima_text()).encode("utf-8", "surrogatepass")
    if kind == 1:
        data = b"\xef\xbb\xbf" + data
    elif kind == 2:
        data = data.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass")
    elif kind == 3 and data:
        pos = draw(st.integers(0, len(data) - 1))
        data = data[:pos] + draw(st.binary(min_size=1, max_size=4)) + data[pos + 1 :]
    return data


name_chars = st.characters(codec="utf-8", exclude_characters="/\x00", exclude_categories=("Cs",))


@st.composite
def file_names(draw) -> str:
    """A relpath ending in `.md` (any case), in zero to two folders, with odd characters."""
    stem = draw(st.one_of(
        st.text(name_chars, min_size=1, max_size=20),
        st.sampled_from(("DEC-05", "X_AWS-LESS-01", "Lambda-Index", "index", "README", "SPEC-x", "<script>x",
                         "a b", " ", ".hidden", "TMPL-01", "Cross-Reference-Matrix", "x" * 120, "DEC-05.md")),
    ))
    folders = draw(st.lists(st.sampled_from(("aws", "entries", "templates", "support", "a b", "<i>", "..x")), max_size=2))
    return "/".join([*folders, stem + draw(st.sampled_from((".md", ".MD", ".Md")))])


@st.composite
def knowledge_bases(draw) -> dict[str, bytes]:
    """One to three files, relpath -> bytes."""
    names = draw(st.lists(file_names(), min_size=1, max_size=3, unique_by=lambda n: n.lower()))
    return {n: draw(sima_bytes()) for n in names}


# -- the pipeline -------------------------------------------------------------------------------


def parse_all(files: dict[str, bytes], config: Config | None = None) -> list[Entry]:
    """Parse each file as the loader does."""
    config = config or Config()
    return [parse_bytes(rel, data, classify(rel, config.kind_globs()), grammar(config.refid_patterns)) for rel, data in files.items()]


def check(files: dict[str, bytes], config: Config | None = None, reverse: bool = False) -> tuple[Loaded, Result]:
    """Parse, index and check in memory (display paths are the relpaths)."""
    config = config or Config()
    entries = parse_all(files, config)
    kb = KnowledgeBase(entries[::-1] if reverse else entries, settings=config)
    result = check_parsed(sorted(entries, key=lambda e: e.relpath), kb, Path("."), Path("."), keep=True)
    return Loaded(kb, result.checked[Path(".")], Path("."), []), result


def reports(result: Result) -> dict[str, str]:
    """Every reporter's output."""
    return {name: render(result) for name, render in sorted(REPORTERS.items())}


_BREAK = re.compile(rb"\r\n|\r|\n")


def line_count(data: bytes, entry: Entry) -> int:
    """Physical lines of the file as findings may point at them."""
    if entry.encoding_error:
        return data.count(b"\n") + 1
    return len(entry.lines)


def site_pages(kb: Loaded, result: Result) -> dict[str, str]:
    """Every page the site builds for this KB: entry pages and generated pages (one rule page)."""
    from checker.rules import RULES
    from checker.site import pages, patterns
    from checker.site.pages import compare as comparison
    from checker.site.data import prepare
    from checker.site.html import Linker, directory_url

    data = prepare(kb.kb, kb.checked, result.findings, "warn", patterns.extract)
    paths = pages.Paths()
    generated = {
        paths.home: lambda ln: pages.home_page(data, ln, paths, "KB <b>&"),
        paths.refids: lambda ln: pages.refid_index(data, ln),
        paths.keywords: lambda ln: pages.keyword_index(data, ln),
        paths.compliance: lambda ln: pages.compliance_page(data, ln, paths),
        paths.comparison: lambda ln: pages.comparison(data, ln, comparison.comparison_page),
        paths.pattern_list: lambda ln: pages.pattern_list(data, ln, paths, comparison.anchor_id),
        paths.rules: lambda ln: pages.rules_index(data, ln, paths),
        paths.rule(RULES[12].code): lambda ln: pages.rule_page(RULES[12], data, ln, paths),
    }
    urls = {src: directory_url(src) for src in [*data.published(), *generated]}
    out = {}
    for src, build in generated.items():
        out[src] = build(Linker(src, urls))
    for rel in data.published():
        entry = kb.entries[rel]
        if not entry.text:
            continue
        pset = data.patterns.get(rel)
        extra = comparison.comparison_table(pset, "") + "\n" + comparison.selector_html(entry, pset, "") if pset else ""
        out[rel] = pages.entry_page(entry, data, Linker(rel, urls), paths, extra)
    return out

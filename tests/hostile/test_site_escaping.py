"""Hostile strings in header fields, pattern names, keywords, REF-IDs and file names come out of
every page builder escaped: no element or attribute of a generated page comes from the data.

The builders are called directly (no MkDocs). Generated pages and the HTML fragments of entry
pages (card, compliance, comparison, selector, backlinks) are parsed as they are; a whole entry
page, whose body is the author's own Markdown, is parsed after rendering and `neutralize`, as
the plugin publishes it.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from checker.config import Config
from checker.run.engine import check_parsed
from checker.kb.index import KnowledgeBase
from checker.rules import RULES
from checker.site import pages, patterns
from checker.site.pages import compare as comparison
from checker.site.backlinks import backlinks_html
from checker.site.card import card_html, compliance_html
from checker.site.data import prepare
from checker.site.html import Linker, directory_url, neutralize, spans
from helpers import parse

PAYLOADS = [
    "<script>alert(1)</script>",
    '" onerror="alert(1)',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    '"><iframe src="javascript:alert(1)"></iframe>',
    "</script><script>alert(1)</script>",
    "</textarea><base href=//evil.example/>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]
EVIL = " ".join(PAYLOADS)
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc"}
# Elements that run code or retarget the page: never in a published page.
DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "frameset", "base", "meta", "link"}
# Elements the builders never write themselves: in a generated page they can only come from data.
FOREIGN_TAGS = DANGEROUS_TAGS | {"svg", "math", "img", "form", "textarea", "style", "input", "template"}


class Audit(HTMLParser):
    """Collects every element or attribute that could run script or retarget the page (and, when
    `strict`, any element the builders never write)."""

    def __init__(self, strict: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter = Counter()
        self.tags = FOREIGN_TAGS if strict else DANGEROUS_TAGS

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and (values.get("type") or "").lower() != "application/json":
            self.found[("script", tag)] += 1
        elif tag in self.tags:
            self.found[("tag", tag)] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.found[("handler", f"{tag} {name}")] += 1
            if name in URL_ATTRS and value is not None:
                bare = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
                if re.match(r"(?:javascript|vbscript|data):", bare):
                    self.found[("url", f"{tag} {name}={value}")] += 1

    handle_startendtag = handle_starttag


def offenders(page: str, strict: bool = True) -> Counter:
    """What the audit finds in a page (a builder's output: strict; a rendered body: not)."""
    audit = Audit(strict)
    audit.feed(page)
    audit.close()
    return audit.found


def hostile_files() -> dict[str, str]:
    """A KB where every field a builder shows carries the payloads."""
    evil_name = 'X <img src=x onerror=alert(1)> " onmouseover="alert(1) javascript:alert(1)_AWS-LESS-01.md'
    header = "\n".join(
        f"**{label}:** {EVIL}"
        for label in ("Version", "Date", "Purpose", "Category", "Type", "Priority", "Status", "Tags", "Owner")
    )
    entry = f"""# Plain title

{header}
**REF-ID:** AWS-LESS-01 {EVIL}
**Related:** DEC-05, {EVIL}
**Keywords:** {EVIL.replace(",", ";")}, safe

---

## Summary

Cites [the decision](DEC-05.md) and [{EVIL}](javascript:alert(1)).

## Pattern 1: {PAYLOADS[0]} (Qualifier {PAYLOADS[1]})

**Characteristics:** {EVIL}
**When to Use:** {PAYLOADS[5]}

## Pattern 2: {PAYLOADS[5]} {PAYLOADS[3]}

**Characteristics:** {PAYLOADS[9]}
**When to Use:** {PAYLOADS[2]}

## Decision Tree

**Q1: {PAYLOADS[0]}?**
- Yes → Pattern 1: {PAYLOADS[0]}
- No → Q2

**Q2: {PAYLOADS[7]}?**
- Yes → Pattern 2
- No → {PAYLOADS[3]}

## Cross-References

- DEC-05.md

## Keywords

{", ".join(p.replace(",", ";") for p in PAYLOADS)}
"""
    dec = f"""# DEC-05.md

**REF-ID:** DEC-05
**Category:** {EVIL}

---

## Summary

Cited by [{EVIL}]({evil_name.replace(' ', '%20')}) and by `{EVIL}` in code.
"""
    return {
        f"aws/{evil_name}": entry,
        "entries/DEC-05.md": dec,
        "entries/<script>alert(1)<\\script>.md": f"# x\n\n**Status:** {EVIL}\n",
        "entries/javascript:alert(1).md": "# javascript:alert(1).md\n\nSee DEC-05.\n",
    }


@pytest.fixture(scope="module")
def site():
    """SiteData of the hostile KB (published in `warn` mode, errors and all) and its URLs."""
    cfg = Config()
    entries = [parse(rel, text, cfg) for rel, text in hostile_files().items()]
    kb = KnowledgeBase(entries, settings=cfg)
    report = check_parsed(entries, kb, keep=True)
    data = prepare(kb, report.checked[Path(".")], report.findings, "warn", patterns.extract)
    paths = pages.Paths()
    generated = {
        paths.home: lambda ln: pages.home_page(data, ln, paths, EVIL),
        paths.refids: lambda ln: pages.refid_index(data, ln),
        paths.keywords: lambda ln: pages.keyword_index(data, ln),
        paths.compliance: lambda ln: pages.compliance_page(data, ln, paths),
        paths.comparison: lambda ln: pages.comparison(data, ln, comparison.comparison_page),
        paths.pattern_list: lambda ln: pages.pattern_list(data, ln, paths, comparison.anchor_id),
        paths.rules: lambda ln: pages.rules_index(data, ln, paths),
        **{paths.rule(r.code): (lambda ln, r=r: pages.rule_page(r, data, ln, paths)) for r in RULES},
    }
    urls = {src: directory_url(src) for src in [*data.published(), *generated]}
    return data, paths, generated, urls


def test_the_hostile_kb_exercises_every_builder(site):
    data, _, _, _ = site
    assert len(data.published()) == 4
    entry = next(rel for rel in data.entries if rel.startswith("aws/"))
    assert len(data.patterns[entry].patterns) == 2 and data.patterns[entry].tree is not None
    assert data.backlinks.get("entries/DEC-05.md")
    assert any(EVIL in kw.text or "<script>" in kw.text for kw in data.entries[entry].keywords)


def test_generated_pages_carry_no_markup_from_the_data(site):
    data, _, generated, urls = site
    for src, build in generated.items():
        page = build(Linker(src, urls))
        assert not offenders(page), (src, offenders(page))
        assert "<script>alert(1)" not in page, src


def test_entry_page_fragments_carry_no_markup_from_the_data(site):
    data, paths, _, urls = site
    for rel in data.published():
        entry, linker = data.entries[rel], Linker(rel, urls)
        resolved = data.resolved.get(rel, [])
        parts = {
            "card": card_html(entry, spans(entry, resolved), linker),
            "compliance": compliance_html(data.findings.get(rel, []), lambda code: linker.href(paths.rule(code))),
            "backlinks": backlinks_html(data.backlinks.get(rel, []), data.titles, data.refids, linker),
            "title": pages.entry_page(entry, data, linker, paths).split("\n", 1)[0],
        }
        pset = data.patterns.get(rel)
        if pset:
            parts["comparison"] = comparison.comparison_table(pset, "")
            parts["selector"] = comparison.selector_html(entry, pset, "")
            tree = re.search(r'data-tree="([^"]*)"', parts["selector"]).group(1)
            for href in re.findall(r'"href": "([^"]*)"', html.unescape(tree)):
                assert not re.match(r"\s*(?:javascript|data|vbscript):", href, re.I), href
            json.loads(html.unescape(tree))
        for name, fragment in parts.items():
            assert not offenders(fragment), (rel, name, offenders(fragment))
    assert parts["title"].startswith("# ")


def test_entry_pages_as_published_carry_no_markup_from_the_data(site):
    data, paths, _, urls = site
    for rel in data.published():
        entry = data.entries[rel]
        pset = data.patterns.get(rel)
        extra = comparison.comparison_table(pset, "") + "\n" + comparison.selector_html(entry, pset, "") if pset else ""
        page = pages.entry_page(entry, data, Linker(rel, urls), paths, extra)
        rendered = neutralize(markdown.markdown(page, extensions=["toc", "tables", "fenced_code"]))
        assert not offenders(rendered, strict=False), (rel, offenders(rendered, strict=False))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralize_leaves_nothing_executable(payload):
    for source in (payload, f"text {payload} text", f"<div>\n{payload}\n</div>", f"## {payload}", f"- {payload}"):
        rendered = neutralize(markdown.markdown(source, extensions=["toc", "tables", "fenced_code"]))
        assert not offenders(rendered, strict=False), (source, rendered)


@pytest.mark.parametrize(
    "vector",
    [
        '<script/src="//evil.example/x.js"></script>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        "<a href=javascript:alert(1)>x</a>",
        "<details open ontoggle=alert(1)>x</details>",
        "<form><button formaction=javascript:alert(1)>x</button></form>",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "<div>\n<img src=x\nonerror=alert(1)>\n</div>",
        '<div>\n<a href=x" onclick=alert(1)>t</a>\n</div>',
        '<base href="https://evil.example/">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<SCRIPT>alert(1)</SCRIPT>',
        '<object data="x.swf"></object>',
    ],
)
def test_neutralize_known_bypasses(vector):
    rendered = neutralize(markdown.markdown(vector, extensions=["toc", "tables", "fenced_code"]))
    assert not offenders(rendered, strict=False), rendered


# -- the cheap pre-test of `neutralize` ------------------------------------------------------

BYPASS_VECTORS = [
    '<script/src="//evil.example/x.js"></script>', '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>', "<a href=javascript:alert(1)>x</a>",
    "<details open ontoggle=alert(1)>x</details>", "<form><button formaction=javascript:alert(1)>x</button></form>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "<div>\n<img src=x\nonerror=alert(1)>\n</div>",
    '<div>\n<a href=x" onclick=alert(1)>t</a>\n</div>', '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<SCRIPT>alert(1)</SCRIPT>",
    '<object data="x.swf"></object>', '<a href="x"onclick="alert(1)">t</a>', "<svg/onload=alert(1)>",
    '<a href=" javascript:alert(1)">t</a>', '<a href="java\tscript:alert(1)">t</a>', '<a HREF="VBSCRIPT:x">t</a>',
    '<img src="data:text/html;base64,PHNjcmlwdD4=">', '<a href="ftp://x.example/">t</a>', "<embed src=x>",
    "<frameset><frame src=x></frameset>", '<link rel="import" href="x">', "<a href='\x01javascript:x'>t</a>",
    '<video poster="javascript:x"></video>', '<form action="javascript:x"></form>', "<a/onclick=x>t</a>",
]


def _full_pass(page_html: str) -> str:
    """`neutralize` without its pre-test."""
    from checker.site.html import sanitize as links

    return links._TAG_OR_START.sub(links._safe_any, page_html)


@pytest.mark.parametrize("vector", PAYLOADS + BYPASS_VECTORS)
def test_pre_test_never_skips_a_vector(vector):
    from checker.site.html import needs_neutralize

    for source in (vector, f"text {vector} text", f"<div>\n{vector}\n</div>", f"- {vector}"):
        for page in (source, markdown.markdown(source, extensions=["toc", "tables", "fenced_code"])):
            if _full_pass(page) != page:
                assert needs_neutralize(page), page
            assert not offenders(neutralize(page), strict=False), page


def test_pre_test_lets_ordinary_pages_through():
    from checker.site.html import needs_neutralize

    page = '<h2 id="a">On the way<a class="headerlink" href="#a">¶</a></h2><p>Based on <a href="../x/">x</a>, see <a href="https://e.example/a:b">e</a>.</p>'
    assert not needs_neutralize(page) and neutralize(page) == page


try:
    from hypothesis import HealthCheck, given, settings

    from hostile.hostile_strategies import sima_text
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    given = None

if given is not None:

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(sima_text())
    def test_pre_test_skips_only_what_neutralize_leaves_alone(text):
        """Rendered SIMA-shaped Markdown: when the pre-test skips it, the page holds nothing that
        could run or retarget, and the full pass would make no safety change (no URL to `#`, no
        element shown as text; it may still respell tags, e.g. `<hr />` as `<hr/>`)."""
        from checker.site.html import needs_neutralize

        page = markdown.markdown(text, extensions=["toc", "tables", "fenced_code"])
        if not needs_neutralize(page):
            full = _full_pass(page)
            assert not offenders(page, strict=False)
            assert full.count('="#"') == page.count('="#"')
            shown = re.compile(r"&lt;(?:script|iframe|object|embed|frame|base|meta|link)", re.I)
            assert len(shown.findall(full)) == len(shown.findall(page))

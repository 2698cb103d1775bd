"""The REF-ID index and the keyword index."""
from __future__ import annotations

from collections import Counter

from ..data import SiteData
from ..html import Linker, esc
from .common import block, entry_link, field_value, natural, table


def refid_index(data: SiteData, linker: Linker) -> str:
    """Every REF-ID with its title, category, status and page."""
    rows = []
    owned = [(e.refid, rel) for rel, e in data.entries.items() if e.refid and rel not in data.excluded]
    for refid, rel in sorted(owned, key=lambda x: (natural(x[0]), x[1])):
        e = data.entry(rel)
        href = linker.href(rel)
        page = f'<a href="{esc(href)}"><code>{esc(rel)}</code></a>' if href else f"<code>{esc(rel)}</code>"
        rows.append([
            f'<code id="{esc(refid)}">{esc(refid)}</code>', entry_link(rel, data, linker),
            esc(field_value(e, "category")), esc(field_value(e, "status")), page,
        ])
    return block(
        "# REF-ID index",
        f'<p class="sima-lead">{len(rows)} REF-IDs, from the <code>**REF-ID:**</code> field or the file name.</p>',
        table(["REF-ID", "Title", "Category", "Status", "Page"], rows, "sima-refids"),
    )


def keyword_index(data: SiteData, linker: Linker) -> str:
    """Keywords (case-insensitive), each with the entries that list it, grouped by letter."""
    spelled: dict[str, Counter] = {}
    where: dict[str, set[str]] = {}
    for rel in data.published():
        for k in data.entry(rel).keywords:
            key = " ".join(k.text.lower().split())
            spelled.setdefault(key, Counter())[k.text] += 1
            where.setdefault(key, set()).add(rel)
    letters: dict[str, list[str]] = {}
    for key in sorted(where):
        letter = key[0].upper() if key[:1].isalpha() else "#"
        letters.setdefault(letter, []).append(key)
    jump = " ".join(f'<a href="#kw-{esc(_slug_letter(l))}">{esc(l)}</a>' for l in letters)
    parts = ["# Keyword index", f'<p class="sima-lead">{len(where)} keywords.</p><nav class="sima-jump">{jump}</nav>']
    for letter, keys in letters.items():
        items = "".join(
            f'<li><span class="sima-keyword">{esc(spelled[k].most_common(1)[0][0])}</span> '
            + ", ".join(entry_link(r, data, linker) for r in sorted(where[k], key=lambda r: data.titles[r].lower()))
            + "</li>"
            for k in keys
        )
        parts.append(f'<h2 id="kw-{esc(_slug_letter(letter))}">{esc(letter)}</h2><ul class="sima-keywords">{items}</ul>')
    return block(*parts)


def _slug_letter(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()

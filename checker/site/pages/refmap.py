"""Reference maps drawn at build time as inline SVG: an entry's one-hop neighbourhood (what it
cites on the right, what cites it on the left, broken references drawn dashed) and a KB-wide
overview grouped by type. Pure string builders: no MkDocs, no Graphviz, no JavaScript.

Every label and tooltip goes through `esc`; hrefs come from the `Linker` (relative site URLs).
Colours are CSS classes (site.css) over Material's variables and `currentColor`, so the
picture follows the light and dark palettes."""
from __future__ import annotations

import re
from collections import Counter

from ..data import SiteData
from ..html import Linker, esc, target_of
from .common import block
from .paging import chunks, memo, page_bar, page_list, page_title
from .paths import Paths

__all__ = ["MAP_FOLDERS", "MAP_PAIRS", "MAX_SIDE", "family", "kb_map_page", "map_chunks", "refmap_svg"]

MAX_SIDE = 8  # nodes drawn per side; the rest are counted ("and N more")
MAX_BROKEN = 4
BROKEN = ("unresolved", "unknown-refid", "outside")
ROW, BOX_W, BOX_H, WIDTH = 34, 190, 26, 720
LABEL_MAX = 24
_FAMILIES = ("LESS", "DEC", "AP", "ARCH", "LANG", "BUG", "WISD", "GATE", "INT")
_TAIL = re.compile(r"-[0-9]+[A-Z]?$", re.IGNORECASE)


def family(refid: str | None, kind: str = "") -> str:
    """The type a node is coloured by: LESS for AWS-LESS-01, ARCH for ARCH-SUGA, else `other`."""
    if refid:
        parts = _TAIL.sub("", refid).upper().split("-")
        for part in reversed(parts):
            if part in _FAMILIES:
                return part
        return parts[0] if parts[0].isalpha() and len(parts[0]) <= 6 else "other"
    return "other"


def _cls(fam: str) -> str:
    return "sima-map-node--" + (fam.lower() if fam.lower() in {f.lower() for f in _FAMILIES} else "other")


def _short(text: str, n: int = LABEL_MAX) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _label(rel: str, data: SiteData) -> tuple[str, str, str]:
    """(label, tooltip, family) of a KB file."""
    entry = data.entries.get(rel)
    refid = entry.refid if entry is not None else None
    title = data.titles.get(rel, rel)
    label = refid or title
    tip = f"{refid} \u00b7 {title}" if refid and title != refid else title
    return _short(label), f"{tip} ({rel})", family(refid)


def neighbours(rel: str, data: SiteData) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list]:
    """(cited, citing, broken): cited and citing files with their number of references, closest
    (most references, then same folder, then path) first; broken: (Reference, Resolution) pairs."""
    out: Counter = Counter()
    broken = []
    for ref, res in data.resolved.get(rel, []):
        target = target_of(res)
        if target is not None and target != rel:
            out[target] += 1
        elif target is None and res.status in BROKEN:
            broken.append((ref, res))
    inc: Counter = Counter(b.source for b in data.backlinks.get(rel, []) if b.source != rel)
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""

    def order(item: tuple[str, int]):
        other, n = item
        same = (other.rsplit("/", 1)[0] if "/" in other else "") == folder
        return (-n, not same, other)

    return sorted(out.items(), key=order), sorted(inc.items(), key=order), broken


def _node(x: float, y: float, label: str, tip: str, cls: str, href: str | None, extra: str = "") -> str:
    rect = (f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="5" class="sima-map-box {cls}{extra}"/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 4:.0f}" text-anchor="middle">{esc(label)}</text>')
    inner = f"<title>{esc(tip)}</title>{rect}"
    if href:
        return f'<a href="{esc(href)}" class="sima-map-link">{inner}</a>'
    return f'<g class="sima-map-static">{inner}</g>'


def _edge(x1: float, y1: float, x2: float, y2: float, cls: str = "") -> str:
    mid = (x1 + x2) / 2
    return (f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"'
            f' class="sima-map-edge{cls}" marker-end="url(#sima-arrow)"/>')


def refmap_svg(rel: str, data: SiteData, linker: Linker, more_href: str = "#referenced-by") -> str:
    """The entry's neighbourhood as a `<figure>` with an inline SVG; '' when it has none."""
    cited, citing, broken = neighbours(rel, data)
    if not (cited or citing or broken):
        return ""
    right = [(r, n) for r, n in cited[:MAX_SIDE]]
    right_more = len(cited) - len(right)
    bad = broken[:MAX_BROKEN]
    left = citing[:MAX_SIDE]
    left_more = len(citing) - len(left)
    n_right = len(right) + len(bad) + (1 if right_more else 0) + (1 if len(broken) > len(bad) else 0)
    n_left = len(left) + (1 if left_more else 0)
    rows = max(n_left, n_right, 1)
    height = rows * ROW + 30
    cx, cy = (WIDTH - BOX_W) / 2, (height - BOX_H) / 2
    lx, rx = 8, WIDTH - BOX_W - 8
    parts: list[str] = []

    def ys(n: int) -> list[float]:
        top = (height - n * ROW) / 2 + (ROW - BOX_H) / 2
        return [top + i * ROW for i in range(n)]

    label, tip, fam = _label(rel, data)
    yl, yr = ys(n_left), ys(n_right)
    for (src, n), y in zip(left, yl):
        lab, t, f = _label(src, data)
        parts.append(_edge(lx + BOX_W, y + BOX_H / 2, cx, cy + BOX_H / 2))
        parts.append(_node(lx, y, lab, f"{t}: cites this entry" + (f" ({n} references)" if n > 1 else ""),
                           _cls(f), linker.href(src)))
    if left_more:
        y = yl[len(left)]
        parts.append(_node(lx, y, f"and {left_more} more", f"{left_more} more entries cite this one",
                           "sima-map-node--more", more_href))
    i = 0
    for tgt, n in right:
        y = yr[i]
        i += 1
        lab, t, f = _label(tgt, data)
        parts.append(_edge(cx + BOX_W, cy + BOX_H / 2, rx, y + BOX_H / 2))
        parts.append(_node(rx, y, lab, f"{t}: cited" + (f" {n} times" if n > 1 else ""), _cls(f), linker.href(tgt)))
    if right_more:
        parts.append(_node(rx, yr[i], f"and {right_more} more", f"{right_more} more cited entries",
                           "sima-map-node--more", None))
        i += 1
    for ref, res in bad:
        y = yr[i]
        i += 1
        parts.append(_edge(cx + BOX_W, cy + BOX_H / 2, rx, y + BOX_H / 2, " sima-map-edge--broken"))
        parts.append(_node(rx, y, _short(ref.target or ref.raw), f"broken reference ({res.status}): {ref.raw} (line {ref.line})",
                           "sima-map-node--broken", None))
    if len(broken) > len(bad):
        parts.append(_node(rx, yr[i], f"and {len(broken) - len(bad)} more broken", "more broken references",
                           "sima-map-node--broken", None))
    parts.append(_node(cx, cy, label, tip, _cls(fam) + " sima-map-node--self", None))
    summary = (f"{len(cited)} cited, {len(citing)} citing" + (f", {len(broken)} broken" if broken else ""))
    return "".join([
        f'<figure class="sima-refmap" data-search-exclude><svg class="sima-refmap__svg" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img" aria-label="{esc("Reference map: " + summary)}">',
        '<defs><marker id="sima-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
        ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="sima-map-arrow"/></marker></defs>',
        *parts,
        f'</svg><figcaption>{esc(summary)}: left, the entries citing this one; right, what it cites.</figcaption></figure>',
    ])


MAP_FOLDERS = 300  # folder rows on one page of the KB-wide map
MAP_PAIRS = 60  # (type, type) rows of the "References by type" table, the busiest first


def map_chunks(data: SiteData) -> list[list[tuple[str, list[int]]]]:
    """The KB-wide map's pages of the folder table: (folder, [files, cites, cited by, broken])."""
    return memo(data, ("map", "folders", MAP_FOLDERS), lambda: _folder_chunks(data))


def _folder_chunks(data: SiteData) -> list[list[tuple[str, list[int]]]]:
    folders: dict[str, list[int]] = {}
    for r in data.published():
        folder = r.rsplit("/", 1)[0] if "/" in r else "(root)"
        row = folders.setdefault(folder, [0, 0, 0, 0])
        row[0] += 1
        cited, citing, broken = neighbours(r, data)
        row[1] += sum(n for _, n in cited)
        row[2] += sum(n for _, n in citing)
        row[3] += len(broken)
    return chunks(sorted(folders.items()), MAP_FOLDERS)


def kb_map_page(data: SiteData, linker: Linker, paths: Paths, page: int = 1) -> str:
    """KB-wide overview: citations between types (one SVG node per type, never per entry, the
    table capped at the `MAP_PAIRS` busiest pairs) and the folders' table, `MAP_FOLDERS` folders
    a page (page 1, `catalog/map.md`, holds the picture)."""
    pages = map_chunks(data)
    srcs = [paths.refmap_page(n) for n in range(1, len(pages) + 1)]
    n_folders = sum(len(c) for c in pages)
    ranges = [f"{c[0][0]} \u2013 {c[-1][0]}" if c else "" for c in pages]
    bar = page_bar(linker, srcs, page, ranges) + (page_list(linker, srcs, ranges) if page == 1 else "")
    parts = [f"# {page_title('Reference map', page, len(pages))}"]
    if page == 1:
        rels = data.published()
        fam_of = {r: family(data.entries[r].refid) for r in rels}
        size = Counter(fam_of.values())
        links: Counter = Counter()
        for r in rels:
            for t, n in neighbours(r, data)[0]:
                if t in fam_of:
                    links[(fam_of[r], fam_of[t])] += n
        fams = sorted(size, key=lambda f: (-size[f], f))
        parts.append(f'<p class="sima-lead">{len(rels)} published files in {len(fams)} types and '
                     f'{n_folders} folders. Each entry page shows its own map (what it cites, what cites it); '
                     f'this page sums the references by type and by folder.</p>')
        if fams:
            parts.append(_type_svg(fams, size, links, linker, paths))
            busiest = sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))
            rows = "".join(f"<tr><td>{esc(a)}</td><td>{esc(b)}</td><td>{n}</td></tr>" for (a, b), n in busiest[:MAP_PAIRS])
            if len(busiest) > MAP_PAIRS:
                rest = busiest[MAP_PAIRS:]
                rows += f"<tr><td colspan=\"2\">{len(rest)} more pairs</td><td>{sum(n for _, n in rest)}</td></tr>"
            parts += ["## References by type", '<div class="sima-table"><table><thead><tr><th>From</th><th>To</th>'
                      f"<th>References</th></tr></thead><tbody>{rows}</tbody></table></div>" if rows else "<p>No references.</p>"]
    else:
        parts.append(f'<p class="sima-lead">{n_folders} folders; the picture is on the first page.</p>')
    frows = "".join(
        f"<tr><td><code>{esc(f)}</code></td><td>{v[0]}</td><td>{v[1]}</td><td>{v[2]}</td><td>{v[3]}</td></tr>"
        for f, v in (pages[page - 1] if 0 < page <= len(pages) else [])
    )
    parts += ["## By folder", bar, '<div class="sima-table"><table><thead><tr><th>Folder</th><th>Files</th><th>Cites</th>'
              f"<th>Cited by</th><th>Broken</th></tr></thead><tbody>{frows}</tbody></table></div>"]
    return block(*parts)


def _type_svg(fams: list[str], size: Counter, links: Counter, linker: Linker, paths: Paths) -> str:
    import math

    shown = fams[:12]
    n = len(shown)
    w, h, r = 640, 360, 130
    pos = {f: (w / 2 + r * math.cos(2 * math.pi * i / n - math.pi / 2) * (1 if n > 1 else 0),
               h / 2 + r * math.sin(2 * math.pi * i / n - math.pi / 2) * (1 if n > 1 else 0)) for i, f in enumerate(shown)}
    top = max(links.values(), default=1)
    edges = []
    for (a, b), k in sorted(links.items()):
        if a in pos and b in pos and a != b:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            edges.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" class="sima-map-edge"'
                         f' stroke-width="{1 + 4 * k / top:.1f}"><title>{esc(a + " to " + b + f": {k} references")}</title></line>')
    href = linker.href(paths.refids)
    nodes = []
    for f in shown:
        x, y = pos[f]
        rad = 16 + 14 * math.sqrt(size[f] / max(size.values()))
        inner = (f"<title>{esc(f'{f}: {size[f]} files')}</title>"
                 f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{rad:.0f}" class="sima-map-box {_cls(f)}"/>'
                 f'<text x="{x:.0f}" y="{y + 4:.0f}" text-anchor="middle">{esc(f)} ({size[f]})</text>')
        nodes.append(f'<a href="{esc(href)}" class="sima-map-link">{inner}</a>' if href else f"<g>{inner}</g>")
    return (f'<figure class="sima-refmap" data-search-exclude><svg class="sima-refmap__svg" viewBox="0 0 {w} {h}" width="{w}"'
            f' height="{h}" role="img" aria-label="References between types">' + "".join(edges + nodes) + "</svg></figure>")


def map_inputs(data: SiteData) -> tuple:
    """What the KB-wide map pages read of each published file: `serve --dirty` rebuilds them
    only when this changes. Keep it in step with the builders above."""
    return tuple(
        (rel, data.titles.get(rel), data.entries[rel].refid, data.entries[rel].kind, data.resolved.get(rel),
         data.backlinks.get(rel))
        for rel in data.published()
    )

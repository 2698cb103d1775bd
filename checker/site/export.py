"""`sima-check site --out DIR`: the whole site as a Markdown tree that a generator without the
`sima` plugin builds (Zensical, a plain MkDocs): `DIR/mkdocs.yml` (explicit `nav`, the assets,
the project's theme and Markdown extensions, no `sima` plugin) and `DIR/docs/`.

The pages come from the same builders the plugin calls (`build`, `pages`); the only difference
is where the generated HTML goes: the plugin holds it in slots and puts it in after Markdown
conversion, the export writes it into the Markdown as raw HTML blocks (Python-Markdown passes
them through). HTML links are the generator's directory URLs, relative to each page; Markdown
links stay relative `.md` paths, which the generator maps and checks.
DIR is replaced as a whole: a new tree is written beside it and swapped in."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from . import build, pages, patterns
from .data import MODES, SiteData
from .html import Linker, directory_url, neutralize_markdown
from .build import ASSET_DIR, ASSET_URI, ASSETS

MARKER = ".sima-check-site"  # marks a DIR this command wrote, so a re-run may replace it


class ExportError(build.SiteError):
    """A usage problem (exit 2): a bad DIR, an unreadable mkdocs.yml."""


@dataclass
class Exported:
    """What `export` wrote."""

    out: Path
    data: SiteData
    summary: dict[str, int]
    pages: int = 0
    files: int = 0
    warnings: list[str] = field(default_factory=list)


# -- mkdocs.yml, read and written with its tags (`!ENV`, `!!python/name:...`) kept ----------


class _Tagged:
    def __init__(self, tag: str, value: object) -> None:
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.Loader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return _Tagged(node.tag, value)


def _represent_tagged(dumper: yaml.Dumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(_Tagged, _represent_tagged)


def read_mkdocs(path: Path) -> dict:
    """The project's mkdocs.yml as data (unknown tags kept as they are)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ExportError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ExportError(f"{path}: not a mapping of settings")
    return data


_NAMES = {list: "list", dict: "mapping", str: "string", bool: "boolean", int: "number", float: "number"}
# What the export reads of mkdocs.yml, and the shapes MkDocs itself would accept.
_SHAPES = {"plugins": (list, dict), "extra_css": (list,), "extra_javascript": (list,), "docs_dir": (str,),
           "nav": (list,), "site_name": (str,), "theme": (dict, str)}
# Every option of the plugin (plugin.SimaConfig; a test keeps the two in step) and its type.
_OPTION_SHAPES = {"checker_config": str, "pages_dir": str, "on_violation": str, "nav": bool, "cache": bool, "parallel": bool}


def _kind(value: object) -> str:
    return _NAMES.get(type(value), "value of another type")


def check_shapes(config: dict, where: object) -> None:
    """Refuse, in one line, the mkdocs.yml values of a type the export cannot use."""
    for key, shapes in _SHAPES.items():
        value = config.get(key)
        if value is not None and not isinstance(value, shapes):
            raise ExportError(f"{where}: `{key}` must be a {' or '.join(_NAMES[s] for s in shapes)}, not a {_kind(value)}")


def check_options(options: dict, where: object) -> None:
    """Refuse, in one line, a sima plugin option of the wrong type (as MkDocs would)."""
    for key, shape in _OPTION_SHAPES.items():
        value = options.get(key)
        if value is not None and not isinstance(value, shape):
            raise ExportError(f"{where}: sima plugin: `{key}` must be a {_NAMES[shape]}, not a {_kind(value)}")


def sima_options(config: dict) -> dict:
    """The `sima` plugin's options in mkdocs.yml ({} when it is not listed)."""
    plugins = config.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else ((p, None) if isinstance(p, str) else next(iter(p.items()), (None, None)) for p in plugins if isinstance(p, (str, dict)))
    for name, options in items:
        if name == "sima":
            return dict(options) if isinstance(options, dict) else {}
    return {}


def _other_plugins(config: dict) -> list:
    plugins = config.get("plugins")
    if plugins is None:
        return ["search"]
    if isinstance(plugins, dict):
        return [{k: v} if v else k for k, v in plugins.items() if k != "sima"]
    return [p for p in plugins if p != "sima" and not (isinstance(p, dict) and "sima" in p)]


def site_config(config: dict, project: Path, nav: list | None) -> dict:
    """mkdocs.yml of the exported tree: the project's settings, `docs/`, directory URLs, the
    assets, the explicit `nav`, and its plugins without `sima`."""
    out = {k: v for k, v in config.items() if k not in ("docs_dir", "site_dir", "plugins", "nav", "watch", "hooks")}
    out.setdefault("site_name", "SIMA knowledge base")
    out.update(docs_dir="docs", site_dir="site", use_directory_urls=True)
    theme = out.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme = out["theme"] = dict(theme, custom_dir=str((project / theme["custom_dir"]).resolve()))
    for key, ext in (("extra_css", ".css"), ("extra_javascript", ".js")):
        listed = list(out.get(key) or [])
        out[key] = listed + [ASSET_URI + n for n in ASSETS if n.endswith(ext) and ASSET_URI + n not in listed]
    out["plugins"] = _other_plugins(config)
    if nav is not None:
        out["nav"] = nav
    return out


# -- the tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where each page goes in `docs/` and the URL the generator gives it."""

    dest: dict[str, str]  # source path (KB relpath or generated page) -> path under docs/
    urls: dict[str, str]


def layout(sources: list[str], generated: list[str], home: str) -> Layout:
    """Every page is written as `<its URL>/index.md`, so its folder is its URL: the HTML links,
    relative to the page's URL, then read the same to a generator that leaves raw HTML alone
    (MkDocs) and to one that takes them as relative to the source file (Zensical). URLs are the
    plugin's: `a/b.md` is `a/b/`; a KB root `index.md`/`README.md` moves to `<stem>/`, so the
    generated home is `index.md` (the site's `index.html`)."""
    dest = {}
    for src in sources:
        moved = build.moved_root_page(src)
        dest[src] = (moved + "index.md") if moved else _as_index(src)
    for src in generated:
        dest[src] = "index.md" if src == home else _as_index(src)
    return Layout(dest, {src: directory_url(d) for src, d in dest.items()})


def _as_index(src: str) -> str:
    stem = src[:-3] if src.lower().endswith(".md") else src
    return src if stem.rpartition("/")[2] in ("index", "README") else stem + "/index.md"


def _front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=True, allow_unicode=True) + "---\n\n" if meta else ""


def write_tree(tmp: Path, data: SiteData, root: Path, config: dict, project: Path, paths: pages.Paths, use_nav: bool) -> tuple[int, int]:
    """Write mkdocs.yml and docs/ into the empty folder `tmp`; (pages, other files) written."""
    docs = tmp / "docs"
    published = data.published()
    markdown = [rel for rel in published if rel.lower().endswith(".md")]
    paths = build.claim_home(paths, markdown)
    registry = pages.generated_pages(data, paths, str(config.get("site_name") or "SIMA knowledge base"))
    for page in registry:
        if page.src in data.entries:
            raise ExportError(f"{page.src} exists in the KB; set the sima plugin's `pages_dir` to a free folder")
    where = layout(markdown, [page.src for page in registry], paths.home)
    data_files = pages.generated_data(data, paths)
    for gen in data_files:  # beside the pages, at the same path as on the plugin's site
        where.dest[gen.src] = gen.src
        where.urls[gen.src] = gen.src
    count = 0
    for rel in markdown:
        linker = Linker(rel, where.urls, where.dest)
        text = pages.entry_markdown(rel, data, linker, paths)
        if text is None:
            _write(docs / where.dest[rel], data.entry(rel).text)
        else:
            _write(docs / where.dest[rel], neutralize_markdown(text))
        count += 1
    for page in registry:
        meta = dict(page.meta)
        if not page.searchable:
            meta["search"] = {"exclude": True}
        body = page.build(Linker(page.src, where.urls, where.dest))
        _write(docs / where.dest[page.src], _front_matter(meta) + _no_link_syntax(neutralize_markdown(body)))
        count += 1
    for gen in data_files:
        _write(docs / gen.src, gen.build(Linker(gen.src, where.urls, where.dest)))
    copied = 0
    for rel in sorted(data.kb.other_files):
        src = root / rel
        if src.is_file() and rel not in data.kb.outside_links:
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, docs / rel)
            copied += 1
    for name in ASSETS:
        (docs / ASSET_URI).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ASSET_DIR / name, docs / ASSET_URI / name)
    nav = None
    if use_nav:
        nav = config.get("nav") or _dest_nav(build.navigation(data, registry, markdown + [p.src for p in registry]), where.dest)
    text = "# Written by `sima-check site --out`; build with `zensical build` or `mkdocs build`.\n"
    text += yaml.dump(site_config(config, project, nav), Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    (tmp / "mkdocs.yml").write_text(text, encoding="utf-8")
    (tmp / MARKER).write_text("sima-check site --out\n", encoding="utf-8")
    return count, copied


def _dest_nav(items: list, dest: dict[str, str]) -> list:
    """`nav` items with source paths replaced by where the pages were written."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(dest.get(item, item))
        else:
            (title, value), = item.items()
            out.append({title: _dest_nav(value, dest) if isinstance(value, list) else dest.get(value, value)})
    return out


def _no_link_syntax(markdown: str) -> str:
    """`](` in a generated page's HTML blocks (rule docs quote Markdown links in `<code>`) as
    `&#93;(`: the same text in a browser, and no generator takes it for a link to validate."""
    return "\n".join(line.replace("](", "&#93;(") if line.startswith("<") else line for line in markdown.split("\n"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- the command ------------------------------------------------------------------------


def check_out_dir(out: Path, root: Path) -> None:
    """Refuse a DIR that is the KB, inside it or holds it, or that is not an earlier export."""
    o, r = out.resolve(), root.resolve()
    if o == r or r in o.parents:
        raise ExportError(f"{out}: the output folder is inside the knowledge base {root}")
    if o in r.parents:
        raise ExportError(f"{out}: the output folder holds the knowledge base {root}; replacing it would delete the KB")
    if o.exists() or o.is_symlink():
        if not o.is_dir() or o.is_symlink():
            raise ExportError(f"{out}: exists and is not a folder")
        if any(o.iterdir()) and not (o / MARKER).is_file():
            raise ExportError(f"{out}: a non-empty folder not written by `sima-check site` (no {MARKER}); not replacing it")


def replace_tree(out: Path, write: Callable[[Path], None]) -> None:
    """Run `write` into a new folder beside `out`, then swap it in (old moved away, new renamed
    in, old deleted). If `write` fails, the new folder is removed and `out` is untouched."""
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".tmp-", dir=parent))
    try:
        write(tmp)
        os.chmod(tmp, 0o755)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    target = parent / out.name
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=out.name + ".old-", dir=parent))
        os.rename(target, old / "tree")
    try:
        os.rename(tmp, target)
    except BaseException:
        if old is not None:
            os.rename(old / "tree", target)  # put the old tree back
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def export(
    out: Path, *, project: Path, mkdocs_file: Path | None = None, root: Path | None = None,
    on_violation: str | None = None, settings_path: str | None = None, use_cache: bool = True,
) -> Exported:
    """Check the KB and write the site tree to `out`. Raises ExportError (usage) or
    build.SiteError (unreadable KB files; error findings with `on_violation: fail`)."""
    project = project.resolve()
    if mkdocs_file is None and (project / "mkdocs.yml").is_file():
        mkdocs_file = project / "mkdocs.yml"
    config = read_mkdocs(mkdocs_file) if mkdocs_file is not None else {}
    if mkdocs_file is not None:
        project = mkdocs_file.resolve().parent
    check_shapes(config, mkdocs_file)
    options = sima_options(config)
    check_options(options, mkdocs_file)
    mode = on_violation or options.get("on_violation") or "fail"
    if mode not in MODES:
        raise ExportError(f"{mkdocs_file}: sima plugin: on_violation must be one of {', '.join(MODES)}, not {mode!r}")
    try:
        paths = pages.Paths(pages.pages_base(options.get("pages_dir", "catalog")))
    except ValueError as exc:
        raise ExportError(f"{mkdocs_file}: sima plugin: {exc}") from None
    try:
        settings = build.load_settings(project, settings_path or options.get("checker_config"))
    except build.SiteError as exc:  # the checker's settings: a configuration error, exit 2
        raise ExportError(str(exc)) from None
    if root is None:
        root = project / config["docs_dir"] if isinstance(config.get("docs_dir"), str) else project / str(settings.root)
    if not root.is_dir():
        raise ExportError(f"{root}: not a folder (the knowledge base root)")
    check_out_dir(out, root)
    cache = build.cache_dir(project, root) if use_cache else None
    data, summary = build.check_site(root, settings, mode, extract=patterns.extract, cache=cache, cwd=Path.cwd())
    stop = build.violations(data)
    if stop is not None:
        raise build.SiteError(stop)
    done = Exported(out, data, summary)

    def write(tmp: Path) -> None:
        done.pages, done.files = write_tree(tmp, data, root, config, project, paths, options.get("nav", True) is not False)

    replace_tree(out, write)
    done.warnings = [f"{mkdocs_file}: sima plugin: unknown option `{k}` (ignored)" for k in sorted(set(options) - set(_OPTION_SHAPES))]
    done.warnings += [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in data.errors()] if mode == "warn" else []
    return done

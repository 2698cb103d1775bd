"""The `sima-check` command: click wiring only; formatting lives in reporters/, the way out in emit.py."""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from . import __version__
from .api import check
from .config import Config, ConfigError, load as load_config
from .config.policy import check_selectors
from .kb.targets import Target, TargetError, plan, selected
from .model import Report
from .rules import FIXABLE
from .emit import emit, emit_diff, error, fail
from .run.engine import EXIT_CODES_HELP, EXIT_USAGE, exit_code

FORMATS = ("text", "json", "github", "sarif", "junit")


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _list_rules(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .rules.docs import rule_table

    click.echo(rule_table())
    ctx.exit(0)


def _explain(ctx: click.Context, _param, value: str | None) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .rules.docs import explain

    text = explain(value)
    if text is None:
        error(f"unknown rule `{value}` (see --list-rules)")
        ctx.exit(EXIT_USAGE)
    click.echo(text)
    ctx.exit(0)


class Main(click.Group):
    """`sima-check [OPTIONS] [PATHS]` checks; `sima-check COMMAND ...` runs one of the writer's
    commands. Anything that does not start with a command name is a check (a path named like
    a command is given as `./new`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """sima-check: check, fix and publish a SIMAv4 knowledge base."""


COMMANDS_HELP = "Commands: `sima-check check [PATHS]` is this check; see `sima-check COMMAND --help` for the others."


@main.command("check", epilog=EXIT_CODES_HELP + "\n\n" + COMMANDS_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="Lowest severity that fails the run [default: error].")
@click.option("--select", multiple=True, help="Only these rules (codes, code prefixes or names; comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules (codes, code prefixes or names; comma-separated).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Settings file (default: .sima-check.toml or pyproject.toml).")
@click.option("--root", help="Knowledge base root when no PATHS are given [default: sima].")
@click.option("--color/--no-color", default=None, help="Colour the text output [default: on a terminal, unless NO_COLOR].")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Write the current findings to FILE as a baseline and exit 0.")
@click.option("--fix", is_flag=True, help=f"Apply the fixes of the active rules ({', '.join([FIXABLE[0]] + [c[4:] for c in FIXABLE[1:]])}), then report what remains.")
@click.option("--diff", "show_diff", is_flag=True, help="Print what --fix would change as a unified diff and write nothing; exit 1 if there is anything to fix.")
@click.option("--changed-since", metavar="REF", help="Report only on files changed since the merge base of git REF and HEAD, and the files that reference them.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes to parse and check with, at most one per file and four per CPU [default: auto, by CPUs and files].")
@click.option("--cache-dir", type=click.Path(), default=".sima-check-cache", show_default=True, help="Where parse results and stamps are kept (never inside the knowledge base; an unusable one only costs speed).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--list-rules", is_flag=True, expose_value=False, is_eager=True, callback=_list_rules, help="List every rule and exit.")
@click.option("--explain", metavar="RULE", expose_value=False, is_eager=True, callback=_explain, help="Show a rule's documentation and exit.")
@click.version_option(__version__, prog_name="sima-check")
def check_command(paths, fmt, output, fail_on, select, ignore, config_path, root, color, baseline_path, write_baseline, fix=False, show_diff=False, changed_since=None, jobs=None, cache_dir=".sima-check-cache", no_cache=False) -> None:
    """Check a SIMAv4 knowledge base (default: the configured root, `sima/`)."""
    if show_diff and write_baseline:  # the baseline would record findings of fixes never applied
        fail("--write-baseline cannot be combined with --diff, which writes nothing (use --fix)")
    try:
        config = load_config(Path(config_path) if config_path else None)
    except ConfigError as exc:
        fail(str(exc))
    config = _apply_flags(config, fail_on, select, ignore, root)
    known = _read_baseline(baseline_path) if baseline_path and not write_baseline else None
    try:
        targets = plan(list(paths), config)
    except TargetError as exc:
        fail(str(exc))
    cache = None if no_cache else Path(cache_dir)
    result, patches = Report(), []
    for target in targets:
        if not (fix or show_diff or changed_since is not None):  # a plain check
            part = check([target], config, jobs=jobs, cache=cache, progress=_progress(fmt, output))
        else:
            part, fixes = _fix_or_select(target, config, jobs, cache, changed_since, fix, show_diff)
            patches += fixes
        result.merge(part)
        for shown, reason in part.io_errors:
            if shown:
                error(f"{shown}: cannot read: {reason}")
    if write_baseline:
        _write_baseline(result, write_baseline)
    if known is not None:
        _apply_baseline(result, known, baseline_path)
    if show_diff:
        emit_diff(patches, output, result, config.fail_on)
    emit(result, fmt, output, color)
    sys.exit(exit_code(result, config.fail_on))


def _progress(fmt: str, output: str | None):
    """A progress line for long runs on a terminal (text reports only, never in CI)."""
    from .run import progress

    return progress.Progress() if fmt == "text" and progress.wanted() else None


@main.command("lsp", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport; accepted for clients that pass it).")
def lsp_command(stdio: bool) -> None:
    """Run the language server over stdio (diagnostics, definition, references, hover, completion, fixes)."""
    from .lsp.server import run

    run()


def _fix_or_select(target: Target, config: Config, jobs, cache, changed_since, fix: bool, show_diff: bool) -> tuple[Report, list]:
    """`--changed-since` and `--fix`/`--diff` for one target: check with the parsed files kept,
    narrow to the changed files and their dependents, fix, and report on the result."""
    whole = Target(target.root) if changed_since is not None else target
    report = check([whole], config, jobs=jobs, cache=cache, keep=True)
    kb, checked = report.kbs[target.root], report.checked[target.root]
    only = set(checked)
    if changed_since is not None:
        only &= _changed(changed_since, kb, checked, target.root, config)
        if target.only is not None:
            only &= selected(target, checked) or set()
    fixes: list = []
    if fix or show_diff:
        from .fix.plan import apply, plan

        fixes = plan({rel: checked[rel] for rel in only}, kb, target.root)
        if fixes and show_diff:
            overlay = {target.root / f.relpath: f.after.decode("utf-8") for f in fixes}
            report = check([whole], config, jobs=jobs, overlay=overlay, keep=True)
        elif fixes:
            errors = apply(fixes, target.root)
            for message in errors:
                error(message)
            n = len(fixes) - len(errors)
            if n:
                click.echo(f"sima-check: fixed {n} file{'' if n == 1 else 's'}", err=True)
            report = check([whole], config, jobs=jobs, cache=cache, keep=True)
            report.io_errors += [("", message) for message in errors]
    return report.restrict(target.root, only), fixes


def _apply_flags(config: Config, fail_on, select, ignore, root) -> Config:
    changes = {}
    if fail_on:
        changes["fail_on"] = fail_on
    try:  # a typo in --select would silently check nothing
        if select:
            changes["select"] = check_selectors("--select", _split(select))
        if ignore:
            changes["ignore"] = config.ignore + check_selectors("--ignore", _split(ignore))
    except ConfigError as exc:
        fail(str(exc))
    if root:
        changes["root"] = root
    return replace(config, **changes)


def _read_baseline(path: str):
    from .run import baseline

    try:
        return baseline.read(path)
    except baseline.BaselineError as exc:
        fail(str(exc))


def _write_baseline(result: Report, path: str) -> None:
    from .run import baseline

    try:
        baseline.write(path, result.findings)
    except baseline.BaselineError as exc:
        fail(str(exc))
    n = len(result.findings)
    click.echo(f"sima-check: wrote {n} finding{'' if n == 1 else 's'} to baseline {path}", err=True)
    sys.exit(EXIT_USAGE if result.io_errors else 0)


def _apply_baseline(result: Report, known, path: str) -> None:
    from .run import baseline

    result.findings, forgiven = baseline.apply(result.findings, known)
    if forgiven:
        click.echo(f"sima-check: {forgiven} known finding{'' if forgiven == 1 else 's'} hidden by baseline {path}", err=True)


def _changed(ref: str, kb, checked, root: Path, config: Config) -> set[str]:
    from .kb.changes import ChangesError, select as changed_files

    try:
        return changed_files(ref, kb, {rel: c.entry for rel, c in checked.items()}, root, config)
    except ChangesError as exc:
        fail(f"--changed-since: {exc}")


def _kb_root(config_path: str | None, root: str | None) -> tuple[Config, Path]:
    """Settings and the KB root for the writer's commands (`--root`, else the configured root)."""
    try:
        config = load_config(Path(config_path) if config_path else None)
    except ConfigError as exc:
        fail(str(exc))
    path = Path(root or config.root)
    if not os.path.isdir(path):  # os.path's: False, not an exception, for a name too long
        fail(f"{root or config.root}: knowledge base root not found (set `root` or pass --root)")
    return config, path


@main.command("new", epilog="Exit codes: 0 created, 2 refused (unknown family, DIR outside the KB, name exists).")
@click.argument("family", metavar="TYPE")
@click.argument("title")
@click.option("--dir", "directory", help="Folder, relative to the KB root [default: where most of the family lives].")
@click.option("--category", help="Category field [default: the siblings' most common].")
@click.option("--priority", help="Critical, High, Medium or Low [default: Medium].")
@click.option("--status", help="Status field [default: Draft].")
@click.option("--root", help="Knowledge base root [default: the configured root, sima].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Settings file.")
def new_command(family, title, directory, category, priority, status, root, config_path) -> None:
    """Scaffold a new entry with the next free REF-ID of TYPE (DEC, LESS, AWS-LESS, ...) and print its path."""
    from .edit import EditError
    from .edit.new import create

    config, kb_root = _kb_root(config_path, root)
    try:
        if directory and not os.path.isabs(directory) and not (kb_root / directory).exists():
            given = Path(directory).resolve()
            if given.is_relative_to(kb_root.resolve()):  # `--dir sima/x` written from the cwd
                directory = os.path.relpath(given, kb_root.resolve())
        rel, _ = create(kb_root, config, family, title, directory, category, priority, status)
    except EditError as exc:
        fail(str(exc))
    except OSError as exc:  # a name too long, a folder that cannot be searched
        fail(f"{directory or kb_root}: {exc.strerror or exc}")
    click.echo((kb_root / rel).as_posix())


def _real(path: str) -> str:
    """An absolute path with its folders' symlinks resolved, not the last component's."""
    p = Path(path).absolute()
    real = str(p.parent.resolve() / p.name) if p.name not in ("", ".", "..") else str(p.resolve())
    return real + "/" if path.endswith(("/", os.sep)) and not real.endswith("/") else real


@main.command("mv", epilog="Exit codes: 0 moved (or diff shown), 2 refused (DST exists, outside the root, SRC not in the KB).")
@click.argument("src", type=click.Path())
@click.argument("dst", type=click.Path())
@click.option("--dry-run", is_flag=True, help="Print the unified diff of every change and the renames; write nothing.")
@click.option("--root", help="Knowledge base root [default: the configured root, sima].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Settings file.")
@click.option("--cache-dir", type=click.Path(), default=".sima-check-cache", show_default=True, help="The check's parse cache.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
def mv_command(src, dst, dry_run, root, config_path, cache_dir, no_cache) -> None:
    """Move or rename an entry (or a folder) inside the KB and rewrite every citation of it."""
    from .edit import EditError
    from .edit.move import apply_move, diff, plan_move

    if not src.strip() or not dst.strip():
        fail("mv: SRC and DST must name a file or folder (an empty argument was given)")
    config, kb_root = _kb_root(config_path, root)
    top = kb_root.resolve()
    real_src, real_dst = _real(src), _real(dst)
    try:
        plan = plan_move(top, config, real_src, real_dst, cache=None if no_cache else Path(cache_dir).absolute())
        if dry_run:
            prefix = os.path.relpath(top, Path.cwd().resolve()).replace(os.sep, "/")
            click.echo(diff(plan, "" if prefix == "." else prefix + "/"), nl=False)
            return
        apply_move(plan, top)
    except EditError as exc:
        fail(str(exc).replace(real_dst, dst).replace(real_src, src))  # the paths as they were typed
    except OSError as exc:  # a name too long, a folder that cannot be searched: nothing was moved
        fail(f"{dst if exc.filename and os.path.basename(real_dst) in str(exc.filename) else src}: {exc.strerror or exc}")
    n = len(plan.edits)
    for old, new in plan.moves:
        click.echo(f"{(kb_root / old).as_posix()} -> {(kb_root / new).as_posix()}")
    click.echo(f"sima-check: moved {len(plan.moves)} file{'' if len(plan.moves) == 1 else 's'}, rewrote {n} file{'' if n == 1 else 's'}", err=True)


@main.command("site", epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Folder to write (replaced as a whole; never inside the KB).")
@click.option("--on-violation", type=click.Choice(["fail", "exclude", "warn"]), help="What error findings do [default: the sima plugin's setting in mkdocs.yml, else fail].")
@click.option("--mkdocs-file", "-f", type=click.Path(dir_okay=False, exists=True), help="The project's mkdocs.yml [default: ./mkdocs.yml if present].")
@click.option("--root", type=click.Path(file_okay=False), help="Knowledge base root [default: mkdocs.yml's docs_dir, else the configured root].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Checker settings file [default: the plugin's checker_config, .sima-check.toml or pyproject.toml].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the checker's cache.")
def site_command(out, on_violation, mkdocs_file, root, config_path, no_cache) -> None:
    """Write the whole site (mkdocs.yml + docs/) for a generator without the sima plugin:
    `sima-check site --out build && cd build && zensical build` (or `mkdocs build`)."""
    from .site.build import SiteError
    from .site.export import ExportError, export

    try:
        done = export(
            Path(out), project=Path.cwd(), mkdocs_file=Path(mkdocs_file) if mkdocs_file else None,
            root=Path(root) if root else None, on_violation=on_violation,
            settings_path=os.path.abspath(config_path) if config_path else None, use_cache=not no_cache,
        )
    except ExportError as exc:
        fail(str(exc))
    except SiteError as exc:
        error(str(exc))
        sys.exit(2 if str(exc).startswith("sima: cannot read") else 1)
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror or exc}")
    for line in done.warnings:
        click.echo(f"sima-check: warning: {line}", err=True)
    s = done.summary
    excluded = f", {len(done.data.excluded)} not published (errors)" if done.data.excluded else ""
    click.echo(
        f"{out}: {done.pages} pages, {done.files} other files; checked {len(done.data.entries)} files: "
        f"{s['error']} errors, {s['warning']} warnings, {s['info']} infos{excluded}"
    )


if __name__ == "__main__":
    main()

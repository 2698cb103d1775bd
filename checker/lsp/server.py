"""The pygls wiring of `sima-check lsp`: state, debounce, handlers; the features live beside it.

Every check goes through `checker.api.check` with the open buffers as the overlay, one at a
time (a lock), in a worker thread so the connection stays responsive.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..parse.scan import parse_bytes
from . import actions, complete, navigate
from .diagnostics import diagnostics
from .documents import Checking, check_document, read_entry
from .folders import Folder, is_settings_file, load_folder, owner
from .positions import code_point, path_of, position, span, uri_of

DEBOUNCE = 0.3  # seconds of quiet typing before a document is checked
log = logging.getLogger("sima-check.lsp")


class SimaServer(LanguageServer):
    """The server's state: one Folder per workspace folder, the last check of each open document."""

    def __init__(self) -> None:
        super().__init__("sima-check", __version__)
        self.folders: list[Folder] = []
        self.checks: dict[str, tuple[int | None, Checking]] = {}  # uri -> (version, check)
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.published: set[str] = set()
        self.site_url: str | None = None
        self.errors: dict[Path, str] = {}  # folder -> the problem last shown for it
        self.lock = asyncio.Lock()

    # -- state ------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        """The negotiated position encoding as a plain name."""
        enc = self.workspace.position_encoding
        return str(getattr(enc, "value", enc) or "utf-16")

    def overlay(self) -> dict[str, str]:
        """Every open buffer, by absolute path."""
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            p = path_of(uri)
            if p is not None and p.suffix.lower() == ".md":
                out[str(p.resolve())] = doc.source
        return out

    def load_folders(self) -> None:
        """(Re)read every workspace folder's settings; a problem is one showMessage per folder."""
        paths = [path_of(f.uri) for f in self.workspace.folders.values()]
        if not paths and self.workspace.root_uri:
            paths = [path_of(self.workspace.root_uri)]
        self.folders = []
        for p in paths:
            if p is None:
                continue
            folder = load_folder(p)
            if folder.error and self.errors.get(p) != folder.error:  # once per problem, not per reload
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=folder.error))
            self.errors[p] = folder.error or ""
            self.folders.append(folder)
        for uri in sorted(self.published):  # files of a folder that no longer checks: clear them
            if self.folder_of(uri) is None:
                self.publish(uri, [])
                self.published.discard(uri)

    def folder_of(self, uri: str) -> Folder | None:
        """The folder whose KB holds the document (None: not a KB file)."""
        p = path_of(uri)
        if p is None or p.suffix.lower() != ".md":
            return None
        return owner([f for f in self.folders if f.settings], p)

    # -- checking ---------------------------------------------------------------------

    async def check_all(self) -> None:
        """Check every folder's whole KB and publish every file's diagnostics."""
        for folder in [f for f in self.folders if f.settings]:
            async with self.lock:
                report = await asyncio.to_thread(folder.check_all, self.overlay())
            for rel, checked in report.checked.get(folder.root, {}).items():
                uri = uri_of(folder.root / rel)
                found = [f for f in report.findings if f.relpath == rel]
                if found or uri in self.published:
                    self.publish(uri, diagnostics(found, checked.entry, self.encoding, self.site_url))

    async def check(self, uri: str) -> Checking | None:
        """Check one open document now (against the KB with every buffer overlaid) and publish."""
        folder = self.folder_of(uri)
        doc = self.workspace.text_documents.get(uri)
        if folder is None or doc is None:
            return None
        version = doc.version
        async with self.lock:
            result = await asyncio.to_thread(check_document, folder, path_of(uri), self.overlay())
        folder.stale = True  # the buffer may differ from what the full check saw
        self.checks[uri] = (version, result)
        self.publish(uri, diagnostics(result.findings, result.entry, self.encoding, self.site_url), version)
        return result

    def publish(self, uri: str, diags: list[types.Diagnostic], version: int | None = None) -> None:
        """Send a file's diagnostics."""
        self.published.add(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diags, version=version))

    def schedule(self, uri: str, delay: float = DEBOUNCE) -> None:
        """Check a document once typing has paused for `delay` seconds."""
        if uri in self.timers:
            self.timers.pop(uri).cancel()
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(delay, lambda: asyncio.ensure_future(self._fire(uri)))

    async def _fire(self, uri: str) -> None:
        self.timers.pop(uri, None)
        try:
            await self.check(uri)
        except Exception as exc:  # a bug must cost one check, not the session
            log.exception("check failed")
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=f"sima-check: {uri}: check failed: {exc}"))

    async def current(self, uri: str) -> Checking | None:
        """The document's check, re-run when the buffer changed since."""
        doc = self.workspace.text_documents.get(uri)
        seen = self.checks.get(uri)
        if doc is not None and seen and seen[0] == doc.version:
            return seen[1]
        return await self.check(uri)

    def reader(self, check: Checking):
        """relpath -> the parsed file of the document's KB (open buffers win)."""
        overlay = self.overlay()
        return lambda rel: read_entry(check.folder, check.kb, rel, overlay)

    def location(self, folder: Folder, target: navigate.Target, lines=None) -> types.Location:
        """An LSP location of a place in a KB file."""
        path = folder.root / target.rel
        if lines is None and target.end:
            doc = self.workspace.text_documents.get(uri_of(path))
            lines = doc.lines if doc else _lines(path)
        rng = span(lines or (), target.line, target.start, target.end, self.encoding)
        return types.Location(uri=uri_of(path), range=rng)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


server = SimaServer()


@server.feature(types.INITIALIZE)
def initialize(ls: SimaServer, params: types.InitializeParams) -> None:
    """Read the client's options: `siteUrl`, the published site (rule pages)."""
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("siteUrl"), str):
        ls.site_url = options["siteUrl"]


@server.feature(types.INITIALIZED)
async def initialized(ls: SimaServer, _params: types.InitializedParams) -> None:
    """Load the folders' settings and check the whole workspace."""
    ls.load_folders()
    await ls.check_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
async def folders_changed(ls: SimaServer, _params) -> None:
    """A folder came or went: reload and re-check."""
    ls.load_folders()
    await ls.check_all()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: SimaServer, params: types.DidOpenTextDocumentParams) -> None:
    """Check a document as soon as it opens."""
    await ls._fire(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: SimaServer, params: types.DidChangeTextDocumentParams) -> None:
    """Check after typing pauses."""
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: SimaServer, params: types.DidCloseTextDocumentParams) -> None:
    """The file as saved is what counts now: re-check it from disk."""
    uri = params.text_document.uri
    ls.checks.pop(uri, None)
    folder, p = ls.folder_of(uri), path_of(uri)
    if folder and p and p.exists():
        async with ls.lock:
            result = await asyncio.to_thread(check_document, folder, p, ls.overlay())
        ls.publish(uri, diagnostics(result.findings, result.entry, ls.encoding, ls.site_url))
    elif uri in ls.published:
        ls.publish(uri, [])


async def _settings_changed(ls: SimaServer) -> None:
    ls.load_folders()
    ls.checks.clear()
    await ls.check_all()
    for uri in list(ls.workspace.text_documents):
        await ls._fire(uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: SimaServer, params: types.DidSaveTextDocumentParams) -> None:
    """Saving pyproject.toml or .sima-check.toml re-reads the settings."""
    p = path_of(params.text_document.uri)
    if p is not None and is_settings_file(p):
        await _settings_changed(ls)
    else:
        for f in ls.folders:
            f.stale = True


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def watched(ls: SimaServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Settings files re-read the settings; KB files changed on disk re-check the open documents."""
    paths = [path_of(c.uri) for c in params.changes]
    if any(p is not None and is_settings_file(p) for p in paths):
        await _settings_changed(ls)
        return
    for f in ls.folders:
        f.stale = True
    for uri in list(ls.workspace.text_documents):
        ls.schedule(uri, 0)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: SimaServer, params: types.DefinitionParams) -> list[types.Location] | None:
    """Where the reference under the cursor leads (path, bare name, relative, link#anchor, REF-ID)."""
    check = await ls.current(params.text_document.uri)
    if check is None or check.checked is None:
        return None
    lines = ls.workspace.get_text_document(params.text_document.uri).lines
    line, char = code_point(lines, params.position, ls.encoding)
    found = navigate.definition(check.checked, line, char, ls.reader(check))
    return [ls.location(check.folder, t, ()) for t in found] or None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
async def references(ls: SimaServer, params: types.ReferenceParams) -> list[types.Location] | None:
    """Every citer of the entry under the cursor (or of this document), by any syntax."""
    check = await ls.current(params.text_document.uri)
    if check is None or check.checked is None:
        return None
    lines = ls.workspace.get_text_document(params.text_document.uri).lines
    line, char = code_point(lines, params.position, ls.encoding)
    rel = navigate.subject(check.checked, line, char)
    folder = check.folder
    if folder.stale or folder.full is None:
        async with ls.lock:
            await asyncio.to_thread(folder.check_all, ls.overlay())
    files = folder.full.checked.get(folder.root, {})
    return [ls.location(folder, t, files[t.rel].entry.lines if t.rel in files else None) for t in navigate.citers(files, rel)]


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: SimaServer, params: types.HoverParams) -> types.Hover | None:
    """A reference's target (title, Type, Status, Purpose) or a rule code's summary."""
    check = await ls.current(params.text_document.uri)
    if check is None or check.checked is None:
        return None
    lines = ls.workspace.get_text_document(params.text_document.uri).lines
    line, char = code_point(lines, params.position, ls.encoding)
    text = navigate.hover(check.checked, line, char, ls.reader(check))
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


_KINDS = {"refid": types.CompletionItemKind.Reference, "file": types.CompletionItemKind.File,
          "folder": types.CompletionItemKind.Folder, "anchor": types.CompletionItemKind.Reference}


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["-", "/", "#"]))
async def completion(ls: SimaServer, params: types.CompletionParams) -> types.CompletionList | None:
    """REF-IDs after a family prefix, `/sima/` path segments, heading anchors after `#`."""
    uri = params.text_document.uri
    seen = ls.checks.get(uri)
    check = seen[1] if seen else await ls.current(uri)
    if check is None:
        return None
    doc = ls.workspace.get_text_document(uri)
    summary = check.kb.summaries.get(check.rel)
    entry = parse_bytes(check.rel, doc.source.encode("utf-8", "surrogatepass"), summary.kind if summary else "entry", check.kb.grammar)
    line, char = code_point(doc.lines, params.position, ls.encoding)
    items = []
    for c in complete.complete(entry, check.kb, line, char):
        rng = types.Range(start=position(doc.lines, line, c.start, ls.encoding), end=params.position)
        items.append(types.CompletionItem(label=c.label, kind=_KINDS[c.kind], detail=c.detail or None,
                                          text_edit=types.TextEdit(range=rng, new_text=c.label)))
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
async def code_action(ls: SimaServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """The fix of each fixable finding in the range, and "fix all" for the file."""
    uri = params.text_document.uri
    check = await ls.current(uri)
    if check is None or check.entry is None:
        return None
    doc = ls.workspace.get_text_document(uri)
    lines = range(params.range.start.line, params.range.end.line + 1)
    only = params.context.only
    out = []
    for fix in actions.fixes(check.entry, doc.source, check.kb, list(check.findings), set(lines)):
        kind = types.CodeActionKind.SourceFixAll if fix.fix_all else types.CodeActionKind.QuickFix
        if only and not any(str(kind).startswith(str(k)) for k in only):
            continue
        e = fix.edit
        end = position(doc.lines, e.end, e.end_char, ls.encoding) if e.end_char else types.Position(line=e.end, character=0)
        edit = types.TextEdit(range=types.Range(start=types.Position(line=e.start, character=0), end=end), new_text=e.text)
        diags = [d for d in params.context.diagnostics if d.code in fix.codes]
        out.append(types.CodeAction(title=fix.title, kind=kind, diagnostics=diags or None,
                                    edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return out


def run() -> None:
    """Serve over stdio until the client says exit."""
    server.start_io()

"""The language server's state: workspace folders, the last check of each open document,
debounce timers, and the conversions from the features' values to LSP types."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from .. import __version__
from ..model import Summary
from ..parse.text import keepends, split
from . import actions, edits, navigate
from .diagnostics import diagnostics
from .documents import Checking, check_document, read_entry
from .folders import Folder, load_folder, owner
from .positions import path_of, position, span, uri_of
from .protocol import SimaProtocol

DEBOUNCE = 0.3  # seconds of quiet typing before a document is checked
log = logging.getLogger("sima-check.lsp")


def _lsp_lines(doc: TextDocument) -> tuple[str, ...]:
    """A document's lines as LSP counts them: ended by `\\n`, `\\r\\n` or `\\r` only. pygls uses
    `str.splitlines`, which also breaks at U+2028, `\\x0c`, `\\x85`, ...: every position after such
    a character, and every incremental edit there, would land a line off."""
    return tuple(keepends(doc.source))


TextDocument.lines = property(_lsp_lines)  # pygls applies incremental edits through it too


class JsonRpcRequestFailed(JsonRpcException):
    """LSP's RequestFailed: the request was valid but refused (the message says why)."""

    CODE = -32803


class SimaServer(LanguageServer):
    """The server's state: one Folder per workspace folder, the last check of each open document."""

    def __init__(self) -> None:
        super().__init__("sima-check", __version__, protocol_cls=SimaProtocol)
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

    def document(self, uri: str):
        """The open document of `uri`, else None (pygls keys them by the unquoted URI: a file
        name with a space is `%20` in the client's URI)."""
        return self.workspace.text_documents.get(unquote(uri))

    def open_uris(self) -> list[str]:
        """The open documents' URIs as the client sent them."""
        return [doc.uri for doc in self.workspace.text_documents.values()]

    def overlay(self) -> dict[str, str]:
        """Every open buffer, by absolute path."""
        out = {}
        for doc in self.workspace.text_documents.values():
            p = path_of(doc.uri)
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

    async def watch_files(self) -> None:
        """Register for didChangeWatchedFiles on the settings files and the KB's Markdown, when the
        client registers watchers dynamically (others send the events they are configured for)."""
        caps = self.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if not (watched and watched.dynamic_registration):
            return
        globs = ["**/pyproject.toml", "**/.sima-check.toml", "**/*.md"]
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[types.FileSystemWatcher(glob_pattern=g) for g in globs])
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
                id="sima-check-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)]))
        except Exception as exc:  # a client that refuses only loses the automatic reload
            log.warning("could not register file watchers: %s", exc)

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
            try:
                async with self.lock:
                    report = await asyncio.to_thread(folder.check_all, self.overlay())
            except Exception as exc:  # one folder's failure must not end the session
                log.exception("workspace check failed")
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"sima-check: {folder.root}: check failed: {exc}"))
                continue
            for rel, checked in report.checked.get(folder.root, {}).items():
                uri = uri_of(folder.root / rel)
                found = [f for f in report.findings if f.relpath == rel]
                if found or uri in self.published:
                    self.publish(uri, diagnostics(found, checked.entry, self.encoding, self.site_url))

    async def check(self, uri: str) -> Checking | None:
        """Check one open document now (against the KB with every buffer overlaid) and publish."""
        folder = self.folder_of(uri)
        doc = self.document(uri)
        if folder is None or doc is None:
            return None
        version = doc.version
        async with self.lock:
            result = await asyncio.to_thread(check_document, folder, path_of(uri), self.overlay())
        before = self.checks.get(uri)
        if folder.changes_index(result.rel, result.entry):
            folder.stale = True  # other files may now resolve differently: re-check them for references
            if before is None or _summary(before[1]) != _summary(result):
                self.recheck_others(uri, folder)  # what they cite of this file changed (a heading, a REF-ID)
        self.checks[uri] = (version, result)
        self.publish(uri, diagnostics(result.findings, result.entry, self.encoding, self.site_url), version)
        return result

    def recheck_others(self, uri: str, folder: Folder) -> None:
        """Re-check (debounced) the other open documents of the folder: their findings may
        depend on this one's buffer, which changed or closed."""
        for other in self.open_uris():
            if other != uri and self.folder_of(other) is folder:
                self.schedule(other)

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
        doc = self.document(uri)
        seen = self.checks.get(uri)
        if doc is not None and seen and seen[0] == doc.version:
            return seen[1]
        return await self.check(uri)

    def reader(self, check: Checking):
        """relpath -> the parsed file of the document's KB (open buffers win)."""
        overlay = self.overlay()
        return lambda rel: read_entry(check.folder, check.kb, rel, overlay)

    def text_edit(self, lines, e: actions.Edit) -> types.TextEdit:
        """An Edit (code points) as an LSP TextEdit over `lines`."""
        start = position(lines, e.start, e.start_char, self.encoding)
        end = position(lines, e.end, e.end_char, self.encoding) if e.end < len(lines) else types.Position(line=e.end, character=0)
        return types.TextEdit(range=types.Range(start=start, end=end), new_text=e.text)

    def workspace_edit(self, folder: Folder, change: edits.Change) -> types.WorkspaceEdit:
        """A Change as document changes: new files, text edits (on the names before the
        renames), then the renames."""
        out: list = []
        for rel, text in change.creates:
            uri = uri_of(folder.root / rel)
            out.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False)))
            out.append(types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                                              edits=[types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)), new_text=text)]))
        for rel, e in sorted(change.edits.items()):
            uri = uri_of(folder.root / rel)
            doc = self.document(uri)
            lines = doc.lines if doc else _lines(folder.root / rel)
            out.append(types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=doc.version if doc else None),
                                              edits=[self.text_edit(lines, e)]))
        for old, new in change.renames:
            out.append(types.RenameFile(old_uri=uri_of(folder.root / old), new_uri=uri_of(folder.root / new)))
        return types.WorkspaceEdit(document_changes=out)

    def location(self, folder: Folder, target: navigate.Target, lines=None) -> types.Location:
        """An LSP location of a place in a KB file."""
        path = folder.root / target.rel
        if lines is None and target.end:
            doc = self.document(uri_of(path))
            lines = doc.lines if doc else _lines(path)
        rng = span(lines or (), target.line, target.start, target.end, self.encoding)
        return types.Location(uri=uri_of(path), range=rng)


def _summary(check: Checking) -> Summary | None:
    """What other files' checks may see of a checked document."""
    return Summary.of(check.entry) if check.entry is not None else None


def _lines(path: Path) -> list[str]:
    try:
        return list(split(path.read_bytes().decode("utf-8", "replace")).lines)
    except OSError:
        return []



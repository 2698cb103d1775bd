"""The pygls wiring of `sima-check lsp`: one handler per LSP method, each a few lines over the
features (diagnostics, navigate, complete, actions, edits) and the state (state.py).

Every check goes through `checker.api.check` with the open buffers as the overlay, one at a
time (a lock), in a worker thread so the connection stays responsive.
"""
from __future__ import annotations

import asyncio
import sys

from lsprotocol import types

from ..edit import EditError
from ..parse.scan import parse_bytes
from . import actions, complete, edits, navigate
from .diagnostics import diagnostics
from .documents import check_document
from .folders import is_settings_file
from .positions import code_point, path_of, position, span
from .state import DEBOUNCE, JsonRpcRequestFailed, SimaServer

__all__ = ["DEBOUNCE", "SimaServer", "run", "server"]

server = SimaServer()


@server.feature(types.INITIALIZE)
def initialize(ls: SimaServer, params: types.InitializeParams) -> None:
    """Read the client's options: `siteUrl`, the published site (rule pages)."""
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("siteUrl"), str):
        ls.site_url = options["siteUrl"]


@server.feature(types.INITIALIZED)
async def initialized(ls: SimaServer, _params: types.InitializedParams) -> None:
    """Load the folders' settings, ask to be told of changes to them, check the whole workspace."""
    ls.load_folders()
    await ls.watch_files()
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
    if folder is not None:
        ls.recheck_others(uri, folder)  # they were checked against the buffer, now the disk counts
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
    for uri in ls.open_uris():
        await ls._fire(uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: SimaServer, params: types.DidSaveTextDocumentParams) -> None:
    """Saving pyproject.toml or .sima-check.toml re-reads the settings."""
    p = path_of(params.text_document.uri)
    if p is not None and is_settings_file(p):
        await _settings_changed(ls)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def watched(ls: SimaServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Settings files re-read the settings; KB files changed on disk re-check the open documents."""
    paths = [path_of(c.uri) for c in params.changes]
    if any(p is not None and is_settings_file(p) for p in paths):
        await _settings_changed(ls)
        return
    for f in ls.folders:
        f.stale = True
    for uri in ls.open_uris():
        ls.schedule(uri, 0)


async def _cursor(ls: SimaServer, params):
    """The document's current check, its lines and the cursor as (line, code point); None
    when the document has no check with references yet."""
    check = await ls.current(params.text_document.uri)
    if check is None or check.checked is None:
        return None
    lines = ls.workspace.get_text_document(params.text_document.uri).lines
    return (check, lines, *code_point(lines, params.position, ls.encoding))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: SimaServer, params: types.DefinitionParams) -> list[types.Location] | None:
    """Where the reference under the cursor leads (path, bare name, relative, link#anchor, REF-ID)."""
    at = await _cursor(ls, params)
    if at is None:
        return None
    check, lines, line, char = at
    found = navigate.definition(check.checked, line, char, ls.reader(check))
    return [ls.location(check.folder, t, ()) for t in found] or None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
async def references(ls: SimaServer, params: types.ReferenceParams) -> list[types.Location] | None:
    """Every citer of the entry under the cursor (or of this document), by any syntax."""
    at = await _cursor(ls, params)
    if at is None:
        return None
    check, lines, line, char = at
    rel = navigate.subject(check.checked, line, char)
    folder = check.folder
    if folder.stale or folder.full is None:
        async with ls.lock:
            await asyncio.to_thread(folder.check_all, ls.overlay())
    fresh = {c.rel: c.checked for uri, (_, c) in ls.checks.items() if c.folder is folder and c.checked}
    files = folder.citable(fresh)
    return [ls.location(folder, t, files[t.rel].entry.lines if t.rel in files else None) for t in navigate.citers(files, rel)]


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: SimaServer, params: types.HoverParams) -> types.Hover | None:
    """A reference's target (title, Type, Status, Purpose) or a rule code's summary."""
    at = await _cursor(ls, params)
    if at is None:
        return None
    check, lines, line, char = at
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


def _wanted(kind: types.CodeActionKind, only) -> bool:
    """Whether a code action of `kind` is among the kinds the client asked for (`only`: none
    means all; `source` covers `source.fixAll`, as LSP's kinds are dotted hierarchies)."""
    if not only:
        return True
    name = kind.value
    return any(name == getattr(k, "value", k) or name.startswith(f"{getattr(k, 'value', k)}.") for k in only)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
async def code_action(ls: SimaServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """The fix of each fixable finding in the range, and "fix all" for the file."""
    uri = params.text_document.uri
    check = await ls.current(uri)
    if check is None or check.entry is None:
        return None
    doc = ls.workspace.get_text_document(uri)
    # clamped to the document: an end line of 2**31 - 1 is valid LSP
    lines = range(params.range.start.line, min(params.range.end.line, len(doc.lines)) + 1)
    only = params.context.only
    out = []
    for fix in actions.fixes(check.entry, doc.source, check.kb, list(check.findings), set(lines)):
        kind = types.CodeActionKind.SourceFixAll if fix.fix_all else types.CodeActionKind.QuickFix
        if not _wanted(kind, only):
            continue
        diags = [d for d in params.context.diagnostics if d.code in fix.codes]
        out.append(types.CodeAction(title=fix.title, kind=kind, diagnostics=diags or None,
                                    edit=types.WorkspaceEdit(changes={uri: [ls.text_edit(doc.lines, fix.edit)]})))
    if not _wanted(types.CodeActionKind.QuickFix, only):
        return out
    for ref, res in check.checked.resolved:
        if ref.line - 1 in lines and res.status in ("unresolved", "unknown-refid"):
            change = edits.create_missing(check.folder.root, check.folder.settings, check.kb, check.entry, ref, res)
            if change is not None:
                diags = [d for d in params.context.diagnostics if d.range.start.line == ref.line - 1 and d.code in ("SIMA301", "SIMA304")]
                out.append(types.CodeAction(title=change.title, kind=types.CodeActionKind.QuickFix, diagnostics=diags or None,
                                            edit=ls.workspace_edit(check.folder, change)))
    return out


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(ls: SimaServer, params: types.PrepareRenameParams):
    """A REF-ID or a file reference that leads to one file can be renamed."""
    at = await _cursor(ls, params)
    if at is None:
        return None
    check, lines, line, char = at
    hit = navigate.reference_at(check.checked, line, char)
    if hit is None or not edits.renamable(*hit):
        return None
    ref, res = hit
    start, end = navigate.extent(ref)
    placeholder = ref.target if ref.syntax in ("refid", "field") else res.targets[0].rsplit("/", 1)[-1]
    return types.PrepareRenamePlaceholder(range=span(lines, line, start, end, ls.encoding), placeholder=placeholder)


@server.feature(types.TEXT_DOCUMENT_RENAME)  # pygls offers prepareRename to clients that support it
async def rename(ls: SimaServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    """Rename the entry a REF-ID or a file reference leads to: `mv`'s moves and citation edits."""
    at = await _cursor(ls, params)
    if at is None:
        return None
    check, lines, line, char = at
    hit = navigate.reference_at(check.checked, line, char)
    if hit is None or not edits.renamable(*hit):
        raise JsonRpcRequestFailed("sima-check: put the cursor on a REF-ID or a file reference to rename it")
    ref, res = hit
    folder = check.folder
    buffers = {}
    for doc in ls.workspace.text_documents.values():
        p = path_of(doc.uri)
        if p is not None and folder.owns(p):
            buffers[folder.relpath(p)] = doc.source
    try:
        dst = edits.rename_destination(ref, res.targets[0], params.new_name, check.kb)
        async with ls.lock:
            change = await asyncio.to_thread(edits.rename, folder.root, folder.settings, res.targets[0], dst, buffers)
    except EditError as exc:
        raise JsonRpcRequestFailed(f"sima-check: {exc}") from None
    return ls.workspace_edit(folder, change)


def run() -> None:
    """Serve over stdio until the client says exit: exit code 0 after a shutdown request, else 1
    (LSP's rule, which pygls's own exit, called from inside its event loop, does not carry out)."""
    server.start_io()
    sys.exit(0 if getattr(server.protocol, "_shutdown", False) else 1)

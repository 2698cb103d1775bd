"""`sima-check lsp` end to end: a real LSP client (pytest-lsp) drives the server over stdio."""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from helpers import clean_entry, recount

CITER = "sima/lessons/Cache-Rules_LESS-01.md"
BODY = "\n".join([
    "",
    "See /sima/decisions/DEC-01.md for the decision.",
    "The bare name DEC-01.md works too, and so does DEC-01.",
    "Read [why](../decisions/DEC-01.md#rationale) before changing it.",
    "<!-- sima-check: disable-next-line=SIMA301 -->",
    "Nothing to suppress here.",
])
DEC_BODY = "\n".join(["", "## Rationale", "", "Because the cache must stay warm."])

def make_kb(root: Path) -> dict[str, Path]:
    """A three-file KB in a project folder with `[tool.sima-check]`."""
    (root / "pyproject.toml").write_text('[tool.sima-check]\nroot = "sima"\n', encoding="utf-8")
    files = {
        "sima/decisions/DEC-01.md": clean_entry("decisions/DEC-01.md", "DEC-01", DEC_BODY),
        "sima/decisions/DEC-02.md": clean_entry("decisions/DEC-02.md", "DEC-02"),
        CITER: clean_entry("lessons/Cache-Rules_LESS-01.md", "LESS-01", BODY),
    }
    out = {}
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        out[rel] = p
    return out

@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "checker.cli", "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path):
    make_kb(tmp_path)
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="kb")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()

async def until(predicate, timeout: float = 20.0):
    """Wait until `predicate()` is truthy; its value."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("timed out waiting for the server")

def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=path.read_text(encoding="utf-8") if text is None else text)))
    return uri

def open_spaced(client: LanguageClient, root: Path, body: str) -> tuple[str, str]:
    """Write and open `lessons/Warm Cache_LESS-02.md` (a space in its name): (text, uri)."""
    path = root / "sima/lessons/Warm Cache_LESS-02.md"
    text = clean_entry("lessons/Warm Cache_LESS-02.md", "LESS-02", body)
    path.write_text(text, encoding="utf-8")
    return text, open_doc(client, path)

def replace_text(client: LanguageClient, uri: str, version: int, text: str) -> None:
    """A didChange that replaces the whole buffer."""
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

def codes(client: LanguageClient, uri: str) -> list[str]:
    return [d.code for d in client.diagnostics.get(uri, [])]

def pos(text: str, needle: str, offset: int = 0) -> types.Position:
    for i, line in enumerate(text.split("\n")):
        if needle in line:
            return types.Position(line=i, character=line.index(needle) + offset)
    raise AssertionError(needle)

@pytest.mark.asyncio
async def test_diagnostics_on_start_open_and_edit(client: LanguageClient, tmp_path):
    citer = tmp_path / CITER
    uri = citer.as_uri()
    # the workspace check on start publishes the suppression that matches nothing
    await until(lambda: "SIMA001" in codes(client, uri))
    text = citer.read_text(encoding="utf-8")
    open_doc(client, citer)
    broken = text.replace("/sima/decisions/DEC-01.md", "/sima/decisions/DEC-99.md")
    replace_text(client, uri, 2, broken)
    await until(lambda: "SIMA301" in codes(client, uri))
    d = next(d for d in client.diagnostics[uri] if d.code == "SIMA301")
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.source == "sima-check"
    assert d.range.start == pos(broken, "/sima/decisions/DEC-99.md")
    assert d.range.end.character - d.range.start.character == len("/sima/decisions/DEC-99.md")
    assert d.code_description.href.startswith("https://")
    # the edit is not on disk: the file there still resolves
    assert "DEC-99" not in citer.read_text(encoding="utf-8")

@pytest.mark.asyncio
async def test_utf16_columns_and_a_file_name_with_spaces(client: LanguageClient, tmp_path):
    text, uri = open_spaced(client, tmp_path, "\n🙂 see /sima/decisions/DEC-99.md now")
    assert "%20" in uri
    await until(lambda: "SIMA301" in codes(client, uri))
    d = next(d for d in client.diagnostics[uri] if d.code == "SIMA301")
    line = pos(text, "/sima/decisions/DEC-99.md").line
    # the emoji is one code point but two UTF-16 code units
    assert d.range.start == types.Position(line=line, character=2 + len(" see "))
    assert d.range.end == types.Position(line=line, character=2 + len(" see /sima/decisions/DEC-99.md"))


@pytest.mark.asyncio
async def test_definition_hover_references(client: LanguageClient, tmp_path):
    citer, dec = tmp_path / CITER, tmp_path / "sima/decisions/DEC-01.md"
    text = citer.read_text(encoding="utf-8")
    uri = open_doc(client, citer)
    doc = types.TextDocumentIdentifier(uri=uri)
    for needle in ("/sima/decisions/DEC-01.md", "DEC-01.md works", "DEC-01."):
        found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=pos(text, needle, 2)))
        assert [loc.uri for loc in found] == [dec.as_uri()], needle
        assert found[0].range.start.line == 0
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=pos(text, "../decisions/DEC-01.md#rationale", 3)))
    dec_text = dec.read_text(encoding="utf-8")
    assert found[0].uri == dec.as_uri() and found[0].range.start.line == pos(dec_text, "## Rationale").line

    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc, position=pos(text, "DEC-01.md works", 1)))
    assert "DEC-01.md" in hover.contents.value and "Status: Active" in hover.contents.value
    assert "Type: LESS (Lesson Learned)" in hover.contents.value and "Purpose: A small clean entry" in hover.contents.value
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc, position=pos(text, "SIMA301", 2)))
    assert hover.contents.value.startswith("**SIMA301 xref-unresolved**")

    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc, position=pos(text, "DEC-01.md works", 1), context=types.ReferenceContext(include_declaration=False)))
    assert {r.uri for r in refs} == {uri}
    assert len(refs) == 4  # kb path, bare name, REF-ID, link
    # an unsaved buffer that starts citing DEC-01 counts at once
    other = tmp_path / "sima/decisions/DEC-02.md"
    other_text = other.read_text(encoding="utf-8").replace("Nothing here is wrong.", "Follows DEC-01.")
    other_uri = open_doc(client, other, other_text)
    await until(lambda: other_uri in client.diagnostics)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc, position=pos(text, "DEC-01.md works", 1), context=types.ReferenceContext(include_declaration=False)))
    assert sorted((r.uri, r.range.start.line) for r in refs if r.uri == other_uri) == [(other_uri, pos(other_text, "Follows DEC-01").line)]

@pytest.mark.asyncio
async def test_completion_after_family_prefix_path_and_anchor(client: LanguageClient, tmp_path):
    citer = tmp_path / CITER
    text = citer.read_text(encoding="utf-8").replace("Nothing to suppress here.", "Also DEC-")
    uri = open_doc(client, citer, text)
    doc = types.TextDocumentIdentifier(uri=uri)
    at = pos(text, "Also DEC-", len("Also DEC-"))
    result = await client.text_document_completion_async(types.CompletionParams(text_document=doc, position=at))
    labels = {i.label: i for i in result.items}
    assert set(labels) == {"DEC-01", "DEC-02"}
    assert labels["DEC-01"].detail == "DEC-01.md"
    assert labels["DEC-01"].text_edit.range.start.character == at.character - len("DEC-")

    text2 = text.replace("Also DEC-", "Also /sima/decisions/")
    replace_text(client, uri, 2, text2)
    at = pos(text2, "Also /sima/decisions/", len("Also /sima/decisions/"))
    result = await client.text_document_completion_async(types.CompletionParams(text_document=doc, position=at))
    assert [i.label for i in result.items] == ["DEC-01.md", "DEC-02.md"]

    text3 = text.replace("Also DEC-", "Also [x](../decisions/DEC-01.md#ra")
    replace_text(client, uri, 3, text3)
    at = pos(text3, "#ra", 3)
    result = await client.text_document_completion_async(types.CompletionParams(text_document=doc, position=at))
    assert "rationale" in [i.label for i in result.items]

@pytest.mark.asyncio
async def test_code_action_applies_a_fix(client: LanguageClient, tmp_path):
    dec = tmp_path / "sima/decisions/DEC-02.md"
    text = dec.read_text(encoding="utf-8")
    wrong = text.replace("**Total Lines:** ", "**Total Lines:** 9")
    uri = open_doc(client, dec, wrong)
    await until(lambda: "SIMA202" in codes(client, uri))
    diag = next(d for d in client.diagnostics[uri] if d.code == "SIMA202")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))
    titles = [a.title for a in actions]
    assert titles == ["Fix SIMA202 footer-total-lines", "Fix all sima-check fixable findings in this file"]
    fixed = apply_edits(wrong, actions[0].edit.changes[uri])
    assert fixed == recount(wrong) == text
    assert dec.read_text(encoding="utf-8") == text  # nothing written

@pytest.mark.asyncio
async def test_code_actions_of_the_kinds_asked_for_and_a_range_past_the_end(client: LanguageClient, tmp_path):
    """`only` as VS Code's codeActionsOnSave and Neovim send it (plain strings, `source` covers
    `source.fixAll`); an end line of 2**31 - 1 is valid LSP and is clamped, not enumerated."""
    dec = tmp_path / "sima/decisions/DEC-02.md"
    wrong = dec.read_text(encoding="utf-8").replace("**Total Lines:** ", "**Total Lines:** 9")
    uri = open_doc(client, dec, wrong)
    await until(lambda: "SIMA202" in codes(client, uri))
    diag = next(d for d in client.diagnostics[uri] if d.code == "SIMA202")

    async def kinds(only, end=None):
        rng = diag.range if end is None else types.Range(start=types.Position(line=0, character=0), end=types.Position(line=end, character=0))
        found = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=rng,
            context=types.CodeActionContext(diagnostics=[diag], only=only)))
        return [a.kind for a in found]

    assert await kinds(["source.fixAll"]) == [types.CodeActionKind.SourceFixAll]
    assert await kinds(["source"]) == [types.CodeActionKind.SourceFixAll]
    assert await kinds(["quickfix"]) == [types.CodeActionKind.QuickFix]
    assert await kinds(["refactor"]) == []
    assert await kinds(None, 2**31 - 1) == [types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]


@pytest.mark.asyncio
async def test_a_file_name_with_spaces_is_checked_after_each_edit(client: LanguageClient, tmp_path):
    """pygls keeps such a document under its unquoted URI; the client's has `%20`."""
    text, uri = open_spaced(client, tmp_path, "\nSee DEC-01 first.")
    at = pos(text, "DEC-01 first", 2)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at))
    assert found and found[0].uri.endswith("/decisions/DEC-01.md")
    broken = text.replace("See DEC-01 first.", "See /sima/decisions/DEC-77.md first.")
    replace_text(client, uri, 2, broken)
    await until(lambda: "SIMA301" in codes(client, uri))
    d = next(d for d in client.diagnostics[uri] if d.code == "SIMA301")
    assert d.range.start == pos(broken, "/sima/decisions/DEC-77.md")


@pytest.mark.asyncio
async def test_a_lone_surrogate_costs_its_own_buffer_only(client: LanguageClient, tmp_path):
    citer, dec = tmp_path / CITER, tmp_path / "sima/decisions/DEC-02.md"
    bad = open_doc(client, dec, dec.read_text(encoding="utf-8") + "\ud800\n")
    await until(lambda: "SIMA601" in codes(client, bad))
    text = citer.read_text(encoding="utf-8")
    uri = open_doc(client, citer, text.replace("/sima/decisions/DEC-01.md", "/sima/decisions/DEC-98.md"))
    await until(lambda: "SIMA301" in codes(client, uri))


@pytest.mark.asyncio
async def test_other_open_documents_follow_a_buffer_they_cite(client: LanguageClient, tmp_path):
    """A cites DEC-01.md#rationale: renaming that heading in DEC-01's buffer re-checks A."""
    citer, dec = tmp_path / CITER, tmp_path / "sima/decisions/DEC-01.md"
    uri = open_doc(client, citer)
    await until(lambda: uri in client.diagnostics and "SIMA305" not in codes(client, uri))
    dec_uri = open_doc(client, dec)
    renamed = dec.read_text(encoding="utf-8").replace("## Rationale", "## Reasons")
    replace_text(client, dec_uri, 2, renamed)
    await until(lambda: "SIMA305" in codes(client, uri))
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=dec_uri)))
    await until(lambda: "SIMA305" not in codes(client, uri))  # the disk's DEC-01 has the heading


@pytest.mark.asyncio
async def test_positions_after_a_unicode_line_separator(client: LanguageClient, tmp_path):
    """LSP lines end at \\n, \\r\\n or \\r only; U+2028 inside a line does not start a new one."""
    citer = tmp_path / CITER
    text = citer.read_text(encoding="utf-8").replace("Nothing to suppress here.", "Odd\u2028line here.")
    uri = open_doc(client, citer, text)
    line = pos(text, "Read [why]").line
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=line + 3, character=0), end=types.Position(line=line + 3, character=0)),
            text="See /sima/decisions/DEC-55.md.\n")]))
    await until(lambda: "SIMA301" in codes(client, uri))
    d = next(d for d in client.diagnostics[uri] if d.code == "SIMA301")
    assert d.range.start.line == line + 3
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=pos(text, "The bare name").line + 0, character=len("The bare name DEC-01.md works too, and so does D"))))
    assert found and found[0].uri.endswith("DEC-01.md")


@pytest.mark.asyncio
async def test_rename_a_refid_moves_the_file_and_rewrites_its_citers(client: LanguageClient, tmp_path):
    citer, dec = tmp_path / CITER, tmp_path / "sima/decisions/DEC-01.md"
    text = citer.read_text(encoding="utf-8")
    uri = open_doc(client, citer)
    doc = types.TextDocumentIdentifier(uri=uri)
    at = pos(text, "so does DEC-01", len("so does "))
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(text_document=doc, position=at))
    assert prepared.placeholder == "DEC-01"
    assert prepared.range.start == at and prepared.range.end.character == at.character + len("DEC-01")
    edit = await client.text_document_rename_async(types.RenameParams(text_document=doc, position=at, new_name="DEC-07"))
    renames = [c for c in edit.document_changes if isinstance(c, types.RenameFile)]
    assert [(r.old_uri, r.new_uri) for r in renames] == [(dec.as_uri(), (tmp_path / "sima/decisions/DEC-07.md").as_uri())]
    by_uri = {c.text_document.uri: c.edits for c in edit.document_changes if isinstance(c, types.TextDocumentEdit)}
    after = apply_edits(text, list(by_uri[uri]))
    assert "DEC-01" not in after
    assert after.count("DEC-07") == text.count("DEC-01")
    assert "/sima/decisions/DEC-07.md" in after and "(../decisions/DEC-07.md#rationale)" in after
    moved = apply_edits(dec.read_text(encoding="utf-8"), list(by_uri[dec.as_uri()]))
    assert moved.startswith("# DEC-07.md") and "**REF-ID:** DEC-07" in moved
    assert dec.exists() and citer.read_text(encoding="utf-8") == text  # nothing written


@pytest.mark.asyncio
async def test_code_action_creates_the_missing_entry(client: LanguageClient, tmp_path):
    citer = tmp_path / CITER
    text = citer.read_text(encoding="utf-8").replace("Nothing here is wrong.", "See /sima/decisions/DEC-03.md and DEC-09.")
    uri = open_doc(client, citer, text)
    await until(lambda: {"SIMA301", "SIMA304"} <= set(codes(client, uri)))
    line = pos(text, "See /sima/decisions/DEC-03.md").line
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=5)),
        context=types.CodeActionContext(diagnostics=client.diagnostics[uri])))
    titles = [a.title for a in actions]
    assert "Create decisions/DEC-03.md" in titles
    create = actions[titles.index("Create decisions/DEC-03.md")].edit.document_changes
    new_uri = (tmp_path / "sima/decisions/DEC-03.md").as_uri()
    assert isinstance(create[0], types.CreateFile) and create[0].uri == new_uri
    scaffold = create[1].edits[0].new_text
    assert scaffold.startswith("# DEC-03.md") and "**REF-ID:** DEC-03" in scaffold
    other = next(a for a in actions if a.title.startswith("Create") and "cite it here" in a.title)
    assert "DEC-03" in other.title  # DEC-09 is not the next free number: the mention follows the new entry
    rewritten = apply_edits(text, [c for c in other.edit.document_changes if isinstance(c, types.TextDocumentEdit) and c.text_document.uri == uri][0].edits)
    assert "and DEC-03." in rewritten
    assert not (tmp_path / "sima/decisions/DEC-03.md").exists()


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply text edits (ASCII text: code units are characters)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def off(p: types.Position) -> int:
        return min(offsets[p.line] + p.character, len(text)) if p.line < len(offsets) else len(text)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:off(e.range.start)] + e.new_text + text[off(e.range.end):]
    return text


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "checker.cli", "lsp"]))
async def multi(lsp_client: LanguageClient, tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    make_kb(good)
    (bad / "pyproject.toml").write_text('[tool.sima-check]\nroot = "knowledge"\n', encoding="utf-8")
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def _register(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)

    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True))),
        workspace_folders=[types.WorkspaceFolder(uri=good.as_uri(), name="good"),
                           types.WorkspaceFolder(uri=bad.as_uri(), name="bad")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_multi_root_missing_root_and_settings_reload(multi: LanguageClient, tmp_path):
    client = multi
    uri = (tmp_path / "good" / CITER).as_uri()
    await until(lambda: "SIMA001" in codes(client, uri))
    # the folder whose root is missing gets one clear message, and the server carries on
    await until(lambda: client.messages)
    assert len(client.messages) == 1
    msg = client.messages[0]
    assert msg.type == types.MessageType.Error and "knowledge base root not found" in msg.message
    assert "knowledge" in msg.message
    # the server asked to be told of changes to the settings files and the KB's Markdown
    [reg] = client.registrations
    assert reg.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert {w["globPattern"] for w in reg.register_options["watchers"]} >= {"**/pyproject.toml", "**/.sima-check.toml"}
    # settings re-read on save of pyproject.toml: SIMA001 off
    project = tmp_path / "good" / "pyproject.toml"
    project.write_text('[tool.sima-check]\nroot = "sima"\nignore = ["SIMA001"]\n', encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=project.as_uri())))
    await until(lambda: uri in client.diagnostics and "SIMA001" not in codes(client, uri))
    # and on a watched-file change: back on
    project.write_text('[tool.sima-check]\nroot = "sima"\n', encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=project.as_uri(), type=types.FileChangeType.Changed)]))
    await until(lambda: "SIMA001" in codes(client, uri))
    # a bad settings file is one message too, not a crash
    project.write_text('[tool.sima-check]\nroot = "sima"\nline-limit = "many"\n', encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=project.as_uri(), type=types.FileChangeType.Changed)]))
    await until(lambda: len(client.messages) >= 2)
    assert "line-limit" in client.messages[1].message and "pyproject.toml" in client.messages[1].message
    await until(lambda: len(client.diagnostics.get(uri, [None])) == 0)  # that KB is not checked any more
    assert len(client.messages) == 2  # the missing root was said once, not at every reload
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)))
    assert hover is None


@pytest.mark.asyncio
async def test_shutdown_and_exit_end_the_process_cleanly(tmp_path):
    from pygls.lsp.client import LanguageClient as PlainClient

    make_kb(tmp_path)
    plain = PlainClient("test", "1")
    await plain.start_io(sys.executable, "-m", "checker.cli", "lsp")
    result = await plain.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
            rename=types.RenameClientCapabilities(prepare_support=True))), root_uri=tmp_path.as_uri()))
    assert result.server_info.name == "sima-check"
    caps = result.capabilities
    assert caps.definition_provider and caps.references_provider and caps.hover_provider
    assert caps.rename_provider.prepare_provider and set(caps.completion_provider.trigger_characters) == {"-", "/", "#"}
    assert set(caps.code_action_provider.code_action_kinds) == {types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll}
    plain.initialized(types.InitializedParams())
    await plain.shutdown_async(None)
    plain.exit(None)
    assert await asyncio.wait_for(plain._server.wait(), 10) == 0
    await plain.stop()


@pytest.mark.asyncio
async def test_exit_without_shutdown_is_exit_code_1(tmp_path):
    from pygls.lsp.client import LanguageClient as PlainClient

    make_kb(tmp_path)
    plain = PlainClient("test", "1")
    await plain.start_io(sys.executable, "-m", "checker.cli", "lsp")
    await plain.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri()))
    plain.initialized(types.InitializedParams())
    plain.exit(None)
    assert await asyncio.wait_for(plain._server.wait(), 10) == 1
    await plain.stop()


def test_every_request_is_answered_before_init_with_bad_params_and_after_shutdown(tmp_path):
    """Raw JSON-RPC over stdio: the errors LSP names (-32002, -32602, -32600), never silence."""
    import json
    import subprocess
    import threading

    make_kb(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "checker.cli", "lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    watchdog = threading.Timer(30, proc.kill)  # a request left unanswered would block the read
    watchdog.start()

    def send(obj: dict) -> None:
        body = json.dumps(obj).encode()
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        proc.stdin.flush()

    def answer(msg_id: int) -> dict:
        while True:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                head += proc.stdout.read(1) or pytest.fail("the server closed its output")
            message = json.loads(proc.stdout.read(int(head.split(b":")[1].split(b"\r")[0])))
            if message.get("id") == msg_id and "method" not in message:
                return message

    hover = {"textDocument": {"uri": (tmp_path / CITER).as_uri()}, "position": {"line": 0, "character": 0}}
    try:
        send({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": hover})
        assert answer(1)["error"]["code"] == -32002
        send({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}})
        assert "result" in answer(2)
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"textDocument": hover["textDocument"], "position": {"line": -1}}})
        assert answer(3)["error"]["code"] == -32602
        send({"jsonrpc": "2.0", "id": 4, "method": "shutdown"})
        assert answer(4)["result"] is None
        send({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": hover})
        assert answer(5)["error"]["code"] == -32600
        send({"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(10) == 0
    finally:
        watchdog.cancel()
        proc.kill()

"""Edit-to-diagnostics latency of `sima-check lsp` in a generated KB (run by hand, not by pytest).

    python tests/benchmarks/lsp.py                 # 1,000 entries, seed 1, 10 edits
    python tests/benchmarks/lsp.py --n 1000 --edits 20

Starts the server as a subprocess and drives it over stdio with pygls's LanguageClient:
initialize (the workspace check on start is timed too), open one entry, then each edit breaks
or restores a `/sima/` reference; the time from sending didChange to receiving the matching
publishDiagnostics is one sample. The server waits DEBOUNCE (0.3 s) of quiet before checking,
so the figure printed beside it is the latency minus that pause (the check itself).
"""
from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from generate import generate  # noqa: E402
from checker.lsp.server import DEBOUNCE  # noqa: E402


def _entry_with_path(root: Path) -> tuple[Path, str, str]:
    """An entry citing another by `/sima/` path, and that path."""
    for p in sorted(root.rglob("*.md")):
        text = p.read_text(encoding="utf-8")
        m = re.search(r"/sima/[^\s`)]+?\.md", text)
        if m and "Index" not in p.name:
            return p, text, m.group(0)
    raise SystemExit("no entry cites a /sima/ path")


async def bench(n: int, seed: int, edits: int, work: Path) -> None:
    project = work / f"kb-{n}-{seed}"
    kb = project / "sima"
    if not kb.is_dir():
        generate(kb, n, seed)
    (project / "pyproject.toml").write_text('[tool.sima-check]\nroot = "sima"\n', encoding="utf-8")
    target, text, ref = _entry_with_path(kb)
    uri = target.as_uri()
    client = LanguageClient("bench", "1")
    arrived: dict[str, list[tuple[float, types.PublishDiagnosticsParams]]] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diags(params: types.PublishDiagnosticsParams) -> None:
        arrived.setdefault(params.uri, []).append((time.perf_counter(), params))

    await client.start_io(sys.executable, "-m", "checker.cli", "lsp", cwd=str(project))
    t0 = time.perf_counter()
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=project.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="kb")]))
    client.initialized(types.InitializedParams())
    while uri not in arrived and not any(arrived):
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)
    while True:  # the start-up check publishes in one burst; wait for the end of it
        last = max(t for v in arrived.values() for t, _ in v)
        if time.perf_counter() - last > 0.5:
            break
        await asyncio.sleep(0.1)
    start_check = last - t0
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=text)))
    while not any(p.version == 1 for _, p in arrived.get(uri, [])):
        await asyncio.sleep(0.005)
    samples = []
    for i in range(edits):
        version = i + 2
        body = text.replace(ref, ref[:-3] + "-missing.md") if i % 2 == 0 else text
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=body)]))
        while True:
            got = [(t, p) for t, p in arrived.get(uri, []) if p.version == version]
            if got:
                t, p = got[0]
                broken = any(d.code == "SIMA301" for d in p.diagnostics)
                assert broken == (i % 2 == 0), "diagnostics do not follow the edit"
                samples.append(t - sent)
                break
            await asyncio.sleep(0.002)
    line_no = next(i for i, line in enumerate(text.split("\n")) if ref in line)
    at = types.Position(line=line_no, character=text.split("\n")[line_no].index(ref) + 2)
    doc = types.TextDocumentIdentifier(uri=uri)
    timed = {}
    for name, call in (
        ("definition", lambda: client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=at))),
        ("hover", lambda: client.text_document_hover_async(types.HoverParams(text_document=doc, position=at))),
        ("references (index unchanged)", lambda: client.text_document_references_async(types.ReferenceParams(
            text_document=doc, position=at, context=types.ReferenceContext(include_declaration=False)))),
    ):
        t = time.perf_counter()
        result = await call()
        timed[name] = (time.perf_counter() - t, result)
    # a new heading changes what other files may cite: the next references request re-checks the KB
    version = edits + 2
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text + "\n## A new heading\n")]))
    while not any(p.version == version for _, p in arrived.get(uri, [])):
        await asyncio.sleep(0.005)
    t = time.perf_counter()
    result = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc, position=at, context=types.ReferenceContext(include_declaration=False)))
    timed["references (after a heading edit: whole KB re-checked)"] = (time.perf_counter() - t, result)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    files = sum(1 for _ in kb.rglob("*.md"))
    med, worst = statistics.median(samples), max(samples)
    print(f"KB: {files} Markdown files ({n} generated entries, seed {seed}); edited {target.relative_to(kb)}")
    print(f"workspace check on start (initialize -> last diagnostics): {start_check:.2f} s")
    print(f"edit -> diagnostics over {edits} edits: median {med:.3f} s, max {worst:.3f} s "
          f"(check alone, minus the {DEBOUNCE:.1f} s debounce: median {med - DEBOUNCE:.3f} s, max {worst - DEBOUNCE:.3f} s); target < 2 s")
    for name, (secs, result) in timed.items():
        count = len(result) if isinstance(result, list) else (1 if result else 0)
        print(f"{name}: {secs:.3f} s ({count} result{'s' if count != 1 else ''})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sima-check-bench-lsp")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    asyncio.run(bench(args.n, args.seed, args.edits, args.work))


if __name__ == "__main__":
    main()

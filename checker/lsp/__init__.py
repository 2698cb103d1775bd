"""`sima-check lsp`: a language server over stdio (pygls), thin wiring over plain features.

folders   one KB per workspace folder: settings, root, cache, the last whole-KB check
documents check an open document against its KB with the unsaved buffers overlaid
diagnostics findings -> LSP diagnostics
navigate  definition, references and hover over the resolved references of a checked file
complete  completion: REF-IDs, `/sima/` path segments, heading anchors
actions   code actions: each fixable finding's fix, fix all
server    the pygls server: handlers, debounce, conversions of positions

Positions inside the features are 0-based (line, code point); the server converts them to the
client's position encoding.
"""

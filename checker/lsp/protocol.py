"""pygls's protocol with the answers LSP requires and pygls 2.1 leaves out: a request with
invalid params gets error -32602 (pygls shows a message and never answers, so the client
waits), a request before `initialize` gets -32002, one after `shutdown` gets -32600 (pygls
drops it silently)."""
from __future__ import annotations

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcServerNotInitialized
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import RPCRequest


class _Answered:
    """A request already answered with an error: `handle_message` passes it by."""

    jsonrpc = "answered"


class SimaProtocol(LanguageServerProtocol):
    """LanguageServerProtocol, every request answered."""

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                exc.message = f"invalid params for {data['method']}"
                self._send_response(data["id"], error=exc.to_response_error())
                return _Answered()
            raise

    def handle_message(self, message) -> None:
        if isinstance(message, _Answered):
            return
        if isinstance(message, RPCRequest) and message.method != types.INITIALIZE:
            error = None
            if self._shutdown:
                error = JsonRpcInvalidRequest(f"{message.method}: the server is shutting down")
            elif self._workspace is None:
                error = JsonRpcServerNotInitialized(f"{message.method}: the server is not initialized yet")
            if error is not None:
                self._send_response(message.id, error=error.to_response_error())
                return
        super().handle_message(message)

"""A tiny local HTTP server that speaks the OpenAI and Ollama chat wire protocols.

It answers every chat request with a configured text, in the response shapes the real
servers send (recorded from OpenAI's API / llama.cpp's ``llama-server`` and from Ollama):

* ``POST /v1/chat/completions``: a ``chat.completion`` JSON object, or with ``"stream":
  true`` server-sent events, one ``chat.completion.chunk`` per piece with the text in
  ``choices[0].delta.content``, a last chunk with ``finish_reason``, then ``data: [DONE]``.
* ``POST /api/chat``: Ollama's NDJSON stream, one ``{"message": {"content": ...}, "done":
  false}`` line per piece and a closing ``"done": true`` line with the counters (or a single
  object when ``"stream": false``).

Every request body is recorded in ``server.requests``; ``server.delay`` makes it sleep
before answering (for timeout tests).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CREATED = 1757000000
FINGERPRINT = "b6123-3f4c5a1e"


def pieces_of(text: str) -> list[str]:
    """Split an answer into token-like pieces (a word with its leading space)."""
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, reply: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply = reply
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout tests) closes the socket mid-answer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: ChatServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(body)
        self.server.paths.append(self.path)
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.path.rstrip("/").endswith("/chat/completions"):
            self._openai(body)
        elif self.path.rstrip("/") == "/api/chat":
            self._ollama(body)
        else:
            self._send(404, "application/json", b'{"error": "not found"}')

    def _send(self, status: int, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, kind: str, items: Iterator[bytes]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for data in items:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # --- OpenAI /v1/chat/completions ---------------------------------------------------

    def _openai(self, body: dict[str, Any]) -> None:
        model = body.get("model", "local-model")
        reply = self.server.reply
        usage = {"prompt_tokens": 412, "completion_tokens": len(reply.split()), "total_tokens": 0}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if not body.get("stream"):
            data = {
                "id": "chatcmpl-9xQk2f1",
                "object": "chat.completion",
                "created": CREATED,
                "model": model,
                "system_fingerprint": FINGERPRINT,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply, "refusal": None},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": usage,
            }
            self._send(200, "application/json", json.dumps(data).encode())
            return

        def chunk(delta: dict[str, Any], finish: str | None) -> bytes:
            data = {
                "id": "chatcmpl-9xQk2f1",
                "object": "chat.completion.chunk",
                "created": CREATED,
                "model": model,
                "system_fingerprint": FINGERPRINT,
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            return f"data: {json.dumps(data)}\n\n".encode()

        def events() -> Iterator[bytes]:
            yield chunk({"role": "assistant", "content": ""}, None)
            for piece in pieces_of(reply):
                yield chunk({"content": piece}, None)
            yield chunk({}, "stop")
            yield b"data: [DONE]\n\n"

        self._stream("text/event-stream; charset=utf-8", events())

    # --- Ollama /api/chat --------------------------------------------------------------

    def _ollama(self, body: dict[str, Any]) -> None:
        model = body.get("model", "smollm2:135m")
        created = "2025-09-05T08:52:19.385406455Z"
        final = {
            "model": model,
            "created_at": created,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "total_duration": 4883583458,
            "load_duration": 1334875,
            "prompt_eval_count": 412,
            "prompt_eval_duration": 342546000,
            "eval_count": len(self.server.reply.split()),
            "eval_duration": 4535599000,
        }
        if body.get("stream") is False:
            whole = {**final, "message": {"role": "assistant", "content": self.server.reply}}
            self._send(200, "application/json; charset=utf-8", json.dumps(whole).encode())
            return

        def lines() -> Iterator[bytes]:
            for piece in pieces_of(self.server.reply):
                line = {
                    "model": model,
                    "created_at": created,
                    "message": {"role": "assistant", "content": piece},
                    "done": False,
                }
                yield (json.dumps(line) + "\n").encode()
            yield (json.dumps(final) + "\n").encode()

        self._stream("application/x-ndjson", lines())


@contextmanager
def chat_server(reply: str) -> Iterator[ChatServer]:
    """Run a ``ChatServer`` on 127.0.0.1 (a free port) in a thread for the block."""
    server = ChatServer(reply)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

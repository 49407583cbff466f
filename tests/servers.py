"""Helpers for tests that start real servers on loopback."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_app(assistant: Any) -> Iterator[str]:
    """The chat app over ``assistant`` on a free loopback port; yields its URL."""
    from ui.app import build_app, launch_app

    demo = build_app(assistant)
    port = free_port()
    launch_app(
        demo, assistant.settings, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()

"""Shared fixtures: an outbound-network guard, one embedding model, one indexed assistant.

The model loads once per session (``embedder``); every ``Assistant`` built here gets that
instance before anything uses it, so no test pays for a second load. ``assistant`` holds
the five bundled articles and must be treated as read-only; tests that write use
``fresh_assistant`` (an empty index in the test's own temporary folder).
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run and machine (a CI run must not fail
# on a draw a local run never made) and keep no example database in the checkout.
hypothesis_settings.register_profile("newsqa", derandomize=True, database=None)
hypothesis_settings.load_profile("newsqa")

# Before anything imports Hugging Face, Chroma or Gradio.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_loopback_host(host: Any) -> bool:
    """True for 127.0.0.0/8, ::1 (also IPv4-mapped) and the usual localhost names."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip().strip("[]").split("%", 1)[0].lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False  # any other host name would need DNS: that is network access too
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def _check_address(family: Any, address: Any) -> None:
    if family == getattr(socket, "AF_UNIX", object()):
        return
    if family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) and address else address
        if not is_loopback_host(host):
            raise RuntimeError(f"network access blocked in tests: connect to {address!r}")


@pytest.fixture(scope="session", autouse=True)
def _block_network() -> Iterator[None]:
    """Any connection to a non-loopback address raises instead of leaving the machine."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def connect(self: socket.socket, address: Any) -> None:
        _check_address(self.family, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check_address(self.family, address)
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        host = address[0] if isinstance(address, tuple) and address else address
        if not is_loopback_host(host):
            raise RuntimeError(f"network access blocked in tests: connect to {address!r}")
        return real_create_connection(address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        mp.setattr(socket, "create_connection", create_connection)
        yield


@pytest.fixture(scope="session")
def embedder() -> Any:
    """The real all-MiniLM-L6-v2 model, loaded once for the whole session."""
    from vectorstore.embeddings import Embedder

    model = Embedder()
    model.count_tokens("warm up")  # load now, so no single test carries the load time
    return model


@pytest.fixture(scope="session")
def make_assistant(embedder: Any) -> Callable[..., Any]:
    """Build an ``Assistant`` on ``home`` that uses the shared embedder.

    ``Assistant.__init__`` only stores its ``Embedder``; the index, chunker, retrievers
    and answerers read ``assistant.embedder`` when first built, so replacing it right
    after construction is safe. Extra keyword arguments become settings; the bundled
    articles are not indexed on first use unless asked for.
    """
    from rag.assistant import Assistant
    from rag.settings import Settings

    def make(home: Path, **overrides: Any) -> Any:
        overrides.setdefault("bundled_on_first_use", False)
        settings = Settings.load(home=home, environ={}, **overrides)
        assistant = Assistant(settings)
        assert assistant._index is None and not assistant._chains  # nothing built yet
        assistant.embedder = embedder
        return assistant

    return make


@pytest.fixture(scope="session")
def bundled(
    tmp_path_factory: pytest.TempPathFactory, make_assistant: Callable[..., Any]
) -> tuple[Any, Any]:
    """(assistant, report of its first ingest) over the five bundled articles."""
    home = tmp_path_factory.mktemp("newsqa")
    assistant = make_assistant(home, bundled_on_first_use=True)
    report = assistant.ingest([assistant.settings.articles_dir])
    return assistant, report


@pytest.fixture(scope="session")
def assistant(bundled: tuple[Any, Any]) -> Any:
    """The shared, read-only assistant with the bundled articles indexed."""
    return bundled[0]


@pytest.fixture
def fresh_assistant(tmp_path: Path, make_assistant: Callable[..., Any]) -> Callable[..., Any]:
    """Factory of assistants with an empty index in this test's temporary folder."""
    made = 0

    def make(**overrides: Any) -> Any:
        nonlocal made
        made += 1
        return make_assistant(tmp_path / f"home{made}", **overrides)

    return make


@pytest.fixture
def news_assistant(tmp_path: Path, make_assistant: Callable[..., Any]) -> Callable[..., Any]:
    """Factory: an assistant with the given articles (dicts in the JSONL article format)
    ingested into a fresh index; keyword arguments become settings."""
    made = 0

    def make(*articles: dict[str, Any], **overrides: Any) -> Any:
        nonlocal made
        made += 1
        path = tmp_path / f"articles{made}.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        assistant = make_assistant(tmp_path / f"news{made}", **overrides)
        assistant.ingest([path])
        return assistant

    return make

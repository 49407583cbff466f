"""Settings: defaults, sources and their priority, validation; and the test network guard."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.settings import BUNDLED_ARTICLES, Settings

# --- the network guard of conftest.py ----------------------------------------------------


def test_guard_blocks_create_connection_to_a_public_address() -> None:
    with pytest.raises(RuntimeError, match=r"^network access blocked in tests: "):
        socket.create_connection(("203.0.113.1", 80), timeout=1)


def test_guard_blocks_raw_connect_and_connect_ex() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        with pytest.raises(RuntimeError, match="network access blocked in tests"):
            sock.connect(("203.0.113.1", 443))
        with pytest.raises(RuntimeError, match="network access blocked in tests"):
            sock.connect_ex(("10.0.0.1", 443))


def test_guard_blocks_host_names_before_any_dns_lookup() -> None:
    with pytest.raises(RuntimeError, match="network access blocked in tests"):
        socket.create_connection(("huggingface.co", 443), timeout=1)


def _serve_once(server: socket.socket) -> None:
    conn, _ = server.accept()
    with conn:
        conn.sendall(b"ok")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_guard_allows_loopback(host: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        thread = threading.Thread(target=_serve_once, args=(server,), daemon=True)
        thread.start()
        with socket.create_connection((host, port), timeout=5) as client:
            assert client.recv(2) == b"ok"
        thread.join(5)


def test_guard_allows_unix_sockets(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            assert client.connect_ex(path) == 0


# --- Settings ---------------------------------------------------------------------------


def test_defaults(tmp_path: Path) -> None:
    s = Settings.load(home=tmp_path, environ={})
    assert s.home == tmp_path
    assert s.articles_dir == BUNDLED_ARTICLES
    assert (s.retriever, s.answerer, s.k, s.chunk_tokens, s.chunk_overlap) == (
        "hybrid",
        "extractive",
        6,
        200,
        1,
    )
    assert s.max_question_chars == 2000
    assert s.chroma_path == tmp_path / "chroma"
    assert s.bm25_path == tmp_path / "bm25"
    assert s.lock_path == tmp_path / "index.lock"


def test_environment_values_are_typed(tmp_path: Path) -> None:
    env = {
        "NEWSQA_HOME": str(tmp_path),
        "NEWSQA_K": "9",
        "NEWSQA_RETRIEVER": "bm25",
        "NEWSQA_LLM_TIMEOUT": "2.5",
        "NEWSQA_PORT": "8000",
        "NEWSQA_CHROMA_URL": "http://127.0.0.1:8001",
        "NEWSQA_SEARCH_EF": "400",
    }
    s = Settings.load(environ=env)
    assert s.home == tmp_path
    assert s.k == 9
    assert s.retriever == "bm25"
    assert s.llm_timeout == 2.5
    assert s.port == 8000
    assert s.chroma_url == "http://127.0.0.1:8001"
    assert s.search_ef == 400


def test_priority_default_config_env_override(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[newsqa]\nk = 3\nretriever = "dense"\nchunk_tokens = 150\n'
    )
    env = {"NEWSQA_HOME": str(tmp_path), "NEWSQA_K": "4"}
    s = Settings.load(environ=env, retriever="bm25")
    assert s.chunk_tokens == 150  # config file only
    assert s.k == 4  # environment beats the config file
    assert s.retriever == "bm25"  # explicit override beats both


def test_explicit_config_file_and_none_overrides_ignored(tmp_path: Path) -> None:
    cfg = tmp_path / "other.toml"
    cfg.write_text("k = 7\nbundled_on_first_use = false\n")
    s = Settings.load(config_file=cfg, environ={}, home=tmp_path, k=None)
    assert s.k == 7
    assert s.bundled_on_first_use is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"retriever": "magic"}, "unknown retriever 'magic'"),
        ({"answerer": "oracle"}, "unknown answerer 'oracle'"),
        ({"llm_backend": "x"}, "unknown LLM backend 'x'"),
        ({"k": 0}, "k must be between 1 and 100, not 0"),
        ({"k": 101}, "k must be between 1 and 100, not 101"),
        ({"chunk_tokens": 31}, "chunk_tokens must be between 32 and 250, not 31"),
        ({"chunk_tokens": 251}, "chunk_tokens must be between 32 and 250, not 251"),
        (
            {"search_ef": 5},
            "search_ef must be 0 (the collection's own) or between 10 and 10000, not 5",
        ),
        ({"colour": "blue"}, "unknown setting(s): colour"),
        ({"bundled_on_first_use": "maybe"}, "setting bundled_on_first_use: expected true/false"),
    ],
)
def test_bad_values_raise_config_error(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load(environ={}, home=tmp_path, **kwargs)
    assert message in str(info.value)


def test_bad_config_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match="config file not found"):
        Settings.load(config_file=missing, environ={})
    broken = tmp_path / "broken.toml"
    broken.write_text("k = = 3\n")
    with pytest.raises(ConfigError, match="cannot read config file"):
        Settings.load(config_file=broken, environ={})
    not_table = tmp_path / "nt.toml"
    not_table.write_text('newsqa = "x"\n')
    with pytest.raises(ConfigError, match=r"expected a \[newsqa\] table"):
        Settings.load(config_file=not_table, environ={})


def test_replace_validates_again(tmp_path: Path) -> None:
    s = Settings.load(home=tmp_path, environ={})
    assert s.replace(k=12).k == 12
    with pytest.raises(ConfigError):
        s.replace(retriever="nope")


def test_bool_strings_are_understood(tmp_path: Path) -> None:
    for text, value in [("yes", True), ("ON", True), ("0", False), ("off", False)]:
        s = Settings.load(home=tmp_path, environ={}, bundled_on_first_use=text)
        assert s.bundled_on_first_use is value


def test_bad_number_error_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load(environ={"NEWSQA_HOME": str(tmp_path), "NEWSQA_K": "abc"})
    assert re.search(r"\bk\b|NEWSQA_K", str(info.value)), str(info.value)

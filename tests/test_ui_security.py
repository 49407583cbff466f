"""The chat app serves only its own files: no system files, no index files, no traversal."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from servers import serve_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_url(
    tmp_path_factory: pytest.TempPathFactory, make_assistant: Callable[..., Any]
) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("ui-security")
    assistant = make_assistant(home)
    assistant.index.count()  # create the index files the app must not serve
    (home / "secret.txt").write_text("index-internal secret\n")
    with serve_app(assistant) as address:
        yield address.rstrip("/"), home


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=/etc/passwd",
        "/file=/etc/passwd",
        "/gradio_api/file=../../../../etc/passwd",
        "/gradio_api/file=%2Fetc%2Fpasswd",
    ],
)
def test_system_files_are_not_served(app_url: tuple[str, Path], path: str) -> None:
    status, body = fetch(app_url[0] + path)
    assert status in (400, 403, 404)
    assert b"root:" not in body


def test_index_files_are_not_served(app_url: tuple[str, Path]) -> None:
    url, home = app_url
    for target in (home / "secret.txt", home / "index.lock"):
        status, body = fetch(f"{url}/gradio_api/file={target}")
        assert status in (400, 403, 404)
        assert b"index-internal" not in body


def test_the_app_itself_is_served(app_url: tuple[str, Path]) -> None:
    status, body = fetch(app_url[0] + "/")
    assert status == 200
    assert b"NewsQA" in body

"""The chat app in a real headless Chromium (Playwright), against a real ``Assistant``.

Checks what only a browser shows: the answer streams into the chat, the sources panel
highlights the cited sentence, examples and Clear work, the timeline draws a chart, and
the layout holds at phone width. Saves ``docs/screenshot.png`` for the README.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from servers import serve_app

from rag.assistant import Assistant

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
ANSWER_TIMEOUT_MS = 180_000  # the first question also indexes the bundled articles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting.*"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def url(
    tmp_path_factory: pytest.TempPathFactory, make_assistant: Callable[..., Assistant]
) -> Iterator[str]:
    """The app on a free loopback port, over a fresh index (bundled articles on first use)."""
    assistant = make_assistant(tmp_path_factory.mktemp("home"), bundled_on_first_use=True)
    with serve_app(assistant) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, url: str) -> Iterator[Any]:
    """A fresh 1280x900 page on the app; fails the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(url)
    pg.wait_for_selector("#nqa-question textarea", timeout=60_000)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def ask(page: Any, question: str) -> None:
    page.fill("#nqa-question textarea", question)
    page.keyboard.press("Enter")


def test_chat_answer_sources_and_screenshot(page: Any, tmp_path: Path) -> None:
    # An example question offered on first load answers with its source highlighted.
    page.locator("#nqa-chat").get_by_text("Who is Mao Ning?").click()
    page.wait_for_selector("#nqa-sources .nqa-card", timeout=ANSWER_TIMEOUT_MS)
    assert "Mao Ning" in page.locator("#nqa-sources mark").first.inner_text()

    # Clear empties the conversation and the sources panel.
    page.click("#nqa-clear")
    page.wait_for_selector("#nqa-sources .nqa-hint")
    assert page.locator("#nqa-sources .nqa-card").count() == 0

    # A typed question: the answer, the cited passage with the used sentence marked.
    ask(page, "When did Kim last visit China?")
    page.wait_for_selector("#nqa-sources .nqa-card", timeout=ANSWER_TIMEOUT_MS)
    page.locator("#nqa-chat").get_by_text("September 2025").first.wait_for()
    card = page.locator("#nqa-sources .nqa-card").first
    assert card.locator(".nqa-idx").inner_text() == "[1]"
    assert "The Asia Business Daily" in card.inner_text()
    assert "first visit to China in six years" in card.locator("mark").inner_text()

    # A follow-up is rewritten with the subject of the previous question.
    ask(page, "And when did he meet Putin?")
    page.locator("#nqa-chat").get_by_text("Searched as").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "When did Kim meet Putin?" in page.locator("#nqa-chat").inner_text()
    page.wait_for_function(
        "document.querySelector('#nqa-sources mark')"
        " && document.querySelector('#nqa-sources mark').innerText.includes('Vostochny')"
    )
    page.wait_for_timeout(500)  # let the last streamed frame settle before the picture
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000

    # An empty question is a warning, not a chat turn.
    turns = page.locator("#nqa-chat .message").count()
    ask(page, "   ")
    page.get_by_text("the question is empty").first.wait_for()
    assert page.locator("#nqa-chat .message").count() == turns

    # Phone width: the columns stack and nothing is wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide at a 390px viewport"
    chat_box = page.locator("#nqa-chat").bounding_box()
    sources_box = page.locator("#nqa-sources").bounding_box()
    assert sources_box["y"] > chat_box["y"] + chat_box["height"] - 1  # stacked, not squeezed
    page.screenshot(path=str(tmp_path / "narrow.png"), full_page=True)


def test_timeline_chart_and_events(page: Any) -> None:
    page.get_by_role("tab", name="Timeline").click()
    page.fill("#nqa-topic textarea", "Kim Jong Un visits")
    page.get_by_role("button", name="Show timeline").click()
    page.wait_for_selector("#nqa-events li", timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_selector("#nqa-plot img", timeout=30_000)
    items = page.locator("#nqa-events li")
    assert items.count() >= 3
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    # Oldest first: Kim's previous visit to China (January 2019) before the 2023 summit.
    assert texts[0].startswith("January 2019")
    assert any(t.startswith("13 September 2023") for t in texts)
    first = items.first
    first.locator("summary").click()
    assert first.locator("details .nqa-passage").is_visible()


def test_articles_tab_lists_the_collection(page: Any) -> None:
    ask(page, "On what date did Putin visit Pyongyang?")  # indexes the bundled articles
    page.wait_for_selector("#nqa-sources .nqa-card", timeout=ANSWER_TIMEOUT_MS)
    page.get_by_role("tab", name="Articles").click()
    page.get_by_text("article(s) indexed.").wait_for(timeout=30_000)
    page.wait_for_function(
        "document.querySelector('#nqa-articles').innerText.includes('000_075620075a1fb010')"
    )
    assert "How will Kim-Putin summit affect China?" in page.locator("#nqa-articles").inner_text()

"""Questions that name a period: a sentence whose own dates fall outside it tells of another
time and ranks below one inside it, however many of the question's words it holds."""

from __future__ import annotations

from typing import Any

import pytest

ARTICLES = (
    {
        "id": "by-car",
        "title": "Putin drives to Beijing",
        "outlet": "Wire",
        "published": "2025-09-02",
        "text": "After concluding the summit in Tianjin the previous day, President Putin "
        "travelled to Beijing by car. He met President Xi at the guesthouse.",
    },
    {
        "id": "by-air",
        "title": "Putin lands in Beijing for forum",
        "outlet": "Wire",
        "published": "2023-10-17",
        "text": "Russian President Vladimir Putin arrived in Beijing by plane on the morning "
        "of the 17th. He is to attend a forum for two days.",
    },
)


@pytest.mark.slow
def test_evidence_from_the_period_asked_about(news_assistant: Any) -> None:
    assistant = news_assistant(*ARTICLES)
    answer = assistant.ask("How did Putin travel to Beijing in October 2023?", as_of="2025-12-01")
    assert answer.abstained is False
    assert answer.citations[0].doc_id == "by-air"
    assert "by plane" in answer.text
    assert "by car" not in answer.text

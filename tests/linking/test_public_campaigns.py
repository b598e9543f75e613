"""Public campaigns told in other words: for each, a demand (or an action saying what it asks)
and the company's answer or the outcome, written for these tests in our own words about the
real campaign (``public_campaigns.jsonl``: what each is about, its posts, what the answer must
read as). The answer must be read as an answer, at the right company, linked to the post that
asks, with the response type and outcome the news gives.

These were written while choosing engine 0.25.0's changes (docs/linking-history.md), as a
reviewer checking the engine on campaigns it was not built on would write them; they guard the
general readings those changes made, not figures.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from campaigns.linking.decide import ANSWERS
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput

CAMPAIGNS = Path(__file__).with_name("public_campaigns.jsonl")


def _campaigns() -> list[dict[str, Any]]:
    with CAMPAIGNS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _posts(campaign: dict[str, Any]) -> list[PostInput]:
    def url(i: int) -> str:
        return f"https://example.org/{campaign['key']}/{i}"

    return [
        PostInput(
            key=f"{campaign['key']}-{i}",
            text=post["text"],
            posted_at=datetime.fromisoformat(post["when"]).replace(tzinfo=UTC),
            platform=post.get("platform", "feed"),
            author_handle=post.get("handle"),
            url=url(i),
            lang=post.get("lang", "en"),
            source_kind=post["kind"],
            quote_of_url=url(post["quote"]) if "quote" in post else None,
            reply_to_url=url(post["reply"]) if "reply" in post else None,
        )
        for i, post in enumerate(campaign["posts"])
    ]


@pytest.mark.parametrize("campaign", _campaigns(), ids=lambda c: c["key"])
def test_the_answer_is_read_and_linked(linker: LinkingEngine, campaign: dict[str, Any]) -> None:
    posts = _posts(campaign)
    links = {link.post.key: link for link in linker.run(posts).links}
    first, answer = links[posts[0].key], links[posts[1].key]
    expected = campaign["answer"]
    assert first.company == campaign["first"].get("company", first.company)
    assert answer.role in ANSWERS, answer.reasons
    assert answer.company == expected.get("company", answer.company)
    if "answers" in expected:
        assert answer.linked_post_key == posts[expected["answers"]].key, answer.reasons
        assert answer.campaign_key == first.campaign_key
    for code in ("response_type", "outcome"):
        if code in expected:
            assert getattr(answer, code) == expected[code], (code, answer.reasons)

"""Mastodon (Mastodon.py) over vcrpy cassettes."""

from __future__ import annotations

import pytest

from connectors import mastodon
from connectors.base import NormalizeError
from tests.connectors.platforms import MastodonDouble
from tests.connectors.scenarios import PlatformScenarios


class TestMastodonConnector(PlatformScenarios):
    double = MastodonDouble()


def test_html_content_becomes_plain_text_with_content_warning_first():
    status = MastodonDouble().post(1) | {"spoiler_text": "labour news"}
    post = mastodon.normalize(status)
    assert post.text == "labour news\n\nPost 1: solidarity with the #strike & walkout"
    assert post.author_handle == "techworkers"


def test_handle_must_be_user_at_server():
    assert mastodon.split_handle("@techworkers@mastodon.social") == (
        "techworkers",
        "mastodon.social",
    )
    with pytest.raises(NormalizeError):
        mastodon.split_handle("techworkers")

"""Mastodon (Mastodon.py) over vcrpy cassettes."""

from __future__ import annotations

import pytest

from connectors import mastodon
from connectors.base import NormalizeError, html_to_text
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


def test_a_reply_in_the_accounts_own_thread_points_at_its_parent() -> None:
    from campaigns.linking.references import reference_key

    double = MastodonDouble()
    first = mastodon.normalize(double.post(1))
    second = mastodon.normalize(
        double.post(2)
        | {"in_reply_to_id": double.status_id(1), "in_reply_to_account_id": double.account_id}
    )
    assert second.reply_to_url is not None and first.url is not None
    # the parent's address, its web address and its URI (its id in the store) are one post
    assert (
        reference_key(second.reply_to_url)
        == reference_key(first.url)
        == reference_key(first.platform_post_id)
    )
    # a reply to someone else's status: its id is this server's copy, no address to point at
    other = mastodon.normalize(
        double.post(3) | {"in_reply_to_id": "109000000000000001", "in_reply_to_account_id": "77"}
    )
    assert other.reply_to_url is None


def test_scripts_and_style_sheets_are_not_text() -> None:
    html = (
        "<p>Walkout at noon</p><script>alert(1)</script><style>p { color: red }</style><p>Join</p>"
    )
    assert html_to_text(html) == "Walkout at noon\n\nJoin"

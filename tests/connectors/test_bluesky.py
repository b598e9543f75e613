"""Bluesky (atproto, public AppView) over httpx MockTransport replies."""

from __future__ import annotations

from connectors import bluesky
from tests.connectors.platforms import BlueskyDouble
from tests.connectors.scenarios import PlatformScenarios


class TestBlueskyConnector(PlatformScenarios):
    half_character = "page unreadable"
    double = BlueskyDouble()


def test_repost_is_skipped_and_pinned_post_does_not_move_the_mark():
    double = BlueskyDouble()
    pinned = double.post(1) | {"reason": {"$type": bluesky.REASON_PIN}}
    repost = double.post(5) | {
        "reason": {
            "$type": bluesky.REASON_REPOST,
            "by": {"did": double.did, "handle": double.handle},
            "indexedAt": "2024-03-01T00:00:00.000Z",
        }
    }
    from tests.connectors.doubles import HttpxReplay, Reply

    replay = HttpxReplay([Reply(double.path, body={"feed": [pinned, repost, double.post(3)]})])
    connector = bluesky.BlueskyConnector(transport=replay.transport)
    from connectors.base import SourceRef

    page = connector.fetch_page(SourceRef(1, "bluesky", double.handle, "worker_group"), None)
    assert [item["post"]["uri"] for item in page.items] == [double.key(1), double.key(3)]
    assert page.skipped == 1
    # The repost's time counts (it entered the feed then); the pinned post's never does.
    assert page.high_water_mark == "2024-03-01T00:00:00.000Z"


def test_normalize_links_replies_and_quotes_to_bsky_app():
    double = BlueskyDouble()
    item = double.post(2)
    item["post"]["record"]["reply"] = {
        "root": {"uri": double.key(1), "cid": "a"},
        "parent": {"uri": double.key(1), "cid": "a"},
    }
    item["post"]["record"]["embed"] = {
        "$type": "app.bsky.embed.record",
        "record": {"uri": "at://did:plc:other/app.bsky.feed.post/3kother", "cid": "b"},
    }
    post = bluesky.normalize(item)
    assert post.url == f"https://bsky.app/profile/{double.handle}/post/3kpost0002"
    assert post.reply_to_url == f"https://bsky.app/profile/{double.did}/post/3kpost0001"
    assert post.quote_of_url == "https://bsky.app/profile/did:plc:other/post/3kother"
    assert post.lang == "en"

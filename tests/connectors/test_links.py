"""Links kept beside a post's text, read from each platform's payload as its API documents it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors.links import outbound_links

LETTER = "https://medium.com/@aecj/open-letter-on-parler-1a2b3c"
PETITION = "https://www.change.org/p/amazon-stop-hosting-parler"
DEMAND_TWEET = "https://twitter.com/AMZNforClimate/status/1347950000000000001"


def test_a_tweets_short_links_are_read_as_the_addresses_they_stand_for() -> None:
    raw = {
        "tweet": {
            "id": "1348000000000000001",
            "text": "Amazon workers asked for this https://t.co/AbCdEf1234 https://t.co/ZyXwVu9876",
            "entities": {
                "urls": [
                    {
                        "start": 30, "end": 53, "url": "https://t.co/AbCdEf1234",
                        "expanded_url": DEMAND_TWEET, "display_url": "twitter.com/AMZNforClimat…",
                    },
                    {
                        "start": 54, "end": 77, "url": "https://t.co/ZyXwVu9876",
                        "expanded_url": "https://trib.al/abc",
                        "unwound_url": PETITION, "display_url": "trib.al/abc",
                    },
                ],
                "hashtags": [{"start": 0, "end": 5, "tag": "AWS"}],
            },
        },
        "author": {"id": "1", "username": "techreporter"},
    }  # fmt: skip
    assert outbound_links("x", json.dumps(raw)) == [DEMAND_TWEET, PETITION]


def test_a_mastodon_status_links_but_not_its_mentions_and_hashtags() -> None:
    content = (
        '<p>Our letter: <a href="' + LETTER + '" target="_blank" rel="nofollow noopener '
        'noreferrer"><span class="invisible">https://</span><span class="ellipsis">medium.com'
        '/@aecj/open-lett</span></a> <a href="https://mastodon.social/tags/AWS" class="mention '
        'hashtag" rel="tag">#<span>AWS</span></a> <span class="h-card"><a href="https://'
        'mastodon.social/@aecj" class="u-url mention">@<span>aecj</span></a></span></p>'
    )
    raw = {"id": "111", "content": content, "card": {"url": PETITION, "title": "Petition"}}
    assert outbound_links("mastodon", json.dumps(raw)) == [LETTER, PETITION]


def test_a_bluesky_post_links_in_its_facets_and_its_link_preview() -> None:
    raw = {
        "post": {
            "uri": "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kq2abcdefg2z",
            "record": {
                "$type": "app.bsky.feed.post",
                "text": "Read it: medium.com/@aecj/open… #AWS",
                "facets": [
                    {"index": {"byteStart": 9, "byteEnd": 30},
                     "features": [{"$type": "app.bsky.richtext.facet#link", "uri": LETTER}]},
                    {"index": {"byteStart": 31, "byteEnd": 35},
                     "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "AWS"}]},
                ],
                "embed": {
                    "$type": "app.bsky.embed.external",
                    "external": {"uri": PETITION, "title": "Petition", "description": ""},
                },
            },
        }
    }  # fmt: skip
    assert outbound_links("bluesky", json.dumps(raw)) == [LETTER, PETITION]


def test_a_feed_entry_links_in_its_summary_and_content_but_not_to_itself() -> None:
    own = "https://news.example.org/2021/01/10/amazon-suspends-parler"
    raw = {
        "link": own,
        "summary": f'<p>A day after <a href="{DEMAND_TWEET}">employees demanded</a> it. '
        f'<a href="{own}">Read more</a></p>',
        "content": [f'<p>The <a href="{PETITION}">petition</a> has 10,000 names.</p>'],
    }
    assert outbound_links("feed", json.dumps(raw)) == [DEMAND_TWEET, PETITION]


def test_a_post_imported_in_the_projects_format_lists_its_links() -> None:
    raw = {"platform": "x", "platform_post_id": "1", "links": [LETTER, 7, "not a url"]}
    assert outbound_links("x", json.dumps(raw)) == [LETTER]


@pytest.mark.parametrize(
    ("platform", "raw"),
    [
        ("x", "not json"),
        ("x", json.dumps([1, 2])),
        ("x", json.dumps({"tweet": {"entities": {"urls": "https://t.co/x"}}})),
        ("x", json.dumps({"tweet": "text"})),
        ("mastodon", json.dumps({"content": 42, "card": "https://e.org"})),
        ("bluesky", json.dumps({"post": {"record": {"facets": [{"features": "x"}]}}})),
        ("feed", json.dumps({"summary": None, "content": [None, 3]})),
        ("feed", json.dumps({"summary": "<a href=1>", "content": 5})),
        ("myspace", json.dumps({"links": "x"})),
        ("x", None),
    ],
)
def test_a_payload_of_an_unexpected_shape_gives_no_links(platform: str, raw: Any) -> None:
    assert outbound_links(platform, raw) == []

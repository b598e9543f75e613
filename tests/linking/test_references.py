"""Explicit references: one key per addressed post or page, links found in text, which pages
are specific enough to tie two posts together."""

from __future__ import annotations

import pytest

from campaigns.linking.references import (
    is_specific,
    links_in_text,
    reference_key,
)


@pytest.mark.parametrize(
    "address",
    [
        "https://twitter.com/AMZNforClimate/status/1347950000000000001",
        "https://x.com/i/web/status/1347950000000000001",  # what the X API's references give
        "http://mobile.twitter.com/amznforclimate/status/1347950000000000001?s=20&t=abc",
        "x.com/AMZNforClimate/status/1347950000000000001/",
        "https://www.twitter.com/i/status/1347950000000000001#reply",
    ],
)
def test_every_address_of_a_tweet_has_its_one_key(address: str) -> None:
    assert reference_key(address) == "x.com/status/1347950000000000001"


def test_a_bluesky_post_under_its_handle_or_its_did_has_one_key() -> None:
    by_handle = "https://bsky.app/profile/alphabetworkersunion.bsky.social/post/3kq2abcdefg2z"
    by_did = "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kq2abcdefg2z"
    assert reference_key(by_handle) == reference_key(by_did) == "bsky.app/post/3kq2abcdefg2z"
    other = "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kq2abcdefg3z"
    assert reference_key(other) != reference_key(by_did)


def test_other_pages_key_without_scheme_www_tracking_or_trailing_slash() -> None:
    petition = "https://www.change.org/p/amazon-stop-hosting-parler/?utm_source=x&fbclid=1#top"
    assert reference_key(petition) == "change.org/p/amazon-stop-hosting-parler"
    assert reference_key("https://Example.org/Letter?id=7&utm_medium=email") == (
        "example.org/letter?id=7"
    )
    # what a query says is kept: two videos are two pages
    assert reference_key("https://youtube.com/watch?v=a") != reference_key(
        "https://youtube.com/watch?v=b"
    )


def test_links_in_text_lose_the_punctuation_after_them() -> None:
    text = (
        "Read our letter (https://medium.com/@aecj/open-letter-1a2b). Sign: "
        "www.change.org/p/stop-parler, or see https://t.co/AbC123… #AmazonWorkers"
    )
    assert links_in_text(text) == [
        "https://medium.com/@aecj/open-letter-1a2b",
        "www.change.org/p/stop-parler",
        "https://t.co/AbC123",
    ]
    assert links_in_text("") == [] and links_in_text("no links here.") == []


@pytest.mark.parametrize(
    ("address", "specific"),
    [
        ("https://www.change.org/p/stop-parler", True),
        ("https://medium.com/@aecj/open-letter-1a2b", True),
        ("https://www.nytimes.com/2021/01/10/technology/amazon-parler.html", True),
        ("https://amazonemployees4climatejustice.org/", False),  # a front page
        ("https://x.com/AMZNforClimate", False),  # an account
        ("https://medium.com/@aecj", False),
        ("https://linktr.ee/alphabetworkers", False),
        ("https://bit.ly/3abcDEF", True),  # a short link stands for one page
    ],
)
def test_only_a_page_that_stands_for_one_thing_is_specific(address: str, specific: bool) -> None:
    assert is_specific(reference_key(address)) is specific


def test_a_mastodon_status_at_its_web_address_and_its_uri_has_one_key() -> None:
    web = "https://mastodon.social/@techworkers/111000000000000001"
    uri = "https://mastodon.social/users/techworkers/statuses/111000000000000001"
    assert (
        reference_key(web)
        == reference_key(uri)
        == "mastodon.social/@techworkers/111000000000000001"
    )
    assert reference_key("https://hachyderm.io/@techworkers/111000000000000001") != reference_key(
        web
    )


def test_evidence_links_are_the_specific_pages_a_post_points_to() -> None:
    from campaigns.linking.references import evidence_links

    own = "https://twitter.com/AMZNforClimate/status/1347950000000000001"
    text = (
        "Letter: www.example.org/letters/parler. https://bit.ly/3xyz https://x.com/AMZNforClimate"
    )
    links = [
        own.replace("twitter.com", "x.com"),
        "https://www.change.org/p/stop-parler",
        "",
        "https://x.com/someone/status/1347000000000000009",  # a person's post
        "https://medium.com/@someone/why-i-signed-1a2b",  # a person's blog
        "https://mastodon.social/@someone/111000000000000001",
        "https://hachyderm.io/@someone/111000000000000002",
        "https://[::1",  # not an address a reader can open
        "ftp://files/letters/parler",
    ]
    assert evidence_links(text, links, own) == [
        "https://www.change.org/p/stop-parler",
        "https://www.example.org/letters/parler",
    ]

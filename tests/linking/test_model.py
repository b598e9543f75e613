"""Who speaks in a post, as the engine reads it (model.speaker_kind)."""

from __future__ import annotations

import pytest

from campaigns.linking.model import PostInput, speaker_kind


@pytest.mark.parametrize(
    ("platform", "handle", "given", "read"),
    [
        ("feed", "news.example.org", None, "news"),  # a site's feed, no kind given
        ("feed", "www.theverge.com", None, "news"),
        ("feed", "reddit.com", None, None),  # a forum: a person's post
        ("feed", "kernelpanicky.blogspot.com", None, None),  # a personal blog
        ("feed", "someone.substack.com", None, None),
        ("feed", "Weekly links", None, None),  # not a site's name
        ("feed", None, None, None),
        ("x", "reuters", None, None),  # an account on a social platform: no guess
        ("feed", "blog.google", "company", "company"),  # a kind given is kept
        ("mastodon", "awu@mastodon.social", "worker_group", "worker_group"),
    ],
)
def test_speaker_kind(
    platform: str, handle: str | None, given: str | None, read: str | None
) -> None:
    post = PostInput(
        key="p", text="text", platform=platform, author_handle=handle, source_kind=given
    )
    assert speaker_kind(post) == read

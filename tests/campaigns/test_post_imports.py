"""`campaigns import posts`: the project's JSONL format and twarc2 output, bad lines by number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaigns.post_imports import PostFileError, import_posts_file
from tests.connectors.conftest import stored_posts


def design_line(n: int, **overrides: object) -> str:
    post = {
        "platform": "bluesky",
        "platform_post_id": f"at://did:plc:awu/app.bsky.feed.post/{n}",
        "author_handle": "alphabetworkers.bsky.social",
        "posted_at": f"2024-01-0{n}T10:00:00+00:00",
        "text": f"Post {n}",
        "url": f"https://bsky.app/profile/alphabetworkers.bsky.social/post/{n}",
        "lang": "en",
        "source_kind": "worker_group",
    }
    post.update(overrides)
    return json.dumps({k: v for k, v in post.items() if v is not ...})


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_design_format_imports_once(engine, tmp_path):
    path = write(tmp_path, [design_line(1), "", design_line(2, lang=..., source_kind=...)])
    summary = import_posts_file(engine, path)
    assert (summary.lines, summary.posts, summary.new) == (2, 2, 2)
    posts = stored_posts(engine)
    first = posts["at://did:plc:awu/app.bsky.feed.post/1"]
    assert first.source_kind == "worker_group" and first.lang == "en"
    assert (
        first.posted_at is not None and first.posted_at.isoformat() == "2024-01-01T10:00:00+00:00"
    )
    again = import_posts_file(engine, path)
    assert (again.new, again.duplicates) == (0, 2)


def test_design_format_carries_quotes_replies_and_links(engine, tmp_path):
    from connectors.links import outbound_links

    quoted = "https://bsky.app/profile/alphabetworkers.bsky.social/post/1"
    letter = "https://medium.com/@awu/open-letter-1a2b"
    line = design_line(2, quote_of=quoted, reply_to=quoted, links=[letter])
    import_posts_file(engine, write(tmp_path, [design_line(1), line]))
    second = stored_posts(engine)["at://did:plc:awu/app.bsky.feed.post/2"]
    assert second.quote_of_url == quoted and second.reply_to_url == quoted
    assert outbound_links(second.platform, second.raw) == [letter]


def test_twarc2_pages_and_flattened_tweets(engine, tmp_path):
    page = {
        "data": [
            {
                "id": "1347590355154231296",
                "text": "AWS: stop hosting Parler",
                "author_id": "9",
                "created_at": "2021-01-09T18:00:00.000Z",
                "lang": "en",
            },
            {"id": "1347590355154231297", "text": "no date here", "author_id": "9"},
        ],
        "includes": {"users": [{"id": "9", "username": "AMZNforClimate", "name": "AECJ"}]},
        "meta": {"result_count": 2},
        "__twarc": {"url": "https://api.twitter.com/2/users/9/tweets", "version": "2.14.0"},
    }
    flat = {
        "id": "1347590355154231298",
        "text": "flattened",
        "author": {"id": "9", "username": "AMZNforClimate"},
        "created_at": "2021-01-10T08:00:00.000Z",
    }
    summary = import_posts_file(engine, write(tmp_path, [json.dumps(page), json.dumps(flat)]))
    assert (summary.lines, summary.new) == (2, 3)
    posts = stored_posts(engine)
    assert (
        posts["1347590355154231296"].url
        == "https://x.com/AMZNforClimate/status/1347590355154231296"
    )
    undated = posts["1347590355154231297"]
    assert undated.posted_at is not None and undated.posted_at.year == 2021  # from the snowflake id
    assert not undated.posted_at_estimated


def test_bad_lines_are_named_by_number_and_nothing_is_written(engine, tmp_path):
    lines = [
        design_line(1),
        "{not json",
        design_line(2, posted_at="2024-01-02 10:00"),
        design_line(3, platform="myspace"),
        design_line(4, text=...),
        json.dumps({"hello": "world"}),
        design_line(7, quote_of=["https://x.com/a/status/1"]),
        design_line(8, links="https://x.com/a/status/1"),
    ]
    with pytest.raises(PostFileError) as caught:
        import_posts_file(engine, write(tmp_path, lines))
    message = caught.value.render()
    assert "7 bad line(s), nothing was imported" in message
    for expected in (
        "line 2: not valid JSON",
        "line 3: posted_at",
        "UTC offset",
        "line 4: platform 'myspace'",
        "line 5: missing text",
        "line 6: not a post",
        "line 7: quote_of is not a URL string",
        "line 8: links is not a list of URL strings",
    ):
        assert expected in message
    assert stored_posts(engine) == {}


def test_cat_archive_given_to_import_posts_points_to_import_cat(engine, tmp_path):
    path = tmp_path / "actions.json"
    path.write_text('[{"id": 1, "actions": ["strike"]}]')
    with pytest.raises(PostFileError, match="campaigns import cat"):
        import_posts_file(engine, path)

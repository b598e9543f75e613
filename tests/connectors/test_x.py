"""X API v2 (tweepy) over vcrpy cassettes."""

from __future__ import annotations

from datetime import UTC, datetime

from connectors import x
from tests.connectors.conftest import make_source, sync_state
from tests.connectors.platforms import XDouble
from tests.connectors.scenarios import PlatformScenarios


class TestXConnector(PlatformScenarios):
    double = XDouble()


def test_snowflake_id_gives_the_time_of_a_tweet_without_created_at():
    # 1347590355154231296 was posted 2021-01-08T17:43Z (a real, public AECJ-era tweet id).
    moment = x.snowflake_time("1347590355154231296")
    assert moment is not None and moment.tzinfo is UTC
    assert moment.replace(microsecond=0) >= datetime(2021, 1, 8, tzinfo=UTC)
    assert moment < datetime(2021, 1, 9, tzinfo=UTC)
    assert x.snowflake_time("20") is None  # pre-snowflake ids are sequential


def test_quote_and_reply_references_become_urls():
    raw = {
        "tweet": {
            "id": "1347590355154231296",
            "text": "AWS must stop hosting Parler",
            "referenced_tweets": [
                {"type": "quoted", "id": "11"},
                {"type": "replied_to", "id": "12"},
            ],
        },
        "author": {"id": "1", "username": "AMZNforClimate"},
    }
    post = x.normalize(raw)
    assert post.url == "https://x.com/AMZNforClimate/status/1347590355154231296"
    assert post.quote_of_url == "https://x.com/i/web/status/11"
    assert post.reply_to_url == "https://x.com/i/web/status/12"
    assert post.posted_at == x.snowflake_time("1347590355154231296")


def test_without_a_token_the_source_fails_with_what_to_do(engine, clock):
    from connectors.runner import pull_source

    source_id = make_source(engine, "x", "AlphabetWorkers")
    result = pull_source(engine, source_id, x.XConnector(None), sleeper=clock.sleep, clock=clock)
    assert result.status == "failed"
    assert x.TOKEN_ENV in (sync_state(engine, source_id).last_error or "")
    assert clock.sleeps == []


def test_recent_search_source_pages_with_next_token(engine, tmp_path, clock):
    from connectors.runner import pull_source
    from tests.connectors.doubles import ABSENT, Reply, cassette_replay

    double = XDouble()
    source_id = make_source(engine, "x", "nimbus_search", search="#NoTechForApartheid")
    first, second = [double.post(4), double.post(3)], [double.post(2)]
    replies = [
        Reply(
            "/2/tweets/search/recent",
            body={
                "data": first,
                "meta": {"result_count": 2, "newest_id": double.key(4), "next_token": "n1"},
            },
            expect={"query": "#NoTechForApartheid", "next_token": ABSENT, "since_id": ABSENT},
            host=double.host,
        ),
        Reply(
            "/2/tweets/search/recent",
            body={"data": second, "meta": {"result_count": 1, "newest_id": double.key(2)}},
            expect={"query": "#NoTechForApartheid", "next_token": "n1"},
            host=double.host,
        ),
    ]
    with cassette_replay(tmp_path / "search.json", replies):
        result = pull_source(
            engine, source_id, x.XConnector("token"), sleeper=clock.sleep, clock=clock
        )
    assert (result.status, result.new) == ("ok", 3), result.error
    assert sync_state(engine, source_id).high_water_mark == double.key(4)

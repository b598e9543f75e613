"""Explicit references in the engine: a quote, reply or link finds the post it points at in
whatever form the platform gives its address, and posts linking one specific page go together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput, PostLink
from campaigns.linking.suggest import link_posts
from campaigns.review import list_suggestions
from connectors import x
from db.bulk import ingest_posts
from db.models import Post

PARLER_TWEET = "https://twitter.com/AMZNforClimate/status/1347950000000000001"
PETITION = "https://www.change.org/p/amazon-stop-hosting-parler"


def post(key: str, text: str, day: int, kind: str = "worker_group", **extra: object) -> PostInput:
    values: dict[str, object] = {"url": f"https://example.org/{key}", **extra}
    return PostInput(
        key=key, text=text, source_kind=kind,
        posted_at=datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=day), **values,  # type: ignore[arg-type]
    )  # fmt: skip


def two_amazon_demands() -> list[PostInput]:
    return [
        post(
            "parler",
            "We demand that Amazon stop hosting Parler until the posts inciting violence are gone.",
            8,
            url=PARLER_TWEET,
            author_handle="AMZNforClimate",
        ),
        post(
            "climate",
            "Amazon workers demand the company cut its emissions to zero by 2030 and drop oil "
            "and gas clients.",
            7,
        ),
    ]


def by_key(links: list[PostLink]) -> dict[str, PostLink]:
    return {link.post.key: link for link in links}


def test_a_quote_as_the_x_api_addresses_it_finds_the_tweet(linker: LinkingEngine) -> None:
    # the API's referenced tweet carries no user name: https://x.com/i/web/status/<id>
    answer = post(
        "answer",
        "Amazon Web Services says it will suspend the account from its servers at midnight.",
        9,
        "news",
        quote_of_url="https://x.com/i/web/status/1347950000000000001",
    )
    links = by_key(linker.run([*two_amazon_demands(), answer]).links)
    assert links["answer"].role in ("response", "outcome")
    assert links["answer"].linked_post_key == "parler"
    assert "refers to the post stating the demand" in " ".join(links["answer"].reasons)


def test_a_reply_to_a_bluesky_post_by_its_did_finds_the_post_under_its_handle(
    linker: LinkingEngine,
) -> None:
    demand = post(
        "demand",
        "Google workers demand the company stop firing organizers and reinstate the four.",
        0,
        url="https://bsky.app/profile/alphabetworkersunion.bsky.social/post/3kq2abcdefg2z",
    )
    reply = post(
        "reply",
        "Still waiting on this one.",
        30,
        reply_to_url="https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kq2abcdefg2z",
    )
    links = by_key(linker.run([demand, reply]).links)
    assert links["reply"].company == "google"
    assert links["reply"].campaign_key == links["demand"].campaign_key


def test_a_news_entry_linking_the_demand_tweet_is_linked_to_that_demand(
    linker: LinkingEngine,
) -> None:
    news = post(
        "news",
        "Amazon pulls the plug on a social network after its employees asked it to.",
        10,
        "news",
        links=(PARLER_TWEET.replace("twitter.com", "x.com") + "?s=20",),
    )
    links = by_key(linker.run([*two_amazon_demands(), news]).links)
    assert links["news"].linked_post_key == "parler"
    without = by_key(linker.run([*two_amazon_demands(), post("news", news.text, 10, "news")]).links)
    assert "refers to the post stating the demand" not in " ".join(without["news"].reasons)


def test_posts_linking_one_petition_go_together_and_a_shared_profile_link_does_not(
    linker: LinkingEngine,
) -> None:
    first = post("a", f"Amazon workers: sign our petition to stop hosting Parler {PETITION}", 0)
    later = "Amazon, over ten thousand names now, and we are still counting."
    shared = "https://change.org/p/amazon-stop-hosting-parler?utm_source=share_petition"
    apart = by_key(linker.run([first, post("b", later, 150)]).links)
    assert apart["b"].campaign_key != apart["a"].campaign_key  # its words alone: not enough
    links = by_key(linker.run([first, post("b", f"{later} {shared}", 150)]).links)
    assert links["b"].campaign_key == links["a"].campaign_key
    assert any("shares the link" in reason for reason in links["b"].reasons)
    profile = [
        post("c", "Amazon warehouse workers demand air conditioning. linktr.ee/amazonworkers", 1),
        post("d", "Amazon drivers demand paid bathroom breaks. https://linktr.ee/amazonworkers", 2),
    ]
    links = by_key(linker.run(profile).links)
    assert not any("shares the link" in reason for reason in links["d"].reasons)


def test_stored_tweets_link_through_the_addresses_in_their_payload(engine: Engine) -> None:
    """From the X API's shapes to the queue: the news tweet's t.co link stands for the demand
    tweet (its ``entities.urls``), and the review queue shows the link to that demand."""
    demand = {
        "tweet": {
            "id": "1347950000000000001", "created_at": "2021-01-09T18:04:00.000Z", "lang": "en",
            "text": "We demand that Amazon stop hosting Parler until the posts inciting "
            "violence are taken down.",
        },
        "author": {"id": "11", "username": "AMZNforClimate"},
    }  # fmt: skip
    news = {
        "tweet": {
            "id": "1348100000000000002", "created_at": "2021-01-10T02:30:00.000Z", "lang": "en",
            "text": "Amazon says it will suspend the app from its servers at midnight "
            "https://t.co/AbCdEf1234",
            "entities": {"urls": [{
                "start": 66, "end": 89, "url": "https://t.co/AbCdEf1234",
                "expanded_url": "https://twitter.com/AMZNforClimate/status/1347950000000000001",
                "display_url": "twitter.com/AMZNforClimat…",
            }]},
        },
        "author": {"id": "12", "username": "techdesk"},
    }  # fmt: skip
    ingest_posts(engine, [x.normalize(demand)], source_kind="worker_group")
    ingest_posts(engine, [x.normalize(news)], source_kind="news")
    link_posts(engine)
    with Session(engine) as session:
        ids = {p.platform_post_id: p.id for p in session.exec(select(Post)).all()}
    (answer,) = [s for s in list_suggestions(engine) if s["post_id"] == ids[news["tweet"]["id"]]]
    assert answer["proposal"]["demand"]["stated_by_post"] == ids[demand["tweet"]["id"]]
    assert any("refers to the post stating the demand" in r for r in answer["reasons"])


def test_a_campaign_takes_the_unit_its_later_posts_name(linker: LinkingEngine) -> None:
    demand = post(
        "d", "We demand that Amazon drop Parler as a customer until the threats are gone.", 8
    )
    news = post(
        "n",
        "Amazon Web Services suspends Parler from its servers, a day after employees asked.",
        9,
        "news",
    )
    links = by_key(linker.run([demand, news]).links)
    assert links["d"].company == "amazon" and links["d"].business_unit == "AWS"
    assert "business unit AWS: named by posts of its campaign" in links["d"].reasons
    alone = by_key(linker.run([demand]).links)
    assert alone["d"].business_unit is None  # no post names a unit: none is guessed

"""RSS/Atom feeds (httpx + feedparser) over httpx MockTransport replies."""

from __future__ import annotations

from connectors import feeds
from connectors.base import SourceRef
from tests.connectors.conftest import make_source, stored_posts, sync_state
from tests.connectors.doubles import HttpxReplay, Reply
from tests.connectors.platforms import FeedDouble
from tests.connectors.scenarios import PlatformScenarios

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Alphabet Workers Union news</title>
  <id>tag:example.org,2024:feed</id>
  <updated>2024-02-01T10:00:00Z</updated>
  <entry>
    <title>We won back pay</title>
    <id>tag:example.org,2024:entry-1</id>
    <link href="https://example.org/news/back-pay"/>
    <updated>2024-02-01T10:00:00Z</updated>
    <content type="html">&lt;p&gt;After the &lt;b&gt;walkout&lt;/b&gt;, the company paid.&lt;/p&gt;</content>
  </entry>
</feed>"""


class TestFeedConnector(PlatformScenarios):
    half_character = "replaced"
    double = FeedDouble()


def test_unchanged_feed_answers_304_and_stores_nothing(engine, tmp_path, clock):
    from connectors.runner import pull_source

    double = FeedDouble()
    source_id = make_source(engine, "feed", double.handle)
    with double.serve(double.pass_replies(double.pages_of([[1]])), tmp_path) as connector:
        pull_source(engine, source_id, connector, sleeper=clock.sleep, clock=clock)
    assert sync_state(engine, source_id).etag == '"v1"'
    not_modified = Reply(double.path, 304, "", expect_headers={"If-None-Match": '"v1"'})
    with double.serve([not_modified], tmp_path) as connector:
        result = pull_source(engine, source_id, connector, sleeper=clock.sleep, clock=clock)
    assert (result.status, result.new, result.duplicates) == ("ok", 0, 0)
    assert len(stored_posts(engine)) == 1


def test_atom_entry_with_html_content_becomes_plain_text():
    replay = HttpxReplay(
        [Reply("/atom.xml", body=ATOM, headers={"Content-Type": "application/atom+xml"})]
    )
    connector = feeds.FeedConnector(transport=replay.transport)
    page = connector.fetch_page(SourceRef(1, "feed", "https://example.org/atom.xml", "news"), None)
    post = feeds.normalize(page.items[0])
    assert post.platform_post_id == "tag:example.org,2024:entry-1"
    assert post.text == "We won back pay\n\nAfter the walkout, the company paid."
    assert post.posted_at is not None and post.posted_at.isoformat() == "2024-02-01T10:00:00+00:00"
    assert post.lang == "en"


def test_entry_without_id_is_keyed_by_link_and_title():
    raw = {"feed_url": "https://e.org/f", "id": None, "link": "https://e.org/a", "title": "A"}
    same = feeds.normalize(dict(raw))
    other = feeds.normalize(raw | {"title": "B"})
    assert same.platform_post_id == feeds.normalize(dict(raw)).platform_post_id
    assert (
        same.platform_post_id.startswith("sha256:")
        and same.platform_post_id != other.platform_post_id
    )


def test_fetch_articles_option_keeps_the_article_text_and_date():
    double = FeedDouble()
    article = (
        "<html><head><title>Walkout</title>"
        '<meta property="article:published_time" content="2024-01-01T05:00:00+00:00"></head>'
        "<body><article><h1>Walkout</h1>"
        + "<p>Hundreds of workers walked out of the offices on Thursday to protest the contract. "
        * 5
        + "</p></article></body></html>"
    )
    replies = double.pass_replies(
        [[double.item(1).replace("<description>", "<x>").replace("</description>", "</x>")]]
    )
    replies.append(Reply("/posts/1", body=article, headers={"Content-Type": "text/html"}))
    replay = HttpxReplay(replies)
    connector = feeds.FeedConnector(transport=replay.transport)
    source = SourceRef(1, "feed", double.handle, "news", options={"fetch_articles": True})
    page = connector.fetch_page(source, None)
    post = feeds.normalize(page.items[0])
    assert "Hundreds of workers walked out" in post.text
    assert post.posted_at is not None and post.posted_at.date().isoformat() == "2024-01-01"
    assert not replay.replies

"""X (Twitter) API v2 through tweepy: a user's timeline by handle, incremental with ``since_id``.

The bearer token comes from ``X_BEARER_TOKEN`` and is never stored or logged. A pass asks for
tweets newer than the newest of the previous pass (``since_id``) and pages back with
``pagination_token``; the newest id is remembered once the pass is complete. Retweets are left
out unless the source's options say ``include_reposts``. A source whose options carry
``search`` runs that recent-search query instead (GET /2/tweets/search/recent, ``next_token``
paging). A tweet without ``created_at`` takes its time from the id (X ids are snowflakes that
encode the millisecond they were made).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import requests
import tweepy
from requests.adapters import BaseAdapter

from connectors.base import (
    DEFAULT_TIMEOUT,
    MalformedPayload,
    NormalizeError,
    NotConfigured,
    Page,
    Position,
    PostIn,
    SourceRef,
    TransientError,
    dumps,
    parse_time,
    require,
)
from connectors.http import TimeoutSession, raise_for_status

PLATFORM = "x"
TOKEN_ENV = "X_BEARER_TOKEN"
TWITTER_EPOCH_MS = 1288834974657
FIRST_SNOWFLAKE = 29_700_859_247_000_000  # ids below this (before Nov 2010) are sequential
PAGE_SIZE = 100
TWEET_FIELDS = ["created_at", "lang", "referenced_tweets", "author_id", "conversation_id"]


def snowflake_time(tweet_id: str | int) -> datetime | None:
    """When a tweet was made, from its snowflake id; None for pre-snowflake ids."""
    try:
        number = int(tweet_id)
    except (TypeError, ValueError):
        return None
    if number < FIRST_SNOWFLAKE:
        return None
    return datetime.fromtimestamp(((number >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


def tweet_url(tweet_id: str, username: str | None = None) -> str:
    return f"https://x.com/{username or 'i/web'}/status/{tweet_id}"


def normalize(raw: dict[str, Any]) -> PostIn:
    """``{"tweet": <API v2 tweet>, "author": <API v2 user or null>}`` as a post."""
    if not isinstance(raw, dict):
        raise NormalizeError(f"tweet item is not an object but {type(raw).__name__}")
    tweet = require(raw, "tweet", "X item")
    if not isinstance(tweet, dict):
        raise NormalizeError("X item's 'tweet' is not an object")
    tweet_id = str(require(tweet, "id", "tweet"))
    if not tweet_id.isdigit():
        raise NormalizeError(f"tweet id {tweet_id!r} is not a number")
    text = tweet.get("text")
    if text is None:
        raise NormalizeError(f"tweet {tweet_id} has no 'text'")
    author = raw.get("author") or {}
    username = author.get("username") if isinstance(author, dict) else None
    posted_at = parse_time(tweet.get("created_at"))
    estimated = False
    if posted_at is None:
        posted_at = snowflake_time(tweet_id)
    quote = reply = None
    for ref in tweet.get("referenced_tweets") or []:
        if ref.get("type") == "quoted":
            quote = tweet_url(str(ref.get("id")))
        elif ref.get("type") == "replied_to":
            reply = tweet_url(str(ref.get("id")))
    return PostIn(
        platform=PLATFORM,
        platform_post_id=tweet_id,
        text=str(text),
        author_handle=username,
        url=tweet_url(tweet_id, username),
        lang=tweet.get("lang") or None,
        posted_at=posted_at,
        posted_at_estimated=estimated,
        quote_of_url=quote,
        reply_to_url=reply,
        raw=dumps(raw),
    )


def items_from_response(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Pair each tweet of an API v2 response with its author from ``includes.users``."""
    users = {u.get("id"): u for u in (body.get("includes") or {}).get("users") or []}
    tweets = body.get("data") or []
    if not isinstance(tweets, list):
        raise MalformedPayload("X response 'data' is not a list", raw=dumps(body)[:200_000])
    return [
        {"tweet": t, "author": users.get(t.get("author_id")) if isinstance(t, dict) else None}
        for t in tweets
    ]


class XConnector:
    """A user's timeline (GET /2/users/:id/tweets) with an app-only bearer token."""

    platform = PLATFORM

    def __init__(
        self,
        bearer_token: str | None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        adapter: BaseAdapter | None = None,
    ) -> None:
        self.bearer_token = bearer_token
        self.client: tweepy.Client | None = None
        if bearer_token:
            self.client = tweepy.Client(
                bearer_token=bearer_token, return_type=requests.Response, wait_on_rate_limit=False
            )
            self.client.session = TimeoutSession(timeout, adapter)
        self.user_ids: dict[str, str] = {}

    def normalize(self, raw: dict[str, Any]) -> PostIn:
        return normalize(raw)

    def _call(self, label: str, method: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            response = method(*args, **kwargs)
        except tweepy.HTTPException as exc:
            detail = "; ".join(str(m) for m in exc.api_messages) if exc.api_messages else ""
            raise_for_status(exc.response.status_code, exc.response.headers, label, detail)
            raise TransientError(f"{label}: {exc}") from None
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientError(f"{label}: network error or timeout ({exc})") from None
        try:
            body = response.json()
        except (ValueError, json.JSONDecodeError) as exc:
            raise MalformedPayload(
                f"{label}: the response is not JSON ({exc})", raw=response.text[:200_000]
            ) from None
        if not isinstance(body, dict):
            raise MalformedPayload(f"{label}: the response is not a JSON object", raw=response.text)
        return body

    def _user_id(self, handle: str) -> str:
        if handle not in self.user_ids:
            assert self.client is not None
            body = self._call(f"x:{handle}", self.client.get_user, username=handle, user_auth=False)
            data = body.get("data")
            if not isinstance(data, dict) or not data.get("id"):
                errors = body.get("errors") or [{}]
                raise_for_status(404, {}, f"x:{handle}", str(errors[0].get("detail", "")))
            assert isinstance(data, dict)
            self.user_ids[handle] = str(data["id"])
        return self.user_ids[handle]

    def fetch_page(self, source: SourceRef, position: Position | None) -> Page:
        if self.client is None:
            raise NotConfigured(
                f"x:{source.handle}: no X API token — set {TOKEN_ENV} in the environment "
                "(an app-only bearer token from developer.x.com) and pull again"
            )
        since_id = source.high_water_mark if position is None else position.get("since_id")
        token = None if position is None else position.get("pagination_token")
        newest = None if position is None else position.get("newest_id")
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "tweet_fields": TWEET_FIELDS,
            "expansions": ["author_id"],
            "user_fields": ["username", "name"],
            "user_auth": False,
        }
        if since_id:
            params["since_id"] = since_id
        label = f"x:{source.handle}"
        query = source.options.get("search")
        if query:  # recent search (last 7 days) instead of one account's timeline
            if token:
                params["next_token"] = token
            body = self._call(label, self.client.search_recent_tweets, str(query), **params)
            request = f"GET /2/tweets/search/recent query={query!r} token={token or '-'}"
        else:
            user_id = self._user_id(source.handle)
            if not source.options.get("include_reposts"):
                params["exclude"] = ["retweets"]
            if token:
                params["pagination_token"] = token
            body = self._call(label, self.client.get_users_tweets, user_id, **params)
            request = f"GET /2/users/{user_id}/tweets token={token or '-'}"
        items = items_from_response(body)
        meta = body.get("meta") or {}
        page_newest = meta.get("newest_id")
        if page_newest and (newest is None or int(page_newest) > int(newest)):
            newest = str(page_newest)
        next_token = meta.get("next_token")
        next_position: Position | None = None
        if next_token and items:
            next_position = {
                "since_id": since_id,
                "pagination_token": next_token,
                "newest_id": newest,
            }
        return Page(
            items,
            next_position,
            high_water_mark=newest or since_id,
            request=request,
        )

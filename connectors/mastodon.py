"""Mastodon through Mastodon.py, without login: account lookup, then statuses with ``min_id``.

A source's handle is ``user@server``. Statuses are read oldest-first from the newest id seen so
far (``min_id``): each page moves the mark forward, an empty page ends the pass. Boosts are left
out unless the source's options say ``include_reposts``; HTML content becomes plain text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from mastodon import Mastodon
from mastodon import errors as mastodon_errors
from requests.adapters import BaseAdapter

from connectors.base import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    MalformedPayload,
    NormalizeError,
    Page,
    Position,
    PostIn,
    RateLimited,
    SourceRef,
    TransientError,
    dumps,
    html_to_text,
    parse_time,
    require,
)
from connectors.http import TimeoutSession, raise_for_status

PLATFORM = "mastodon"
PAGE_SIZE = 40


def split_handle(handle: str) -> tuple[str, str]:
    """``user@server`` -> (``user``, ``server``)."""
    user, _, server = handle.lstrip("@").partition("@")
    if not user or not server:
        raise NormalizeError(f"Mastodon handle {handle!r} is not user@server")
    return user, server


def _plain(value: Any) -> Any:
    """Mastodon.py's parsed entities back to JSON-ready values (datetimes as ISO text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def normalize(raw: dict[str, Any]) -> PostIn:
    """One status (as the API sends it) as a post; HTML content becomes plain text."""
    if not isinstance(raw, dict):
        raise NormalizeError(f"status is not an object but {type(raw).__name__}")
    status_id = str(require(raw, "id", "Mastodon status"))
    account = raw.get("account") or {}
    if not isinstance(account, dict):
        raise NormalizeError(f"status {status_id}: 'account' is not an object")
    url = raw.get("url") or raw.get("uri")
    if not url:
        raise NormalizeError(f"status {status_id} has neither 'url' nor 'uri'")
    text = html_to_text(raw.get("content"))
    if raw.get("spoiler_text"):
        text = f"{raw['spoiler_text']}\n\n{text}".strip()
    quote = raw.get("quote") or {}
    quoted = quote.get("quoted_status") if isinstance(quote, dict) else None
    parent = raw.get("in_reply_to_id")
    reply_to = None
    if (
        parent
        and raw.get("in_reply_to_account_id") == account.get("id")
        and account.get("username")
    ):
        # a thread of the account's own: the parent is a status of this server, at this address
        host = urlsplit(str(url)).hostname
        reply_to = f"https://{host}/@{account['username']}/{parent}" if host else None
    return PostIn(
        platform=PLATFORM,
        # Status ids are per server; the URI is global, so it keys the post.
        platform_post_id=str(raw.get("uri") or url),
        text=text,
        author_handle=account.get("acct"),
        url=str(url),
        lang=raw.get("language") or None,
        posted_at=parse_time(raw.get("created_at")),
        quote_of_url=(quoted or {}).get("url") if isinstance(quoted, dict) else None,
        reply_to_url=reply_to,
        raw=dumps(raw),
    )


class MastodonConnector:
    """Public statuses of ``user@server`` accounts; one client per server."""

    platform = PLATFORM

    def __init__(
        self, *, timeout: float = DEFAULT_TIMEOUT, adapter: BaseAdapter | None = None
    ) -> None:
        self.timeout = timeout
        self.adapter = adapter
        self.clients: dict[str, Mastodon] = {}
        self.account_ids: dict[str, str] = {}

    def normalize(self, raw: dict[str, Any]) -> PostIn:
        return normalize(raw)

    def _client(self, server: str) -> Mastodon:
        if server not in self.clients:
            self.clients[server] = Mastodon(
                api_base_url=f"https://{server}",
                ratelimit_method="throw",
                request_timeout=self.timeout,
                version_check_mode="none",
                session=TimeoutSession(self.timeout, self.adapter),
                user_agent=USER_AGENT,
            )
        return self.clients[server]

    def _call(self, label: str, client: Mastodon, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except mastodon_errors.MastodonRatelimitError as exc:
            reset = getattr(client, "ratelimit_reset", None)
            reset_at = datetime.fromtimestamp(reset, UTC) if reset else None
            raise RateLimited(f"{label}: HTTP 429 too many requests ({exc})", reset_at) from None
        except mastodon_errors.MastodonNetworkError as exc:
            raise TransientError(f"{label}: network error or timeout ({exc})") from None
        except mastodon_errors.MastodonAPIError as exc:
            args_ = exc.args
            if len(args_) >= 2 and isinstance(args_[1], int):
                detail = str(args_[3]) if len(args_) > 3 and args_[3] else ""
                raise_for_status(args_[1], {}, label, detail)
            message = str(args_[0]) if args_ else str(exc)
            if "Could not parse response as JSON" in message:
                raise MalformedPayload(f"{label}: the response is not JSON", raw=message) from None
            raise TransientError(f"{label}: {exc}") from None

    def fetch_page(self, source: SourceRef, position: Position | None) -> Page:
        user, server = split_handle(source.handle)
        label = f"mastodon:{source.handle}"
        client = self._client(server)
        if source.handle not in self.account_ids:
            account = self._call(label, client, client.account_lookup, user)
            if not isinstance(account, dict) or not account.get("id"):
                raise MalformedPayload(f"{label}: account lookup has no id", raw=dumps(account))
            self.account_ids[source.handle] = str(account["id"])
        account_id = self.account_ids[source.handle]
        min_id = (position or {}).get("min_id") or source.high_water_mark or "0"
        statuses = self._call(
            label,
            client,
            client.account_statuses,
            account_id,
            min_id=min_id,
            limit=PAGE_SIZE,
            exclude_reblogs=not source.options.get("include_reposts"),
        )
        if not isinstance(statuses, list):
            raise MalformedPayload(f"{label}: statuses are not a list", raw=dumps(_plain(statuses)))
        items = [_plain(s) for s in statuses]
        ids = [
            int(s["id"]) for s in items if isinstance(s, dict) and str(s.get("id", "")).isdigit()
        ]
        newest = str(max(ids)) if ids else None
        next_position: Position | None = None
        if newest is not None and int(newest) > int(min_id if str(min_id).isdigit() else 0):
            next_position = {"min_id": newest}
        return Page(
            items,
            next_position,
            high_water_mark=newest or (None if min_id == "0" else str(min_id)),
            request=f"GET /api/v1/accounts/{account_id}/statuses min_id={min_id}",
        )

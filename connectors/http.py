"""HTTP plumbing the connectors share: timeouts on every request, status codes to errors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import requests
from requests.adapters import BaseAdapter

from connectors.base import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    AccessDenied,
    RateLimited,
    TransientError,
)
from db.types import utcnow


class TimeoutSession(requests.Session):
    """A requests session that puts a timeout on every request (tweepy and Mastodon.py use one)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, adapter: BaseAdapter | None = None):
        super().__init__()
        self.timeout = timeout
        if adapter is not None:
            self.mount("https://", adapter)
            self.mount("http://", adapter)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, *args, **kwargs)


def http_client(
    timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """An httpx client with a timeout, redirects followed and our user agent."""
    return httpx.Client(
        timeout=timeout,
        transport=transport,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def reset_time(headers: Mapping[str, str], now: datetime | None = None) -> datetime | None:
    """When a rate limit resets, from Retry-After (seconds or date) or *-RateLimit-Reset headers."""
    lowered = {k.lower(): v for k, v in headers.items()}
    now = now or utcnow()
    retry_after = lowered.get("retry-after")
    if retry_after:
        if retry_after.strip().isdigit():
            return now + timedelta(seconds=int(retry_after.strip()))
        try:
            return parsedate_to_datetime(retry_after).astimezone(UTC)
        except (TypeError, ValueError):
            pass
    for name in ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"):
        value = lowered.get(name)
        if not value:
            continue
        value = value.strip()
        if value.isdigit():
            number = int(value)
            # Some servers send seconds-until-reset, most an epoch time.
            if number < 10**9:
                return now + timedelta(seconds=number)
            return datetime.fromtimestamp(number, UTC)
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def raise_for_status(
    status: int,
    headers: Mapping[str, str],
    label: str,
    detail: str = "",
    now: datetime | None = None,
) -> None:
    """Turn an HTTP error status into the connector error the runner knows how to treat."""
    if status < 400:
        return
    detail = f": {detail.strip()[:200]}" if detail and detail.strip() else ""
    if status == 429:
        raise RateLimited(f"{label}: HTTP 429 too many requests{detail}", reset_time(headers, now))
    if status >= 500 or status == 408:
        raise TransientError(f"{label}: HTTP {status} from the server{detail}")
    if status == 401:
        raise AccessDenied(
            f"{label}: HTTP 401 unauthorized{detail} — check the token or the account's privacy",
            status,
        )
    if status == 403:
        raise AccessDenied(
            f"{label}: HTTP 403 forbidden{detail} — the account may be private", status
        )
    if status in (404, 410):
        raise AccessDenied(
            f"{label}: HTTP {status} not found{detail} — check the handle or URL "
            "(`campaigns sources list`)",
            status,
        )
    raise AccessDenied(f"{label}: HTTP {status}{detail}", status)

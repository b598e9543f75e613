"""Which connectors a pull uses and how they reach the network (tests swap the transports)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import httpx
from requests.adapters import BaseAdapter

from connectors.base import DEFAULT_TIMEOUT, Connector


@dataclass
class ConnectorSettings:
    """Timeout, the X token (from the environment only) and optional network stand-ins."""

    timeout: float = DEFAULT_TIMEOUT
    x_bearer_token: str | None = None
    http_transport: httpx.BaseTransport | None = None  # feeds and Bluesky (httpx)
    requests_adapter: BaseAdapter | None = None  # X and Mastodon (requests)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ConnectorSettings:
        env = os.environ if env is None else env
        return cls(x_bearer_token=(env.get("X_BEARER_TOKEN") or "").strip() or None)


def build_connectors(settings: ConnectorSettings | None = None) -> dict[str, Connector]:
    """One connector per platform, sharing the settings."""
    from connectors.bluesky import BlueskyConnector
    from connectors.feeds import FeedConnector
    from connectors.mastodon import MastodonConnector
    from connectors.x import XConnector

    settings = settings or ConnectorSettings.from_env()
    return {
        "x": XConnector(
            settings.x_bearer_token, timeout=settings.timeout, adapter=settings.requests_adapter
        ),
        "bluesky": BlueskyConnector(timeout=settings.timeout, transport=settings.http_transport),
        "mastodon": MastodonConnector(timeout=settings.timeout, adapter=settings.requests_adapter),
        "feed": FeedConnector(timeout=settings.timeout, transport=settings.http_transport),
    }

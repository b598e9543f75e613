"""Pseudonyms for post authors who are people, not organisations or companies.

Individual workers are never named in exports or charts. A person's handle is replaced by a
keyed hash (HMAC-SHA256) with a per-installation secret, so the same person gets the same
pseudonym in every export of this installation, while nobody without the secret can test a
guessed handle against it. The secret comes from ``CAMPAIGNS_PSEUDONYM_KEY`` (environment),
then Streamlit secrets, else a random key generated once and kept in a file outside the
database and outside every export: ``pseudonym.key`` next to an SQLite database, or
``~/.config/campaign-tracker/pseudonym.key`` for a server database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session, col

from db.models import Source

KEY_ENV = "CAMPAIGNS_PSEUDONYM_KEY"
KEY_SECRET = "CAMPAIGNS_PSEUDONYM_KEY"
KEY_FILE = "pseudonym.key"
MIN_KEY_LENGTH = 16
PUBLIC_SOURCE_KINDS = frozenset({"worker_group", "company"})
# A post imported without a Source record says itself who speaks (``source_kind``): a worker
# group, a company or a news outlet is an organisation, kept by name.
ORGANISATION_POST_KINDS = frozenset({"worker_group", "company", "news"})


class PseudonymKeyError(ValueError):
    """The pseudonym secret is unusable; the message says what to do."""


def by_organisation(source_id: int | None, source_kind: str | None) -> bool:
    """Whether a post without a Source record is declared an organisation's (``source_kind``).

    Posts collected from a source follow the source instead: only the handles of sources owned
    by a group or a company are public (a reply by a person in a group's feed is not).
    """
    return source_id is None and source_kind in ORGANISATION_POST_KINDS


def normalize_handle(handle: str | None) -> str:
    """A handle reduced for matching: trimmed, lower case, without a leading '@'."""
    return (handle or "").strip().lstrip("@").strip().lower()


def key_path(database_url: str | URL | None = None) -> Path:
    """Where the generated secret lives for this installation (never inside the database)."""
    if database_url is not None:
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(str(url.database)).resolve().parent / KEY_FILE
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "campaign-tracker" / KEY_FILE


def _streamlit_secret() -> str | None:
    """The key from Streamlit secrets, only when running inside Streamlit (never imports it)."""
    if "streamlit" not in sys.modules:
        return None
    try:
        import streamlit as st

        if not st.secrets.load_if_toml_exists():
            return None
        value = st.secrets.get(KEY_SECRET)
    except Exception:  # no secrets file, or not in a Streamlit run: fall through
        return None
    return str(value) if value else None


def _checked(value: str, origin: str) -> bytes:
    if len(value.strip()) < MIN_KEY_LENGTH:
        raise PseudonymKeyError(
            f"The pseudonym key from {origin} is shorter than {MIN_KEY_LENGTH} characters; "
            "set a long random value (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    return value.strip().encode("utf-8")


def _file_key(path: Path) -> bytes:
    """Read the key file, creating it (owner-only, exclusively) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _checked(path.read_text(encoding="utf-8"), str(path))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return _checked(path.read_text(encoding="utf-8"), str(path))


def load_pseudonym_key(database_url: str | URL | None = None) -> bytes:
    """The installation's secret: environment, then Streamlit secrets, then the key file."""
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return _checked(from_env, f"${KEY_ENV}")
    from_secrets = _streamlit_secret()
    if from_secrets:
        return _checked(from_secrets, "Streamlit secrets")
    return _file_key(key_path(database_url))


def pseudonym(key: bytes, platform: str, handle: str) -> str:
    """A stable pseudonym for a handle: 16 base32 characters that never contain the handle."""
    normal = normalize_handle(handle)
    raw = handle.strip().lower()
    if not normal:
        raise ValueError("an empty handle has no pseudonym")
    # A counter makes a new candidate in the (rare) case a short handle appears in the digest.
    for counter in itertools.count():
        message = f"{counter}\x1f{platform}\x1f{normal}".encode()
        digest = hmac.new(key, message, hashlib.sha256).digest()
        candidate = base64.b32encode(digest[:10]).decode("ascii").lower()
        if normal not in candidate and (not raw or raw not in candidate):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class AuthorPolicy:
    """Decides how a post's author appears in an export: by name or by pseudonym.

    The key is loaded only when the first individual's post comes by, so exports without
    such posts never create a key file.
    """

    key_loader: Callable[[], bytes]
    public_handles: set[tuple[str, str]] = field(default_factory=set)  # (platform, handle)
    cache_limit: int = 10_000
    _key: bytes | None = field(default=None, repr=False)
    _cache: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_sources(
        cls,
        key_loader: Callable[[], bytes],
        sources: Iterable[tuple[str, str, str | None, bool]],
    ) -> AuthorPolicy:
        """Sources as (platform, handle, kind, has_owner); owned or group/company ones are public."""
        public = {
            (platform, normalize_handle(handle))
            for platform, handle, kind, has_owner in sources
            if has_owner or kind in PUBLIC_SOURCE_KINDS
        }
        return cls(key_loader=key_loader, public_handles=public)

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = self.key_loader()
        return self._key

    def is_public(self, platform: str, handle: str | None) -> bool:
        """True when the handle is that of a worker organisation's or a company's source."""
        return (platform, normalize_handle(handle)) in self.public_handles

    def is_personal(self, platform: str, handle: str | None, organisation: bool = False) -> bool:
        """True when a post by ``handle`` is a person's: pseudonymised, its id and URL withheld.

        ``organisation``: the post is declared an organisation's (:func:`by_organisation`).
        """
        normal = normalize_handle(handle)
        return bool(normal) and not organisation and (platform, normal) not in self.public_handles

    def author(
        self, platform: str, handle: str | None, organisation: bool = False
    ) -> tuple[str | None, str | None]:
        """(author as exported, author_type): the handle for organisations, else a pseudonym."""
        if handle is None or not normalize_handle(handle):
            return None, None
        if organisation or self.is_public(platform, handle):
            return handle, "organization_or_company"
        cache_key = (platform, normalize_handle(handle))
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = pseudonym(self.key, platform, handle)
            if len(self._cache) >= self.cache_limit:
                self._cache.clear()  # bounded memory on huge exports
            self._cache[cache_key] = cached
        return cached, "pseudonym"

    def post_id(self, platform: str, platform_post_id: str) -> str:
        """A stable stand-in for the post id of a person (ids resolve back to the author)."""
        digest = hmac.new(
            self.key, f"post\x1f{platform}\x1f{platform_post_id}".encode(), hashlib.sha256
        ).digest()
        return "p-" + base64.b32encode(digest[:10]).decode("ascii").lower()


def load_author_policy(session: Session, key_loader: Callable[[], bytes]) -> AuthorPolicy:
    """The installation's policy: handles of sources owned by an organisation or a company,
    or of worker-group and company sources, are public."""
    sources = session.execute(
        select(
            col(Source.platform),
            col(Source.handle),
            col(Source.kind),
            col(Source.owner_organization_id),
            col(Source.owner_company_id),
        )
    ).all()
    return AuthorPolicy.from_sources(
        key_loader,
        ((p, h, k, org is not None or company is not None) for p, h, k, org, company in sources),
    )

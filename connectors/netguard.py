"""Safety for everything the tracker fetches from a URL someone typed or a feed pointed to.

- Only ``http`` and ``https``; ``file:``, ``ftp:``, ``data:`` and the rest are refused.
- The host is resolved and every address checked: loopback, private, link-local, reserved,
  multicast and unspecified addresses are refused unless the source was added with
  ``--allow-private`` (so a feed cannot make the tracker read the machine's own services or the
  cloud metadata endpoint at 169.254.169.254).
- Redirects are followed by hand, and every hop is checked again.
- Responses are read as a stream and abandoned past a size cap (counted after decompression,
  so a gzip bomb stops too) or past a total time limit; every request has timeouts.
- Feed XML is checked with defusedxml before feedparser sees it: entity declarations (billion
  laughs, quadratic blow-up) and external entities are refused. feedparser only ever gets
  bytes, never a string it could take for a URL or a file name.

A host could resolve to a different address between our check and httpx's connect (DNS
rebinding); the check still stops every plain URL pointing inward, which is the common case.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

Resolver = Callable[[str], list[str]]
"""Host name -> its IP addresses (as text). Injectable so tests never touch DNS."""

ALLOWED_SCHEMES = ("http", "https")
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS = 20.0
DEFAULT_CONNECT_SECONDS = 10.0
DEFAULT_TOTAL_SECONDS = 60.0
DEFAULT_MAX_REDIRECTS = 5
_ENTITY_DECLARATION = re.compile(r"<!\s*ENTITY", re.IGNORECASE)


class NetguardError(Exception):
    """A fetch that was refused or abandoned for safety; the message says why."""


class UnsafeURL(NetguardError, ValueError):
    """A URL the tracker will not fetch (scheme, address, credentials)."""


class UnresolvableHost(NetguardError):
    """The host name does not resolve (now); a network problem rather than a refusal."""


class ResponseTooLarge(NetguardError):
    """The response grew past the size cap."""


class FetchTimedOut(NetguardError):
    """The response took longer than the total time limit."""


class UnsafeXML(NetguardError):
    """XML with entity declarations or external references, refused before parsing."""


@dataclass(frozen=True)
class FetchLimits:
    """How much, how long, how many hops."""

    max_bytes: int = DEFAULT_MAX_BYTES
    total_seconds: float = DEFAULT_TOTAL_SECONDS
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS  # each read, write and pool wait
    connect_seconds: float = DEFAULT_CONNECT_SECONDS

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout_seconds, connect=self.connect_seconds)


def system_resolver(host: str) -> list[str]:
    """The host's addresses from the system resolver."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvableHost(f"cannot resolve {host!r}: {exc}") from None
    return sorted({str(info[4][0]) for info in infos})


def address_problem(address: str) -> str | None:
    """Why an address is not a public internet address, or None when it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return address_problem(str(mapped))
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not globally routable", not ip.is_global),
    )
    for label, flagged in checks:
        if flagged:
            return f"{ip} is a {label} address"
    return None


DEFAULT_RESOLVER: Resolver = system_resolver
"""The resolver used when none is passed (a test driver in another process may replace it)."""


def check_url(
    url: str,
    *,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    resolve: bool = True,
) -> str:
    """Return ``url`` when the tracker may fetch it; raise :class:`UnsafeURL` saying why not.

    With ``resolve=False`` only what the URL itself shows is checked (scheme, literal
    addresses, ``localhost``), for when the host cannot be resolved yet.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"{url!r} is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise UnsafeURL(
            f"{url!r}: only http:// and https:// URLs can be fetched ({shown} is refused)"
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL(f"{url!r} has no host name")
    if parts.username or parts.password:
        raise UnsafeURL(f"{url!r} carries a user name or password; remove them from the URL")
    if port == 0:
        raise UnsafeURL(f"{url!r} uses port 0")
    if allow_private:
        return url
    hint = "; add the source with --allow-private if this is intended"
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        lowered = host.lower()
        if lowered == "localhost" or lowered.endswith(".localhost"):
            raise UnsafeURL(f"{url!r} points at this machine (localhost){hint}") from None
        if not resolve:
            return url
        addresses = (resolver or DEFAULT_RESOLVER)(host)
    if not addresses:
        raise UnresolvableHost(f"{host!r} has no addresses")
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise UnsafeURL(f"{url!r} is not on the public internet ({problem}){hint}")
    return url


@dataclass
class Fetched:
    """A response read in full within the limits, and the URL it finally came from."""

    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    redirects: list[str]

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def _read_capped(response: httpx.Response, url: str, limits: FetchLimits, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise ResponseTooLarge(
            f"{url}: the response says it is {int(declared)} bytes, over the "
            f"{limits.max_bytes}-byte limit"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise ResponseTooLarge(
                f"{url}: the response passed the {limits.max_bytes}-byte limit; abandoned"
            )
        if time.monotonic() > deadline:
            raise FetchTimedOut(f"{url}: took longer than {limits.total_seconds:g} s; abandoned")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    client: httpx.Client,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    resolve: bool = True,
    limits: FetchLimits = FetchLimits(),
) -> Fetched:
    """GET ``url`` with every hop checked, the body capped in size and the whole in time.

    ``resolve=False`` checks only what the URLs show (for stand-in transports that never reach
    a real address). httpx's own timeout and transport errors pass through unchanged (the
    caller retries those).
    """
    deadline = time.monotonic() + limits.total_seconds
    redirects: list[str] = []
    current = url
    while True:
        check_url(current, allow_private=allow_private, resolver=resolver, resolve=resolve)
        request = client.build_request("GET", current, headers=dict(headers or {}))
        request.extensions["timeout"] = limits.timeout().as_dict()
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_CODES and location:
                if len(redirects) >= limits.max_redirects:
                    raise UnsafeURL(f"{url}: more than {limits.max_redirects} redirects")
                current = urljoin(current, location)
                redirects.append(current)
                continue
            content = _read_capped(response, current, limits, deadline)
        finally:
            response.close()
        # The body is already decoded: drop the headers that describe the wire encoding.
        kept = httpx.Headers(
            [
                (k, v)
                for k, v in response.headers.multi_items()
                if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
            ]
        )
        return Fetched(current, response.status_code, kept, content, redirects)


def _decodings(head: bytes) -> list[str]:
    """The start of a document as text in every encoding it might plausibly be in."""
    texts = []
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "latin-1"):
        try:
            texts.append(codecs.decode(head, encoding, errors="ignore"))
        except (UnicodeError, LookupError):
            continue
    return texts


def check_xml(data: bytes, *, origin: str = "the feed") -> None:
    """Raise :class:`UnsafeXML` when ``data`` declares entities or references external ones."""
    import defusedxml
    import defusedxml.ElementTree as safe_et

    try:
        safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise UnsafeXML(
            f"{origin} declares XML entities or external references ({type(exc).__name__}); "
            "refused (entity expansion can exhaust memory)"
        ) from None
    except Exception:
        # Not well-formed XML: feedparser's lenient parser would still read it, so look for
        # entity declarations in every encoding the bytes could be in.
        for decoded in _decodings(data[:1_000_000]):
            if _ENTITY_DECLARATION.search(decoded):
                raise UnsafeXML(
                    f"{origin} declares XML entities; refused (entity expansion can exhaust memory)"
                ) from None


def parse_feed(
    data: bytes,
    *,
    origin: str = "the feed",
    response_headers: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Any:
    """feedparser's result for ``data``, after the size and XML safety checks."""
    import feedparser

    if not isinstance(data, bytes):
        raise TypeError("parse_feed takes the feed's bytes, never a URL or a file name")
    if len(data) > max_bytes:
        raise ResponseTooLarge(f"{origin} is {len(data)} bytes, over the {max_bytes}-byte limit")
    check_xml(data, origin=origin)
    data = _NUMERIC_REFERENCE.sub(_replace_impossible_character, data)
    return feedparser.parse(data, response_headers=dict(response_headers or {}))


# A numeric character reference: "&#x1F600;", "&#128512;"
_NUMERIC_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")
_REPLACEMENT_REFERENCE = b"&#xFFFD;"


def _replace_impossible_character(match: re.Match[bytes]) -> bytes:
    """A reference to no character (half of one, "&#xD800;", or past U+10FFFF) as U+FFFD, as
    HTML parsers read it: feedparser raises on it, which would lose the whole feed."""
    digits = match.group(1)
    hexadecimal = digits[:1] in (b"x", b"X")
    if len(digits.lstrip(b"xX0")) > 8:  # past U+10FFFF whatever the digits
        return _REPLACEMENT_REFERENCE
    value = int(digits[1:], 16) if hexadecimal else int(digits)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return _REPLACEMENT_REFERENCE
    return match.group(0)

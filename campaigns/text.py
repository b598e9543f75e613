"""Small text helpers shared across the domain: slugs, normalised names, stable ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LEGAL_SUFFIXES = re.compile(
    r"\b(inc|incorporated|corp|corporation|llc|ltd|plc|co|gmbh|ag|sa)\b\.?$"
)


def slugify(value: str, *, max_length: int = 120) -> str:
    """Lowercase ASCII words joined by hyphens: 'Whole Foods Market' -> 'whole-foods-market'."""
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = _NON_ALNUM.sub("-", ascii_value.lower()).strip("-")
    return slug[:max_length].strip("-") or "unnamed"


def normalize_name(value: str) -> str:
    """A company or group name reduced for matching: case, accents, punctuation, legal suffix."""
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    ascii_value = ascii_value.replace("&", " and ")
    words = _NON_ALNUM.sub(" ", ascii_value).strip()
    words = _LEGAL_SUFFIXES.sub("", words).strip()
    return " ".join(words.split())


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short id derived from its parts, so re-imports produce the same ids."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"{prefix}-{digest[:length]}"


def count_days(count: float) -> str:
    """A number of days as a reason says it: '1 day', '12 days' (rounded to whole days)."""
    whole = round(count)
    return f"{whole} day" if abs(whole) == 1 else f"{whole} days"

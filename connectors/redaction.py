"""Keep secrets out of logs, whoever writes the log line.

Client libraries log more than we would: tweepy's debug log prints every request's headers,
bearer token included. :func:`install` wraps the logging record factory once per process, so
every record from any logger has the values of secret-looking environment variables (names
with TOKEN, SECRET, PASSWORD, PASSPHRASE or KEY), anything registered with :func:`register`,
and any ``Bearer ...`` / ``Basic ...`` credential replaced by ``[redacted]`` before a handler
sees it.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from typing import Any

MASK = "[redacted]"
MIN_SECRET_LENGTH = 8  # shorter values would mask ordinary words
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSPHRASE|KEY", re.IGNORECASE)
_AUTH_SCHEME = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=%-]{8,}", re.IGNORECASE)
_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def register(*values: str | None) -> None:
    """Mask these values in every log record from now on."""
    with _lock:
        _secrets.update(v for v in values if v and len(v) >= MIN_SECRET_LENGTH)


def secret_env_values(env: dict[str, str] | None = None) -> list[str]:
    """Values of environment variables whose names say they are secrets."""
    env = dict(os.environ) if env is None else env
    return [value for name, value in env.items() if _SECRET_NAME.search(name) and value]


def redact(text: str) -> str:
    """``text`` with every known secret and credential replaced by the mask."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {MASK}", text)


def install() -> None:
    """Redact every log record of this process (idempotent); picks up the environment now."""
    global _installed
    register(*secret_env_values())
    with _lock:
        if _installed:
            return
        _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for logging to report
            return record
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(factory)

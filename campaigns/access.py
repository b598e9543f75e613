"""Who may edit: editor sign-in through OpenID Connect (``st.login``) or an editor passphrase.

OpenID Connect is used when Streamlit secrets carry an ``[auth]`` section. Otherwise editors
type a shared passphrase whose argon2 hash lives in the ``setting`` table (set it with
``campaigns editors set-passphrase``). With neither, the dashboard is read-only. Failed
passphrase attempts are slowed down by a delay that grows with each failure in a row.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.engine import session_scope
from db.models import Setting

PASSPHRASE_SETTING = "editor_passphrase_hash"
MIN_PASSPHRASE_LENGTH = 12
EDITOR_KEY = "editor"  # st.session_state key of the editor signed in with the passphrase
_NAME = re.compile(r"^[\w .'-]{1,60}$")

_hasher = PasswordHasher()


class PassphraseError(ValueError):
    """A passphrase that cannot be used (too short, empty)."""


def set_passphrase(engine: Engine, passphrase: str) -> None:
    """Store the argon2 hash of the editor passphrase (the passphrase itself is never stored)."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        raise PassphraseError(
            f"The passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters; "
            "a few unrelated words make a good one."
        )
    digest = _hasher.hash(passphrase)
    with session_scope(engine) as session:
        setting = session.get(Setting, PASSPHRASE_SETTING)
        if setting is None:
            session.add(Setting(key=PASSPHRASE_SETTING, value=digest))
        else:
            setting.value = digest


def passphrase_hash(engine: Engine) -> str | None:
    """The stored editor passphrase hash, or None when no passphrase is set."""
    with Session(engine) as session:
        setting = session.get(Setting, PASSPHRASE_SETTING)
        return setting.value if setting is not None else None


@dataclass
class SignInThrottle:
    """Slows down guessing: after n failures in a row, the next attempt waits before checking.

    The delay doubles with each failure (``base`` seconds after the first), up to ``cap``.
    ``sleeper`` is injectable so tests don't sleep.
    """

    base: float = 1.0
    cap: float = 30.0
    sleeper: Callable[[float], None] = time.sleep
    failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def delay(self) -> float:
        """Seconds the next attempt waits."""
        if self.failures == 0:
            return 0.0
        return float(min(self.cap, self.base * 2 ** (self.failures - 1)))

    def attempt(self, check: Callable[[], bool]) -> bool:
        """Wait out the current delay, run ``check`` and count the result."""
        with self._lock:
            wait = self.delay()
        if wait:
            self.sleeper(wait)
        ok = check()
        with self._lock:
            self.failures = 0 if ok else self.failures + 1
        return ok


def verify_passphrase(engine: Engine, attempt: str, throttle: SignInThrottle) -> bool:
    """True when ``attempt`` matches the stored hash; every failure makes the next one slower."""
    stored = passphrase_hash(engine)

    def check() -> bool:
        if stored is None or not attempt:
            return False
        try:
            return bool(_hasher.verify(stored, attempt))
        except (VerificationError, InvalidHashError):
            return False

    return throttle.attempt(check)


def editor_actor(name: str) -> str:
    """The audit actor for an editor's name: ``human:<name>``; refuses odd names."""
    cleaned = " ".join(name.split())
    if not _NAME.match(cleaned):
        raise ValueError(
            "Give a name for the audit log: 1-60 letters, digits, spaces, dots or hyphens."
        )
    return f"human:{cleaned}"


# --- Streamlit side ---------------------------------------------------------------------------


def oidc_configured() -> bool:
    """True when Streamlit secrets carry an ``[auth]`` section (OpenID Connect sign-in)."""
    import streamlit as st

    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def current_editor() -> str | None:
    """The signed-in editor as an audit actor (``human:<name>``), or None for a viewer."""
    import streamlit as st

    if oidc_configured() and st.user.get("is_logged_in"):
        name = st.user.get("email") or st.user.get("name") or "oidc-user"
        return f"human:{name}"
    editor = st.session_state.get(EDITOR_KEY)
    return editor if isinstance(editor, str) and editor else None


def require_editor() -> str:
    """The signed-in editor; PermissionError for a viewer."""
    editor = current_editor()
    if editor is None:
        raise PermissionError("Editing needs a signed-in editor; this dashboard is read-only.")
    return editor


def sign_out() -> None:
    """Forget the passphrase sign-in (and log out of OpenID Connect when used)."""
    import streamlit as st

    st.session_state.pop(EDITOR_KEY, None)
    if oidc_configured() and st.user.get("is_logged_in"):
        st.logout()

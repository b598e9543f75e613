"""The editor sign-in panel: OpenID Connect where configured, else the editor passphrase."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from campaigns.access import (
    EDITOR_KEY,
    SignInThrottle,
    editor_actor,
    oidc_configured,
    passphrase_hash,
    verify_passphrase,
)
from campaigns.dashboard.ui import escape_markdown


@st.cache_resource(show_spinner=False)
def throttle() -> SignInThrottle:
    """One throttle per server process, so guessing from many sessions is slowed too."""
    return SignInThrottle()


def sign_in_panel(engine: Engine) -> None:
    """Offer a way to sign in as an editor, or say that the dashboard is read-only."""
    if oidc_configured():
        st.info("Editing needs an editor sign-in.")
        if st.button("Sign in with your organisation's account"):
            st.login()
        return
    if passphrase_hash(engine) is None:
        st.info(
            "This dashboard is read-only: no editor sign-in is set up. An administrator can "
            "set an editor passphrase with `campaigns editors set-passphrase`, or configure "
            "OpenID Connect in Streamlit secrets (see the README)."
        )
        return
    st.info("Editing needs an editor sign-in.")
    with st.form("editor_sign_in"):
        name = st.text_input("Your name (for the audit log)", max_chars=60)
        passphrase = st.text_input("Editor passphrase", type="password")
        submitted = st.form_submit_button("Sign in")
    if not submitted:
        return
    try:
        actor = editor_actor(name)
    except ValueError as exc:
        st.error(escape_markdown(exc))  # it may repeat what was typed
        return
    if verify_passphrase(engine, passphrase, throttle()):
        st.session_state[EDITOR_KEY] = actor
        st.rerun()
    else:
        st.error("That passphrase is not right. Each failed try makes the next one wait longer.")

"""Editor passphrase: only a hash is stored, guesses are slowed, the CLI sets it."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from campaigns.access import (
    PASSPHRASE_SETTING,
    PassphraseError,
    SignInThrottle,
    editor_actor,
    passphrase_hash,
    set_passphrase,
    verify_passphrase,
)
from db.models import Setting

PASSPHRASE = "correct horse battery staple"


class FakeSleeper:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_only_an_argon2_hash_is_stored(engine: Engine) -> None:
    set_passphrase(engine, PASSPHRASE)
    with Session(engine) as session:
        stored = session.get(Setting, PASSPHRASE_SETTING)
    assert stored is not None
    assert stored.value.startswith("$argon2") and PASSPHRASE not in stored.value


def test_the_right_passphrase_signs_in_and_a_wrong_one_does_not(engine: Engine) -> None:
    set_passphrase(engine, PASSPHRASE)
    throttle = SignInThrottle(sleeper=FakeSleeper())
    assert verify_passphrase(engine, PASSPHRASE, throttle)
    assert not verify_passphrase(engine, PASSPHRASE.upper(), throttle)
    assert not verify_passphrase(engine, "", throttle)


def test_without_a_passphrase_nobody_signs_in(engine: Engine) -> None:
    assert passphrase_hash(engine) is None
    assert not verify_passphrase(engine, PASSPHRASE, SignInThrottle(sleeper=FakeSleeper()))


def test_failed_attempts_wait_longer_each_time_until_a_success(engine: Engine) -> None:
    set_passphrase(engine, PASSPHRASE)
    sleeper = FakeSleeper()
    throttle = SignInThrottle(base=1.0, cap=4.0, sleeper=sleeper)
    for _ in range(5):
        verify_passphrase(engine, "guess guess guess", throttle)
    assert sleeper.waits == [1.0, 2.0, 4.0, 4.0]  # the first try does not wait; capped at 4
    assert verify_passphrase(engine, PASSPHRASE, throttle)
    assert throttle.failures == 0 and throttle.delay() == 0


def test_short_passphrases_are_refused(engine: Engine) -> None:
    with pytest.raises(PassphraseError, match="at least 12"):
        set_passphrase(engine, "short")
    assert passphrase_hash(engine) is None


def test_editor_names_become_audit_actors() -> None:
    assert editor_actor("  Ada   Lovelace ") == "human:Ada Lovelace"
    for bad in ["", "x" * 61, "<script>", "a\nb:c"]:
        with pytest.raises(ValueError, match="name for the audit log"):
            editor_actor(bad)


def test_cli_sets_the_passphrase_from_stdin(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from campaigns.cli import app
    from db.engine import dispose_engines, make_engine

    monkeypatch.setenv("DATABASE_URL", db_url)
    runner = CliRunner()
    result = runner.invoke(
        app, ["editors", "set-passphrase", "--passphrase-stdin"], input=PASSPHRASE + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "passphrase set" in result.output
    refused = runner.invoke(
        app, ["editors", "set-passphrase", "--passphrase-stdin"], input="short\n"
    )
    assert refused.exit_code == 1
    dispose_engines()
    engine = make_engine(db_url)
    try:
        assert verify_passphrase(engine, PASSPHRASE, SignInThrottle(sleeper=FakeSleeper()))
    finally:
        engine.dispose()


def test_cli_prompts_with_confirmation(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from campaigns.cli import app
    from db.engine import dispose_engines, make_engine

    monkeypatch.setenv("DATABASE_URL", db_url)
    result = CliRunner().invoke(
        app, ["editors", "set-passphrase"], input=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSPHRASE not in result.output  # hidden input
    dispose_engines()
    engine = make_engine(db_url)
    try:
        assert passphrase_hash(engine) is not None
    finally:
        engine.dispose()

"""The Edit page: read-only without sign-in, sign-in by passphrase, edits saved or refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from campaigns.access import set_passphrase
from campaigns.imports import import_campaigns_csv
from db.models import Campaign, Demand
from tests.dashboard.conftest import APP
from tests.factories import campaign_rows, demand_row, write_csv

EDIT = "campaigns/dashboard/edit.py"
PAGES = [
    "campaigns/dashboard/overview.py",
    "campaigns/dashboard/campaigns.py",
    "campaigns/dashboard/companies.py",
    EDIT,
]
PASSPHRASE = "correct horse battery staple"
EDIT_LABELS = ("Save", "Add", "Sign out")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed sign-ins would wait: the throttle's sleeper does nothing in tests."""
    from campaigns.access import SignInThrottle
    from campaigns.dashboard import signin

    throttle = SignInThrottle(sleeper=lambda _seconds: None)
    monkeypatch.setattr(signin, "throttle", lambda: throttle)


def load(engine: Engine, tmp_path: Path) -> None:
    rows = [demand_row(), *campaign_rows("nimbus", ["pending"], year=2021, company="Google")]
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", rows))


def button(at: AppTest, label: str) -> object:
    return next(b for b in at.button if b.label == label)


def edit_controls(at: AppTest) -> list[str]:
    labels = [b.label for b in at.button]
    return [label for label in labels if label.startswith(EDIT_LABELS)]


def sign_in(at: AppTest, name: str = "Ada", passphrase: str = PASSPHRASE) -> AppTest:
    next(t for t in at.text_input if t.label.startswith("Your name")).input(name)
    next(t for t in at.text_input if t.label == "Editor passphrase").input(passphrase)
    button(at, "Sign in").click()  # type: ignore[attr-defined]
    return at.run()


def outcome_of(engine: Engine, demand_id: str) -> tuple[str, date | None]:
    with Session(engine) as session:
        demand = session.get(Demand, demand_id)
        assert demand is not None
        return demand.outcome, demand.outcome_on


def test_without_any_sign_in_set_up_the_dashboard_is_read_only(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(EDIT)
    assert not at.exception
    assert "read-only" in at.info[0].value and "set-passphrase" in at.info[0].value
    assert edit_controls(at) == [] and len(at.text_input) == 0


def test_viewers_see_no_edit_control_on_any_page(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    set_passphrase(engine, PASSPHRASE)
    for page in PAGES:
        at = app_test(page)
        assert not at.exception, page
        assert edit_controls(at) == [], page
        assert len(at.date_input) == 0 and len(at.text_area) == 0, page


def test_a_wrong_passphrase_does_not_sign_in(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    set_passphrase(engine, PASSPHRASE)
    at = sign_in(app_test(EDIT), passphrase="not the passphrase")
    assert not at.exception
    assert "not right" in at.error[0].value
    assert edit_controls(at) == []
    assert "editor" not in at.session_state


def test_editor_corrects_an_outcome_and_sees_it_in_the_history(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    set_passphrase(engine, PASSPHRASE)
    at = sign_in(app_test(EDIT, campaign="nimbus"))
    assert not at.exception
    assert at.session_state["editor"] == "human:Ada"
    assert at.selectbox(key="edit_campaign").value == "nimbus"
    at.selectbox(key="o_nimbus-d1").set_value("not_met")
    at.date_input(key="od_nimbus-d1").set_value(date(2021, 6, 1))
    button(at, "Save outcome").click()  # type: ignore[attr-defined]
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Outcome saved."]
    assert outcome_of(engine, "nimbus-d1") == ("not_met", date(2021, 6, 1))
    at.selectbox(key="history_record").set_value(
        next(o for o in at.selectbox(key="history_record").options if o.startswith("demand:"))
    ).run()
    history = at.table[0].value
    changed = history[history["actor"] == "human:Ada"].set_index("field")
    assert changed.at["outcome", "old_value"] == "pending"
    assert changed.at["outcome", "new_value"] == "not_met"
    assert changed.at["outcome_on", "new_value"] == "2021-06-01"


def test_a_rule_breaking_edit_is_refused_with_the_reason(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(EDIT)
    at.session_state["editor"] = "human:Ada"
    at.query_params["campaign"] = "aecj-parler-2021"
    at.run()
    at.date_input(key="od_aecj-parler-2021-d1").set_value(date(2020, 1, 1))
    button(at, "Save outcome").click()  # type: ignore[attr-defined]
    at.run()
    assert not at.exception
    assert "before the demand date 2021-01-09" in at.error[0].value
    assert outcome_of(engine, "aecj-parler-2021-d1") == ("met", date(2021, 1, 10))


def test_editor_adds_a_campaign_and_lands_on_it(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(EDIT)
    at.session_state["editor"] = "human:Ada"
    at.run()
    at.selectbox(key="edit_campaign").set_value("__new__").run()
    next(t for t in at.text_input if t.label == "Title").input("Stop the contract")
    next(t for t in at.text_input if t.label.startswith("Company")).input("AWS")
    button(at, "Add campaign").click()  # type: ignore[attr-defined]
    at.run()
    assert not at.exception
    chosen = at.selectbox(key="edit_campaign")
    assert str(chosen.value).startswith("aws-stop-the-contract")
    assert "Stop the contract" in chosen.format_func(chosen.value)


def test_signing_out_returns_to_read_only(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    set_passphrase(engine, PASSPHRASE)
    at = app_test(EDIT)
    at.session_state["editor"] = "human:Ada"
    at.run()
    assert "Save outcome" in [b.label for b in at.button]
    button(at, "Sign out").click()  # type: ignore[attr-defined]
    at.run()
    assert edit_controls(at) == []


def test_with_openid_connect_configured_the_edit_page_offers_st_login(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    set_passphrase(engine, PASSPHRASE)  # OpenID Connect takes precedence over the passphrase
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.run()
    at.switch_page(EDIT)
    at.run()
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "Sign in with your organisation's account" in labels
    assert "Sign in" not in labels and len(at.text_input) == 0
    assert edit_controls(at) == []


def test_require_editor_refuses_a_viewer_and_names_a_signed_in_editor() -> None:
    def script() -> None:
        import streamlit as st

        from campaigns.access import current_editor, require_editor

        try:
            st.text(require_editor())
        except PermissionError as exc:
            st.text(f"refused: {exc}")
        st.text(f"current: {current_editor()}")

    at = AppTest.from_function(script).run()
    assert at.text[0].value.startswith("refused: Editing needs a signed-in editor")
    assert at.text[1].value == "current: None"
    at.session_state["editor"] = "human:Ada"
    at.run()
    assert at.text[0].value == "human:Ada"


def test_editor_corrects_a_response_through_its_form(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    from campaigns.record_views import campaign_records

    load(engine, tmp_path)
    found = campaign_records(engine, "aecj-parler-2021")
    assert found is not None
    response_id = found.responses[0].id
    at = app_test(EDIT)
    at.session_state["editor"] = "human:Ada"
    at.query_params["campaign"] = "aecj-parler-2021"
    at.run()
    at.selectbox(key=f"rt_{response_id}").set_value("negotiation")
    button(at, "Save response").click()  # type: ignore[attr-defined]
    at.run()
    assert not at.exception
    assert "Response saved." in [s.value for s in at.success]
    after = campaign_records(engine, "aecj-parler-2021")
    assert after is not None and after.responses[0].response_type == "negotiation"


def test_with_many_campaigns_the_chooser_lists_a_thousand_and_finds_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit

    from benchmarks import generate
    from benchmarks.synthetic import Size
    from campaigns.summary import load_dataset
    from db.engine import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'many.db'}")
    upgrade(engine)
    generate.populate(engine, Size(posts=1200, campaigns=1200, seed=5))
    set_passphrase(engine, PASSPHRASE)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    with Session(engine) as session:
        loaded = load_dataset(session)
    oldest = str(loaded.campaigns["campaign_id"].iat[loaded.display_order[-1]])  # listed last
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["campaign"] = oldest
    at.run()
    at.switch_page(EDIT)
    at = sign_in(at.run())
    assert not at.exception
    chooser = at.selectbox(key="edit_campaign")
    assert len(chooser.options) == 1 + 1000 + 1  # new, the newest thousand, the linked one
    assert chooser.value == oldest
    with Session(engine) as session:
        campaign = session.get(Campaign, oldest)
        assert campaign is not None
        title = campaign.title
    assert "1,200 campaigns match the filters" in at.caption[0].value
    at.text_input(key="edit_find").input(f"{title} {campaign.id}").run()
    assert not at.exception
    chooser = at.selectbox(key="edit_campaign")
    assert chooser.value == oldest and title in chooser.options
    assert len(chooser.options) < 100  # only what the words find, and the one being edited
    engine.dispose()
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()

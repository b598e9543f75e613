"""Campaigns and Companies pages in AppTest: filters, empty store, one campaign, links."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from campaigns.imports import import_campaigns_csv
from tests.factories import campaign_rows, demand_row, write_csv

CAMPAIGNS = "campaigns/dashboard/campaigns.py"
COMPANIES = "campaigns/dashboard/companies.py"


def load(engine: Engine, tmp_path: Path) -> None:
    rows = [
        demand_row(),
        *campaign_rows("g-maven", ["met"], year=2018, company="Google", struggle="ethics"),
        *campaign_rows(
            "g-pay",
            ["not_met"],
            year=2019,
            company="Google",
            struggle="pay_and_benefits",
            tactics="walkout",
        ),
        *campaign_rows("gh-ice", ["not_met"], year=2019, company="GitHub", tactics="petition"),
        *campaign_rows("nimbus", ["pending"], year=2021, company="Google"),
    ]
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", rows))


def titles(at: AppTest) -> list[str]:
    return sorted(at.dataframe[0].value["title"])


def test_campaign_table_lists_links_and_filters(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(CAMPAIGNS, company="alphabet")
    assert not at.exception
    table = at.dataframe[0].value
    assert sorted(table["title"]) == ["Campaign g-maven", "Campaign g-pay", "Campaign nimbus"]
    link = table.set_index("campaign_id").at["nimbus", "page"]
    assert link == "campaigns?company=alphabet&campaign=nimbus"


def test_every_filter_lives_in_the_link(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(CAMPAIGNS, tactic="walkout")
    assert titles(at) == ["Campaign g-pay"]
    at = app_test(CAMPAIGNS, demand_type="end_contract_or_customer", outcome="pending")
    assert titles(at) == ["Campaign nimbus"]
    at = app_test(CAMPAIGNS)
    at.multiselect(key="f_tactic").set_value(["petition"]).run()
    at.multiselect(key="f_outcome").set_value(["not_met"]).run()
    assert titles(at) == ["Campaign gh-ice"]
    assert at.query_params["tactic"] in ("petition", ["petition"])
    assert at.query_params["outcome"] in ("not_met", ["not_met"])


def test_search_narrows_the_table(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(CAMPAIGNS)
    at.text_input(key="campaign_search").set_value("github").run()
    assert titles(at) == ["Campaign gh-ice"]
    at.text_input(key="campaign_search").set_value("parler").run()
    assert titles(at) == ["Stop hosting Parler"]


def test_choosing_a_campaign_opens_its_page_with_its_own_link(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(CAMPAIGNS)
    at.selectbox(key="campaign_open").set_value("aecj-parler-2021").run()
    assert not at.exception
    assert at.query_params["campaign"] in ("aecj-parler-2021", ["aecj-parler-2021"])
    assert "Stop hosting Parler" in at.title[0].value
    timeline = at.dataframe[0].value
    assert list(timeline["kind"])[:4] == ["campaign", "demand", "response", "outcome"]
    assert timeline["evidence"].dropna().str.startswith("https://").all()
    demands = at.dataframe[1].value
    assert demands.iloc[0]["responses"].startswith("2021-01-09 full_concession")
    similar = at.dataframe[-1].value
    assert "Campaign g-maven" in list(similar["title"])  # shares the demand type and struggle
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Timeline" in spec["layout"]["title"]["text"]


def test_shared_campaign_link_opens_the_campaign(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(CAMPAIGNS, campaign="gh-ice")
    assert not at.exception
    assert "Campaign gh\\-ice" in at.title[0].value
    assert at.metric[0].value == "GitHub"


def test_unknown_campaign_in_the_link_shows_a_notice_and_the_table(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(CAMPAIGNS, campaign="<script>x</script>")
    assert not at.exception
    assert "There is no campaign" in at.warning[0].value
    assert len(at.dataframe[0].value) == 5
    # a link in the link is shown as the characters typed, not as a link
    at = app_test(CAMPAIGNS, campaign="[win](https://evil.example)")
    assert "\\[win\\]\\(https" in at.warning[0].value


def test_pages_say_what_to_do_on_an_empty_store(app_test: Callable[..., AppTest]) -> None:
    for page in (CAMPAIGNS, COMPANIES):
        at = app_test(page)
        assert not at.exception
        assert "campaigns demo" in at.info[0].value


def test_one_campaign_is_enough_for_every_page(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "one.csv", [demand_row()]))
    for page in ("campaigns/dashboard/overview.py", CAMPAIGNS, COMPANIES):
        at = app_test(page)
        assert not at.exception, page
    at = app_test(CAMPAIGNS, campaign="aecj-parler-2021")
    assert not at.exception
    assert "No other campaign" in " ".join(c.value for c in at.caption)


def test_companies_side_by_side_with_subsidiaries(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(COMPANIES, compare="alphabet,microsoft")
    assert not at.exception
    table = at.dataframe[0].value.set_index("company")
    assert table.at["Alphabet", "campaigns"] == 3  # Google's campaigns count under Alphabet
    assert table.at["Alphabet", "won"] == 1 and table.at["Alphabet", "pending_excluded"] == 1
    assert table.at["Microsoft", "campaigns"] == 1  # GitHub
    mix = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert "Mix of company responses" in mix["layout"]["title"]["text"]
    at.multiselect(key="cmp_companies").set_value(["amazon"]).run()
    assert list(at.dataframe[0].value["company"]) == ["Amazon"]
    assert at.query_params["compare"] in ("amazon", ["amazon"])


def test_companies_page_ignores_unknown_companies_in_the_link(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(COMPANIES, compare="nosuchco,amazon")
    assert not at.exception
    assert "unknown company" in at.warning[0].value
    assert list(at.dataframe[0].value["company"]) == ["Amazon"]

"""The Overview page in Streamlit's AppTest, on a real store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from campaigns.imports import import_campaigns_csv
from tests.factories import campaign_rows, demand_row, write_csv


def load(engine: Engine, tmp_path: Path) -> None:
    rows = [
        demand_row(),
        *campaign_rows("g-maven", ["met"], year=2018, company="Google", struggle="ethics"),
        *campaign_rows(
            "g-pay", ["not_met"], year=2019, company="Google", struggle="pay_and_benefits"
        ),
        *campaign_rows("gh-ice", ["not_met"], year=2019, company="GitHub"),
        *campaign_rows("nimbus", ["pending"], year=2021, company="Google"),
    ]
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", rows))


def chart_traces(at: AppTest) -> dict[str, list[int]]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {trace["name"]: trace["y"] for trace in spec["data"]}


def test_overview_shows_outcomes_by_year(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test()
    assert not at.exception
    traces = chart_traces(at)
    # years 2018, 2019, 2021 on the axis
    assert traces["won (every demand met)"] == [1, 0, 1]
    assert traces["lost (no demand met)"] == [0, 2, 0]
    assert traces["still pending"] == [0, 0, 1]
    title = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert "50% of 4 decided campaigns won" in title
    table = at.dataframe[0].value
    assert len(table) == 5


def test_query_params_filter_the_view(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(company="microsoft")
    assert not at.exception
    assert list(at.dataframe[0].value["title"]) == ["Campaign gh-ice"]
    assert at.multiselect(key="f_company").value == ["microsoft"]


def test_company_filter_includes_subsidiaries_and_updates_link(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test()
    at.multiselect(key="f_company").set_value(["alphabet"]).run()
    assert sorted(at.dataframe[0].value["title"]) == [
        "Campaign g-maven",
        "Campaign g-pay",
        "Campaign nimbus",
    ]
    assert at.query_params["company"] in ("alphabet", ["alphabet"])


def test_tampered_query_shows_notice_not_exception(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(company="<script>alert(1)</script>", to="banana", struggle="ethics")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "unknown company" in notices and "bad year" in notices
    assert len(at.dataframe[0].value) == 4  # the struggle filter still applies


def test_empty_store_says_what_to_do(app_test: Callable[..., AppTest]) -> None:
    at = app_test()
    assert not at.exception
    assert "campaigns demo" in at.info[0].value


def test_download_is_the_filtered_demands_csv(
    engine: Engine, db_url: str, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    import csv
    import io

    from campaigns.dashboard.state import demands_csv
    from campaigns.filters import Filters

    load(engine, tmp_path)
    at = app_test(company="amazon")
    assert not at.exception
    assert "demands.csv" in at.get("download_button")[0].proto.label
    text = demands_csv(db_url, Filters(companies=("amazon",)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["demand_id"] for r in rows] == ["aecj-parler-2021-d1"]
    assert rows[0]["days_to_outcome"] == "1"


def chart_titled(at: AppTest, start: str) -> dict[str, Any]:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec["layout"]["title"]["text"].startswith(start):
            return spec
    raise AssertionError(f"no chart titled {start!r}")


def test_headline_figures(engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]) -> None:
    load(engine, tmp_path)
    at = app_test()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Campaigns"] == "5" and metrics["Demands"] == "5"
    assert metrics["Share won"] == "50%"  # 2 of 4 decided; nimbus is pending
    assert metrics["Pending"] == "1"
    # the factory rows keep Parler's response date (2021-01-09): 0, 680, 680 and 1045 days;
    # nimbus (stated 2021-03-01, after that response) has no usable duration
    assert metrics["Median days to first response"] == "680"


def test_a_median_wait_not_reached_is_said_so(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    # three demands, none answered yet: fewer than half have a response, so no median
    rows = [
        *campaign_rows(
            "waiting", ["pending"] * 3, year=2023, company="Google", response_type="",
            response_date="", response_summary="",
        ),
    ]  # fmt: skip
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", rows))
    metrics = {m.label: m.value for m in app_test().metric}
    assert metrics["Median days to first response"] == "not reached"


def test_success_over_time_is_a_rate_with_interval_and_counts(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    spec = chart_titled(app_test(), "Share of decided campaigns won, by year")
    trace = spec["data"][0]
    assert trace["x"] == ["2018", "2019", "2021"]
    assert trace["y"] == [1.0, 0.0, 1.0]
    assert trace["text"] == ["1 of 1", "0 of 2", "1 of 1 (+1 pending)"]
    assert "error_y" in trace


def test_what_tends_to_work_shows_each_group_with_its_n(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test()
    by_struggle = chart_titled(at, "Share of decided campaigns won, by struggle")
    assert set(by_struggle["data"][0]["y"]) == {"ethics (n=3)", "pay_and_benefits (n=1)"}
    by_tactic = chart_titled(at, "Share of decided campaigns won, by tactic")
    assert by_tactic["data"][0]["y"] == ["online_campaign (n=4)"]
    by_type = chart_titled(at, "Share of decided demands won, by demand type")
    assert by_type["data"][0]["y"] == ["end_contract_or_customer (n=4)"]


def test_time_to_outcome_counts_pending_as_still_open(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    spec = chart_titled(app_test(), "Share of demands still without an outcome")
    assert (
        "5 demands, 4 reached it, 1 pending counted as still open"
        in spec["layout"]["title"]["text"]
    )


def test_shared_link_with_company_and_struggle_opens_filtered(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(company="amazon", struggle="ethics")
    assert not at.exception
    assert list(at.dataframe[0].value["title"]) == ["Stop hosting Parler"]
    assert at.multiselect(key="f_company").value == ["amazon"]
    assert at.multiselect(key="f_struggle").value == ["ethics"]


def test_tampered_tactic_and_outcome_are_notices(
    engine: Engine, tmp_path: Path, app_test: Callable[..., AppTest]
) -> None:
    load(engine, tmp_path)
    at = app_test(tactic="drop table", outcome="won", demand_type="policy_change")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "unknown tactic" in notices and "unknown outcome" in notices
    assert at.info[0].value.startswith("No campaigns match")  # policy_change matches none

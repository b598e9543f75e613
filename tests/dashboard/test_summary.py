"""The dashboard's figures from the data set loaded once equal the analytics on the export's rows.

``campaigns.summary`` answers a filter with masks and counts instead of reloading the data set;
these tests check, filter by filter, that it selects the campaigns ``load_coded_data`` selects
and that every figure is the one ``campaigns.analytics`` computes from those rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from benchmarks import generate
from benchmarks.synthetic import Size
from campaigns import analytics as an
from campaigns.company_compare import compare_companies, response_mix
from campaigns.dataset import campaign_rows, demand_rows, load_coded_data
from campaigns.exports import RESPONSES_COLUMNS, response_rows
from campaigns.filters import Filters
from campaigns.similarity import similar_campaigns
from campaigns.summary import DataSet, load_dataset
from campaigns.summary_companies import compare_selected, response_mix_selected
from campaigns.summary_counts import kaplan_meier_counted
from db.engine import make_engine, upgrade
from tests.dashboard.conftest import APP

TODAY = date(2026, 11, 23)
FILTERS = [
    Filters(),
    Filters(struggles=("ethics",)),
    Filters(struggles=("ethics", "pay_and_benefits")),
    Filters(year_from=2018, year_to=2022),
    Filters(year_to=2015),
    Filters(companies=("alphabet",)),
    Filters(companies=("amazon", "microsoft")),
    Filters(tactics=("walkout", "petition")),
    Filters(demand_types=("pay_and_benefits",), outcomes=("pending",)),
    Filters(outcomes=("met",), year_from=2020),
    Filters(year_from=2099),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A small synthetic store: skewed companies, several demands, actions and responses each."""
    path: Path = tmp_path_factory.mktemp("summary") / "store.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    generate.populate(engine, Size(posts=300, campaigns=150, seed=3))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def loaded(synthetic: Engine) -> DataSet:
    with Session(synthetic) as session:
        return load_dataset(session)


def export_frames(engine: Engine, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Session(engine) as session:
        data = load_coded_data(session, filters).public()  # demands.csv's rows
    return an.campaigns_frame(campaign_rows(data)), pd.DataFrame(demand_rows(data))


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.to_query_params()) or "all")
def test_every_figure_equals_the_analytics_on_the_exported_rows(
    synthetic: Engine, loaded: DataSet, filters: Filters
) -> None:
    campaigns, demands = export_frames(synthetic, filters)
    chosen = loaded.select(filters)
    assert chosen.campaigns()["campaign_id"].tolist() == campaigns["campaign_id"].tolist()
    assert chosen.n_demands() == len(demands)
    if campaigns.empty:
        return
    pd.testing.assert_frame_equal(chosen.campaigns(), campaigns)
    pd.testing.assert_frame_equal(chosen.demands(), demands)
    assert chosen.summary() == an.success_summary(campaigns)
    for column in ("year", "struggle"):
        pd.testing.assert_frame_equal(chosen.success_by(column), an.success_by(campaigns, column))
    pd.testing.assert_frame_equal(chosen.success_by_tactic(), an.success_by_tactic(campaigns))
    pd.testing.assert_frame_equal(
        chosen.success_by_demand_type(), an.success_by_demand_type(demands)
    )
    pd.testing.assert_frame_equal(chosen.outcomes_by_year(), an.outcomes_by_year(campaigns))
    for event in ("response", "outcome"):
        survival = chosen.survival(event, TODAY)
        assert survival.summary() == an.survival_summary(demands, event, TODAY)
        expected = an.time_to_event(demands, event, TODAY)
        pd.testing.assert_frame_equal(chosen.event_frame(event, TODAY), expected)
        assert survival.attrs == expected.attrs
        fit = an.kaplan_meier(expected["duration_days"], expected["observed"])
        pd.testing.assert_frame_equal(survival.fit.curve, fit.curve)


def test_responses_are_the_exported_responses_of_the_selected_campaigns(
    synthetic: Engine, loaded: DataSet
) -> None:
    filters = Filters(companies=("alphabet",))
    with Session(synthetic) as session:
        data = load_coded_data(session, filters)
    expected = pd.DataFrame(list(response_rows(data)), columns=list(RESPONSES_COLUMNS))
    pd.testing.assert_frame_equal(loaded.select(filters).responses(), expected)


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(struggles=("ethics",))], ids=["all", "ethics"]
)
def test_companies_side_by_side_equal_company_compare(
    synthetic: Engine, loaded: DataSet, filters: Filters
) -> None:
    with Session(synthetic) as session:
        data = load_coded_data(session, filters)
        tree = pd.DataFrame(
            [(c.slug, c.name, data.companies[c.parent_id].slug if c.parent_id else None)
             for c in data.companies.values()],
            columns=["slug", "name", "parent_slug"],
        )  # fmt: skip
    campaigns, demands = an.campaigns_frame(campaign_rows(data)), pd.DataFrame(demand_rows(data))
    responses = pd.DataFrame(list(response_rows(data)), columns=list(RESPONSES_COLUMNS))
    slugs = ["alphabet", "amazon", "microsoft", "no-campaigns-here"]
    chosen = loaded.select(filters)
    pd.testing.assert_frame_equal(
        compare_selected(chosen, tree, slugs, TODAY),
        compare_companies(campaigns, demands, responses, tree, slugs, TODAY),
    )
    pd.testing.assert_frame_equal(
        response_mix_selected(chosen, tree, slugs), response_mix(campaigns, responses, tree, slugs)
    )


def test_the_table_pages_through_the_campaigns_newest_first(loaded: DataSet) -> None:
    chosen = loaded.select(Filters(struggles=("ethics",)))
    campaigns = chosen.campaigns()
    expected = campaigns.sort_values(["year", "title"], ascending=[False, True])
    pages = [chosen.table_page(page, ["campaign_id"], per_page=7) for page in range(1, 100)]
    shown = [c for page in pages for c in page["campaign_id"]]
    assert shown == expected["campaign_id"].tolist()


def test_search_keeps_campaigns_with_every_word(loaded: DataSet) -> None:
    chosen = loaded.select(Filters(struggles=("ethics",)))
    campaigns = chosen.campaigns()
    word = str(campaigns["title"].iloc[0]).split()[0]
    query = f"  {word.upper()}  {str(campaigns['company'].iloc[0]).lower()} "
    text = (
        campaigns[["title", "company", "worker_group", "summary", "tactics", "struggle"]]
        .fillna("")
        .astype(str)
        .agg(" ".join, axis=1)
        .str.lower()
    )
    keep = pd.Series(True, index=campaigns.index)
    for part in query.lower().split():
        keep &= text.str.contains(part, regex=False)
    found = chosen.search(query).campaigns()["campaign_id"].tolist()
    assert found == campaigns.loc[keep, "campaign_id"].tolist() and found
    assert chosen.search("   ").count == chosen.count


def test_campaigns_like_this_one_equal_similarity_over_everything(loaded: DataSet) -> None:
    for campaign_id in loaded.campaigns["campaign_id"].iloc[::9]:
        fast = loaded.similar_campaigns(campaign_id, as_of=TODAY)
        slow = similar_campaigns(loaded.campaigns, loaded.demands, campaign_id, as_of=TODAY)
        # dtypes can differ (a column with a None elsewhere in the full frame is float there)
        pd.testing.assert_frame_equal(
            fast.reset_index(drop=True), slow.reset_index(drop=True), check_dtype=False
        )
    assert loaded.similar_campaigns("no-such-campaign", as_of=TODAY).empty


DAYS = st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2027, 1, 1)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(DAYS, st.just(""), st.just("2025-02-30"), st.just("2025-03-01T10:00")),
            st.sampled_from([None, "met", "partially_met", "not_met", "pending", "unknown"]),
            DAYS,
            st.sampled_from([None, "no_response", "statement", "reject"]),
            DAYS,
        ),
        max_size=30,
    )
)
def test_per_demand_events_give_time_to_event(records: list[tuple[object, ...]]) -> None:
    """Every odd record (undated, unknown, pending after the day, string dates) counts alike."""
    demands = pd.DataFrame(
        [
            {
                "campaign_id": f"c{i % 3}",
                "demand_id": f"d{i}",
                "demand_type": "other",
                "demand_date": stated,
                "outcome": outcome,
                "outcome_date": outcome_on,
                "response_type": response,
                "response_date": responded,
            }
            for i, (stated, outcome, outcome_on, response, responded) in enumerate(records)
        ],
        columns=[
            "campaign_id", "demand_id", "demand_type", "demand_date", "outcome",
            "outcome_date", "response_type", "response_date",
        ],
    )  # fmt: skip
    campaigns = pd.DataFrame(
        {
            "campaign_id": ["c0", "c1", "c2"],
            "title": ["a", "b", "c"],
            "company_slug": [None, None, None],
            "struggle": ["other", None, "ethics"],
            "year": [2024, None, 2025],
            "status": ["pending", "won", "lost"],
            "tactics": ["", "strike", None],
        }
    )
    companies = pd.DataFrame(columns=["id", "slug", "parent_id"])
    loaded = DataSet(campaigns, demands, pd.DataFrame(columns=["campaign_id"]), companies)
    for event in ("response", "outcome"):
        expected = an.time_to_event(demands, event, TODAY)
        chosen = loaded.select(Filters())
        pd.testing.assert_frame_equal(chosen.event_frame(event, TODAY), expected)
        assert chosen.survival(event, TODAY).attrs == expected.attrs


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.booleans()), min_size=1, max_size=60))
def test_kaplan_meier_on_counted_pairs_is_the_same_fit(pairs: list[tuple[int, bool]]) -> None:
    durations = np.array([d for d, _ in pairs], dtype=np.int64)
    observed = np.array([o for _, o in pairs], dtype=bool)
    counted, plain = kaplan_meier_counted(durations, observed), an.kaplan_meier(durations, observed)
    pd.testing.assert_frame_equal(counted.curve, plain.curve)
    assert (counted.median_days, counted.median_ci_low, counted.median_ci_high) == (
        plain.median_days,
        plain.median_ci_low,
        plain.median_ci_high,
    )
    assert (counted.n, counted.events, counted.censored) == (plain.n, plain.events, plain.censored)


def test_long_tables_come_in_pages_and_the_figures_count_every_campaign(
    synthetic: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit

    from campaigns.dashboard.ui import PAGE_ROWS

    monkeypatch.setenv("DATABASE_URL", str(synthetic.url.render_as_string(hide_password=False)))
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Campaigns"] == "150"
    assert len(at.dataframe[0].value) == PAGE_ROWS
    assert at.number_input(key="overview_page").max == 2
    at.number_input(key="overview_page").set_value(2)
    at.run()
    assert len(at.dataframe[0].value) == 150 - PAGE_ROWS
    assert "Showing 101–150" in " ".join(c.value for c in at.caption)
    at.switch_page("campaigns/dashboard/campaigns.py")
    at.run()
    assert len(at.dataframe[0].value) == PAGE_ROWS
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()

"""The statistics against values worked out by hand (no database needed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from campaigns.analytics import (
    kaplan_meier,
    retaliation_share,
    success_by,
    success_by_demand_type,
    success_by_tactic,
    success_summary,
    survival_summary,
    time_to_event,
    wilson_interval,
)


# Wilson score interval, z = 1.959964 (z^2 = 3.841459), worked out by hand:
#   centre = (p + z^2/2n) / (1 + z^2/n),  half = z * sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)
#   3/10: centre 0.49207/1.38415 = 0.355506, half 0.342874/1.38415 = 0.247715 -> 0.10779, 0.60322
#   2/3:  centre 0.98682/1.28049 = 0.573084, half 0.466724/1.28049 = 0.365425 -> 0.20766, 0.93851
#   0/2:  centre 0.96037/1.96073 = 0.489810, half 0.960364/1.96073 = 0.489810 -> 0.00000, 0.65762
def cells(frame: pd.DataFrame, key: object, columns: list[str]) -> list[Any]:
    """The values of ``columns`` in the row labelled ``key``."""
    return [frame.at[key, column] for column in columns]


WILSON_BY_HAND = {
    (3, 10): (0.10779, 0.60322),
    (2, 3): (0.20766, 0.93851),
    (0, 2): (0.00000, 0.65762),
}


@pytest.mark.parametrize(("successes", "total"), list(WILSON_BY_HAND))
def test_wilson_interval_matches_hand_computation(successes: int, total: int) -> None:
    low, high = wilson_interval(successes, total)
    assert (low, high) == pytest.approx(WILSON_BY_HAND[(successes, total)], abs=1e-5)


def test_wilson_interval_of_nothing_is_none() -> None:
    assert wilson_interval(0, 0) == (None, None)


def small_table() -> pd.DataFrame:
    """2019: won, won, lost, pending; 2020: partial, lost, unknown."""
    return pd.DataFrame(
        {
            "campaign_id": list("abcdefg"),
            "year": [2019, 2019, 2019, 2019, 2020, 2020, 2020],
            "company": ["Amazon", "Amazon", "Google", "Google", "Google", "Amazon", "Amazon"],
            "status": ["won", "won", "lost", "pending", "partial", "lost", "unknown"],
            "tactics": [
                "walkout;petition",
                "petition",
                "walkout",
                "strike",
                None,
                "petition",
                "walkout",
            ],
            "retaliation": [True, False, None, True, False, None, False],
        }
    )


def test_success_by_year_counts_and_wilson_bounds() -> None:
    rows = success_by(small_table(), "year").set_index("year")
    # 2019: 2 won of 3 decided, 1 pending left out
    assert cells(rows, 2019, ["won", "partial", "lost", "n", "pending_excluded"]) == [
        2,
        0,
        1,
        3,
        1,
    ]
    assert rows.loc[2019, "success_rate"] == pytest.approx(2 / 3)
    assert (rows.loc[2019, "success_ci_low"], rows.loc[2019, "success_ci_high"]) == pytest.approx(
        WILSON_BY_HAND[(2, 3)], abs=1e-5
    )
    # 2020: 0 won of 2 decided (partial + lost), unknown left out, at-least-partial 1/2
    assert rows.loc[2020, "n"] == 2 and rows.loc[2020, "unknown_excluded"] == 1
    assert rows.loc[2020, "success_rate"] == 0
    assert rows.loc[2020, "at_least_partial_rate"] == pytest.approx(0.5)
    assert (rows.loc[2020, "success_ci_low"], rows.loc[2020, "success_ci_high"]) == pytest.approx(
        WILSON_BY_HAND[(0, 2)], abs=1e-5
    )


def test_pending_is_never_a_failure() -> None:
    summary = success_summary(small_table())
    assert summary["decided"] == 5 and summary["pending_excluded"] == 1
    assert summary["success_rate"] == pytest.approx(2 / 5)


def test_success_by_tactic_counts_a_campaign_once_per_tactic() -> None:
    rows = success_by_tactic(small_table()).set_index("tactic")
    # petition: a (won), b (won), f (lost); walkout: a (won), c (lost), g (unknown); strike: d
    assert cells(rows, "petition", ["won", "lost", "n"]) == [2, 1, 3]
    assert cells(rows, "walkout", ["won", "lost", "n", "unknown_excluded"]) == [1, 1, 2, 1]
    assert cells(rows, "strike", ["n", "pending_excluded"]) == [0, 1]
    assert cells(rows, "strike", ["success_rate"])[0] is None or pd.isna(
        cells(rows, "strike", ["success_rate"])[0]
    )
    assert int(rows["campaigns"].sum()) == 7  # e has no tactic; a counts twice


def test_success_by_demand_type_counts_demands() -> None:
    demands = pd.DataFrame(
        {
            "demand_type": ["policy_change"] * 4 + ["personnel"],
            "outcome": ["met", "not_met", "pending", "partially_met", None],
        }
    )
    rows = success_by_demand_type(demands).set_index("demand_type")
    assert cells(rows, "policy_change", ["won", "partial", "lost", "pending_excluded"]) == [
        1,
        1,
        1,
        1,
    ]
    assert cells(rows, "personnel", ["n", "unknown_excluded"]) == [0, 1]


def test_retaliation_share_leaves_unknown_out() -> None:
    share = retaliation_share(small_table())
    assert (share["n"], share["with_retaliation"], share["unknown_excluded"]) == (5, 2, 2)
    assert share["share"] == pytest.approx(0.4)
    assert share["ci"] == pytest.approx(wilson_interval(2, 5))
    assert share["pending_included"] == 1


def test_retaliation_share_reads_yes_no_from_csv() -> None:
    frame = pd.DataFrame({"retaliation": ["yes", "no", None, "no"], "status": ["won"] * 4})
    assert retaliation_share(frame)["with_retaliation"] == 1
    assert retaliation_share(frame)["n"] == 3


# Kaplan–Meier by hand: durations 1, 2, 2+, 3, 4+, 5 (+ = censored)
#   t=1: at risk 6, 1 event -> S = 5/6
#   t=2: at risk 5, 1 event (1 censored) -> S = 5/6 * 4/5 = 2/3
#   t=3: at risk 3, 1 event -> S = 2/3 * 2/3 = 4/9
#   t=4: censored -> S stays 4/9;  t=5: at risk 1, 1 event -> S = 0
# Median: first time S <= 1/2 -> 3 days.
# Log(-log) 95% band, Greenwood sum g = sum d/(n(n-d)); a = exp(z sqrt(g) / |log S|):
#   t=1: g = 1/30, S = 0.83333 -> (S^a, S^(1/a)) = (0.27312, 0.97471)
#   t=2: g = 1/30 + 1/20, S = 0.66667 -> (0.19462, 0.90443)
#   t=3: g += 1/6, S = 0.44444 -> (0.06619, 0.78491)
# Median CI: the lower band is below 1/2 from day 1, the upper band only at day 5 -> (1, 5).
KM_DURATIONS = [1, 2, 2, 3, 4, 5]
KM_OBSERVED = [True, True, False, True, False, True]


def test_kaplan_meier_matches_hand_computation() -> None:
    fit = kaplan_meier(KM_DURATIONS, KM_OBSERVED)
    curve = fit.curve.set_index("days")
    assert curve["survival"].tolist() == pytest.approx([1, 5 / 6, 2 / 3, 4 / 9, 4 / 9, 0])
    assert cells(curve, 1.0, ["ci_low", "ci_high"]) == pytest.approx([0.27312, 0.97471], abs=1e-4)
    assert cells(curve, 2.0, ["ci_low", "ci_high"]) == pytest.approx([0.19462, 0.90443], abs=1e-4)
    assert cells(curve, 3.0, ["ci_low", "ci_high"]) == pytest.approx([0.06619, 0.78491], abs=1e-4)
    assert fit.median_days == 3
    assert (fit.median_ci_low, fit.median_ci_high) == (1, 5)
    assert (fit.n, fit.events, fit.censored) == (6, 4, 2)


def test_kaplan_meier_median_not_reached_is_none() -> None:
    fit = kaplan_meier([3, 5, 8], [True, False, False])
    assert fit.median_days is None
    assert fit.curve["survival"].min() == pytest.approx(2 / 3)


def test_kaplan_meier_of_nothing() -> None:
    fit = kaplan_meier([], [])
    assert fit.n == 0 and fit.median_days is None and fit.curve.empty


AS_OF = date(2021, 3, 1)


def demands_table() -> pd.DataFrame:
    """Demand dates in 2021; as_of 2021-03-01 (day 59 after 2021-01-01)."""
    return pd.DataFrame(
        [
            # met after 9 days, answered after 2
            ("d1", "c1", "2021-01-01", "statement", "2021-01-03", "met", "2021-01-10"),
            # pending, answered after 5 -> outcome censored at as_of: 59 days
            ("d2", "c1", "2021-01-01", "negotiation", "2021-01-06", "pending", None),
            # pending, never answered -> both censored at as_of: 31 days
            ("d3", "c2", "2021-01-29", None, None, "pending", None),
            # not met after 20 days, never answered -> response censored at the outcome: 20
            ("d4", "c2", "2021-01-01", "no_response", None, "not_met", "2021-01-21"),
            # unknown outcome, no response -> left out of both, counted
            ("d5", "c3", "2021-01-01", None, None, "unknown", None),
            # undated demand -> left out of both, counted
            ("d6", "c3", None, "reject", "2021-01-05", "not_met", "2021-01-05"),
        ],
        columns=[
            "demand_id",
            "campaign_id",
            "demand_date",
            "response_type",
            "response_date",
            "outcome",
            "outcome_date",
        ],
    )


def test_time_to_outcome_censors_pending_at_as_of() -> None:
    frame = time_to_event(demands_table(), "outcome", AS_OF)
    got = {r.demand_id: (r.duration_days, r.observed) for r in frame.itertuples()}
    assert got == {"d1": (9, True), "d2": (59, False), "d3": (31, False), "d4": (20, True)}
    assert frame.attrs["pending_censored"] == 2
    assert frame.attrs["unknown_excluded"] == 1
    assert frame.attrs["undated_excluded"] == 1


def test_time_to_response_treats_no_response_as_not_answered() -> None:
    frame = time_to_event(demands_table(), "response", AS_OF)
    got = {r.demand_id: (r.duration_days, r.observed) for r in frame.itertuples()}
    assert got == {"d1": (2, True), "d2": (5, True), "d3": (31, False), "d4": (20, False)}
    assert frame.attrs["unknown_excluded"] == 1 and frame.attrs["undated_excluded"] == 1


def test_survival_summary_carries_its_counts() -> None:
    summary = survival_summary(demands_table(), "outcome", AS_OF)
    # durations 9, 20 observed; 31+, 59+ censored -> S(9) = 3/4, S(20) = 3/4 * 2/3 = 1/2
    assert summary["median_days"] == 20
    assert (summary["n"], summary["events"], summary["censored"]) == (4, 2, 2)
    assert summary["pending_censored"] == 2 and summary["unknown_excluded"] == 1


def test_time_to_event_rejects_unknown_event() -> None:
    with pytest.raises(ValueError, match="event"):
        time_to_event(demands_table(), "retaliation", AS_OF)

"""The extra figures: titles name the denominator, data carries the counts."""

from __future__ import annotations

from datetime import date

import pandas as pd

from campaigns.analytics import kaplan_meier, success_by
from campaigns.charts_more import (
    campaign_timeline_chart,
    company_success_chart,
    response_mix_chart,
    success_by_chart,
    success_over_time_chart,
    survival_chart,
)

CAMPAIGNS = pd.DataFrame(
    {
        "campaign_id": list("abcdef"),
        "year": [2019, 2019, 2019, 2020, 2020, 2021],
        "status": ["won", "lost", "pending", "won", "won", "pending"],
        "struggle": ["ethics", "ethics", "ethics", "pay_and_benefits", "ethics", "ethics"],
    }
)


def test_success_over_time_has_rates_intervals_and_counts() -> None:
    figure = success_over_time_chart(success_by(CAMPAIGNS, "year"))
    trace = figure.data[0]
    assert list(trace.x) == ["2019", "2020"]  # 2021 has nothing decided
    assert list(trace.y) == [0.5, 1.0]
    assert list(trace.text) == ["1 of 2 (+1 pending)", "2 of 2"]
    assert trace.error_y.array[0] > 0
    assert "2 pending left out" in figure.layout.title.text


def test_success_by_chart_labels_n() -> None:
    figure = success_by_chart(success_by(CAMPAIGNS, "struggle"), "struggle")
    assert set(figure.data[0].y) == {"ethics (n=3)", "pay_and_benefits (n=1)"}
    assert "decided campaigns" in figure.layout.title.text


def test_empty_inputs_give_titled_empty_figures() -> None:
    assert (
        "No decided"
        in success_over_time_chart(success_by(CAMPAIGNS.iloc[:0], "year")).layout.title.text
    )
    assert "No dated" in survival_chart(kaplan_meier([], []), 0).layout.title.text
    assert (
        "No dated"
        in campaign_timeline_chart(pd.DataFrame(columns=["date", "kind", "what"])).layout.title.text
    )
    assert (
        "No company responses"
        in response_mix_chart(
            pd.DataFrame(columns=["company", "response_type", "responses", "share"])
        ).layout.title.text
    )


def test_survival_chart_counts_pending_as_open() -> None:
    fit = kaplan_meier([10, 20, 30, 40], [True, True, False, False])
    figure = survival_chart(fit, 2)
    assert "4 demands, 2 reached it, 2 pending counted as still open" in figure.layout.title.text
    assert figure.data[1].y[0] == 1.0


def test_company_and_mix_charts() -> None:
    compare = pd.DataFrame(
        [{"company": "Alphabet", "decided": 2, "won": 1, "success_rate": 0.5,
          "success_ci_low": 0.1, "success_ci_high": 0.9}]
    )  # fmt: skip
    assert list(company_success_chart(compare).data[0].text) == ["1 of 2"]
    mix = pd.DataFrame(
        [{"company": "Alphabet", "response_type": "reject", "responses": 3, "share": 1.0}]
    )
    figure = response_mix_chart(mix)
    reject = next(t for t in figure.data if t.name == "reject")
    assert list(reject.y) == ["Alphabet (n=3)"] and list(reject.x) == [1.0]


def test_timeline_chart_puts_each_kind_on_its_row() -> None:
    timeline = pd.DataFrame(
        [
            {"date": date(2021, 1, 9), "kind": "demand", "what": "Stop hosting"},
            {"date": date(2021, 1, 10), "kind": "outcome", "what": "met"},
            {"date": None, "kind": "action", "what": "undated"},
        ]
    )
    figure = campaign_timeline_chart(timeline)
    assert {t.name for t in figure.data} == {"demand", "outcome"}
    assert "2 dated events" in figure.layout.title.text


def test_timeline_hover_shows_a_posts_tags_as_text() -> None:
    timeline = pd.DataFrame(
        [
            {
                "date": date(2021, 1, 9),
                "kind": "response",
                "what": '<a href="https://x.example">go</a>',
            }
        ]
    )
    (trace,) = campaign_timeline_chart(timeline).data
    assert trace.text[0] == '&lt;a href="https://x.example"&gt;go&lt;/a&gt;'


def test_company_names_and_values_show_as_typed() -> None:
    """A company added by hand can be called anything: Plotly would read its tags as markup."""
    name = "<b>Acme</b> & Co"
    shown = "&lt;b&gt;Acme&lt;/b&gt; &amp; Co"
    compare = pd.DataFrame(
        [{"company": name, "decided": 2, "won": 1, "success_rate": 0.5,
          "success_ci_low": 0.1, "success_ci_high": 0.9}]
    )  # fmt: skip
    assert list(company_success_chart(compare).data[0].x) == [shown]
    mix = pd.DataFrame([{"company": name, "response_type": "reject", "responses": 3, "share": 1.0}])
    reject = next(t for t in response_mix_chart(mix).data if t.name == "reject")
    assert list(reject.y) == [f"{shown} (n=3)"]
    table = pd.DataFrame(
        [{"struggle": '<a href="https://x.example">x</a>', "decided": 1, "won": 1,
          "success_rate": 1.0, "success_ci_low": 0.2, "success_ci_high": 1.0,
          "pending_excluded": 0}]
    )  # fmt: skip
    (trace,) = success_by_chart(table, "struggle").data
    assert list(trace.y) == ['&lt;a href="https://x.example"&gt;x&lt;/a&gt; (n=1)']

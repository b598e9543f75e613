"""A post in another language than its campaign's posts shares no words with them, so text
similarity cannot place it: the engine lets company and time decide instead. A report in English
joins the campaign whose demand was posted in French, not the company's English campaign that
shares no more words with it."""

from __future__ import annotations

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.grouping import post_language
from tests.linking.helpers import post_input, post_row

# Amazon France, spring 2020: Union syndicale Solidaires took Amazon France Logistique to court
# over safety in its warehouses (Tribunal judiciaire de Nanterre, 14 April 2020); the warehouses
# closed and reopened on 19 May after an agreement with the unions. Written in our own words.
# Amazon Employees for Climate Justice asked for zero emissions by 2030 (2019-2020,
# https://www.amazonemployees4climatejustice.com/), in our own words.
CLIMATE = post_row(
    "1250000000000000003",
    "We demand that Amazon commit to zero carbon emissions by 2030 and stop giving its cloud to "
    "oil and gas companies. #AmazonEmployees4ClimateJustice",
    "2020-02-10T16:00:00+00:00",
    author_handle="AMZNforClimate",
)
DEMAND = post_row(
    "1250000000000000001",
    "Nous exigeons qu'Amazon ferme ses entrepôts en France tant que les risques pour la santé "
    "des salariés ne sont pas évalués avec leurs représentants. #AmazonFrance",
    "2020-04-08T09:00:00+00:00",
    lang="fr",
)
REPORT = post_row(
    "1250000000000000002",
    "Amazon says it will keep its French warehouses closed until Tuesday and has agreed with "
    "unions to new health checks before staff return, a month after the court ruling.",
    "2020-05-18T12:00:00+00:00",
    kind="news",
    author_handle="reuters",
)


def _run(linker: LinkingEngine, report_lang: str | None) -> tuple[str | None, ...]:
    climate, demand, report = linker.run(
        [post_input(CLIMATE), post_input(DEMAND), post_input({**REPORT, "lang": report_lang})]
    ).links
    assert climate.role == demand.role == "demand" and report.role in ("response", "outcome")
    assert climate.campaign_key != demand.campaign_key
    return demand.campaign_key, report.campaign_key, report.linked_post_key, demand.post.key


def test_a_report_in_another_language_joins_the_campaign_of_its_demand(
    linker: LinkingEngine,
) -> None:
    demand_campaign, report_campaign, linked, demand_key = _run(linker, "en-GB")
    assert report_campaign == demand_campaign
    assert linked == demand_key
    (link,) = [x for x in linker.run([post_input(DEMAND), post_input(REPORT)]).links][1:]
    assert any("its words cannot be compared" in reason for reason in link.reasons)


def test_without_languages_the_words_alone_decide(linker: LinkingEngine) -> None:
    """An unknown language is not another language: sharing no words with either campaign, the
    report goes to the company's first (the engine's documented tie-break)."""
    demand_campaign, report_campaign, linked, demand_key = _run(linker, None)
    assert report_campaign != demand_campaign and linked != demand_key


def test_post_language_reads_the_primary_subtag() -> None:
    given = ("en-GB", "FR", "pt_BR", "", None, "und", "zxx", "qme", "qht", "yue", "123")
    assert [post_language(x) for x in given] == [
        "en", "fr", "pt", None, None, None, None, None, None, "yue", None,
    ]  # fmt: skip


def test_a_refusal_reported_in_german_answers_the_german_demand(linker: LinkingEngine) -> None:
    # Lieferando's riders and the NGG union (from 2021), in our own words: the news leads with
    # the company and "lehnt ... ab" (turns down)
    demand = post_row(
        "1500000000000000001",
        "Wir fordern von Lieferando einen Tarifvertrag und 15 Euro Stundenlohn für alle Fahrer.",
        "2022-03-01T09:00:00+00:00",
        lang="de",
    )
    refusal = post_row(
        "1500000000000000002",
        "Lieferando lehnt Tarifverhandlungen mit der NGG weiter ab und verweist auf eigene "
        "Lohnerhöhungen.",
        "2022-04-01T09:00:00+00:00",
        kind="news",
        author_handle="tagesschau.de",
        lang="de",
    )
    run = linker.run([post_input(row) for row in (demand, refusal)])
    links = {link.post.key: link for link in run.links}
    answer = links[f"x:{refusal['platform_post_id']}"]
    assert answer.role == "response"
    assert answer.response_type == "reject"
    assert answer.linked_post_key == f"x:{demand['platform_post_id']}"

"""Company resolution against the shipped registry."""

from __future__ import annotations

import pytest

from campaigns.linking.companies import CompanyResolver
from campaigns.registry import load_registry


@pytest.fixture(scope="module")
def resolver() -> CompanyResolver:
    return CompanyResolver(load_registry())


@pytest.mark.parametrize(
    ("text", "slug", "unit"),
    [
        ("Amazon Web Services will suspend the account", "amazon", "AWS"),
        ("AWS staff are unhappy", "amazon", "AWS"),
        ("Whole Foods workers want hazard pay", "whole-foods-market", None),
        ("Twitch streamers and staff protest", "twitch", None),
        ("YouTube moderators organise", "youtube", None),
        ("GitHub employees ask leadership to cancel the ICE deal", "github", None),
        ("LinkedIn engineers signed a letter", "linkedin", None),
        ("Instagram staff walked out", "instagram", None),
        ("Facebook employees stage a virtual walkout", "meta", None),  # former name
        ("Googlers signed the letter", "google", None),
        ("Microsfot workers protest the Army contract", "microsoft", None),  # misspelt
        ("Google Cloud should drop the contract", "google", "Google Cloud"),
    ],
)
def test_names_aliases_units_subsidiaries_former_names_and_typos(
    resolver: CompanyResolver, text: str, slug: str, unit: str | None
) -> None:
    match = resolver.resolve(text)
    assert (match.slug, match.unit) == (slug, unit)
    assert match.reasons


def test_the_company_whose_workers_speak_wins_over_a_parent_named_in_passing(
    resolver: CompanyResolver,
) -> None:
    text = (
        "GitHub employees push the company to cancel its ICE contract; Microsoft, which owns "
        "GitHub, faced a similar protest last year."
    )
    assert resolver.resolve(text).slug == "github"


def test_the_company_addressed_wins_over_the_customer_named(resolver: CompanyResolver) -> None:
    text = "Kick Palantir off AWS. Hosting the backbone of deportations is a choice."
    assert resolver.resolve(text).slug == "amazon"


def test_a_post_naming_no_known_company_gets_none(resolver: CompanyResolver) -> None:
    for text in ("my sourdough starter staged a walkout", "", "🙂🙂🙂", "ring the bell, slack off"):
        assert resolver.resolve(text).slug is None


def test_everyday_words_that_are_company_names_need_a_capital(resolver: CompanyResolver) -> None:
    assert resolver.resolve("an apple a day and a meta joke").slug is None
    assert resolver.resolve("Apple retail workers in Towson vote to unionize").slug == "apple"


def test_handle_of_a_company_account_names_the_company(resolver: CompanyResolver) -> None:
    match = resolver.resolve(
        "Today we launch something new.", handle="awscloud", source_kind="company"
    )
    assert (match.slug, match.unit) == ("amazon", "AWS")
    assert match.from_handle_only

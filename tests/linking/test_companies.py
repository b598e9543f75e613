"""Company resolution against the shipped registry."""

from __future__ import annotations

import pytest

from campaigns.linking.companies import CompanyResolver
from campaigns.registry import load_registry


@pytest.fixture(scope="module")
def resolver() -> CompanyResolver:
    return CompanyResolver(load_registry())


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # a name set after its owner as "the company" is the company the text is about
        (
            "Staff allege sexism and safety lapses at Jeff Bezos' space company Blue Origin",
            "blue-origin",
        ),
        ("Engineers at Elon Musk's rocket firm SpaceX write an open letter", "spacex"),
        # the names the Chinese press gives companies
        ("东莞诺基亚工厂的罢工进入第三天，工人要求转给微软之前先依法解除劳动合同", "nokia"),
        ("惠普内部宣布由中国区董事长兼任华三董事长，华三员工停工抗议", "h3c"),
        # the workers named by their trade are the company's, even when the parent acts
        (
            "About 600 Activision QA testers join a union, and Microsoft recognises it",
            "activision-blizzard",
        ),
        (
            "Raven Software quality assurance workers strike; Microsoft says little",
            "activision-blizzard",
        ),
    ],
)
def test_apposed_names_and_chinese_names(resolver: CompanyResolver, text: str, slug: str) -> None:
    assert resolver.resolve(text).slug == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # a place near in spelling to a name, beside a name spelt right, is the place
        ("Amazon says Shakopee workers who run out of time off can ask a manager", "amazon"),
        ("Shakopee workers walked out of the warehouse at dawn", None),
        # a letter swapped or dropped in a long name is still the name
        ("Palantri employees sign a letter on the ICE contract", "palantir"),
        ("Salesfroce staff ask the company to drop CBP", "salesforce"),
        # YouTubers are YouTube's, even with Google answering them
        ("Google answers the YouTubers' union hours before the deadline", "youtube"),
    ],
)
def test_near_spellings_are_misspelt_names_only_where_nothing_is_spelt_right(
    resolver: CompanyResolver, text: str, slug: str | None
) -> None:
    assert resolver.resolve(text).slug == slug


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
        ("my airtag arrived and found the box it came in", "apple", None),  # a product
        # two subsidiaries named beside their parent speak of the group; one is more precise
        ("Facebook, Instagram and WhatsApp back after a global outage", "meta", None),
        ("Instagram staff walked out over the Facebook policy", "instagram", None),
        # a subsidiary named with its own parent is one branch of the group, not two
        ("YouTube moderators ask Google and Alphabet for a raise", "youtube", None),
        ("Urban Company partners protest the new plan", "urban-company", None),
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


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # the backup child-care ask at Amazon (2019), in our words: the others are compared
        (
            "Backup daycare for snow days. Apple has it. Microsoft has it. Amazon, over to you.",
            "amazon",
        ),
        ("Google and Microsoft have it. Dear Amazon, it's your move.", "amazon"),
        ("Google and Microsoft have it. Amazon, your move.", "amazon"),
        # a list is not spoken to: the first named
        ("Apple, Google and Microsoft have it. We want it too.", "apple"),
    ],
)
def test_the_company_spoken_to_is_the_one_addressed(
    resolver: CompanyResolver, text: str, slug: str
) -> None:
    assert resolver.resolve(text).slug == slug


def test_a_post_naming_no_known_company_gets_none(resolver: CompanyResolver) -> None:
    for text in ("my sourdough starter staged a walkout", "", "🙂🙂🙂", "ring the bell, slack off"):
        assert resolver.resolve(text).slug is None


@pytest.mark.parametrize(
    "text",
    [
        "Fires in the Amazon rainforest hit a record this August, satellite data show.",
        "Deforestation across the Amazon.",
        "The Tesla coil demonstration at the science museum drew a crowd.",
        "The Oracle of Delphi was consulted by Greek city-states for centuries.",
        "Apple pie recipe from my grandmother, finally written down.",
        "Slack water at the harbour is at 3pm today.",
        "an uber-cool gadget for your kitchen",
        "Riot police clashed with protesters downtown.",
        "Target practice at the range this weekend.",
        "Snap elections were called in Spain.",
        "Grab a coffee and join the picket.",
    ],
)
def test_a_company_name_naming_something_else_is_no_company(
    resolver: CompanyResolver, text: str
) -> None:
    assert resolver.resolve(text).slug is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Amazon fires workers who spoke out.", "amazon"),
        ("Amazon workers march with Amazon rainforest activists.", "amazon"),
        ("Warehouse workers in the Amazon strike tonight.", "amazon"),
        ("Tesla workers in Fremont walk out.", "tesla"),
        ("Apple retail staff in Towson unionize.", "apple"),
        ("Uber-driver protests in London today", "uber"),
        ("Riot Games workers walk out over forced arbitration.", "riot-games"),
        ("Target workers in Virginia strike.", "target"),
    ],
)
def test_the_same_names_as_employers_still_count(
    resolver: CompanyResolver, text: str, slug: str
) -> None:
    assert resolver.resolve(text).slug == slug


def test_everyday_words_that_are_company_names_need_a_capital(resolver: CompanyResolver) -> None:
    assert resolver.resolve("an apple a day and a meta joke").slug is None
    assert resolver.resolve("Apple retail workers in Towson vote to unionize").slug == "apple"


def test_everyday_words_in_lower_case_count_when_a_company_word_follows(
    resolver: CompanyResolver,
) -> None:
    assert resolver.resolve("third ola driver in a row cancelled on me").slug == "ola"
    assert resolver.resolve("my boycott of uber pool continues").slug == "uber"
    assert resolver.resolve("first workday of the year and slack is down").slug == "salesforce"
    for text in (
        "the target is clear",
        "a riot broke out downtown",
        "die Fahrer reden über die App",
    ):
        assert resolver.resolve(text).slug is None


def test_everyday_words_in_lower_case_count_as_a_workplace(resolver: CompanyResolver) -> None:
    assert resolver.resolve("some of us who work at blizzard are not ok").slug == (
        resolver.resolve("Blizzard").slug
    )
    assert resolver.resolve("drivers for uber went without pay").slug == "uber"
    assert resolver.resolve("a blizzard kept the workers at home").slug is None


def test_a_demand_addressed_to_a_list_goes_to_the_first_named(resolver: CompanyResolver) -> None:
    # the Minneapolis pay floor, 2024: "Uber and Lyft to pay" addresses both
    match = resolver.resolve("We expect Uber and Lyft to pay it.", source_kind="worker_group")
    assert match.slug == "uber"
    assert "demand addressed to Uber" in match.reasons
    assert resolver.resolve("Uber riders say Lyft must pay its drivers more.").slug == "lyft"


def test_handle_of_a_company_account_names_the_company(resolver: CompanyResolver) -> None:
    match = resolver.resolve(
        "Today we launch something new.", handle="awscloud", source_kind="company"
    )
    assert (match.slug, match.unit) == ("amazon", "AWS")
    assert match.from_handle_only


def test_an_account_mentioned_names_the_company_its_handle_carries(
    resolver: CompanyResolver,
) -> None:
    """'@AWScloud' splits as 'AW Scloud', which names nothing; the account is AWS's."""
    match = resolver.resolve("Parler is being used to plan violence. @AWScloud take it down.")
    assert (match.slug, match.unit) == ("amazon", "AWS")
    assert resolver.resolve("@Google drop the contract").slug == "google"
    assert resolver.resolve("thanks @dril, that one made my day").slug is None
    assert resolver.resolve("the company's own @GoogleAI account").slug == "google"
    assert resolver.resolve("a reply to @OpenAI on this").slug == "openai"
    assert resolver.resolve("@SlackHQ is down again").slug == "salesforce"  # Slack, a unit
    # a person's handle that holds a company's name is not the company's account
    for person in ("@googlefan99", "@applesauce_fan", "@metaverse_guy", "@intelgirl"):
        assert resolver.resolve(f"agree with {person} on this one").slug is None, person
    assert resolver.resolve("#NoHostForHate starts today").slug is None


def test_names_in_other_scripts_are_found(resolver: CompanyResolver) -> None:
    assert resolver.resolve("삼성전자 노동조합이 파업에 들어갔다").slug == "samsung"
    assert resolver.resolve("セガ・オブ・アメリカの従業員が組合結成").slug == "sega"
    assert resolver.resolve("グーグルの従業員が抗議").slug == "google"
    assert resolver.resolve("労働組合がストライキを開始した").slug is None


def test_short_names_inside_camel_case_handles(resolver: CompanyResolver) -> None:
    match = resolver.resolve(
        "Tomorrow we walk out.", handle="ABetterABK", source_kind="worker_group"
    )
    assert match.slug == "activision-blizzard"


def test_corporate_families(resolver: CompanyResolver) -> None:
    assert set(resolver.family("youtube")) >= {"youtube", "google", "alphabet"}
    assert resolver.family("google")[0] == "google"
    assert "amazon" not in resolver.family("google")
    assert resolver.family(None) == ()


@pytest.mark.parametrize(
    ("text", "slug", "unit"),
    [
        ("Prime Day deals everywhere and my cart is empty", "amazon", None),
        ("The re:Invent keynote starts in ten minutes", "amazon", "AWS"),
        ("the new WoW expansion ate my weekend", "activision-blizzard", "Blizzard Entertainment"),
        ("Tim Cook tells staff to come back three days a week", "apple", None),
    ],
)
def test_products_events_and_chief_executives_stand_for_their_company(
    resolver: CompanyResolver, text: str, slug: str, unit: str | None
) -> None:
    match = resolver.resolve(text)
    assert (match.slug, match.unit) == (slug, unit)


def test_product_names_need_their_own_capitalisation(resolver: CompanyResolver) -> None:
    assert resolver.resolve("wow, what a week for the union").slug is None
    assert resolver.resolve("the threads of this story").slug is None


def test_the_company_that_acts_wins_over_a_unit_named_after_it(resolver: CompanyResolver) -> None:
    match = resolver.resolve("Alphabet posts a record quarter as Google Cloud revenue jumps")
    assert match.slug == "alphabet"
    assert resolver.resolve("Meta launches Threads, its rival to Twitter").slug == "meta"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Amazon to buy MGM for $8.45 billion, adding the studio to Prime Video", "amazon"),
        (
            "Microsoft completes its Activision Blizzard acquisition after regulators relent",
            "microsoft",
        ),
        (
            "Delivery Hero moves to take majority control of Glovo, already Glovo's top investor",
            "delivery-hero",
        ),
        ("Facebook buys Instagram for $1 billion in cash and stock", "meta"),
        # the subsidiary whose workers speak still wins over a parent named in passing
        ("Instagram staff walk out over the policy Meta announced", "instagram"),
    ],
)
def test_the_buyer_wins_over_the_subsidiary_it_buys(
    resolver: CompanyResolver, text: str, slug: str
) -> None:
    match = resolver.resolve(text, source_kind="news")
    assert match.slug == slug, match.reasons


def test_newsroom_handles_without_the_company_name(resolver: CompanyResolver) -> None:
    for handle in ("fbnewsroom", "about.fb.com"):
        name = resolver.from_handle(handle)
        assert name is not None and name.slug == "meta"
    assert resolver.from_handle("FBI") is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ola and Uber drivers in Hyderabad log off for a day", "ola"),
        ("Uber, Little, Taxify drivers strike over rates", "uber"),
        ("Drivers at Lyft and Uber walk off at the airport", "lyft"),
        ("Amazon workers rally outside a Google office", "amazon"),  # not a list
    ],
)
def test_a_list_of_companies_shares_its_workers_and_the_first_named_wins(
    resolver: CompanyResolver, text: str, slug: str
) -> None:
    assert resolver.resolve(text).slug == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Older I.B.M. workers fight a pension switch", "ibm"),
        ("Staff at the Spotify-owned podcast network unionise", "spotify"),
        ("WoW's anniversary patch is live", "activision-blizzard"),
        ("spotify raised the price again", "spotify"),
        ("the iphone battery is dying", "apple"),
        ("a far cry from the windows era", None),  # everyday words stay words
        ("Boycott dates: Sunday and Monday", None),
    ],
)
def test_acronyms_compounds_possessives_and_lower_case_names(
    resolver: CompanyResolver, text: str, slug: str | None
) -> None:
    assert resolver.resolve(text, handle="medium.com", source_kind="worker_group").slug == slug


def test_the_choice_does_not_depend_on_the_hash_seed() -> None:
    """A subsidiary, its parent and the grandparent named together (set order once decided)."""
    import os
    import subprocess
    import sys

    text = (
        "Google's new union criticises YouTube for not suspending the account. In an open "
        "letter, the Alphabet Workers Union says staff warned executives for years."
    )
    code = (
        "from campaigns.linking.companies import CompanyResolver;"
        "from campaigns.registry import load_registry;"
        f"m = CompanyResolver(load_registry()).resolve({text!r}, source_kind='news');"
        "print(m.slug, m.score)"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(seen) == 1, seen


@pytest.mark.parametrize(
    ("text", "slug", "unit"),
    [
        ("Cisco workers sign a letter against the contract", "cisco", None),
        ("Ele.me riders stop work in Wuhan", "alibaba", "Ele.me"),
        ("The Ringer union walked off the job", "spotify", "The Ringer"),
        ("AT&T call centre workers strike", "at-and-t", None),
        ("Foodpanda riders in Hong Kong strike over pay cuts", "delivery-hero", "Foodpanda"),
        ("Scale AI contractors say pay vanished overnight", "scale-ai", None),
        ("ViacomCBS staff organise", "paramount-global", None),  # former name
        ("Rockstar workers describe years of crunch", "take-two-interactive", "Rockstar Games"),
        ("Treyarch QA testers file for a union vote", "activision-blizzard", "Treyarch"),
        ("Raven QA testers walk out over layoffs", "activision-blizzard", "Raven Software"),
        ("Audible employees sign a petition", "amazon", "Audible"),
        ("Wildberries pickup point workers strike over fines", "wildberries", None),
        ("Shopee couriers strike over pay cuts", "sea-limited", "Shopee"),
        ("Free Now drivers log off in Warsaw", "free-now", None),
    ],
)
def test_employers_of_the_archive_beyond_the_largest(
    resolver: CompanyResolver, text: str, slug: str, unit: str | None
) -> None:
    match = resolver.resolve(text)
    assert (match.slug, match.unit) == (slug, unit)


def test_names_of_several_everyday_words_need_every_capital(resolver: CompanyResolver) -> None:
    for text in (
        "they put us through the ringer",
        "ele me disse que a greve continua",
        "we build scale AI models",
        "an epic games night at the union hall",
        "Heute wieder Streik, und mein Chef sagt nichts",  # German nouns are capitalised
        "Der Chef sagt nein.",
        "she is a rockstar on the night shift",
        "an audible sigh from the back of the room",
        "the bagels were chewy",
        "a raven sat on the fence by the picket line",
        "free now, at last",
        "Die Werte für Ozon sind heute hoch.",
    ):
        assert resolver.resolve(text).slug is None, text


def test_short_names_start_a_part_of_a_handle(resolver: CompanyResolver) -> None:
    """A short name counts where a handle's part begins with it, not inside another word."""
    for handle, slug in (
        ("AMZNforClimate", "amazon"),
        ("teslaworkersunited", "tesla"),
        ("UberEatsCouriersJP", "uber"),
        ("sanfranciscotechworkers", None),  # not Cisco
        ("wendell_codes", None),  # not Dell
    ):
        match = resolver.resolve("We walk out at noon.", handle=handle, source_kind="worker_group")
        assert match.slug == slug, handle


def test_a_holding_company_s_workers_are_coded_at_their_employer(
    resolver: CompanyResolver,
) -> None:
    """Alphabet's workers are employed by Google: their campaigns are coded at Google."""
    by_group = resolver.resolve(
        "We walk out at noon.", handle="AlphabetWorkersUnion", source_kind="worker_group"
    )
    assert by_group.slug == "google"
    assert "alphabet's workers are employed by google" in by_group.reasons
    assert resolver.resolve("Alphabet workers sign a letter to leadership").slug == "google"
    assert resolver.resolve("Alphabet reports quarterly earnings").slug == "alphabet"


def test_a_vendor_whose_workers_speak_wins_over_its_client(resolver: CompanyResolver) -> None:
    """Registry vendors employ the workers at a client's sites: their campaigns are theirs."""
    for text, slug in (
        ("Facebook moderators employed by Accenture demand real mental health care", "accenture"),
        ("Content moderators hired through Cognizant say the videos traumatised them", "cognizant"),
        ("Foxconn workers at the iPhone plant walk out over unpaid bonuses", "foxconn"),
        ("Apple says it is looking into conditions at a Foxconn plant", "apple"),  # Apple acts
        # HCL's analysts at Google in Pittsburgh (USW, September 2019): "Google contractors"
        # in the headline, the vendor's own workers in the story
        (
            "Google contractors in Pennsylvania vote to unionize. The roughly 80 HCL analysts "
            "who work on Google projects in Pittsburgh voted 49 to 24 to join the Steelworkers.",
            "hcl-technologies",
        ),
    ):
        assert resolver.resolve(text, source_kind="news").slug == slug, text


def test_amazon_site_codes_stand_for_amazon(resolver: CompanyResolver) -> None:
    match = resolver.resolve("the night crew at DIL3 walked off the megacycle")
    assert match.slug == "amazon"
    assert "company amazon: named as DIL3" in match.reasons
    for text in ("GPT4 writes my emails now", "see you at COP2", "OOW18 keynote", "dil3 lowercase"):
        assert resolver.resolve(text).slug is None, text


def test_chef_the_company_in_english_not_the_boss_in_german(resolver: CompanyResolver) -> None:
    assert resolver.resolve("so Chef, the config people, have an ICE deal").slug == "chef-software"
    assert resolver.resolve("the chef at our cafeteria quit").slug is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # lower case, as many posts are written (the Uber strike before its IPO, May 2019)
        ("uber is about to go public while our pay keeps getting cut", "uber"),
        ("rail strike day. uber wanted £48 for three miles", "uber"),
        # folded German "über" is no company
        ("Wir reden heute uber die Arbeitsbedingungen im Lager", None),
    ],
)
def test_uber_in_lower_case_is_the_company_outside_german(
    resolver: CompanyResolver, text: str, slug: str | None
) -> None:
    assert resolver.resolve(text).slug == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Les salariés d'Amazon exigent la fermeture des entrepôts pendant l'épidémie.", "amazon"),
        ("Sciopero dei lavoratori dell'Amazon di Passo Corese.", "amazon"),
        ("Les chauffeurs exigent qu'Uber les reconnaisse comme salariés.", "uber"),
        ("O'Reilly hosts a conference on open source.", None),
    ],
)
def test_an_elided_article_before_a_name_is_not_part_of_it(
    resolver: CompanyResolver, text: str, slug: str | None
) -> None:
    assert resolver.resolve(text).slug == slug


def test_a_name_ends_at_a_full_stop(resolver: CompanyResolver) -> None:
    # JEDI, October 2019: "Amazon. Employees ..." names no Amazon employees
    text = (
        "Microsoft wins the Pentagon's $10 billion JEDI cloud contract, beating Amazon. "
        "Employees had asked the company not to bid."
    )
    match = resolver.resolve(text, source_kind="news")
    assert match.slug == "microsoft"
    assert not any("workers of Amazon" in reason for reason in match.reasons)
    assert resolver.resolve("Workers at Amazon.com walk out.").slug == "amazon"


def test_a_two_letter_name_counts_only_in_capitals(resolver: CompanyResolver) -> None:
    # Electronic Arts' QA testers in Baton Rouge, 2022-2023
    text = "EA QA testers in Baton Rouge are asking for paid time off and health coverage."
    assert resolver.resolve(text).slug == "electronic-arts"
    assert resolver.resolve("ea testers were told the news").slug is None


@pytest.mark.parametrize(
    ("text", "company", "unit"),
    [
        ("Bandcamp United wins voluntary recognition after months of organizing", "bandcamp", None),
        (
            "Songtradr lays off half of Bandcamp's staff, union bargaining team included",
            "bandcamp",
            None,
        ),
        ("Glassdoor workers file for a union election with CWA", "glassdoor", None),
        ("Careem captains in Karachi log off over fuel costs", "careem", None),
        ("Lalamove drivers stage a protest over cuts to delivery rates", "lalamove", None),
        ("id Software workers form a wall-to-wall union", "microsoft", "ZeniMax Media"),
    ],
)
def test_employers_of_recent_public_campaigns_are_in_the_registry(
    resolver: CompanyResolver, text: str, company: str, unit: str | None
) -> None:
    match = resolver.resolve(text, source_kind="news")
    assert (match.slug, match.unit) == (company, unit)

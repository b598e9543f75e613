"""Role classification and code detection on posts written for these tests."""

from __future__ import annotations

import pytest

from campaigns.linking.decide import ASKS_NOTHING_TIE, asks_nothing
from campaigns.linking.detect import (
    Detection,
    detect_demand_type,
    detect_outcome,
    detect_response_type,
    detect_tactic,
)
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput
from campaigns.linking.roles import (
    LOOKING_BACK,
    RoleDecision,
    claimed_win,
    classify_role,
    demand_phrases,
)


@pytest.mark.parametrize(
    ("text", "kind", "role"),
    [
        (
            "We demand that Salesforce end its contract with CBP. #NoTechForICE",
            "worker_group",
            "demand",
        ),
        (
            "More than 2,000 Microsoft employees signed an open letter against the Army contract.",
            "news",
            "action",
        ),
        (
            "Google says it will not renew the drone contract, a spokesperson told staff.",
            "news",
            "response",
        ),
        (
            "Five years since our walkout: Riot Games never ended forced arbitration.",
            "worker_group",
            "outcome",
        ),
        (
            # Kickstarter United, February 2020 (the count as reported by The Verge)
            "Kickstarter United wins union vote 46 to 37, one of the first unions at a major "
            "tech company.",
            "news",
            "outcome",
        ),
        (
            # Amazon's Climate Pledge, September 2019, the day before its employees' walkout
            "Amazon announces The Climate Pledge: net zero carbon by 2040 and 100,000 electric "
            "delivery vans. Employees say it does not go far enough.",
            "news",
            "response",
        ),
        (
            # Samsung's largest union, July and August 2024
            "Samsung Electronics' largest union launches its first-ever general strike, "
            "demanding higher pay and more vacation days.",
            "news",
            "action",
        ),
        (
            "Samsung union ends strike without winning a pay deal, shifting to other tactics.",
            "news",
            "outcome",
        ),
        (
            # No Tech for Apartheid, 2024
            "Three years on, Project Nimbus at Google is still running and the workers who "
            "protested it have been fired.",
            "worker_group",
            "outcome",
        ),
        (
            "Amazon warehouse workers in Bessemer, Alabama, reject the union by more than two "
            "to one.",
            "news",
            "outcome",
        ),
        (
            # Activision Blizzard, October 2021; Foxconn Zhengzhou, November 2022
            "Activision Blizzard waives forced arbitration for harassment and discrimination "
            "claims and says it will publish pay equity data, as its CEO takes a pay cut.",
            "news",
            "response",
        ),
        (
            "Foxconn apologises for a 'technical error' in pay and offers workers who want to "
            "quit 10,000 yuan to leave the Zhengzhou plant.",
            "news",
            "response",
        ),
        (
            # an agreement signed, reported in Italian (Amazon Italia, September 2021)
            "Amazon e i sindacati firmano il primo protocollo sulle relazioni industriali in "
            "Italia: confronto su orari, carichi di lavoro e sicurezza.",
            "news",
            "outcome",
        ),
        ("Apple unveils a new laptop with a faster chip and a lower price.", "news", "other"),
        ("my cat has staged a walkout over breakfast", None, "other"),
    ],
)
def test_roles(linker: LinkingEngine, text: str, kind: str | None, role: str) -> None:
    link = linker.analyse(PostInput(key="p", text=text, source_kind=kind))
    assert link.role == role, link.reasons
    assert link.reasons


def test_detectors_name_the_value_and_the_phrases() -> None:
    tactic = detect_tactic("Workers walked out at noon across the campus")
    assert tactic.value == "walkout" and tactic.phrases
    assert detect_demand_type("recognize our union and bargain with us").value == "recognition"
    assert detect_demand_type("Cancel the ICE contract").value == "end_contract_or_customer"
    assert detect_response_type("Kickstarter fired two union organizers").value == "retaliation"
    assert detect_response_type("Google decided not to renew Maven").value == "full_concession"
    assert detect_outcome("The union was voluntarily recognized: we won").value == "met"
    assert detect_tactic("").value is None


def test_a_union_named_for_recognition_is_a_recognition_demand() -> None:
    # GMB and Uber, May 2021
    text = "Now we want Uber to recognise GMB so drivers have a union voice on pay and pensions."
    assert detect_demand_type(text).value == "recognition"


@pytest.mark.parametrize(
    "text",
    [
        # Shipt's new pay model, 2020
        "Shipt rolls out its new pay model nationwide despite shopper protests.",
        "Amazon presses ahead with the new quotas.",
    ],
)
def test_going_on_despite_the_protest_is_a_rejection(text: str) -> None:
    assert detect_response_type(text).value == "reject"


@pytest.mark.parametrize(
    "text",
    [
        # No Azure for Apartheid, 2024-2025: the ask names every contract, not one
        "Microsoft workers ask: end every Azure and AI contract with the Israeli military.",
        "Drop all cloud deals with oil and gas companies.",
    ],
)
def test_ending_every_contract_is_a_contract_demand(text: str) -> None:
    assert detect_demand_type(text).value == "end_contract_or_customer"


@pytest.mark.parametrize(
    "text",
    [
        "Amazon removes Parler from AWS. The network went dark after Amazon cut off its web hosting.",
        "Apple removed the app from its App Store after workers objected.",
        "GitHub stops hosting the tool the agency used, the company said.",
        "Shopify deplatformed the store on Thursday.",
        # the Parler suspension as other reports put it, January 2021
        "Parler goes dark as Amazon cuts off hosting. AWS suspended the site on Sunday.",
        "Amazon drops Parler from its cloud, as employees had asked.",
        "Amazon is kicking Parler off its web hosting service.",
        "Amazon to pull Parler from its servers after Apple and Google drop the app.",
        # Dragonfly, July 2019; ending a plan or project in other words
        "Google says it has terminated Project Dragonfly, its censored search engine for China.",
        "The company has shelved its plans for the return-to-office mandate.",
        # the company takes its service away, said without "from its servers"
        "Amazon has cut off Parler, removing the app from AWS after workers demanded it.",
        "Parler is offline after Amazon pulled its hosting.",
    ],
)
def test_cutting_a_customer_off_is_a_full_concession(text: str) -> None:
    assert detect_response_type(text).value == "full_concession"


def test_taking_back_the_fired_is_a_full_concession_not_a_firing() -> None:
    """The firing a reinstatement undoes is not the company's answer; a refusal to rehire is
    a rejection, and a firing alone stays retaliation."""
    cases = {
        "Tesla reinstates the two workers it fired for union leafleting.": "full_concession",
        "Amazon fired the worker, then rehired him a week later after protests.": (
            "full_concession"
        ),
        "Tesla refuses to rehire the fired organizers, saying they broke policy.": "reject",
        "Google fired two organizers on Monday.": "retaliation",
    }
    for text, expected in cases.items():
        assert detect_response_type(text).value == expected, text


def test_cutting_workers_off_is_no_concession() -> None:
    for text in (
        "Amazon has cut off workers' access to the internal message boards.",
        "The company has cut off pay for the days of the strike.",
    ):
        assert detect_response_type(text).value != "full_concession", text


def test_asking_to_cut_a_customer_off_is_a_demand_not_a_response(linker: LinkingEngine) -> None:
    for text in (
        "We demand that AWS stop hosting Parler and cut off the app now.",
        "Amazon workers: deplatform Parler, remove it from your servers.",
    ):
        link = linker.analyse(PostInput(key="p", text=text, source_kind="worker_group"))
        assert link.role == "demand", link.reasons
        assert detect_response_type(text).value != "full_concession"


def test_dollar_wages_going_ahead_and_the_fired_worker_rehired() -> None:
    assert detect_demand_type("we demand $30 an hour and longer lunches").value == (
        "pay_and_benefits"
    )
    assert detect_demand_type("a $22.50/hour floor for every picker").value == "pay_and_benefits"
    assert detect_response_type("Apple will go ahead with its office plan in September").value == (
        "reject"
    )
    assert detect_response_type("Amazon fired the organizer on Friday").value == "retaliation"
    assert detect_response_type("Kickstarter rehired the fired organizer").value == (
        "full_concession"
    )


@pytest.mark.parametrize(
    "text",
    [
        "The CEO says the company will waive forced arbitration for harassment claims, but does "
        "not meet the other demands of the walkout.",
        "Management agreed to the pay floor; the remaining demands were left on the table.",
        "It will drop the quotas, but won't address the rest of their demands.",
        "The company pledges net zero by 2040; employees say it doesn't go far enough.",
    ],
)
def test_a_concession_that_leaves_the_other_demands_is_partial(text: str) -> None:
    assert detect_response_type(text).value == "partial_concession"


def test_a_refused_concession_beside_the_other_demands_is_a_rejection() -> None:
    # the negation is read before the caveat: nothing was granted, so nothing was granted in part
    found = detect_response_type(
        "Google says it is not ending forced arbitration, and the remaining demands are under "
        "review."
    )
    assert found.value == "reject"
    assert found.phrases == ("ending forced arbitration",)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # GitHub and ICE, October 2019: the contract was renewed, with a donation beside it
        (
            "GitHub's CEO says the company will renew the ICE contract and donate $500,000 to "
            "nonprofits helping immigrants.",
            "reject",
        ),
        ("The company renews its contract with the agency for another year.", "reject"),
        # Tesla and IF Metall, Sweden, November 2023
        ("Tesla says it will not sign a collective agreement in Sweden.", "reject"),
        ("Google decided not to renew the Maven contract.", "full_concession"),
        # Activision Blizzard, October 2021
        ("Activision Blizzard waives forced arbitration for harassment claims.", "full_concession"),
    ],
)
def test_renewing_is_a_rejection_and_waiving_arbitration_a_concession(
    text: str, value: str
) -> None:
    assert detect_response_type(text).value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the Amazon Labor Union at JFK8, April 2022; Bessemer, April 2021
        ("Amazon Labor Union wins historic vote at the JFK8 warehouse.", "met"),
        ("Apple store workers in Towson vote to unionize.", "met"),
        ("Bessemer warehouse workers vote against forming a union, 1,798 to 738.", "not_met"),
        # the count before "against" (Amazon ALB1, October 2022)
        ("Union bid fails at ALB1: workers voted 406 to 206 against joining the ALU.", "not_met"),
        ("Google contractors in Pittsburgh voted 49 to 24 to join the union.", "met"),
        ("We did it. Dragonfly is dead.", "met"),
        # the workers reject the union, not the company (Bessemer, April 2021)
        (
            "Amazon warehouse workers in Bessemer, Alabama, reject the union by two to one.",
            "not_met",
        ),
    ],
)
def test_union_votes_say_how_the_demand_ended(text: str, value: str) -> None:
    assert detect_outcome(text).value == value


@pytest.mark.parametrize(
    "text",
    [
        # Project Maven, June 2018: a contract that will not be renewed is the demand met
        "Diane Greene told employees the Maven contract, which expires in 2019, will not be renewed.",
        "Google plans not to renew its contract for Project Maven.",
    ],
)
def test_a_contract_that_will_not_be_renewed_is_a_demand_met(text: str) -> None:
    assert detect_outcome(text).value == "met"


def test_an_open_question_is_no_concession() -> None:
    # Microsoft and ICE, June 2018: the memo left the contract where it was
    text = (
        "Nadella tells employees Microsoft is not working with ICE on projects that separate "
        "families. The memo does not say whether the contract will be cancelled."
    )
    assert detect_response_type(text).value != "full_concession"
    assert detect_response_type("Microsoft says the contract will be cancelled.").value == (
        "full_concession"
    )


def test_objecting_to_the_union_vote_is_procedural_resistance() -> None:
    # Amazon and the Staten Island election, April 2022
    text = "Amazon files objections to the Staten Island union election with the labor board."
    assert detect_response_type(text).value == "procedural_resistance"


def test_holding_firm_is_a_rejection() -> None:
    # Shopify and the Breitbart store, 2017
    text = "Shopify CEO holds firm against the Breitbart backlash."
    assert detect_response_type(text).value == "reject"
    assert detect_outcome(text).value == "not_met"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Microsoft recognized the QA workers' union.", "met"),
        ("NPR has formally recognized Digital Media United.", "met"),
        # recognising something else is not recognising a union (OpenAI and Sama, 2023)
        ("OpenAI said it recognised the work was demanding and had shared ethics rules.", None),
    ],
)
def test_recognising_a_union_is_a_win_and_recognising_anything_else_is_not(
    text: str, value: str | None
) -> None:
    assert detect_outcome(text).value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the Google walkout a year on: arbitration ended, the other demands not met
        (
            "A year after the walkout: arbitration is gone, but pay inequity and the "
            "transparency report are still open.",
            "partially_met",
        ),
        ("We won: the contract is gone.", "met"),
        ("Still waiting for an answer; the demand remains open.", "pending"),
    ],
)
def test_a_win_that_says_what_is_still_open_is_partial(text: str, value: str) -> None:
    assert detect_outcome(text).value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # JEDI, October 2018: the concession named is another company's, set as background
        (
            "Microsoft says it will keep bidding on the Pentagon's JEDI cloud contract, days "
            "after Google withdrew from the competition.",
            "reject",
        ),
        (
            "Amazon will keep selling Rekognition to police, weeks after IBM pulled out of face "
            "recognition and Microsoft cancelled its deal.",
            "reject",
        ),
        # a sentence that opens with the time is the news itself
        ("Days after the walkout Google ends forced arbitration.", "full_concession"),
        ("Weeks after the walkout, Google ended forced arbitration.", "full_concession"),
        ("Google withdrew from the JEDI competition.", "full_concession"),
        # the background clause ends; a concession after it is the news again
        (
            "Microsoft kept bidding on JEDI, days after Google withdrew. A year later the "
            "Pentagon cancelled the contract.",
            "full_concession",
        ),
        (
            "Microsoft kept bidding, days after Google withdrew, and then Microsoft cancelled "
            "the contract.",
            "full_concession",
        ),
    ],
)
def test_a_concession_set_as_background_is_not_the_company_s_answer(text: str, value: str) -> None:
    assert detect_response_type(text).value == value


def test_refusing_to_remove_is_a_rejection() -> None:
    # Netflix and The Closer, October 2021
    text = "Ted Sarandos says Netflix will not remove The Closer from the service."
    assert detect_response_type(text).value == "reject"
    assert detect_response_type("Netflix won't pull the special.").value == "reject"


def test_sit_ins_are_a_protest_and_a_union_filing_asks_for_recognition() -> None:
    # No Tech for Apartheid, April 2024; Apple Towson, May 2022; IF Metall and Tesla, 2023
    assert detect_tactic("google workers are holding sit-ins at two offices").value == "protest"
    filing = "Apple Towson employees have filed for a union election. We want a voice on wages."
    assert detect_demand_type(filing).value == "recognition"
    swedish = "Vi kräver att Tesla tecknar kollektivavtal för mekanikerna."
    assert detect_demand_type(swedish).value == "recognition"


def test_a_near_tie_with_an_action_in_a_post_asking_nothing_reads_as_the_action() -> None:
    text = "hundreds of us walked out at noon today and rallied at the front entrance."
    rules = RoleDecision("action", 3.0, {}, [], {"action": ["walked out", "rallied"]})
    read = RoleDecision("demand", 2.4, {}, ["demand (model p=0.48)"], rules.phrases)
    tied = {"demand": 0.48, "action": 0.48 * ASKS_NOTHING_TIE + 0.01}
    assert asks_nothing(read, rules, tied, text).role == "action"
    # a clear demand reading stays, and so does a tie in a post that asks for something
    assert asks_nothing(read, rules, {"demand": 0.6, "action": 0.3}, text).role == "demand"
    asking = text + " we demand $5 more an hour."
    assert asks_nothing(read, rules, tied, asking).role == "demand"


def test_demanding_a_sum_in_any_currency_asks_for_something() -> None:
    # Amazon Coventry, 2023: the GMB's strikes for £15 an hour
    text = "amazon workers in coventry strike again over pay, the gmb union says, demanding £15 an hour."
    assert demand_phrases(text) == ["demanding £15"]
    assert demand_phrases("drivers are demanding $25 an hour") == ["demanding $25"]
    assert detect_response_type("aws is pulling the plug on parler").value == "full_concession"


def test_a_contract_that_remains_in_place_is_a_demand_not_met() -> None:
    # Microsoft and ICE, a year after the June 2018 letter
    text = "A year after employee protests, Microsoft's contract with ICE remains in place."
    assert detect_outcome(text).value == "not_met"


@pytest.mark.parametrize(
    "text",
    [
        # Netflix and The Closer, six weeks after the walkout of 20 October 2021
        "Six weeks after the walkout: no fund, no disclaimer, The Closer is still up.",
        "Netflix chose its comedian over its workers.",
    ],
)
def test_what_was_asked_off_the_air_still_being_there_is_not_met(text: str) -> None:
    assert detect_outcome(text).value == "not_met"


@pytest.mark.parametrize(
    ("text", "role", "news_phrase"),
    [
        # the Uber and Lyft strike of 8 May 2019, Lyft's answer written here: what drivers earn
        # is not a company's earnings news
        (
            "Lyft says it has increased driver earnings over the past two years, responding to "
            "the strike.",
            "response",
            None,
        ),
        # Amazon's hiring of March 2020, beside its part-timers' paid time off: hiring by the
        # thousand is business news
        (
            "Amazon says it will hire 100,000 more warehouse and delivery workers to keep up "
            "with a surge in online orders.",
            "other",
            "hire 100,000",
        ),
    ],
)
def test_business_news_is_told_from_an_answer(
    linker: LinkingEngine, text: str, role: str, news_phrase: str | None
) -> None:
    post = PostInput(key="news", text=text, source_kind="news", platform="feed")
    (link,) = linker.run([post]).links
    assert link.role == role
    shown = [reason for reason in link.reasons if "unrelated-news" in reason]
    assert shown == ([] if news_phrase is None else [f"unrelated-news phrases: {news_phrase}"])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Amazon backs down and will let warehouse workers keep their phones.", "full_concession"),
        ("In a U-turn, Deliveroo scraps the new pay model after riders strike.", "full_concession"),
        ("Microsoft relents: contractors will get paid holidays.", "full_concession"),
        ("Meta concedes to moderators' demands for on-site counselling.", "full_concession"),
        ("Amazon agrees to give Coventry workers a raise.", "full_concession"),
        ("Google bows to pressure and restores the bonus.", "full_concession"),
        ("Apple says it will not bargain with the union yet.", "reject"),
        ("Tesla ignores the strike.", "no_response"),
        (
            "A one-time $300 bonus, far short of the $5 raise workers asked for.",
            "partial_concession",
        ),
    ],
)
def test_more_ways_a_company_gives_in_or_holds_out(text: str, value: str) -> None:
    assert detect_response_type(text).value == value


def test_what_workers_get_to_keep_is_not_the_company_keeping_its_course() -> None:
    assert detect_outcome("Amazon will let warehouse workers keep their phones.").value is None
    assert detect_outcome("Amazon keeps the contract.").value == "not_met"


@pytest.mark.parametrize(
    "text",
    [
        # Amazon Employees for Climate Justice, 26 January 2020: a mass breach of the
        # communications policy, written here in our own words
        "Today over 350 of us are breaking the communications policy on purpose, signing our "
        "names to public statements about Amazon's climate record.",
        "Hundreds of Amazon employees defy the company's communications policy.",
    ],
)
def test_speaking_out_against_a_gag_rule_is_an_action(linker: LinkingEngine, text: str) -> None:
    post = PostInput(key="speak-out", text=text, source_kind="worker_group", platform="x")
    (link,) = linker.run([post]).links
    assert link.role == "action", link.reasons


@pytest.mark.parametrize(
    "text",
    [
        # an individual worker telling the company what to do, with no "we demand"
        "the hub was 104 degrees inside yesterday. fix the fans, Amazon.",
        "five of us gone in a week with no notice. bring back the severance policy.",
    ],
)
def test_a_sentence_telling_the_company_what_to_do_states_a_demand(
    linker: LinkingEngine, text: str
) -> None:
    (link,) = linker.run([PostInput(key="ask", text=text, platform="x")]).links
    assert link.role == "demand", link.reasons


def test_a_ruling_reports_where_the_demand_stands(linker: LinkingEngine) -> None:
    # Tesla and the Fremont organizers: the labour judge's ruling of September 2019
    text = (
        "A federal labor judge just confirmed what we've said for two years: Tesla broke the "
        "law against Fremont organizers."
    )
    post = PostInput(key="ruling", text=text, source_kind="worker_group", platform="x")
    (link,) = linker.run([post]).links
    assert link.role == "outcome", link.reasons


@pytest.mark.parametrize(
    "text",
    [
        "NLRB orders Amazon to reinstate fired warehouse organizer with back pay.",
        "Judge sides with Google contractors: the company is a joint employer of the raters.",
        # the UK Supreme Court, February 2021
        "UK Supreme Court rules Uber drivers are workers, not self-employed.",
    ],
)
def test_a_ruling_for_the_workers_is_a_demand_met(text: str) -> None:
    assert detect_outcome(text).value == "met"


def test_next_stop_asks_for_nothing_and_a_formal_recognition_is_the_news() -> None:
    # Glitch, February 2020
    text = (
        "it's official: glitch has formally recognized the union with cwa. next stop, the "
        "bargaining table."
    )
    rules = _rules(text, "worker_group")
    assert "stop" not in rules.phrases["demand"]
    assert "has formally recognized" in rules.phrases["outcome"]
    assert rules.role == "outcome"


def test_an_emailed_statement_is_the_company_speaking() -> None:
    # Amazon and the Coventry strikes, 2023
    text = (
        "amazon points to its wages as coventry workers strike again. in an emailed statement "
        "the company said its starting pay is competitive."
    )
    rules = _rules(text, "news")
    assert "in an emailed statement" in rules.phrases["response"]


def test_asked_about_the_walkout_the_company_answers() -> None:
    # Samsung's first strike, July 2024
    text = (
        "samsung union walks out for three days. asked about the strike, samsung said "
        "production has not been disrupted."
    )
    rules = _rules(text, "news")
    assert "asked about the strike" in rules.phrases["response"]


def _rules(text: str, kind: str) -> RoleDecision:
    """The rules' reading of a cleaned, lowercased post alone, without the detectors' codes."""
    nothing = Detection(None, 0.0)
    return classify_role(
        text, source_kind=kind, has_company=True, tactic=nothing, response=nothing,
        outcome=nothing, demand_type=nothing,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Netflix and The Closer, October 2021
        (
            "netflix co-ceo ted sarandos says the company will not take the closer off the "
            "service.",
            "reject",
        ),
        # Microsoft and ICE, June 2018
        (
            "satya nadella tells staff microsoft is not working with ice on any projects "
            "related to separating children from families, and the azure contract stays.",
            "reject",
        ),
        # Google, a week after the walkout of November 2018
        (
            "google drops forced arbitration for sexual harassment and assault claims, but "
            "keeps it for other disputes and for contractors.",
            "partial_concession",
        ),
        ("riot games drops forced arbitration for every employee.", "full_concession"),
        # Salesforce and CBP, July 2018: a concession the news says is not coming
        (
            "salesforce says cbp doesn't use its products for family separation, but gives no "
            "sign it will drop the border agency as a customer.",
            "reject",
        ),
        # Activision Blizzard, November 2021
        (
            "activision board sticks with its ceo, brushing aside employee demands for his exit.",
            "reject",
        ),
        # ver.di and Amazon, Prime Day strikes
        ("der versandhändler lehnt einen tarifvertrag weiter ab.", "reject"),
        # Ubisoft France, December 2024: the office rule kept after the strike
        ("la direction maintient son exigence de trois jours de présence au bureau.", "reject"),
        # GitHub, January 2021: the firing the staff protested, undone; a pledge withdrawn is
        # the reversal
        (
            "our investigation found errors of judgment and procedure. we have reversed the "
            "decision and are in contact with the employee.",
            "full_concession",
        ),
        ("two years on, the company reversed its pledge to stay off the bid.", "reversal"),
        # Google and the CBP cloud bid, 2019
        ("three months on: still no answer from leadership on the cbp cloud bid.", "no_response"),
    ],
)
def test_what_the_company_keeps_or_drops(text: str, value: str) -> None:
    assert detect_response_type(text).value == value


def test_numbered_demands_and_a_company_told_what_to_do_ask_for_something() -> None:
    assert demand_phrases("our five demands after the walkout start with this") == [
        "our five demands"
    ]
    # Apple Towson, May 2022
    text = "apple retail workers in towson have filed to unionize. apple, stay neutral."
    assert demand_phrases(text) == ["apple, stay"]
    assert demand_phrases("today, we walked out at noon.") == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        # Nokia Dongguan, March 2013: a strike in its third day
        ("东莞诺基亚工厂的罢工进入第三天，工人举着横幅在厂门口抗议。", "action"),
        # a demand put in Chinese, and one in Korean
        ("我们的要求很简单：遵守劳动法，加班就给加班费。", "demand"),
        ("회사는 노조의 요구에 성실히 답하라.", "demand"),
        # Naver and its union, April 2019: a first collective agreement, tentatively reached
        ("네이버 노사, 첫 단체협약 잠정합의", "outcome"),
        # the company's answer reported in Chinese: it refused
        ("公司发表声明，拒绝了员工的要求。", "response"),
    ],
)
def test_chinese_japanese_and_korean_words_give_the_roles_their_cues(text: str, role: str) -> None:
    rules = _rules(text, "news" if role in ("response", "outcome") else "worker_group")
    assert rules.role == role and rules.phrases[role]


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        # Samsung Electronics Service, April 2018: the union announces the direct-hire agreement
        (
            "오늘 삼성전자서비스와 협력업체 노동자 직접고용에 합의했습니다. 노조 활동 보장도 들어갔습니다.",
            "합의했습니다",
        ),
        ("我们赢了！公司同意恢复加班费。", "赢了"),
        # an agreement recalled as something to keep is no win
        ("회사는 합의했던 약속을 지켜라", None),
    ],
)
def test_a_win_or_an_agreement_claimed_in_chinese_or_korean(text: str, claimed: str | None) -> None:
    assert claimed_win(text) == claimed


@pytest.mark.parametrize(
    ("text", "response_type"),
    [
        # Google and JEDI (October 2018), Dragonfly (July 2019), Amazon's settlement with two
        # fired climate activists (2021), Netflix and The Closer (October 2021): in our words
        (
            "Google drops out of the bidding for the Pentagon's JEDI cloud contract.",
            "full_concession",
        ),
        (
            "Google has 'terminated' Project Dragonfly, an executive told the Senate.",
            "full_concession",
        ),
        (
            "Amazon settles with the two fired climate activists, who will receive back pay.",
            "partial_concession",
        ),
        ("The co-CEO says he 'screwed up', but The Closer will stay on the service.", "reject"),
        ("Deliveroo says it will not reverse the fee change, which it calls fair.", "reject"),
        # Amazon in Germany and ver.di's strikes for a collective agreement (from 2013)
        (
            "Amazon says it pays well for logistics and sees no need for a collective agreement.",
            "reject",
        ),
        # CD Projekt Red's six-day weeks (September 2020); Nintendo's contract tester (2023)
        (
            "CD Projekt Red orders six-day weeks, going back on its promise not to mandate crunch.",
            "reject",
        ),
        (
            "Nintendo and its staffing agency settle the labor complaint of a contract tester.",
            "partial_concession",
        ),
        # Foodpanda riders in Hong Kong (July 2021)
        ("Foodpanda turns down the riders' demands after a three-hour meeting.", "reject"),
        ("The company accepted none of the strikers' requests.", "reject"),
        # Amazon's one-year moratorium on police use of Rekognition (June 2020)
        (
            "Amazon puts a one-year pause on police use of its facial recognition software.",
            "partial_concession",
        ),
    ],
)
def test_answers_in_other_words(text: str, response_type: str) -> None:
    assert detect_response_type(text).value == response_type


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        # Prop 22 (November 2020) and IF Metall's strike at Tesla (from October 2023)
        ("Prop 22 passes. Drivers remain independent contractors in California.", "not_met"),
        ("Six months on, the strike in Sweden continues with no agreement in sight.", "pending"),
        # the National Samsung Electronics Union (August 2024); Google Fiber's Kansas City
        # contractors (March 2023)
        ("Samsung union ends its strike without a deal and returns to work.", "pending"),
        # the Google walkout's five demands, a year on (November 2019)
        ("A year on, organizers say Google met only one of their five demands.", "partially_met"),
        ("The strike ended with none of their demands met.", "not_met"),
        # the severance suit of Twitter's laid-off staff (dismissed in 2024)
        ("A judge dismisses the severance lawsuit brought by former Twitter staff.", "not_met"),
        (
            "Google Fiber contractors in Kansas City voted to join the Alphabet Workers Union.",
            "met",
        ),
    ],
)
def test_outcomes_in_other_words(text: str, outcome: str) -> None:
    assert detect_outcome(text).value == outcome


def test_cutting_off_services_to_a_military_is_a_contract_demand() -> None:
    # No Azure for Apartheid (2024), in our words
    text = "Microsoft must cut off Azure and AI services to the Israeli military."
    assert detect_demand_type(text).value == "end_contract_or_customer"


def test_workers_turning_down_orders_is_no_refusal_by_the_company() -> None:
    text = "Couriers in Portland spent Saturday turning down orders without surge pay."
    assert detect_response_type(text).value is None


def test_a_lawsuit_dismissed_is_no_one_dismissed() -> None:
    text = "A judge dismisses the severance lawsuit brought by former Twitter staff."
    assert detect_response_type(text).value != "retaliation"
    assert detect_response_type("Google dismissed two organizers.").value == "retaliation"


def test_disrupting_the_company_s_event_is_a_protest_not_a_look_back() -> None:
    # Microsoft's 50th anniversary (April 2025), in our words
    text = (
        "Microsoft workers disrupted the company's 50th anniversary event to demand Microsoft "
        "stop selling AI and cloud services to the Israeli military."
    )
    assert detect_tactic(text).value == "protest"
    assert LOOKING_BACK.search(text) is None
    assert LOOKING_BACK.search("On the anniversary of the walkout, nothing has changed.")


def test_no_voluntary_recognition_is_no_concession() -> None:
    # the Medium Workers Union (February 2021), in our words
    text = "A week on, no voluntary recognition: management wants an NLRB election instead."
    assert detect_response_type(text).value != "full_concession"
    assert detect_response_type("Kickstarter voluntarily recognized the union.").value == (
        "full_concession"
    )

"""An action whose post says what it asks for states its campaign's demand when no demand post
does (stating.demand_from_action): the answer links to it, and accepting the action creates
the demand with the post as evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostLink
from campaigns.linking.roles import demand_phrases
from campaigns.linking.suggest import link_posts
from campaigns.review import accept, edit, list_suggestions, reject
from db.models import Action, Demand, Evidence, LinkedPost, ResponseDemand
from tests.linking.helpers import insert_posts, post_input, post_row

# Project Maven, 2018: the employees' letter (New York Times, 2018-04-04,
# https://www.nytimes.com/2018/04/04/technology/google-letter-ceo-pentagon-project.html) and
# the answer (Gizmodo, 2018-06-01, https://gizmodo.com/google-plans-not-to-renew-its-contract-
# for-project-mave-1826488620). Written here as news posts.
LETTER = post_row(
    "1981000000000000001",
    "Thousands of Google employees sign a letter asking the company to pull out of Project "
    "Maven, the Pentagon's drone-imaging program, and to never build warfare technology.",
    "2018-04-04T12:00:00+00:00",
    kind="news",
    author_handle="technewsdesk",
)
ANSWER = post_row(
    "1981000000000000002",
    "Google will not renew its Pentagon contract for Project Maven when it expires next year, "
    "executives told employees.",
    "2018-06-01T18:00:00+00:00",
    kind="news",
    author_handle="technewsdesk",
)
# the same campaign with the demand stated by a post of its own
DEMAND = post_row(
    "1981000000000000003",
    "We demand that Google cancel the Project Maven contract and never build warfare technology.",
    "2018-04-02T12:00:00+00:00",
    author_handle="techworkers",
)


def _links(linker: LinkingEngine, rows: list[dict[str, Any]]) -> dict[str, PostLink]:
    run = linker.run([post_input(row, key=row["platform_post_id"]) for row in rows])
    return {link.post.key: link for link in run.links}


def test_the_answer_links_to_the_action_that_asks(linker: LinkingEngine) -> None:
    links = _links(linker, [LETTER, ANSWER])
    letter, answer = links[LETTER["platform_post_id"]], links[ANSWER["platform_post_id"]]
    assert letter.role == "action" and answer.role == "response"
    assert letter.demand_key and letter.new_demand
    assert any("states the campaign's demand: 'asking the company to'" in r for r in letter.reasons)
    assert answer.demand_key == letter.demand_key
    assert answer.linked_post_key == LETTER["platform_post_id"]
    assert answer.outcome == "met"


def test_an_answer_sharing_few_words_with_the_asking_action_joins_its_campaign(
    linker: LinkingEngine,
) -> None:
    """Two months on, the answer shares little more than "Maven" with the letter: it joins the
    campaign whose action asks for something, as it would join one with a demand post."""
    letter = {
        **LETTER,
        "text": "Thousands of Google employees have signed a letter asking the CEO to pull out of "
        "Project Maven, a Pentagon program that uses AI to analyze drone footage.",
    }
    answer = {
        **ANSWER,
        "text": "Google will not renew its contract for Project Maven when it expires in 2019, "
        "the head of its cloud unit told staff.",
    }
    links = _links(linker, [letter, answer])
    read = links[ANSWER["platform_post_id"]]
    assert read.campaign_key == links[LETTER["platform_post_id"]].campaign_key
    assert read.linked_post_key == LETTER["platform_post_id"] and read.outcome == "met"


def test_a_demand_post_is_preferred_to_the_action(linker: LinkingEngine) -> None:
    links = _links(linker, [DEMAND, LETTER, ANSWER])
    assert links[ANSWER["platform_post_id"]].linked_post_key == DEMAND["platform_post_id"]
    assert links[LETTER["platform_post_id"]].demand_key is None


# Maven's letter as the employees put it, addressed to the chief executive (NYT, above)
MAVEN_ASK = post_row(
    "1981000000000000006",
    "Thousands of us at Google signed a letter to Sundar Pichai: cancel Project Maven and commit "
    "never to build warfare technology.",
    "2018-04-04T12:00:00+00:00",
    author_handle="techworkers",
)
# The Google walkout, 2018: the walkout's post lists its demands, and a week later the company ends
# forced arbitration for harassment claims (Google's blog, 2018-11-08,
# https://blog.google/inside-google/company-announcements/note-our-employees/). Written here.
WALKOUT = post_row(
    "1981000000000000004",
    "Today we walk out. Our demands: end forced arbitration in cases of harassment and "
    "discrimination, a commitment to end pay inequity, and a public harassment transparency "
    "report.",
    "2018-11-01T11:00:00+00:00",
    author_handle="googlewalkout",
)
PARTLY = post_row(
    "1981000000000000005",
    "Google CEO Sundar Pichai tells staff the company will end forced arbitration for individual "
    "sexual harassment and assault claims, meeting some of the walkout's demands but not all.",
    "2018-11-08T18:00:00+00:00",
    kind="news",
    author_handle="technewsdesk",
)


def test_an_answer_takes_its_own_campaigns_action_before_another_campaigns_demand(
    linker: LinkingEngine,
) -> None:
    # the Maven campaign's demand is open at the company; the walkout's campaign has only its
    # action, which says what it asks for: that is the demand the concession answers
    links = _links(linker, [MAVEN_ASK, ANSWER, WALKOUT, PARTLY])
    walkout, partly = links[WALKOUT["platform_post_id"]], links[PARTLY["platform_post_id"]]
    assert walkout.role == "action" and walkout.demand_key
    assert partly.role == "response" and partly.response_type == "partial_concession"
    assert partly.linked_post_key == WALKOUT["platform_post_id"]
    maven = links[MAVEN_ASK["platform_post_id"]]
    assert partly.campaign_key == walkout.campaign_key != maven.campaign_key


def test_an_action_after_the_answer_states_nothing_it_answers(linker: LinkingEngine) -> None:
    later = {**LETTER, "posted_at": "2018-06-05T12:00:00+00:00"}
    links = _links(linker, [later, ANSWER])
    assert links[ANSWER["platform_post_id"]].demand_key is None
    assert links[LETTER["platform_post_id"]].demand_key is None


def test_accepting_the_action_creates_the_demand_with_its_evidence(engine: Engine) -> None:
    letter_id, answer_id = insert_posts(engine, [LETTER, ANSWER])
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    letter, answer = rows[letter_id], rows[answer_id]
    assert letter["proposal"]["demand"]["stated_by_post"] == letter_id
    assert answer["demand_id"] == letter["demand_id"]
    accept(engine, [letter["id"], answer["id"]], reviewer="human:ana")
    with Session(engine) as session:
        demand = session.get(Demand, letter["demand_id"])
        assert demand is not None and demand.review_status == "confirmed"
        assert demand.outcome == "met"
        assert session.get(Action, letter["proposal"]["action"]["id"]) is not None
        (link,) = session.exec(select(ResponseDemand)).all()
        assert link.demand_id == demand.id
        cited = {
            e.post_id
            for e in session.exec(select(Evidence).where(Evidence.record_id == demand.id)).all()
        }
        assert cited == {letter_id, answer_id}


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("instacart shoppers strike nationwide, demanding hazard pay and protective gear.", True),
        ("trans employees plan a walkout and publish a list of demands.", True),
        ("we walk out today. our demands: an end to forced arbitration.", True),
        ("warehouse workers strike on prime day, asking for safer quotas.", True),
        ("drivers refuse low-paying orders to push the company to raise pay.", True),
        # Project Maven, April 2018: the letter asked "that the company pull out"
        ("thousands signed a letter asking that the company pull out of project maven.", True),
        # Microsoft and ICE, June 2018; Shopify and Breitbart, February 2017
        (
            "over 100 workers posted a letter asking chief executive satya nadella to cancel "
            "the contract with ice.",
            True,
        ),
        ("a petition signed by thousands to stop hosting the breitbart store.", True),
        # GMB at Amazon Coventry, January 2023: a sum wanted is asked for
        ("amazon coventry workers are on strike today. our members want £15 an hour.", True),
        # in other languages: Ubisoft (France, 2024), the Breque dos Apps (Brazil, 2020),
        # Amazon's Italian supply chain (2021), Samsung (Korea)
        ("grève chez ubisoft. nous demandons le maintien du télétravail.", True),
        ("entregadores param contra o ifood. exigimos aumento da taxa mínima.", True),
        ("oggi sciopero nella filiera amazon. chiediamo un contratto di secondo livello.", True),
        ("삼성전자 노조는 임금 인상을 요구하며 파업에 들어갔다.", True),
        ("grève chez ubisoft ce mardi.", False),
        # the company asking a court (Urban Company, 2021) asks for nothing of itself
        (
            "the platform has asked the gurugram district court to declare the sit-in illegal.",
            False,
        ),
        # a union drive telling the company what to do (Apple Towson, May 2022) and a walkout's
        # numbered demands (Google, November 2018)
        ("retail workers in towson have filed to unionize. apple, stay neutral.", True),
        ("our five demands after the walkout start with this: end forced arbitration.", True),
        ("a demanding job, and 1,500 of them walked out anyway.", False),
        ("today, we walked out at noon.", False),
        ("today, let's march to the front entrance.", False),
        # news telling what the workers want (Maven, Riot Games, the Google walkout)
        ("the signers argue google has no place in war; they want the project dropped.", True),
        ("organizers want riot to scrap mandatory arbitration for everyone on staff.", True),
        ("we are putting five requests to leadership: end forced arbitration.", True),
        ("they want to be heard, the organizers said after the walkout.", True),
        ("what they want is unclear; the walkout ended at noon.", False),
        ("workers walked out at noon across the campus.", False),
        # protesters at Microsoft's 50th anniversary (April 2025); a noun, not an ask
        ("workers disrupted the event to demand microsoft stop selling ai to the military.", True),
        ("staff walked out and demanded that the contract end.", True),
        ("to meet the demand for chips, the plant runs three shifts.", False),
        # a sentence opening with what to do (Riot Games walkout, May 2019); not "end of"
        ("we walk out monday at 2pm. end forced arbitration for all, current and future.", True),
        ("end of an era at the studio. stop by the party at six.", False),
    ],
)
def test_which_actions_say_what_they_ask_for(text: str, asks: bool) -> None:
    assert bool(demand_phrases(text)) is asks


def test_a_later_run_finds_the_earlier_letter_states_the_demand(engine: Engine) -> None:
    (letter_id,) = insert_posts(engine, [LETTER])
    link_posts(engine)
    (waiting,) = list_suggestions(engine)
    assert waiting["role"] == "action" and "demand" not in waiting["proposal"]

    (answer_id,) = insert_posts(engine, [ANSWER])
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    assert set(rows) == {letter_id, answer_id}  # the letter's suggestion is updated, not doubled
    letter, answer = rows[letter_id], rows[answer_id]
    assert letter["id"] == waiting["id"]
    assert letter["proposal"]["demand"]["stated_by_post"] == letter_id
    assert letter["proposal"]["action"] == waiting["proposal"]["action"]  # tactic kept
    assert answer["demand_id"] == letter["demand_id"]
    with Session(engine) as session:
        stored = session.get(LinkedPost, letter_id)
        assert stored is not None and stored.demand_key == letter["demand_id"]
    assert link_posts(engine).posts_read == 0  # nothing left to read, nothing queued twice
    accept(engine, [letter["id"], answer["id"]], reviewer="human:ana")
    with Session(engine) as session:
        demand = session.get(Demand, letter["demand_id"])
        assert demand is not None and demand.review_status == "confirmed"
        assert demand.outcome == "met"


def _decide_letter_then_answer(
    engine: Engine, decide: Callable[..., Any]
) -> tuple[int, dict[str, Any]]:
    """Link the letter, accept or reject its suggestion, then link the answer."""
    (letter_id,) = insert_posts(engine, [LETTER])
    link_posts(engine)
    (first,) = list_suggestions(engine)
    decide(engine, [first["id"]], reviewer="human:ana")
    insert_posts(engine, [ANSWER])
    link_posts(engine)
    return letter_id, first


def test_an_accepted_letter_gets_a_new_suggestion_for_its_demand(engine: Engine) -> None:
    letter_id, first = _decide_letter_then_answer(engine, accept)
    (again,) = [s for s in list_suggestions(engine) if s["post_id"] == letter_id]
    assert again["id"] != first["id"] and again["proposal"]["demand"]["stated_by_post"] == letter_id
    accept(engine, [again["id"]], reviewer="human:ana")
    with Session(engine) as session:
        demand = session.get(Demand, again["demand_id"])
        assert demand is not None and demand.review_status == "confirmed"
        assert session.get(Action, first["proposal"]["action"]["id"]) is not None
        assert len(session.exec(select(Action)).all()) == 1


def test_a_rejected_letter_states_no_demand(engine: Engine) -> None:
    letter_id, _ = _decide_letter_then_answer(engine, reject)
    (answer,) = list_suggestions(engine)
    assert answer["post_id"] != letter_id and answer["demand_id"] is None
    with Session(engine) as session:
        stored = session.get(LinkedPost, letter_id)
        assert stored is not None and stored.demand_key is None


def test_a_rejected_demand_is_not_answered_in_later_runs(engine: Engine) -> None:
    insert_posts(engine, [DEMAND])
    link_posts(engine)
    (first,) = list_suggestions(engine)
    assert first["role"] == "demand"
    reject(engine, [first["id"]], reviewer="human:ana")
    insert_posts(engine, [ANSWER])
    link_posts(engine)
    (answer,) = list_suggestions(engine)
    assert answer["role"] == "response" and answer["demand_id"] is None
    assert "demand" not in answer["proposal"]


def test_a_reviewer_can_say_an_action_states_a_demand(engine: Engine) -> None:
    # the letter alone: no answer yet, so the engine proposes no demand for it
    (letter_id,) = insert_posts(engine, [LETTER])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    assert "demand" not in row["proposal"]
    edit(
        engine, row["id"],
        {"demand_type": "end_contract_or_customer", "demand_text": "Pull out of Project Maven"},
        reviewer="human:ana",
    )  # fmt: skip
    accept(engine, [row["id"]], reviewer="human:ana")
    with Session(engine) as session:
        (demand,) = session.exec(select(Demand)).all()
        assert demand.text == "Pull out of Project Maven"
        assert demand.demand_type == "end_contract_or_customer"
        evidence = session.exec(select(Evidence).where(Evidence.record_id == demand.id)).all()
        assert [e.post_id for e in evidence] == [letter_id]


def _news(pid: str, text: str, when: str) -> dict[str, Any]:
    return post_row(pid, text, when, kind="news", author_handle="technewsdesk")


def _answer_of_action(
    linker: LinkingEngine, action_row: dict[str, Any], answer_row: dict[str, Any]
) -> tuple[PostLink, PostLink]:
    """The action and the answer read in one run; the action states the demand the answer
    links to."""
    links = _links(linker, [action_row, answer_row])
    action = links[action_row["platform_post_id"]]
    answer = links[answer_row["platform_post_id"]]
    assert action.role == "action" and action.demand_key
    assert answer.linked_post_key == action_row["platform_post_id"]
    return action, answer


def test_a_union_drive_telling_the_company_what_to_do_states_the_demand(
    linker: LinkingEngine,
) -> None:
    # Apple Towson, 2022: the filing (May) and the vote (June), written here
    filing = post_row(
        "1981000000000000011",
        "Apple retail workers in Towson have filed to unionize with the IAM. Apple, stay neutral "
        "and let us vote.",
        "2022-05-04T12:00:00+00:00",
        author_handle="coreunion",
    )
    vote = _news(
        "1981000000000000012",
        "Apple store workers in Towson, Maryland vote 65-33 to join the International "
        "Association of Machinists, the first Apple retail union in the US.",
        "2022-06-18T18:00:00+00:00",
    )
    action, outcome = _answer_of_action(linker, filing, vote)
    assert action.demand_type == "recognition"
    assert (outcome.role, outcome.outcome) == ("outcome", "met")


def test_news_saying_what_the_signers_want_states_the_demand(linker: LinkingEngine) -> None:
    # Microsoft and ICE, June 2018: the letter as news tells what the signers want; the CEO's
    # memo a day later answers it
    letter = _news(
        "1981000000000000021",
        "Over 100 Microsoft employees signed an internal letter objecting to the company's "
        "cloud work for ICE. They want the contract cancelled and a written policy against "
        "such clients.",
        "2018-06-19T12:00:00+00:00",
    )
    memo = _news(
        "1981000000000000022",
        "Nadella tells Microsoft staff the company's ICE work is limited to legacy email and "
        "calendar systems, with no projects tied to separating families.",
        "2018-06-20T18:00:00+00:00",
    )
    action, answer = _answer_of_action(linker, letter, memo)
    assert any("they want" in reason for reason in action.reasons)
    assert answer.role == "response"

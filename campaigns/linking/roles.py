"""Role classification: does a post state a demand, report an action, carry the company's
response, report an outcome, or none of these?

Each role collects weighted cues (phrases, who posted, the codes found by ``detect``); the
highest total wins when it clears a floor, otherwise the post is ``other``. The matched phrases
become the suggestion's reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from campaigns.linking.detect import (
    CUSTOMER_REMOVED,
    TOLD_TO_DO,
    WORKERS_REJECT_UNION,
    Detection,
)

ROLES = ("demand", "action", "response", "outcome", "other")
ROLE_FLOOR = 1.6


def _rx(pattern: str) -> re.Pattern[str]:
    # texts arrive lowercased: case-insensitive matching costs time on every post
    return re.compile(pattern)


# an anniversary of the campaign, not the company's own ("its 50th anniversary event", "the 20th
# anniversary patch")
ANNIVERSARY = (
    r"(?<!\d\dth )anniversary(?! (?:event|celebration|party|gala|keynote|patch|sale|edition))"
)


DEMAND_CUES = (
    (
        2.5,
        _rx(
            r"\b(we (?:also )?demand|we(?:'re| are)? (?:call|calling) on|we (?:also )?(?:ask|urge|want)|"
            r"we(?:'re| are) asking|we want|our demands?|we insist|we refuse to)\b"
        ),
    ),
    (
        2.0,
        _rx(
            r"\b(calls? on|calling on|urg(?:e|es|ing)|demand(?:s|ing)? that|"
            r"demand(?:s|ing)? (?:the|an|to|its|a)|asks? (?:\w+ ){0,3}to|asking (?:\w+ ){0,3}to|"
            r"called on)\b"
        ),
    ),
    (
        1.5,
        _rx(
            r"\b(must|should|needs? to|has to|it's time (?:for|to)|time for \w+ to|"
            r"(?<!next )(?<!last )(?<!first )(?<!bus )(?<!full )stop|drop|cancel|end (?:the|its|this)|"
            r"reinstate|recogni[sz]e (?:our|the) union)\b"
        ),
    ),
    (1.0, _rx(r"(#no\w+|#\w*(?:techfor|4)\w+|\bno tech for\b|\bnot in our name\b)")),
    (
        2.0,
        _rx(
            r"\b(asks?\b|asking for|demand (?:one|two|three)|another demand|our ask|"
            r"what (?:they|we) want|no more|give workers|let (?:employees|workers|teams)|"
            r"still the ask|don't|did not sign up|not an exit plan|pay every|"
            r"we(?:'re| are) (?:also )?asking|why we're)\b"
        ),
    ),
    (
        2.5,
        # a sentence that opens by telling the company what to do: "switch it off.",
        # "@github give Iranian developers their accounts back", "... let the ICE deal go"
        _rx(
            r"(?:^|(?<=[.!?;]\s)|@\w+\s+)(give|stop|let|switch|drop|end|bring back|pay|publish|"
            r"reinstate|cancel|rehire|restore|undo|reverse|protect|release|recogni[sz]e|raise|"
            r"fix|hire|put)\b"
        ),
    ),
    # Chinese, Japanese and Korean run their words together, so these match inside a run of
    # letters: demand, appeal, call on, urge
    (2.0, _rx(r"要求|诉求|訴求|呼吁|呼籲|要望|求め|요구|촉구")),
)
# the phrases by which an action's post says what it asks for ("a letter asking Google to
# cancel Maven", "walked out, demanding ..."): such a post can state its campaign's demand
STATES_A_DEMAND = (
    DEMAND_CUES[0][1],  # 'we demand', 'our demands', ...
    DEMAND_CUES[1][1],  # 'calls on', 'asking the company to', ...
    _rx(
        r"\b((?:demanding |(?:to|and) demand(?:ed)? (?:that )?)(?!workers?\b|employees?\b|jobs?\b)"
        r"[$£€]?\w+|(?:a|their|its) list of demands|"
        r"(?:want|wants|wanted|seeking|seek|seeks) (?:a |an )?[$£€]\d+|"
        r"asking for|calling for|push(?:es|ing)? (?:\w+ ){0,3}to|ask(?:s|ed|ing)? that|"
        # "our five demands", and a sentence that tells its addressee what to do: "Apple, stay
        # neutral and let us vote"
        r"our (?:one|two|three|four|five|six|seven|eight|nine|ten|\d+) (?:demands|asks)|"
        # news telling what the workers want: "they want the contract cancelled", "organizers
        # want Riot to scrap it", "putting five requests to leadership"
        r"(?<!what )(?:they|organi[sz]ers|signers|signatories|workers|employees|staff|drivers|riders|"
        r"couriers|the group|the union|the letter|the petition) (?:also )?(?:want(?:s|ed)?|"
        r"call(?:s|ed)? for|urge[sd]?) (?=[\w$£€])|"
        r"(?:putting|puts?|present(?:s|ed|ing)?|deliver(?:s|ed|ing)?) (?:\w+ ){0,2}"
        r"(?:requests|demands|asks) to|"
        # a sentence that opens by telling the company what to do: "End forced arbitration
        # for all.", "Reinstate them now."
        r"(?:^|(?<=[.!?;]\s))(?:end|cancel|drop|stop|recogni[sz]e|reinstate|rehire|reverse|scrap|"
        r"restore|rescind|raise) (?!of\b|by\b|in\b|at\b|to\b|up\b|here\b|there\b|now\b)"
        r"(?=[\w$£€])|"
        r"(?:^|(?<=[.!?;]\s))[\w&'’.-]+(?: [\w&'’.-]+)?, (?:" + TOLD_TO_DO + r")|"
        # "asking chief executive Satya Nadella to cancel", "a petition signed by thousands to
        # stop hosting": the ask can name whom it asks, or stand a few words from its verb
        r"ask(?:s|ed|ing)? (?:its |their |the company's )?(?:ceo|chief executive|founder|"
        r"chair(?:man|woman)?|president|executives|leadership|management)(?: [\w.'’-]+){0,3} to|"
        r"(?:petition|letter)s? (?:[\w,'’-]+ ){1,6}?to "
        r"(?:stop|end|drop|cancel|remove|pull|ban|reinstate|rehire|recogni[sz]e|pay|take down|"
        r"cut ties|withdraw|reverse))\b"
    ),
    # the same in the other languages of the labelled set: "nous demandons", "exigimos",
    # "chiediamo", "wir fordern", "vi kräver", "we eisen"; in Korean, Japanese and Chinese the
    # word for demand stands inside a run of letters, so it is matched without word breaks
    _rx(
        r"\b(nous (?:demandons|exigeons|réclamons|revendiquons)|(?:exigent|réclament|"
        r"revendiquent)|exigimos|pedimos|reclamamos|reivindicamos|exigen|reclaman|exigem|"
        r"reivindicam|chiediamo|pretendiamo|rivendichiamo|chiedono|rivendicano|"
        r"(?:wir )?fordern|fordert|verlangen|(?:vi )?kräver|(?:wij |we )?eisen)\b|요구|要求"
    ),
)


def demand_phrases(text: str) -> list[str]:
    """The phrases by which a post asks for something (``text`` cleaned and lowercased)."""
    return [m.group(0).strip() for pattern in STATES_A_DEMAND for m in pattern.finditer(text)]


ACTION_CUES = (
    (
        2.2,
        _rx(
            r"\b(walk(?:ed|ing)? (?:out|off)|walkouts?|on strike|strik(?:e|ing) (?:today|tomorrow|at)|"
            r"went on strike|launch\w* (?:a |an |its |their )?(?:[\w-]+ ){0,2}strike|"
            r"picket\w*|rall(?:y|ied|ies)|protest(?:ed|ing|ers)?\b|sit-ins?|"
            r"marched|marching|march (?:on|to|through|in))\b"
        ),
    ),
    (
        2.0,
        _rx(
            r"\b(signed (?:by|an?|the|our)|signatures|signatories|(?:launch|start|deliver|"
            r"present|publish|releas|send|sen|post)\w* (?:an? |our |the )?(?:open )?"
            r"(?:letter|petition)|open letter|petition|sign(?:ing|ed)? (?:our|their) names|"
            r"defy(?:ing)?|defied)\b"
        ),
    ),
    (
        2.0,
        _rx(
            r"\b(filed (?:for|a|an|with)|union election|vot(?:e|ed|ing) to unioni[sz]e|"
            r"form(?:ed|ing)? a union|announc\w* (?:a|our|their) union|unioni[sz]\w*|"
            r"lawsuit|sued|sues|nlrb|resign(?:ed|ing|ations)|shareholder (?:proposal|"
            r"resolution))\b"
        ),
    ),
    (
        1.0,
        _rx(
            r"\b(join us|today|tomorrow|this (?:morning|afternoon|week)|hundreds of|"
            r"thousands of|\d[\d,]* (?:employees|workers|staff|people|of us))\b"
        ),
    ),
    (
        2.5,
        _rx(
            r"^[^.]{0,50}?\b(?:staff|employees|workers|engineers|testers|organi[sz]ers|"
            r"googlers|staffers)\b[^.]{0,20}?\b(?:sign|signed|walk|walked|stage|staged|plan|"
            r"plans|protest|protested|push|pushes|ask|asks|circulate|strike|stop work|rally|"
            r"rallied|quit|resign|file|filed|sue|sued|petition|critici[sz]ed?|defy|defied|"
            r"speak out|spoke out)\b"
        ),
    ),
    # strike, stoppage, protest, petition, joint letter, rally, a union formed
    (
        2.0,
        _rx(
            r"罢工|罷工|停工|抗议|抗議|请愿|請願|联署|聯署|联名|聯名|示威|集会|集會|游行|遊行|"
            r"ストライキ|署名|デモ|結成|파업|시위|집회|쟁의|서명|결성"
        ),
    ),
)
RESPONSE_CUES = (
    (
        2.5,
        # the company asked for its answer: "Asked about the walkout, Amazon said ..."
        _rx(
            r"\basked about (?:the |its |their |this )?(?:[\w-]+ ){0,2}(?:letter|walkout|strike|"
            r"petition|protests?|union|demands?|campaign|rally|action|complaints?|claims?|"
            r"charges?)\b"
        ),
    ),
    (
        2.0,
        _rx(
            r"\b(said in a statement|a spokes(?:person|woman|man)|told (?:employees|staff|"
            r"workers|reporters|the \w+)|in an? (?:emailed |written |prepared )?(?:statement|memo|blog post|email)|"
            r"declined to comment|did not respond to|responded|replied|ceo \w+ (?:said|wrote))\b"
        ),
    ),
    (
        1.5,
        _rx(
            r"^[^.]{0,60}?\b(says|tells|told|will|won't|bars|recogni[sz]es|defends|"
            r"stands by|drops|keeps|extends|is ending|declines|fires|has fired|agrees|"
            r"cancels|suspends|steps up|reverses|terminated|pledges|commits to|promises|waives|"
            r"apologi[sz]es|offers|"
            # the same in the lead of news in the labelled sets' other languages: "Lieferando
            # lehnt ... ab", "Uber Eats annonce", "Glovo anuncia", "Tesla rechaza"
            r"lehnt|verweigert|erkennt|annonce|accepte|renonce|anuncia|rechaza|acepta|se niega|"
            r"annuncia|rifiuta|accetta|recusa|aceita)\b"
        ),
    ),
    (
        1.5,
        _rx(
            r"\b(will not renew|won't renew|decided|agreed|announced (?:it|that)|"
            r"suspend\w*|fired|terminat\w*|reject\w*|refus\w*|reinstat\w*|"
            r"recogni[sz]ed|will (?:stop|end|drop|no longer)|drop(?:s|ped)|dropping|"
            r"pull(?:s|ed|ing)? (?:out|the plug)|cancel\w*|backtrack\w*|revers\w*|disciplin\w*|"
            r"voluntar\w* recogni\w*|bargain\w*|meet with|cuts off|cutting off|"
            r"cut off (?:its|their)|stop(?:s|ped) hosting|deplatform(?:s|ed)|"
            r"(?:goes|going|press(?:es|ing)|push(?:es|ing)) ahead with|"
            r"(?:kick|boot)(?:s|ed|ing)? \w+(?: \w+)? off|"
            + CUSTOMER_REMOVED
            + r"|(?:does|did)(?: not|n't) go far enough)\b"
        ),
    ),
    # responded, statement, refused, dismissed, denied; Korean 'said', 'position'
    (
        1.5,
        _rx(
            r"回应|回應|声明|聲明|拒绝|拒絕|解雇|开除|開除|否认|否認|回答|拒否|밝혔|입장|거부|해고|반박"
        ),
    ),
)
OUTCOME_CUES = (
    (
        3.0,
        # an agreement signed, in the other languages of the labelled set: "firmano il primo
        # contratto", "enige om en tariffavtale", "firman el convenio", "합의했습니다"
        _rx(
            r"\b(?:firm(?:ano|a|ato|an|aron|ou|am)|sign(?:ent|é|ée)|unterzeichn\w*|enige om|"
            r"einig\w*|trouvent|trouvé|alcanzan|alcanzado|chegam a|raggiunt\w*) (?:\w+ ){0,4}?"
            r"(?:accordo|contratto|protocollo|acuerdo|convenio|acordo|accord|tarifvertrag|tariffavtale|"
            r"kollektivavtal|avtal|cao)\b|(?:합의|협약)(?:했|을 맺|에 서명)"
        ),
    ),
    (
        2.5,
        _rx(
            r"\b(we won|we did it|victory|a win\b|win for|(?:demand|demands) (?:was |were |have been |"
            r"has been )?(?:met|won|granted)|expired|officially|finally|months (?:after|later)|"
            r"a year (?:after|later)|years? later|weeks later|in the end|ended up|"
            r"never (?:ended|dropped|met|changed)|went ahead|still (?:hosts?|sells?|works?|"
            r"has(?:n't)?|have(?:n't)?|running|in place)|ratif\w*|first contract|outcome|lost)\b"
        ),
    ),
    (
        2.5,
        _rx(
            r"\b((?:\d+|two|three|four|five|six|seven|ten) (?:years?|months?) (?:since|ago|"
            r"after|later|on\b)|years? since|"
            + ANNIVERSARY
            + r"|never happened|never reinstated|is gone|"
            r"that's the answer|vot(?:e|es|ed) (?:down|\d+-\d+|to unioni[sz]e|to join)|\d+-\d+\b|"
            r"ending the strike|ends? (?:the |its |their )?strike|back to work|"
            r"orders? (?:a |another )?(?:new )?(?:union )?"
            r"election|order(?:s|ed)? (?:a |another )?(?:new )?(?:union )?election|indefinitely|not a win|won anyway|"
            r"(?:has|have) (?:formally |voluntarily )?recogni[sz]ed|"
            r"first unions?|partial progress|(?:wins?|won) (?:a |the |its |their )?(?:\w+ )?"
            r"(?:union |unionization )?(?:vote|election)|vote \d+ to \d+|"
            r"vot(?:e|es|ed) against (?:forming )?(?:a |the )?union|"
            + WORKERS_REJECT_UNION
            + r")\b"
        ),
    ),
    (
        1.2,
        _rx(
            r"\b(looking back|since then|to this day|as of (?:today|now)|"
            r"after (?:a |the )?(?:campaign|months|years|pressure|protests)|"
            r"the (?:contract|deal) (?:ended|expired|was renewed|ran out))\b"
        ),
    ),
    (
        2.0,
        # a ruling settles where a demand stands: "Labor board orders Tesla to rehire ...",
        # "Amsterdam court sides with FNV", "a federal labor judge just confirmed ..."
        _rx(
            r"\b(?:court|judge|labou?r board|nlrb|tribunal|arbitrator|hoge raad|kantonrechter)s? "
            r"(?:\w+ ){0,2}?(?:rul(?:ed|es)|orders?|ordered|sides? with|sided with|found|finds|"
            r"confirm(?:s|ed)|oordeelt)\b"
        ),
    ),
    # agreement reached, settled, back to work, voted through or down
    (
        2.5,
        _rx(
            r"达成|達成|协议|協議|和解|复工|復工|合意|妥結|妥结|可決|否決|타결|잠정\s?합의|단체협약|가결|부결"
        ),
    ),
)
OTHER_CUES = (
    (
        2.0,
        _rx(
            r"\b(say hello|is live|out now|meet \w+|launch day|new name|now available|"
            r"live from|announcements|grab your|previews?|we're hiring|"
            r"beats? (?:profit|estimates))\b"
        ),
    ),
    (
        2.0,
        _rx(
            # earnings as a company's results, not what its drivers or couriers earn
            r"\b((?<!driver )(?<!drivers' )(?<!worker )(?<!workers' )(?<!courier )(?<!their )"
            r"(?<!our )earnings|quarterly|revenue|stock|shares (?:rose|fell)|launch(?:es|ed)? "
            r"(?:a |its |the )?new|unveil\w*|product|keynote|acquisition|acquire\w*|"
            r"opens? (?:a )?new|hiring spree|price|sale|discount|review:|hands-on|"
            r"job (?:opening|posting)|we're hiring|conference|podcast|release date|"
            r"event|update(?:d)? (?:its|the) app|outage|"
            # taking on staff by the thousand is business news: "will hire 100,000 more"
            r"hir(?:e|es|ing) (?:up to |about |another |nearly |over |some )?\d[\d,.]*(?:k\b)?)\b"
        ),
    ),
)


_ABOUT_STAFF = _rx(
    r"\b(employees|staff|workers|union|polic(?:y|ies)|concerns|contract|demands?|letter|"
    r"walkout|voted|we're troubled|review our|customers who)\b"
)


# A tactic named as background ("weeks after the walkout", "despite staff protests") is the
# setting of a response or outcome report, not the report of an action.
SUBORDINATE_TACTIC = _rx(
    r"\b(?:after|since|despite|amid|following|before|over|as)\b[^.;:]{0,30}?\b"
    r"(?:walk ?outs?|walked out|walk out|protests?|protested|strikes?|petitions?|letters?|"
    r"campaign|lawsuit|rall(?:y|ies)|opposition)\b|"
    # an action still to come, as the time of the news: "a day before its staff planned to strike"
    r"\bbefore\b[^.;:]{0,60}?\b(?:plan(?:ned)?|set|due|threaten(?:ed)?) to "
    r"(?:walk ?out|strike|protest|rally)\b|"
    # the action named as who its people are: "a key demand of the walkout organizers"
    r"\b(?:walk ?out|strike|protest|petition|letter)'?s? (?:organi[sz]ers|leaders|signers)\b|"
    r"\b(?:who|that) (?:led|organi[sz]ed|started|called|joined) (?:the|a|their|its) "
    r"(?:[\w-]+ ){0,3}?(?:walk ?out|strike|protest|petition|letter)\b"
)


# Anniversaries and rulings look back on an action; they report where the demand stands.
LOOKING_BACK = _rx(
    r"\b(years? ago|years? since|months since|"
    + ANNIVERSARY
    + r"|order(?:s|ed)? (?:a |another )?(?:new )?(?:union )?election)\b"
)
NO_RESPONSE = _rx(
    r"\b(so far:? nothing|no (?:reply|response|answer) (?:yet|so far)|"
    r"ha(?:s|ve)n't (?:responded|replied|answered)|ha(?:s|ve) not (?:responded|replied|"
    r"answered)|met with silence)\b"
)


# A post that opens by claiming a win ("WE WON! Activision agreed to recognise our union",
# "Victory: Google will end forced arbitration") reports how a demand ended, however much of
# the demand it repeats: the model, reading "recognise our union" from a worker group, took
# such posts for demands.
CLAIMED_WIN = _rx(
    r"^\W{0,6}(?:[\w'’-]+\W{1,3}){0,3}?(we (?:just |have |'ve |finally )?won(?!['’])\b|"
    r"(?:we|they) did it\b(?! again)|victory(?:\s*[:!.,—–-]|\s+(?:for|at|in)\b)|"
    r"(?:big |huge |major |historic )?win!|union (?:win|victory)\b)"
)


# the same in Chinese, Japanese and Korean, where words run together: a win or an agreement
# reached, said in the post's first sentence ("...직접고용에 합의했습니다", "我们赢了")
CLAIMED_WIN_CJK = _rx(
    r"^[^.。!！?？\n]{0,60}?((?:승리|쟁취|합의|타결)했(?:습니다|다|어요)|이겼(?:습니다|다|어요)|"
    r"얻어냈(?:습니다|다)|胜利了|赢了|达成协议|達成協議|勝利した|勝ち取った)"
)


def claimed_win(text: str) -> str | None:
    """The phrase by which a post opens by claiming a win (``text`` lowercased), if it does."""
    found = CLAIMED_WIN.search(text[:80]) or CLAIMED_WIN_CJK.search(text[:80])
    return found.group(1).rstrip(" :!.,—–-") if found else None


@dataclass
class RoleDecision:
    role: str
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    phrases: dict[str, list[str]] = field(default_factory=dict)


def _collect(
    text: str, cues: tuple[tuple[float, re.Pattern[str]], ...], phrases: list[str]
) -> float:
    total = 0.0
    for weight, pattern in cues:
        found = [m.group(0) for m in pattern.finditer(text)]
        if found:
            total += weight + 0.2 * min(len(found) - 1, 3)
            phrases.extend(found[:2])
    return total


def classify_role(
    text: str,
    *,
    source_kind: str | None,
    has_company: bool,
    tactic: Detection,
    response: Detection,
    outcome: Detection,
    demand_type: Detection,
) -> RoleDecision:
    """The post's role with every role's score and the phrases that decided it.

    ``text`` is the cleaned, lowercased post.
    """
    phrases: dict[str, list[str]] = {role: [] for role in ROLES}
    scores = {
        "demand": _collect(text, DEMAND_CUES, phrases["demand"]),
        "action": _collect(text, ACTION_CUES, phrases["action"]),
        "response": _collect(text, RESPONSE_CUES, phrases["response"]),
        "outcome": _collect(text, OUTCOME_CUES, phrases["outcome"]),
        "other": _collect(text, OTHER_CUES, phrases["other"]),
    }
    if tactic.value:
        scores["action"] += 0.5 * tactic.score
    if LOOKING_BACK.search(text):
        scores["action"] *= 0.5
    if NO_RESPONSE.search(text):
        scores["response"] += 3.0
    background = len(SUBORDINATE_TACTIC.findall(text))
    if background:
        scores["action"] = max(0.0, scores["action"] - 2.0 * background)
        scores["response"] += 0.8
        scores["outcome"] += 0.8
    if response.value:
        scores["response"] += 0.5 * response.score
    if outcome.value and outcome.value != "pending":
        scores["outcome"] += 0.4 * outcome.score
    if demand_type.value:
        scores["demand"] += 0.3 * demand_type.score
    if source_kind == "company":
        scores["response"] += 1.2 + (1.5 if _ABOUT_STAFF.search(text) else 0.0)
        scores["other"] *= 1.5
        scores["demand"] *= 0.3
        scores["action"] *= 0.3
    elif source_kind == "worker_group":
        scores["demand"] += 0.6
        scores["action"] += 0.4
        scores["response"] *= 0.6
        if scores["demand"] >= 2.5:
            scores["action"] *= 0.6
    elif source_kind == "news":
        scores["response"] += 0.3
        scores["outcome"] += 0.3
        scores["action"] += 0.5 * scores["demand"]
        scores["demand"] *= 0.4
    else:
        # an account that is not a tracked source: context, rarely a record of its own
        for role in ("demand", "action", "response", "outcome"):
            scores[role] *= 0.35
    if not has_company:
        for role in ("demand", "action", "response", "outcome"):
            scores[role] *= 0.5
    best = max(("demand", "action", "response", "outcome"), key=lambda r: (scores[r], r))
    if scores[best] < ROLE_FLOOR or scores[best] <= scores["other"]:
        reasons = ["no demand, action, response or outcome phrasing strong enough"]
        if phrases["other"]:
            reasons.append("unrelated-news phrases: " + ", ".join(phrases["other"][:3]))
        return RoleDecision("other", scores["other"], scores, reasons, phrases)
    shown = ", ".join(f"'{p}'" for p in dict.fromkeys(x.lower() for x in phrases[best]))
    reasons = [f"{best}: {shown}" if shown else f"{best}: from the codes found"]
    if source_kind:
        reasons.append(f"posted by a {source_kind.replace('_', ' ')} source")
    return RoleDecision(best, scores[best], scores, reasons, phrases)

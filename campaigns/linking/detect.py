"""Codes from phrases: tactic, demand type, response type and outcome.

Each vocabulary value has a list of phrase patterns; detection returns the best value with
the phrases that matched, so every code the engine proposes can say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Patterns = tuple[tuple[str, float, str], ...]  # (value, weight, regex)


@dataclass(frozen=True)
class Detection:
    value: str | None
    score: float
    phrases: tuple[str, ...] = ()


def _compile(patterns: Patterns) -> list[tuple[str, float, re.Pattern[str]]]:
    # detection runs on lowercased text, so no case-insensitive matching (it is slow)
    return [(value, weight, re.compile(rx)) for value, weight, rx in patterns]


# Phrases the rules read in two places, the role cues (roles.py) and the codes here.
# What a sentence that opens by naming the company tells it to do ("Apple, stay neutral"): read
# as asking by the roles (roles.STATES_A_DEMAND) and as the company spoken to by the resolver
# (companies._VOCATIVE_AFTER).
TOLD_TO_DO = (
    r"stop|let(?!['’]s)|give|stay|drop|end|cancel|recogni[sz]e|reinstate|rehire|pay|meet|"
    r"sit down|come to|bargain|respect|commit|publish|put"
)
# A customer taken off a company's service: "removes Parler from its servers".
CUSTOMER_REMOVED = (
    r"(?:remov|pull)(?:s|es|ed|ing)? \w+(?: \w+)? (?:from|off) (?:(?:its|their|the) "
    r"(?:servers|cloud|platform|app ?store|store|marketplace|hosting)|aws|azure|google cloud)|"
    # "Amazon pulled its hosting", "has cut off Parler": the company takes its service away
    r"pull(?:s|ed|ing)? (?:its|their) (?:web )?(?:hosting|cloud services|services)|"
    r"(?:has|have|had) cut off (?!(?:workers?|employees?|staff|drivers?|access|pay)\b)\w+|"
    # "AWS ends its hosting contract", "ended its relationship with Parler"
    r"end(?:s|ed)? (?:its|their|the) (?:[\w-]+ )?(?:contracts?|hosting|relationship|ties|deal|"
    r"partnership|agreement)(?! talks)"
)
# The workers, not the company, say no to a union: "workers in Bessemer reject the union".
WORKERS_REJECT_UNION = (
    r"(?:workers|employees|staff|drivers|technicians|associates|couriers) "
    r"(?:[\w,]+ ){0,4}?reject(?:s|ed)? (?:the |a |forming a |joining a )?"
    r"(?:union|unioni[sz]ation)\b(?!'s)"
)


TACTIC_PATTERNS = _compile(
    (
        (
            "open_letter",
            2.3,
            r"\b(open letter|letters?\b|signed (?:our|their) names|signatories)",
        ),
        ("petition", 2.0, r"\bpetition"),
        ("walkout", 2.5, r"\b(walk ?outs?|walked out|walking out|walk off|walked off)\b"),
        (
            "strike",
            2.5,
            r"\b(strik(?:e|es|ing)|on strike|struck|picket(?:s|ing|ed)?|work stoppage)\b",
        ),
        (
            "protest",
            1.8,
            r"\b(protest(?:s|ed|ing|ers)?|rall(?:y|ies|ied)|sit-ins?|die-ins?|"
            r"demonstrat(?:ion|ors|ed)|march(?:ed|es)? (?:on|to|through)|vigil|"
            r"(?:disrupt|interrupt)(?:s|ed|ing)? (?:a |an |the |its |his |her )?(?:[\w'’-]+ ){0,3}"
            r"(?:event|keynote|speech|talk|celebration|conference|meeting|presentation))\b",
        ),
        (
            "union_drive",
            2.2,
            r"\b(union drive|unioni[sz]|form(?:ed|ing)? a union|union election|"
            r"filed (?:for|with the nlrb)|voted? to (?:join|form) a union|union vote|"
            r"union recognition|recogni[sz]e (?:our|the|their) union|organi[sz]ing committee|"
            r"card check|signed cards|voluntar(?:y|ily) recogni)",
        ),
        (
            "legal_action",
            2.0,
            r"\b(lawsuit|sued|sues|suing|nlrb (?:charge|complaint)|"
            r"unfair labou?r practice|filed (?:a )?(?:charge|complaint)|class action|eeoc|"
            r"court|legal action|labor board|arbitration claims)\b",
        ),
        (
            "resignation",
            2.0,
            r"\b(resign(?:ed|s|ing|ation|ations)?|quit (?:in protest|over)|"
            r"quitting|left the company in protest)\b",
        ),
        (
            "shareholder_action",
            2.2,
            r"\b(shareholder(?:s)? (?:resolution|proposal|meeting)|"
            r"annual meeting|proxy (?:vote|proposal)|investors? (?:back|vote)|"
            r"shareholder resolution|our (?:climate )?resolution)",
        ),
        (
            "online_campaign",
            1.0,
            r"(#\w+|\bhashtag|\bonline campaign|\bsocial media campaign|"
            r"\btweetstorm|\bemail campaign)",
        ),
    )
)

DEMAND_TYPE_PATTERNS = _compile(
    (
        (
            "end_contract_or_customer",
            2.5,
            r"\b((?:cancel|end|drop) (?:every|all|any) (?:[\w-]+ ){0,3}(?:contracts?|deals?)|"
            r"(?:cancel|end|drop|renew|bid|the|its|this|army|military|cloud|government)"
            r" (?:\w+ )?(?:contracts?|deals?|licen[cs]es?)|customers?|host(?:ing|s)?|"
            r"bid(?:ding)? (?:on|for)|cut ties|stop (?:selling|providing|working with|building)|"
            r"cut off (?:[\w-]+ ){0,5}(?:services?|access|sales?) (?:to|for)|"
            r"israeli (?:military|army|government)|"
            r"sell(?:ing)? to|pull out of|kick \w+ off|(?:ice|cbp|pentagon|army|police|idf|"
            r"oil (?:and|&) gas|palantir|parler|nimbus|maven|jedi|hololens|ivas|dragonfly|"
            r"border patrol|rekognition|face recognition|detention)\b)",
        ),
        (
            "recognition",
            2.5,
            r"\b(recogni[sz]e (?:our|the|their) union|union recognition|"
            # a union named: "recognise GMB", "recognize the CWA"
            r"recogni[sz]e (?:the )?(?:gmb|cwa|iam|teamsters|rwdsu|ufcw|unite here|unite|"
            r"unifor|ver\.?di|if metall|opeiu|iww)\b|"
            r"voluntar(?:y|ily) recogni|bargain(?:ing)?|neutrality agreement|collective agreement|"
            r"recognize us|(?:want|win|form|join(?:ing)?) a union|union at|vote yes|signed cards|"
            r"fil(?:e|ed|es|ing) for (?:a |an )?(?:union )?election|"
            # a collective agreement in the languages of the labelled posts
            r"kollektivavtal|tarifvertrag|convenio colectivo|contratto collettivo|"
            r"convention collective|accord collectif|acordo coletivo|conven[cç][aã]o coletiva)",
        ),
        (
            "pay_and_benefits",
            2.2,
            r"\b(pay|wages?|raises?|salar(?:y|ies)|bonus(?:es)?|"
            r"hazard pay|paid (?:sick|leave)|sick leave|benefits|health ?care|equity|overtime|"
            r"compensation|living wage|per hour|an hour|parental leave|pay equity)\b"
            r"|\$\d+(?:\.\d\d)? ?(?:an |per |/ ?)(?:hour|hr)",
        ),
        (
            "personnel",
            2.2,
            r"\b(reinstat\w*|rehir\w*|fire (?:him|her|them|the)|resign(?:ation)? of|"
            r"step down|remov(?:e|al of) (?:the )?(?:ceo|executive|manager)|oust|"
            r"hold (?:\w+ )?accountable|bring back|get (?:\w+ )?(?:back|fired))\b",
        ),
        (
            "transparency",
            2.0,
            r"\b(disclos\w*|transparen\w*|publish (?:the|its)|release (?:the|its)|"
            r"make public|reveal|audit|report on|tell (?:us|workers) (?:what|how|whether))\b",
        ),
        (
            # the contracts to be made known, not ended: "publish the full list of its
            # government contracts" (no labelled post asks this)
            "transparency",
            3.0,
            r"\b(?:publish|disclose|release|reveal|make public)\w* (?:[\w-]+ ){0,7}"
            r"(?:contracts?|deals?|clients|customers)\b",
        ),
        (
            "policy_change",
            1.6,
            r"\b(polic(?:y|ies)|end (?:forced )?arbitration|forced arbitration|"
            r"return[- ]to[- ]office|rto|remote work|work from home|climate (?:plan|pledge)|"
            r"emissions|net[- ]zero|commit to|code of conduct|harassment|surveillance|quotas?|"
            r"safety|ban|practice|ethics (?:board|review)|content moderation|rule|arbitration|"
            r"board of directors|representative|targets|flexibility|office mandate|task force|"
            r"acceptable-use|leadership)\b",
        ),
    )
)

# what a court may dismiss or throw out: workers' claims, not workers
LAWSUIT = r"(?:lawsuit|suit|case|claims?|complaint|charges?)\b"

RESPONSE_PATTERNS = _compile(
    (
        (
            "retaliation",
            3.0,
            # "the (two) fired workers" names them, not a firing
            r"\b((?<!\bthe )(?<!\brehired )(?<!\breinstated )(?<!\btwo )(?<!\bthree )"
            r"(?<!\bboth )(?<!\d )fired|fires|firing|sacked|let go|"
            # a lawsuit dismissed is no one dismissed
            r"dismiss(?:ed|es|als)(?! (?:the |their |a |an )?(?:[\w-]+ ){0,3}" + LAWSUIT + r")|"
            r"pushed out|ousted|"
            r"terminated (?:two|three|\d+|the|her|him|them|employees|workers|organi[sz]ers)|"
            r"suspend(?:ed|s)? (?:two|three|\w+ )?(?:employees|workers|organi[sz]ers|staff|"
            r"engineers|him|her|them)|disciplin\w*|retaliat\w*|punish\w*|"
            r"lays? off (?:the )?organi[sz]ers|laid off (?:the )?organi[sz]ers|"
            r"placed on (?:administrative )?leave)",
        ),
        (
            "reject",
            2.5,
            r"\b(reject\w*|refus\w*|declin(?:e|ed|es) to|will (?:continue|keep)|keeps? (?:its|the)|"
            r"(?:are|is) keeping|stands? by|decision stands|no plans to|defends?|defended|"
            r"(?:sees?|saw) no (?:need|reason) (?:for|to)|"
            # a promise broken: "going back on its promise not to mandate crunch"
            r"(?:go(?:es|ing)?|went) back on (?:its|their|the|a) (?:[\w-]+ ){0,2}"
            r"(?:promise|pledge|word|commitment|agreement)|reneg(?:e|es|ed|ing) on|"
            # what was asked, turned down (not workers turning down orders)
            r"turn(?:s|ed|ing)? down (?:the |its |their |a |an )?(?:[\w'’-]+ ){0,3}"
            r"(?:demands?|requests?|petition|proposals?|calls?|recognition|talks)|"
            r"(?:accepted|accepts|agreed to|agrees to) none of|"
            r"(?:will not|won't) (?:withhold|end|drop|cancel|stop|change|recogni[sz]e|reinstate|"
            r"revisit|sign|remove|pull|take down|withdraw|bargain|negotiate|meet|reverse|"
            r"restore|rescind|undo|roll back|reconsider|bring back)|"
            r"(?:will not|won't) take (?:[\w'’-]+ ){1,3}(?:off|down)|"
            r"(?:contract|deal|agreement|partnership) (?:stays|remains) in place|"
            r"(?:contract|deal|agreement|partnership) stays\b|"
            # what was asked off the air stays: "The Closer will stay on the service"
            r"(?:will|would|is going to) (?:stay|remain) (?:on|up|online|available|in place)|"
            r"went ahead|goes ahead|(?:will|to) go ahead|going ahead|"
            r"(?:push|press|forge)(?:es|ed|ing)? ahead|(?:rolls?|rolled|rolling) out (?:[\w-]+ ){0,6}"
            r"despite|"
            r"never (?:brought back|happened|reinstated)|"
            r""
            r"dismiss(?:ed|es)? the (?:demands?|concerns|letter|petition)|"
            r"proud (?:to work|of our work) with|vot(?:e|es|ed) down|voted against|"
            r"rather than drop|(?<!not )(?:will|to) renew (?:the|its)|renews (?:the|its)|"
            r"holds? firm|held firm|stands? firm|sticks? with|stands? behind|"
            r"brush(?:es|ed|ing)? aside|"
            # in the other languages of the labelled posts: "lehnt einen Tarifvertrag ab",
            # "rechaza", "se niega a", "refuse de", "rejette"
            r"lehnt (?:[\w-]+ ){0,6}ab|rechaz(?:a|ó|an)|se niegan? a|refuse de|rejette|"
            r"maintient (?:son|sa|ses)|mantiene (?:su|sus|la|il))\b",
        ),
        (
            "procedural_resistance",
            2.5,
            r"\b(appeal(?:ed|s)?|contest(?:ed|s)?|challeng\w*|delay\w*|captive|required meetings|"
            r"campaign against (?:a |the )?union|union[- ]busting|anti-union|fight unions|"
            r"(?:outside |a )?law firm|consultants?|object(?:ed|s|ions?) to|interfer\w*|"
            r"(?:files?|filed|filing|stands? by) (?:its |their )?objections?|broke the rules|"
            r"new (?:union )?election|another (?:union )?election|individual arbitration|"
            r"stall\w*|drag(?:ging)? (?:its|their) feet|restructur\w*)\b",
        ),
        (
            "statement",
            1.2,
            r"\b(said in a statement|statement|spokes(?:person|woman|man)|"
            r"told (?:employees|staff|the verge|reporters|lawmakers)|acknowledg\w*|troubled|"
            r"we (?:hear|value|respect)|(?:is|are) reviewing|we'll review|review our|"
            r"take (?:these|the) concerns|committed to|in a memo|all-hands|town hall|"
            r"email to (?:staff|employees)|we accept the result|no current plans|opposes)\b",
        ),
        (
            "negotiation",
            2.5,
            r"\b(agreed to (?:meet|bargain|negotiate|talks)|(?:began|begin|start(?:ed)?|opened|"
            r"entered) (?:negotiations|talks|bargaining)|bargaining (?:sessions?|table)|"
            r"came to the table|met with (?:the )?(?:organi[sz]ers|workers|employees|union)|"
            r"working group|task force|tentative agreement)\b",
        ),
        (
            "partial_concession",
            2.6,
            r"\b(partial(?:ly)?|some of|part of (?:the|their) demands|but not|falls? short|"
            r"far short of|"
            r"half-won|one of (?:the|their) (?:\w+ )?demands|only (?:once|for|some)|"
            r"for a year|moratorium|opt-out|optional|isn't what|is not what|"
            # a pause on what was asked stopped: "puts a one-year pause on police use"
            r"(?:puts?|placed|places|announc(?:es|ed)) (?:a |an )?(?:[\w-]+ ){0,2}pause on|"
            r"not a win|still unaddressed|(?:but|while) keep(?:s|ing) (?:it|them) for|"
            r"scaled back|compromise|but (?:not|only)|several of their demands|"
            r"settle(?:s|d)? (?:with|(?:the |a |an )?(?:[\w-]+ ){0,2}" + LAWSUIT + r")|"
            r"settlement with|"
            r"(?:does not|doesn't|did not|didn't|won't|will not) (?:meet|address|grant|agree to) "
            r"(?:the |their |its )?(?:other|rest|remaining)|(?:the )?(?:other|remaining) demands|"
            r"rest of (?:the|their) demands|(?:does|did)(?: not|n't) go far enough)\b",
        ),
        (
            "full_concession",
            2.8,
            r"\b(will not renew|won't renew|not (?:to )?renew|won't seek|will not be extended|"
            r"decided (?:not to|to (?:drop|end|cancel|stop|suspend|recogni[sz]e|reinstate|ban|"
            r"withdraw))|pulled out|pull(?:ed|s|ing)? (?:the plug|out)|cancel(?:led|ed|s)|"
            r"(?:is |are )?ending (?:forced arbitration|the|its)|ended (?:the|its|forced|mandatory)|"
            r"ends (?:forced|mandatory)|drop(?:s|ped|ping)? (?:forced|mandatory) arbitration|"
            r"terminated (?:its |the )?(?:effort|project|program|contract|work)|"
            r"(?:shelv|scrapp?|abandon)(?:es|ed|s|ing)? (?:its |the |their )?(?:[\w-]+ ){0,2}?"
            r"(?:plans?|project|program|contract|deal|bid|policy|mandate|effort|model|system|"
            r"scheme|rules?|requirement|change)|"
            r"suspend(?:ed|s|ing)? (?:parler|the account|its account|service|hosting)|"
            r"suspends? \w+ from|(?:kick|boot)(?:ed|s|ing)? (?:\w+ )?off|"
            r"(?<!\bno )(?<!\bwithout )voluntar(?:y|ily) recogni\w*|"
            r"cut(?:s|ting)? off (?:its |their |the )?(?:\w+ )?(?:hosting|contracts?|services?|"
            r"accounts?)|cut(?:s|ting)? (?:\w+ )?off from|"
            r"suspend(?:ed|s|ing)? (?:the|its) (?:site|app|platform|contract|deal|partnership)|"
            r"drop(?:s|ped|ping)? \w+(?: \w+)? (?:from (?:its|their|the)|as a (?:customer|client))|"
            r"drop(?:s|ped|ping)? (?:its|the) (?:plan|contract|bid|requirement|mandate|deal|"
            r"partnership)|boot(?:s|ed)? \w+(?: \w+)? from|"
            r"(?:stop(?:s|ped)|would stop) (?:hosting|providing|serving|supplying)|"
            r"deplatform(?:s|ed)|" + CUSTOMER_REMOVED + r"|"
            r"recogni[sz](?:es|ed) (?:the |our |their )?(?:\w+ )*?union|has recogni[sz]ed|honou?red|"
            r"agreed to (?:recogni[sz]e|reinstate|rehire|pay|drop|end|cancel|stop|all|the demands)|"
            r"reinstat(?:ed|es)|rehired|cave[sd]|gives in|gave in|backs? down|backed down|"
            # a decision the workers protested, undone ("we have reversed the decision")
            r"revers(?:ed|es|ing) (?:the|its|this|that) (?:decision|firing|termination)|"
            r"walk(?:ed|s)? back|relent(?:s|ed)\b|concede[sd]? to|bow(?:s|ed)? to (?:pressure|"
            r"(?:the |their )?demands)|climb(?:s|ed)? down|u-turn|"
            r"agree(?:s|d)? to (?:give|grant|raise|restore|meet)|restor(?:es|ed) (?:the|its)|"
            r"withdr(?:ew|awn|aws) from|will (?:end|drop|stop|no longer)|no longer|"
            r"(?:drop|pull)(?:s|ed|ped|ing)? out of (?:the )?(?:bidding|bid|race|competition|"
            r"running)|"
            r"(?:granted|met) (?:the|their|our|all) demands|"
            r"waiv(?:es|ed|ing) (?:forced |mandatory )?arbitration)",
        ),
        (
            "reversal",
            3.2,
            r"\b(revers(?:ed|es|al) (?:its|the) (?:pledge|promise|commitment)|"
            r"went back on|back ?track\w* on|quietly (?:resumed|renewed|restored|brought back)|"
            r"resumed (?:the|its) (?:contract|work)|renewed the contract after all)\b",
        ),
        (
            "no_response",
            3.0,
            r"\b(so far:? nothing|no (?:reply|response|answer) (?:yet|so far)|"
            r"still no (?:reply|response|answer|word)|"
            r"ha(?:s|ve)n't (?:responded|replied|answered)|ha(?:s|ve) not (?:responded|replied|"
            r"answered)|met with silence|ignor(?:es|ed) (?:our|the) (?:letter|petition|demands|"
            r"strike|walkout))\b",
        ),
    )
)
# A concession phrase after one of these is its opposite ("will not voluntarily recognize").
NEGATION = re.compile(
    r"\b(not|won't|never|declin(?:e|es|ed) to|refus(?:e|es|ed) to|no plans to|"
    r"no (?:sign|indication))\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)

# A concession after a clause opened by one of these tells what happened elsewhere or before,
# as the setting of the news: "Microsoft will keep bidding on JEDI, days after Google withdrew".
# A sentence that opens with it ("Days after the walkout Google ends arbitration") is the news,
# and so is a concession after the clause has ended ("..., days after the letter. Microsoft
# then cancelled the contract"). An open question is no concession either: "the memo does not
# say whether the contract will be cancelled".
BACKGROUND = re.compile(
    r"(?<=[^\s.!?:]) +(?:(?:days?|weeks?|months?|hours?|years?|shortly|soon|just|not long) after|"
    r"(?:as|like) (?:\w+ ){0,2}(?:did|had) when|whether)\b[^.,;:!?—–]*"
)


OUTCOME_PATTERNS = _compile(
    (
        (
            "met",
            2.5,
            r"\b(we won|(?:we|they) did it(?! again)|won anyway|victory|win for|"
            r"(?:demands?) (?:was |were |has been |have been )?"
            r"(?:met|granted|won)|(?:will not|won't|did not|didn't) renew|not to renew|won't seek|expired|"
            r"(?:will|would|is|was) not be renewed|won't be renewed|"
            r"recogni[sz]ed (?:the |our |their |its )?(?:[\w'’-]+ ){0,4}(?:union|guild|unit)|"
            r"(?:has|have|formally|voluntarily) (?:formally |voluntarily )?recogni[sz]ed|ratified|"
            r"first (?:union )?contract|reinstated|"
            r"rehired|is gone|have a union|vot(?:e|es|ed) \d+-\d+|\d+ to \d+|"
            r"did (?:exactly )?what we asked|terminated (?:its|the) effort|"
            r"(?:wins?|won) (?:a |the |its |their )?(?:\w+ )?(?:union |unionization )?"
            r"(?:vote|election)|vot(?:e|es|ed) to (?:unioni[sz]e|join)|"
            # a ruling for the workers: "judge sides with the contractors", "orders Amazon to
            # reinstate", "drivers are workers, not self-employed"
            r"sid(?:es|ed) with (?:the )?(?:[\w-]+ )?(?:workers|union|drivers|riders|couriers|"
            r"contractors|employees|staff|organi[sz]ers|fnv|gmb)|"
            r"order(?:s|ed)? (?:\w+ ){1,2}to (?:rehire|reinstate|pay|recogni[sz]e|bargain)|"
            r"are (?:workers|employees),? not (?:self-employed|contractors|freelancers|"
            r"independent contractors))\b",
        ),
        (
            "partially_met",
            2.8,
            r"\b(partial (?:win|victory|progress)|partly|partially|some of (?:our|their|the) demands|"
            # "met only one of their five demands" (not "all three of their demands")
            r"(?<!all )(?:one|two|three|four|\d+) of (?:our|their|the|its) (?:\w+ )?demands|"
            r"part of (?:our|their|the) demands|several of their demands|half-won|not a win|"
            r"falls? short|not (?:all|enough|everything)|still unaddressed|"
            r"isn't what|is not what|but not|moratorium)\b",
        ),
        (
            "not_met",
            2.8,
            r"\b(lost|defeat\w*|failed|none of (?:our|their|the|its) (?:\w+ )?demands|"
            r"(?:dismiss(?:es|ed)|throws? out|threw out|toss(?:es|ed)) (?:the |their |a |an )?"
            r"(?:[\w-]+ ){0,3}"
            + LAWSUIT
            + r"|vot(?:e|es|ed) (?:\d[\d,]* to \d[\d,]* )?(?:down|against)|"
            r"holds? firm|held firm|never (?:met|granted|ended|"
            r"dropped|changed|happened|brought back|reinstated)|"
            r"(?:still|continues to|continued to|went ahead|goes ahead|"
            # what workers get to keep is no company keeping its course ("lets workers keep")
            r"(?<!workers )(?<!employees )(?<!staff )(?<!drivers )(?<!them )(?<!us )"
            r"(?:keeps?|kept|keeping)) "
            r"(?:its|the|host|work|sell|bid|provid|build|run|renew|sign|serving)\w*|"
            r"signed the contract|won the contract|(?<!not )(?<!not be )(?<!n't be )renewed|"
            r"(?:remains?|remained|stays?|stayed|(?:is|are) still) in (?:place|force|effect)|"
            # what was asked off the air or ended is still there: "The Closer is still up"
            r"(?:is|are) still (?:up|online|streaming|on sale|for sale|available|live)|"
            r"chose (?:its|the|their) [\w-]+ over (?:its|the|their) "
            r"(?:workers|employees|staff)|"
            r"that's the answer|despite (?:the|staff|employee|worker) "
            r"(?:walkout|protests?|opposition|letter|petition)|nothing changed|"
            r"stands by|remain (?:independent )?contractors|" + WORKERS_REJECT_UNION + r")\b",
        ),
        (
            "pending",
            2.0,
            r"\b(still waiting|no (?:answer|response|reply) (?:yet|so far)|"
            r"has(?:n't| not) (?:responded|answered|replied)|awaiting|pending|"
            r"(?:new|another) (?:union )?election|aren't going anywhere|remains? (?:open|unanswered)|"
            r"no (?:agreement|deal|end|resolution|settlement) in sight|"
            # a strike ended with nothing settled: "ends its strike without a deal"
            r"without (?:a|an|any) (?:deal|agreement|settlement)|"
            r"(?:strike|dispute|standoff|stand-off) (?:continues|drags on))\b",
        ),
    )
)


QUOTED_WORD = re.compile(r"(?<!\w)['‘’\"“”]([a-z][a-z-]*)['‘’\"“”](?!\w)")


def best_match(
    text: str, patterns: list[tuple[str, float, re.Pattern[str]]]
) -> tuple[Detection, dict[str, float]]:
    """The highest-scoring value in ``text`` with its phrases, and every value's score. A word
    in quotation marks is read as the word ("has 'terminated' the project")."""
    text = QUOTED_WORD.sub(r"\1", text.lower())
    scores: dict[str, float] = {}
    phrases: dict[str, list[str]] = {}
    for value, weight, pattern in patterns:
        hits = [m.group(0).strip() for m in pattern.finditer(text)]
        if hits:
            distinct = list(dict.fromkeys(h.lower() for h in hits))
            scores[value] = scores.get(value, 0.0) + weight * (1 + 0.25 * (len(distinct) - 1))
            phrases.setdefault(value, []).extend(distinct[:3])
    if not scores:
        return Detection(None, 0.0), scores
    value = max(scores, key=lambda v: (scores[v], v))
    return Detection(value, scores[value], tuple(phrases[value][:3])), scores


def detect_tactic(text: str) -> Detection:
    return best_match(text, TACTIC_PATTERNS)[0]


# Phrases that type a post already read as a demand (``type_demand``) but are too common to
# count as a demand cue when the role is read: what gig workers are paid by ("R$2/km", "the
# per-mile rate"), a union formed or a works council asked for, a person put back or taken off
# something, an explanation asked for, a contract with someone.
TYPING_PATTERNS = _compile(
    (
        (
            "end_contract_or_customer",
            2.5,
            r"\b((?:our|their) (?:[\w$.-]+ ){0,3}(?:contracts?|deals?) with|"
            r"customs and border protection)\b",
        ),
        (
            "pay_and_benefits",
            2.2,
            r"\b(earnings|commissions?|tips?|fares?|severance|pensions?|retirement plan|"
            r"401\(?k\)?|(?:per|a)[- ](?:mile|km|kilometre|kilometer|order|delivery|trip|package|"
            r"parcel|drop))\b|/ ?km\b",
        ),
        (
            "recognition",
            2.5,
            r"\b(works council|co-?determination|recogni[sz]e (?:it|us|the [\w\s]{1,20}?(?:guild|union))|"
            r"(?:formed|forming|form|organi[sz]ing) (?:our|a|the|with) (?:union|guild|cwa|"
            r"communications workers|workers united|teamsters)|recognition deal|"
            r"sit down with (?:[\w']+ ){0,2}(?:union|guild)|come to the table|seat at the table|"
            r"without interference|let (?:them|us|workers) vote)\b",
        ),
        (
            "personnel",
            2.2,
            r"\b(put (?:her|him|them) back|take [\w\s]{1,30}? off (?:its|the|their)|"
            r"stop the redundancies|no (?:more )?layoffs|keep the (?:moderators|workers|staff))\b",
        ),
        (
            "transparency",
            2.0,
            r"\b(explain(?:ed|s)?|explanation|show (?:us )?the math|findings (?:are )?shared|"
            r"shared with (?:employees|workers|staff)|nobody (?:can|will) (?:tell|say))\b",
        ),
    )
)


def detect_demand_type(text: str) -> Detection:
    return best_match(text, DEMAND_TYPE_PATTERNS)[0]


def type_demand(text: str) -> Detection:
    """The type of a post read as a demand: its demand-type phrases with the phrases that only
    type a demand (``TYPING_PATTERNS``)."""
    return best_match(text, [*DEMAND_TYPE_PATTERNS, *TYPING_PATTERNS])[0]


def _in_background(text: str, at: int) -> bool:
    """Whether the phrase at ``at`` lies in a background clause ("..., days after Google
    withdrew"): a clause that runs on from its opening words to the phrase."""
    return any(clause.end() == at for clause in BACKGROUND.finditer(text, 0, at))


UNDOES_FIRING = re.compile(r"\b(?:reinstat(?:es|ed|ing)|rehir(?:es|ed|ing)|re-hir(?:es|ed|ing))\b")


def _undoes_firing(text: str) -> str | None:
    """A reinstatement the post reports, not negated ("refuses to rehire"): the phrase."""
    for match in UNDOES_FIRING.finditer(text):
        if not NEGATION.search(text[: match.start()]):
            return match.group(0)
    return None


def _best_of(text: str, value: str) -> Detection:
    """The detection of one response type in ``text``, with its own phrases."""
    return best_match(text, [p for p in RESPONSE_PATTERNS if p[0] == value])[0]


def detect_response_type(text: str) -> Detection:
    """The response type; a concession phrase that is negated counts as a rejection."""
    text = text.lower()
    detection, scores = best_match(text, RESPONSE_PATTERNS)
    if detection.value == "retaliation" and (undone := _undoes_firing(text)):
        # "Tesla reinstates the two workers it fired": the firing is what is undone
        return Detection("full_concession", detection.score, (undone,))
    if detection.value != "full_concession":
        return detection
    value = detection.value
    pattern = next(p for v, _, p in RESPONSE_PATTERNS if v == "full_concession")
    conceded = list(pattern.finditer(text))
    background = [m.group(0) for m in conceded if _in_background(text, m.start())]
    if background:  # "..., days after Google withdrew from the bidding"
        scores["full_concession"] -= 2.8 * len(background)
        if scores["full_concession"] <= 0:
            del scores["full_concession"]
            if not scores:
                return Detection(None, 0.0)
            return _best_of(text, max(scores, key=lambda v: (scores[v], v)))
    negated = [m.group(0) for m in conceded if NEGATION.search(text[: m.start()])]
    if negated:  # "won't cancel the contract"
        scores["full_concession"] -= 2.8 * len(negated)
        scores["reject"] = scores.get("reject", 0.0) + 2.8
        value = max(scores, key=lambda v: (scores[v], v))
        if value == "reject":
            return Detection(value, scores[value], tuple(negated[:3]))
    if value == "full_concession" and "partial_concession" in scores:
        # a concession with a caveat ("..., but won't address the rest") grants part
        value = "partial_concession"
    if value != detection.value:
        return _best_of(text, value)
    return detection


# What a win leaves: "arbitration is gone, but pay equity and the report are still open".
STILL_OPEN = re.compile(
    r"\b(?:(?:is|are) still|still|remains?) (?:open|unmet|outstanding|unaddressed|"
    r"on the table|a list)\b",
    re.IGNORECASE,
)


def detect_outcome(text: str) -> Detection:
    """The outcome; a win that says what is still open met the demands only in part."""
    detection = best_match(text, OUTCOME_PATTERNS)[0]
    if detection.value == "met" and (left := STILL_OPEN.search(text)):
        return Detection("partially_met", detection.score, (*detection.phrases, left.group(0)))
    return detection

"""Company resolution: which registry company a post's campaign is at.

Names are found by scanning the text's normalised word n-grams against every name the registry
knows (names, aliases, units, former names), with rapidfuzz catching misspelt names. When a
text names several companies, the one the demand is addressed to, that acts, or whose workers
speak wins; a subsidiary named next to its parent wins over the parent. A text that names no
known company gets None, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from campaigns.linking.detect import TOLD_TO_DO
from campaigns.registry import Registry
from campaigns.text import normalize_name

MAX_NGRAM = 4
# Registry names that are also everyday words: only a capitalised use counts as the company.
COMMON_WORDS = frozenset(
    {
        "apple", "ring", "medium", "slack", "glitch", "meta", "alexa", "oracle", "intel",
        "bing", "android", "azure", "twitter", "x", "blizzard", "bethesda", "uber", "verily",
        "autopilot", "riot", "target", "gorillas", "ola", "oath", "bolt", "caviar", "seamless",
        "spin", "grab", "snap", "stripe", "valve", "flink", "adobe", "micron", "sap",
        "peloton", "tinder", "tableau", "paramount", "chef", "rockstar", "audible", "chewy",
        "anthropic", "ozon", "raven",
        # names of more than one word: only with every word capitalised ("through the ringer",
        # Portuguese "ele me disse", "scale AI models", "an epic games night")
        "the ringer", "ele me", "scale ai", "flash express", "epic games", "free now",
        "urban company",
    }
)  # fmt: skip
# Common words only because accents are folded ("über" reads "uber"): outside a German text
# they are the company in any case ("uber is about to go public").
FOLDED_GERMAN = frozenset({"uber"})
# Everyday words among names that German writes capitalised ("mein Chef" is my boss): in a
# German text they are never the company.
GERMAN_NOUNS = frozenset({"chef", "ozon"})
_GERMAN = re.compile(
    r"\b(?:und|der|das|nicht|ist|wir|ich|auf|für|dem|ein|eine|sich|mein|meine|"
    r"heute|wieder|jetzt|auch|noch|wird|sind|bei|uns|unser|nennt)\b"
)
# What follows an everyday word among names in lower case when it is the company all the same
# ("uber pool", "ola drivers", "meta announcing", "slack is down").
_LOWER_NAME_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:drivers?|riders?|couriers?|eats|pool|app|workers|employees|staff|"
    r"engineers|moderators|contractors|ceo|execs?|executives|management|hq|headquarters|"
    r"corporate|layoffs?|stock|shares|is down|was down|outage|announc\w*|says|said|store|"
    r"scooters?|licensing)\b",
    re.IGNORECASE,
)
# What comes before an everyday word among names in lower case when it is the company: a
# workplace ("who work at blizzard", "drivers for uber", "employees of square").
_LOWER_NAME_BEFORE = re.compile(
    r"\b(?:work(?:s|ed|ing)?|workers|employees|staff|contractors|drivers|couriers|riders|"
    r"engineers|moderators|jobs?)\s+(?:at|for|of)\s+$",
    re.IGNORECASE,
)
# What names something else when it follows (or surrounds) a company's name: the Amazon
# rainforest, fires "in the Amazon.", a Tesla coil, the Oracle of Delphi, apple pie at the start
# of a sentence, slack water, "uber-cool", riot police. No labelled post has one.
ELSEWHERE_AFTER = {
    "amazon": re.compile(
        r"^(?:ian)?\s+(?:rain ?forests?|river|basin|jungle|forests?|delta|biome|tribes?)\b|"
        r"^\s*(?:[.,;:!?]|$)",
        re.IGNORECASE,
    ),
    "tesla": re.compile(r"^\s+coils?\b", re.IGNORECASE),
    "oracle": re.compile(r"^\s+(?:of|at) (?:delphi|omaha)\b", re.IGNORECASE),
    "apple": re.compile(
        r"^\s+(?:pies?|trees?|orchards?|cider|juice|sauce|crumble|blossoms?)\b", re.IGNORECASE
    ),
    "slack": re.compile(r"^\s+(?:water|tide|jaw)\b", re.IGNORECASE),
    "uber": re.compile(r"^-(?!eats\b|drivers?\b)[a-z]"),
    # a name opening a sentence, before the everyday phrase it starts ("Riot police ...")
    **{
        key: re.compile(rf"^\s+(?:{words})\b", re.IGNORECASE)
        for key, words in {
            "riot": r"police|gear|squad|shields?|act|control|vans?",
            "target": r"practice|audiences?|markets?|dates?|range|groups?|areas?",
            "ring": r"road|finger|binder|leader",
            "snap": r"elections?|polls?|decisions?|judge?ments?",
            "bolt": r"from the blue|upright|cutters?",
            "spin": r"class(?:es)?|doctors?|cycles?",
            "grab": r"bags?|a (?:coffee|drink|seat|bite|sign)",
            "medium": r"rare|term|sized|heat",
            "oath": r"of (?:office|allegiance)|keepers",
            "seamless": r"integration|transition",
            "audible": r"gasps?|sighs?",
            "paramount": r"importance|concern",
            "valve": r"replacements?|surgery",
        }.items()
    },
}
# ... and what comes before it then: "in the Amazon" at a clause's end is the region
ELSEWHERE_BEFORE = {"amazon": re.compile(r"\b(?:in|across|of|from|into|through) the\s+$")}


def _names_elsewhere(key: str, text: str, start: int, end: int) -> bool:
    """Whether the name ``key`` at ``text[start:end]`` names something else here (a region,
    a device, a dish: ``ELSEWHERE_AFTER``)."""
    after = ELSEWHERE_AFTER.get(key)
    if after is None or not after.match(text[end : end + 40]):
        return False
    before = ELSEWHERE_BEFORE.get(key)
    clause_end = not text[end : end + 40].strip()[:1].isalpha()
    if before is not None and clause_end:  # "the Amazon." names the region only after "in the"
        return bool(before.search(text[max(0, start - 20) : start]))
    return True


# Product names that are everyday words or phrases too ("windows", "a far cry from"): these
# count only with their own capitalisation; every other product name counts in any case.
EVERYDAY_PRODUCTS = frozenset(
    {
        "windows", "threads", "pixel", "chrome", "sonic", "excel", "copilot", "bard", "wow",
        "model 3", "model y", "model s", "call of duty", "far cry", "app store", "diablo",
    }
)  # fmt: skip
# Words that are capitalised often but never company names (kept out of fuzzy matching).
# how close a capitalised word must come to a one-word name to be read as it misspelt, as the
# share of its letters left after the fewest edits (a transposition is one edit, so "Microsfot"
# is Microsoft): one edit in seven letters or more. The Indel ratio at 85 used before read
# "Shakopee" (Amazon's Minnesota site) as Shopee and let "Microsfot" through only as 88.9
FUZZY_CUTOFF = 0.85
NOT_NAMES = frozenset(
    {
        "workers", "worker", "employees", "union", "today", "the", "this", "that", "amazing",
        "americans", "america", "american", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "june",
        "july", "august", "september", "october", "november", "december", "government",
        "goodbye", "google's", "people", "statement", "breaking", "update", "thread",
        "congress", "senate", "justice", "climate", "police", "immigration", "pentagon",
        "military", "contract", "customers", "leaders", "leadership", "company", "managers",
    }
)  # fmt: skip
# An employer named in words the registry may not know: "workers at Acme Widgets", "Zentrix
# Logistics couriers". A capitalised name after a workplace phrase, or one of two words or more
# ending like a company's before its staff. Names with digits are sites ("workers at JFK8").
_STAFF = (
    r"(?i:workers|employees|staff|staffers|drivers|couriers|riders|engineers|moderators|"
    r"contractors|baristas|shoppers|developers|testers|warehouse workers)"
)
_CAPITALISED = r"[A-Z][\w&'’.-]*(?: (?:[A-Z][\w&'’.-]*|&|of|and))*"
_EMPLOYER_AFTER = re.compile(rf"\b{_STAFF} (?:at|for) ({_CAPITALISED})")
_COMPANY_ENDINGS = (
    r"(?:Inc\.?|LLC|Ltd\.?|Corp\.?|Corporation|Company|Co\.|Group|Holdings|Logistics|"
    r"Technologies|Tech|Labs|Games|Studios|Systems|Software|Solutions|Delivery|Foods|Media|"
    r"Networks|Services|Robotics|Motors|Entertainment|Interactive)"
)
_EMPLOYER_BEFORE = re.compile(
    rf"\b([A-Z][\w&'’.-]* (?:[A-Z][\w&'’.-]* )*{_COMPANY_ENDINGS})'?s? {_STAFF}\b"
)
# Capitalised at a sentence's start, never a name ("workers at The ..." is left to the registry).
_FUNCTION = frozenset({"the", "our", "their", "its", "this", "that", "these", "those", "a", "an"})
# Subsidiaries coded as companies of their own (tests/data/linking/FORMAT.md); any other
# registry entry with a parent is coded as a business unit of its nearest such ancestor.
STANDALONE_SUBSIDIARIES = frozenset(
    {
        "google", "youtube", "deepmind", "github", "linkedin", "activision-blizzard",
        "whole-foods-market", "twitch", "instagram", "whatsapp", "riot-games", "foodora", "tiktok", "efood",
        "glovo", "shipt",
    }
)  # fmt: skip
UNIT_NAMES = {"aws": "AWS"}  # the short name the codebook uses for a unit
# What a campaign post says of its company's work that only one unit does: at Amazon, hosting
# (a site, an app, a customer's data) is AWS's ("Amazon must stop hosting Parler"; the labelled
# campaign posts at Amazon that speak of hosting without naming AWS are all coded AWS)
UNIT_CUES = {"amazon": ("AWS", re.compile(r"\b(?:web )?host(?:ing|s|ed)\b", re.IGNORECASE))}


def unit_from_work(company: str | None, text: str) -> tuple[str, str] | None:
    """The unit whose work ``text`` speaks of at ``company`` (``UNIT_CUES``), with the phrase."""
    entry = UNIT_CUES.get(company or "")
    if entry is None or not (found := entry[1].search(text)):
        return None
    return entry[0], found.group(0)


# Holding companies whose workers are employed by an operating company: a campaign of
# "Alphabet workers" (or the Alphabet Workers Union's account) is coded at Google.
HOLDING_EMPLOYERS = {"alphabet": "google"}
# Vendors in the registry that employ the workers at a tech client's sites or lines: a campaign
# of their workers is coded at the vendor (FORMAT.md), so the vendor named wins over the client.
VENDORS = frozenset(
    {"accenture", "cognizant", "hcl-technologies", "lionbridge", "foxconn", "wistron", "pegatron"}
)
VENDOR_BONUS = 1.0
# Short names, tickers and demonyms the press uses that the registry does not list.
EXTRA_NAMES = {
    "googler": "google", "googlers": "google", "amazonian": "amazon", "amazonians": "amazon",
    "microsoftie": "microsoft", "microsofties": "microsoft", "riot": "riot-games",
    "rioter": "riot-games", "rioters": "riot-games", "atvi": "activision-blizzard",
    "tweeps": "x-corp", "metamates": "meta",
}  # fmt: skip

# Products, services and events that stand for their company in a post that does not name it
# ("Prime Day", "WoW"), keyed by registry entry (everyday words among them only with their own
# capitalisation, see EVERYDAY_PRODUCTS).
# They count for less than the company's own name.
PRODUCT_NAMES = {
    "apple": (
        "iPhone", "iPad", "iOS", "macOS", "MacBook", "Apple Watch", "AirPods", "Vision Pro",
        "App Store", "WWDC", "iCloud", "Apple Park", "Siri", "AirPod", "Genius Bar",
        "Apple Store", "Apple Music", "AirTag", "AirTags", "Apple Pay", "Apple TV+",
    ),
    "google": ("Gmail", "Pixel", "Chrome", "Google I/O", "Bard", "Waze"),
    "amazon": ("Prime Day", "Kindle", "Amazon Prime", "Prime Video", "Mechanical Turk", "MTurk"),
    "aws": ("re:Invent", "EC2", "us-east-1", "Kinesis", "DynamoDB"),
    "microsoft": ("Windows", "Excel", "Copilot", "Minecraft"),
    "blizzard-entertainment": (
        "World of Warcraft", "WoW", "Overwatch", "Diablo", "Hearthstone", "StarCraft",
        "BlizzCon",
    ),
    "activision-blizzard": ("Call of Duty", "Candy Crush"),
    "meta": ("Threads", "Horizon Worlds"),
    "mozilla": ("Firefox", "Thunderbird"),
    "tesla": ("Cybertruck", "Model 3", "Model Y", "Model S", "Gigafactory", "Full Self-Driving"),
    "sega": ("Sonic the Hedgehog", "Sonic"),
    "riot-games": ("League of Legends", "Valorant", "VALORANT"),
    "samsung": ("Galaxy Unpacked",),
    "salesforce": ("Dreamforce",),
    "twitch": ("TwitchCon",),
    "ubisoft": ("Assassin's Creed", "Far Cry"),
    "nvidia": ("GeForce", "CUDA"),
}  # fmt: skip
# Chief executives the press names in place of their company ("Tim Cook tells staff ...").
PEOPLE_NAMES = {
    "apple": ("Tim Cook",),
    "google": ("Sundar Pichai", "Pichai"),
    "amazon": ("Andy Jassy", "Jassy", "Jeff Bezos", "Bezos"),
    "microsoft": ("Satya Nadella", "Nadella"),
    "meta": ("Mark Zuckerberg", "Zuckerberg"),
    "uber": ("Dara Khosrowshahi", "Khosrowshahi"),
    "activision-blizzard": ("Bobby Kotick", "Kotick"),
    "salesforce": ("Marc Benioff", "Benioff"),
    "nvidia": ("Jensen Huang",),
    "coinbase": ("Brian Armstrong",),
    "basecamp": ("Jason Fried",),
}
# Site codes that stand for their company: Amazon names its warehouses and delivery stations by
# a nearby airport's code and a number ("JFK8", "BHM1", "DIL3"); product names of that shape
# are not site codes.
SITE_CODES = {"amazon": re.compile(r"(?<![\w-])([A-Z]{3}[1-9])(?![\w-])")}
NOT_SITE_CODES = frozenset({"GPT", "DDR", "USB", "LTE", "COP", "MP3", "CPU", "GPU", "RTX", "PCI"})
PRODUCT_WEIGHT = 0.8
# a name set after its owner as "the company": "Jeff Bezos' space company Blue Origin", "HP's
# networking unit H3C", "Elon Musk's rocket firm SpaceX" is the company the text is about
_APPOSED_BEFORE = re.compile(
    r"(?:'s?|’s?)\s+(?:[\w-]+\s+){0,2}(?:company|firm|startup|subsidiary|venture|unit|maker|"
    r"outfit)\s*$"
)
APPOSED_BONUS = 1.0


def _site_matches(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """(company, match) for each site code a text names, of the companies that have them."""
    for target, pattern in SITE_CODES.items():
        for match in pattern.finditer(text):
            if match.group(1)[:3] not in NOT_SITE_CODES:
                yield target, match


def site_codes(text: str) -> frozenset[str]:
    """The site codes a text names ('JFK8', 'BHM1'): a union drive or a strike is at a site."""
    return frozenset(match.group(1) for _, match in _site_matches(text))


# What a company's account may add to its name: '@AWScloud', '@AmazonNews', '@GoogleAI'.
ACCOUNT_SUFFIXES = (
    "cloud", "news", "newsroom", "inc", "hq", "corp", "official", "team", "jobs", "careers",
    "support", "help", "app", "global", "press", "labs", "dev", "developers", "eng", "ai", "us",
    "uk",
)  # fmt: skip
# Company accounts and newsroom domains whose handle does not carry the company's name.
OFFICIAL_HANDLES = {"fbnewsroom": "meta", "fb": "meta", "hey": "basecamp"}
# Publishing platforms whose domain is a feed's handle for anyone's blog: not the author's company
# (and, for the engine's reading of a feed given no source kind, a person's post: model.py).
BLOG_HOSTS = frozenset(
    {
        "medium.com", "substack.com", "wordpress.com", "blogspot.com", "tumblr.com", "ghost.io",
        "github.io", "livejournal.com", "dev.to", "hashnode.dev", "write.as", "bearblog.dev",
    }
)  # fmt: skip

_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f]")
# 'Spotify-owned': two words; an elided article before a name is not part of it ("d'Amazon",
# "l'IBM", "dell'Apple", "qu'Uber")
_WORD = re.compile(
    r"(?:\b(?:[dljnsmtcDLJNSMTC]|[Qq]u|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull)['’](?=[A-Z]))?"
    r"([A-Za-z0-9][A-Za-z0-9'’.&]*)"
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}[A-Za-z]?")  # 'I.B.M.'
_POSSESSIVE = re.compile(r"['’]s$")
_TAGGED = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

_ADDRESSED_BEFORE = re.compile(
    r"\b(call(?:s|ed|ing)? on|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)? that|ask(?:s|ed|ing)?|"
    r"tell(?:s|ing)?|told|press(?:es|ed|ing)?|pressur(?:e|es|ed|ing)|petition(?:s|ed|ing)?|"
    r"letter to|message to|open letter to|want|wants|protest(?:s|ed|ing)? (?:at|against)?|"
    r"against|at|of|to|dear|hey)\s*$"
)
_ADDRESSED_AFTER = re.compile(
    r"^\s*(?:'s |’s )?(?:must|should|needs? to|has to|to (?:stop|drop|end|cancel|recogni[sz]e|"
    r"reinstate|rehire|pay|disclose|release|withdraw|commit|sign|cut|not|bargain))\b"
)
_ACTS_AFTER = re.compile(
    r"^\s*(?:'s |’s )?(?:has |have |had |will |won't |would |is |says? )?(?:said|says|announc\w*|agree\w*|"
    r"fir(?:e|ed|es|ing)|suspend\w*|decid\w*|dropp\w*|end(?:s|ed)|confirm\w*|told|tells|"
    r"respond\w*|repl\w*|declin\w*|refus\w*|reject\w*|cancel\w*|withdr\w*|recogni[sz]\w*|"
    r"reinstat\w*|backtrack\w*|revers\w*|spokes\w*|ceo|executive|management|leadership|"
    r"pulled|pulls|quit|will|won't|did not|didn't|does not|doesn't|plans?|stopp\w*|"
    r"laid|lays|cut|cuts|settl\w*|raised|raises|paused|pauses|walked back|caved|"
    r"not renew|won't renew|launch\w*|unveil\w*|posts|reports|accepts|hires|buys|acquir\w*|"
    r"board|chief)\b"
)
# "Target to buy Shipt", "Delivery Hero agrees to take majority control of Glovo": the buyer acts
_ACQUIRES_AFTER = re.compile(
    r"^\s*(?:has |have |will |is |agrees to |agreed to |moves to |moved to |plans to |to )?"
    r"(?:buy|buys|bought|acquir\w*|complet\w* (?:its |the )?(?:\w+ ){0,3}(?:acquisition|purchase|"
    r"deal|takeover)|clos\w* (?:its |the )?(?:\w+ ){0,3}(?:acquisition|purchase|deal|takeover)|"
    r"tak\w* (?:majority |full |near-full |a majority )?(?:control|stake)|leads? .{0,30}investment)\b"
)
_WORKERS_AFTER = re.compile(
    r"^\s*(?:'s |’s )?(?:tech |warehouse |retail |store |game |contract |full-time |qa |quality[- ]assurance )?(?:employees|"
    r"workers|staff|staffers|engineers|contractors|developers|organi[sz]ers|union|"
    r"workforce|testers|moderators|drivers|researchers|analysts|raters)\b"
)
_CUSTOMER_BEFORE = re.compile(
    r"\b(?:kick|kicks|kicked|drop|drops|dump|cut ties with|stop (?:hosting|selling to|working "
    r"with|serving|providing)|hosting|host|hosts|sell(?:s|ing)? to|contract with|deal with|"
    r"work(?:ing)? (?:with|for)|customers? (?:like|such as)|beats?|over)\s*$"
)
_HOST_BEFORE = re.compile(r"\b(?:off|from)\s*$")
_WORKERS_BEFORE = re.compile(
    r"\b(?:(?:employees|workers|staff|staffers|engineers|contractors|workforce|testers|"
    r"moderators|drivers|organi[sz]ers) (?:at|of|from|for)|"
    r"(?:employed|hired|contracted|staffed|paid) (?:by|through|via))\s*$"
)


# between two names of one list: "and", ",", "/", with other one-word names between them
_LIST_JOIN = re.compile(r"^\s*(?:,\s*[\w'’-]+\s*)*(?:,|&|/|and|or|,\s*and|,\s*or)\s*$")


def _joined(mentions: list[tuple[CompanyName, int, int, bool]], lowered: str) -> list[bool]:
    """For each mention but the last: is it joined to the next in a list ("Uber and Lyft")?"""
    return [
        _LIST_JOIN.match(lowered[mentions[i][2] : mentions[i + 1][1]]) is not None
        for i in range(len(mentions) - 1)
    ]


def _back_along_lists(found: set[int], joined: list[bool]) -> None:
    """What is said after a list is said of each name in it ("Uber and Lyft to pay")."""
    for i in reversed(range(len(joined))):
        if joined[i] and i + 1 in found:
            found.add(i)


# a company spoken to at the start of a sentence: "Amazon, over to you.", "Apple, stay neutral"
_VOCATIVE_AFTER = re.compile(
    r"^,\s*(?:over to you|(?:it'?s |it is )?your (?:move|turn)|the ball is in your court|"
    r"we(?:'re| are) (?:waiting|watching)|do (?:better|the right thing)|listen|are you listening|"
    r"(?:it'?s |it is )?time to|you(?:'re| are) next|please|" + TOLD_TO_DO + r")\b"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?;:]\s+|\n)(?:dear |hey )?$")


def _spoken_to(mentions: list[tuple[CompanyName, int, int, bool]], lowered: str) -> set[int]:
    """The mentions a sentence opens by speaking to ("Amazon, over to you.")."""
    return {
        position
        for position, (_, start, end, _) in enumerate(mentions)
        if _VOCATIVE_AFTER.match(lowered[end : end + 40])
        and _SENTENCE_START.search(lowered[max(0, start - 8) : start])
    }


def _addressed(mentions: list[tuple[CompanyName, int, int, bool]], lowered: str) -> set[int]:
    """The mentions a demand is addressed to ("Google must", "Uber and Lyft to pay")."""
    found = {
        position
        for position, (_, _, end, _) in enumerate(mentions)
        if _ADDRESSED_AFTER.match(lowered[end : end + 40])
    }
    _back_along_lists(found, _joined(mentions, lowered))
    return found


def _workers_named(mentions: list[tuple[CompanyName, int, int, bool]], lowered: str) -> set[int]:
    """The mentions whose workers a text speaks of ("Amazon workers", "staff at Google").

    A list shares its noun: in "Ola and Uber drivers" and "drivers at Ola, Uber" both companies'
    workers are meant, and the first named then wins on position.
    """
    found = set()
    for position, (_, start, end, _) in enumerate(mentions):
        before = lowered[max(0, start - 40) : start]
        if _WORKERS_AFTER.match(lowered[end : end + 40]) or _WORKERS_BEFORE.search(before):
            found.add(position)
    joined = _joined(mentions, lowered)
    _back_along_lists(found, joined)  # "Ola and Uber drivers"
    for i in range(len(joined)):  # "drivers at Ola and Uber": forward along it
        if joined[i] and i in found:
            found.add(i + 1)
    return found


@dataclass(frozen=True)
class CompanyName:
    slug: str  # the campaign's company (a unit entry resolves to its parent)
    unit: str | None
    text: str
    kind: str = "name"  # 'name', 'product' (matched with its own capitalisation) or 'person'


@dataclass
class CompanyMatch:
    """The resolved company with how sure the resolver is and why."""

    slug: str | None
    unit: str | None = None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    from_handle_only: bool = False


@dataclass
class _Candidate:
    slug: str
    unit: str | None = None
    score: float = 0.0
    first: int = 10**6
    names: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    staff: bool = False  # its workers speak (named as workers, or the post is their group's)
    acquires: bool = False  # it buys or takes control of another company named


def _ascii(value: str) -> str:
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def _word_key(token: str) -> str:
    """A text token as the names table keys it ('I.B.M.' -> 'ibm', "Spotify's" -> "spotify s")."""
    value = _ascii(token).rstrip("'’.")
    if _DOTTED.fullmatch(value):
        value = value.replace(".", "")
    return normalize_name(value)


def _squash(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", value)


def split_camel(value: str) -> str:
    """'GoogleWalkout' -> 'Google Walkout', for hashtags and handles."""
    return _CAMEL.sub(" ", value)


class CompanyResolver:
    """Finds registry companies in text and picks the one a campaign is at."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.names: dict[str, CompanyName] = {}
        self.script_names: dict[str, CompanyName] = {}
        self._families: dict[str, tuple[str, ...]] = {}
        self._handles: dict[str, CompanyName | None] = {}
        self.parents: dict[str, str | None] = {
            slug: entry.parent_slug for slug, entry in registry.entries.items()
        }
        for entry in registry.entries.values():
            slug, unit = self.campaign_company(entry.slug)
            for value in (
                entry.name,
                entry.slug.replace("-", " "),
                *entry.aliases,
                *entry.former_names,
            ):
                self._add(value, CompanyName(slug, unit, value))
            for value in entry.units:
                self._add(value, CompanyName(slug, unit or value, value))
        for value, target in EXTRA_NAMES.items():
            if target in registry.entries:
                slug, unit = self.campaign_company(target)
                self._add(value, CompanyName(slug, unit, value))
        self._handle_keys = sorted(
            ((k.replace(" ", ""), n, k in COMMON_WORDS) for k, n in self.names.items()),
            key=lambda item: (-len(item[0]), item[0]),
        )
        self.name_words = frozenset(
            word for key in self.names for word in key.split() if len(word) >= 3
        ) - frozenset({"cloud", "search", "research", "music", "energy", "service", "retail"})
        self._single_words = sorted(k for k in self.names if " " not in k and len(k) >= 5)
        self._squashed = {
            key: name for key, name, _ in reversed(self._handle_keys) if len(key) >= 3
        }
        for kind, table in (("product", PRODUCT_NAMES), ("person", PEOPLE_NAMES)):
            for target, values in table.items():
                if target in registry.entries:
                    slug, unit = self.campaign_company(target)
                    for value in values:
                        self._add(value, CompanyName(slug, unit, value, kind))

    def _add(self, value: str, name: CompanyName) -> None:
        if _NON_LATIN.search(value):
            # a name in another script (グーグル, 삼성전자): matched as a substring of the text
            self.script_names.setdefault(unicodedata.normalize("NFKC", value), name)
            return
        key = normalize_name(value)
        if not key or len(key) < 2:
            return
        # the first owner keeps a name, as in the registry's sync
        self.names.setdefault(key, name)

    def campaign_company(self, slug: str) -> tuple[str, str | None]:
        """(company, business unit) a registry entry is coded as: AWS -> (amazon, AWS)."""
        entries = self.registry.entries
        current, unit = slug, None
        seen: set[str] = set()
        while current not in seen:
            seen.add(current)
            entry = entries.get(current)
            if entry is None or not entry.parent_slug or current in STANDALONE_SUBSIDIARIES:
                return current, unit
            if unit is None:
                unit = UNIT_NAMES.get(current, entry.name)
            current = entry.parent_slug
        return current, unit

    def family(self, slug: str | None) -> tuple[str, ...]:
        """``slug`` first, then the other companies of its corporate group (parents, siblings,
        subsidiaries coded as companies of their own): Google, Alphabet, YouTube, DeepMind."""
        if slug is None:
            return ()
        if not self._families:
            groups: dict[str, list[str]] = {}
            for entry in sorted(self.registry.entries):
                company = self.campaign_company(entry)[0]
                root = self._root(entry)
                if company not in groups.setdefault(root, []):
                    groups[root].append(company)
            for group in groups.values():
                for member in group:
                    self._families[member] = tuple(group)
        members = self._families.get(slug, (slug,))
        return (slug, *(m for m in members if m != slug))

    def _root(self, slug: str) -> str:
        current = slug
        seen = {slug}
        while (parent := self.parents.get(current)) and parent not in seen:
            seen.add(parent)
            current = parent
        return current

    def ancestors(self, slug: str) -> list[str]:
        """The parent, its parent and so on, nearest first (a fixed order: the resolver's
        choice must not depend on the order a set happens to iterate in)."""
        found: list[str] = []
        current = self.parents.get(slug)
        while current and current not in found:
            found.append(current)
            current = self.parents.get(current)
        return found

    @lru_cache(maxsize=20000)  # noqa: B019 - one resolver per registry, cache bounded
    def _fuzzy(self, word: str) -> str | None:
        if len(word) < 6 or word in NOT_NAMES:
            return None
        best = process.extractOne(
            word, self._single_words, scorer=OSA.normalized_similarity, score_cutoff=FUZZY_CUTOFF
        )
        return best[0] if best and best[0][0] == word[0] else None

    def _tag_words(self, tag: re.Match[str]) -> str:
        """The words of a hashtag or @-mention ('#GoogleWalkout' -> 'Google Walkout'). An account
        whose split name holds no company name is read as the company its handle carries
        ('@AWScloud', which splits as 'AW Scloud', is AWS's account)."""
        words = split_camel(tag.group(1))
        if tag.group(0)[0] != "@":
            return " " + words
        keys = [_word_key(w) for w in words.replace("_", " ").split()]
        if any(k in self.names for k in keys if k):
            return " " + words
        owner = self._account(tag.group(1))
        return " " + (owner.text if owner is not None else words)

    def _account(self, handle: str) -> CompanyName | None:
        """The company whose account a mentioned handle is: its name, alone or with a suffix
        accounts carry ('awscloud', 'AmazonNews'); not a person's handle that contains it
        ('googlefan99', 'applesauce_fan')."""
        local = re.sub(r"[^a-z0-9]", "", handle.lower())
        if name := self._squashed.get(local):  # '@OpenAI' is OpenAI, not 'open' + 'ai'
            return name
        for suffix in ACCOUNT_SUFFIXES:
            if local.endswith(suffix) and (name := self._squashed.get(local[: -len(suffix)])):
                return name
        return None

    def mentions(self, text: str) -> list[tuple[CompanyName, int, int, bool]]:
        """(name, start, end, fuzzy) for each company name in ``text``, in order."""
        spaced = _TAGGED.sub(self._tag_words, text)
        # a name's span ends before a full stop after it ("beating Amazon. Employees had asked"
        # names no Amazon employees), though the token keeps dots inside it ("Amazon.com")
        tokens = []
        for m in _WORD.finditer(spaced):
            word, end = m.group(1), m.end(1)
            if word[-1] == ".":
                end -= len(word) - len(word.rstrip("."))
            tokens.append((word, m.start(1), end))
        words = [_word_key(t[0]) for t in tokens]
        found: list[tuple[CompanyName, int, int, bool]] = []
        i = 0
        while i < len(tokens):
            hit = None
            for n in range(min(MAX_NGRAM, len(tokens) - i), 0, -1):
                key = " ".join(w for w in words[i : i + n] if w)
                name = self.names.get(key)
                if name is None and key.endswith(" s"):
                    name = self.names.get(key[:-2])
                if name is None:
                    continue
                raw = tokens[i][0]
                span = _POSSESSIVE.sub("", spaced[tokens[i][1] : tokens[i + n - 1][2]])
                if (
                    name.kind == "product"
                    and normalize_name(name.text) in EVERYDAY_PRODUCTS
                    and _squash(span) != _squash(name.text)
                ):
                    continue
                if (
                    key in COMMON_WORDS
                    and not (key in FOLDED_GERMAN and not _GERMAN.search(text.lower()))
                    and not all(token[:1].isupper() for token, _, _ in tokens[i : i + n])
                    and not _LOWER_NAME_AFTER.match(spaced[tokens[i + n - 1][2] :][:40])
                    and not _LOWER_NAME_BEFORE.search(
                        spaced[max(0, tokens[i][1] - 40) : tokens[i][1]]
                    )
                ):
                    continue
                if n == 1 and len(key) <= 2 and not raw.isupper():
                    continue
                if n == 1 and _names_elsewhere(key, spaced, tokens[i][1], tokens[i][2]):
                    continue
                if key in GERMAN_NOUNS and _GERMAN.search(text.lower()):
                    continue
                hit = (name, n)
                break
            if hit is None and tokens[i][0][:1].isupper():
                fuzzy_key = self._fuzzy(words[i])
                if (
                    fuzzy_key is not None
                    and fuzzy_key not in COMMON_WORDS
                    and not _names_elsewhere(fuzzy_key, spaced, tokens[i][1], tokens[i][2])
                ):
                    hit = (self.names[fuzzy_key], 1)
                    found.append((hit[0], tokens[i][1], tokens[i][2], True))
                    i += 1
                    continue
            if hit is not None:
                name, n = hit
                found.append((name, tokens[i][1], tokens[i + n - 1][2], False))
                i += n
            else:
                i += 1
        exact = {name.slug for name, _, _, fuzzy in found if not fuzzy}
        if exact:
            # a near-spelling beside a name spelt right is a place or a product ("Amazon's
            # Shakopee warehouse" is not Shopee), not a misspelt second company
            found = [m for m in found if not m[3] or m[0].slug in exact]
        sites = self._site_mentions(text)
        if self.script_names and _NON_LATIN.search(text):
            sites.extend(self._script_mentions(text))
        if sites:
            found.extend(sites)
            found.sort(key=lambda item: item[1])
        return found

    def _site_mentions(self, text: str) -> list[tuple[CompanyName, int, int, bool]]:
        """Site codes ('JFK8') of the companies that name their sites that way."""
        found: list[tuple[CompanyName, int, int, bool]] = []
        for target, match in _site_matches(text):
            if target in self.registry.entries:
                slug, unit = self.campaign_company(target)
                name = CompanyName(slug, unit, match.group(1), "product")
                found.append((name, match.start(1), match.end(1), False))
        return found

    def _script_mentions(self, text: str) -> list[tuple[CompanyName, int, int, bool]]:
        """Names written in other scripts, longest first, each span counted once."""
        value = unicodedata.normalize("NFKC", text)
        taken: list[tuple[int, int]] = []
        found: list[tuple[CompanyName, int, int, bool]] = []
        for script_name in sorted(self.script_names, key=lambda n: (-len(n), n)):
            start = value.find(script_name)
            while start >= 0:
                end = start + len(script_name)
                if not any(a < end and start < b for a, b in taken):
                    taken.append((start, end))
                    found.append((self.script_names[script_name], start, end, False))
                start = value.find(script_name, end)
        return found

    def from_handle(self, handle: str | None) -> CompanyName | None:
        """The company a handle carries in its name ('AlphabetWorkersUnion' -> alphabet)."""
        if not handle or handle.lower().removeprefix("www.") in BLOG_HOSTS:
            return None
        if handle not in self._handles:  # a source posts many times: read its handle once
            self._handles[handle] = self._from_handle(handle)
        return self._handles[handle]

    def _from_handle(self, handle: str) -> CompanyName | None:
        local = re.sub(r"[^a-z0-9]", "", handle.lower().split("@")[0])
        labels = [p for p in re.split(r"[^a-z0-9]+", handle.lower().split("@")[0]) if p]
        # 'fbnewsroom', or a domain 'about.fb.com' / 'world.hey.com' (its second-level label)
        official = OFFICIAL_HANDLES.get(local) or (
            OFFICIAL_HANDLES.get(labels[-2]) if len(labels) >= 2 and "." in handle else None
        )
        if official in self.registry.entries:
            slug, unit = self.campaign_company(official)
            return CompanyName(slug, unit, handle)
        # 'ABetterABK' -> a, better, abk: short names count as whole parts of a handle
        parts = [p for p in re.split(r"[^a-z0-9]+", split_camel(handle).lower()) if p]
        starts = (local, *labels, *parts)  # where a short name may begin
        for key, name, common in self._handle_keys:
            if common:  # an everyday word counts only where the handle starts with it
                if len(key) >= 4 and local.startswith(key):
                    return name
                continue
            if len(key) >= 6 and key in local:
                return name
            # a short name starts a part of the handle: 'cisco' not in 'sanfrancisco'
            if len(key) >= 4 and any(p.startswith(key) for p in starts):
                return name
            if len(key) == 3 and any(p == key or p.startswith(key) for p in parts):
                return name
        return None

    def unknown_employer(self, text: str) -> str | None:
        """The employer a post names that the registry does not know ("workers at Acme
        Widgets"), so that it is given no company rather than a guess; None if it names none."""
        for pattern in (_EMPLOYER_AFTER, _EMPLOYER_BEFORE):
            for match in pattern.finditer(text):
                name = match.group(1).rstrip(".’'")
                first = name.split()[0].lower()
                if any(c.isdigit() for c in name) or first in NOT_NAMES or first in _FUNCTION:
                    continue
                if not self.mentions(name):
                    return name
        return None

    def resolve(
        self, text: str, *, handle: str | None = None, source_kind: str | None = None
    ) -> CompanyMatch:
        """Pick the campaign's company in ``text``; None when no known company is named."""
        mentions = self.mentions(text)
        lowered = _ascii(text).lower()
        staff = _workers_named(mentions, lowered)
        addressed = _addressed(mentions, lowered)
        spoken_to = _spoken_to(mentions, lowered) - addressed
        candidates: dict[str, _Candidate] = {}
        for position, (name, start, end, fuzzy) in enumerate(mentions):
            cand = candidates.setdefault(name.slug, _Candidate(name.slug))
            if name.unit and not cand.unit:
                cand.unit = name.unit
            cand.first = min(cand.first, position)
            cand.names.append(name.text)
            cand.score += 0.6 if fuzzy else PRODUCT_WEIGHT if name.kind == "product" else 1.0
            before = lowered[max(0, start - 40) : start]
            after = lowered[end : end + 40]
            if position in staff:
                cand.staff = True
                cand.score += 2.0
                cand.cues.append(f"workers of {name.text}")
            if position in addressed:
                cand.score += 1.5
                cand.cues.append(f"demand addressed to {name.text}")
            elif position in spoken_to:
                # as sure as "addressed", but not a cue the role model reads: the sentences
                # that open this way ask for something already ("Apple, stay neutral")
                cand.score += 1.5
                cand.cues.append(f"spoken to as {name.text}")
            elif _ACQUIRES_AFTER.match(lowered[end : end + 80]):
                cand.score += 2.0  # the company it buys is named after it ("control of Glovo")
                cand.acquires = True
                cand.cues.append(f"{name.text} buys")
            elif _ACTS_AFTER.match(after):
                cand.score += 1.2
                cand.cues.append(f"{name.text} acts")
            elif _CUSTOMER_BEFORE.search(before):
                cand.score -= 0.8
                cand.cues.append(f"{name.text} named as a customer")
            elif _HOST_BEFORE.search(before):
                cand.score += 1.0
            elif _APPOSED_BEFORE.search(before):
                cand.score += APPOSED_BONUS
                cand.cues.append(f"{name.text} named as the company")
            elif _ADDRESSED_BEFORE.search(before):
                cand.score += 0.5
        named = bool(candidates)
        if source_kind in ("worker_group", "company"):
            own = self.from_handle(handle)
            if own is not None:
                cand = candidates.setdefault(own.slug, _Candidate(own.slug))
                cand.staff = cand.staff or source_kind == "worker_group"
                cand.score += 1.2
                cand.unit = cand.unit or own.unit
                cand.cues.append(f"posted by {handle}")
        if not candidates:
            return CompanyMatch(None, reasons=["no known company named"])
        for cand in candidates.values():
            cand.score += 0.3 / (1 + cand.first) if cand.first < 10**6 else 0.0
            if cand.slug in VENDORS and cand.score > 0 and len(candidates) > 1:
                # more so when the workers are named as the vendor's ("HCL analysts")
                cand.score += VENDOR_BONUS * (2 if cand.staff else 1)
                cand.cues.append(f"{cand.slug} employs the workers at its client's sites")
        # a subsidiary named beside its parent is the more precise answer; two or more of
        # them named beside it ("Facebook, Instagram and WhatsApp are down") speak of the group
        # (two branches below it: Blizzard named with its parent Activision Blizzard is one)
        named_under: dict[str, list[_Candidate]] = {}
        branches: dict[str, set[str]] = {}
        for cand in candidates.values():
            line = [cand.slug, *self.ancestors(cand.slug)]
            for depth, ancestor in enumerate(line[1:], start=1):
                named_under.setdefault(ancestor, []).append(cand)
                branches.setdefault(ancestor, set()).add(line[depth - 1])
        for slug, below in named_under.items():
            group = candidates.get(slug)
            if group is not None and len(branches[slug]) > 1 and not group.acquires:
                for cand in below:
                    group.score += cand.score
                    cand.score = 0.0
        for cand in list(candidates.values()):
            for ancestor in self.ancestors(cand.slug):
                parent = candidates.get(ancestor)
                if parent is None or parent.acquires:  # the buyer is the one that acts
                    continue
                if cand.score > 0 and cand.score >= 0.75 * parent.score:
                    cand.score += parent.score
                    parent.score = 0.0
        best = max(candidates.values(), key=lambda c: (c.score, -c.first, c.slug))
        if best.score <= 0:
            return CompanyMatch(None, reasons=["no known company named"])
        shown = ", ".join(dict.fromkeys(best.names)) or best.slug
        reasons = [f"company {best.slug}: named as {shown}"] if best.names else []
        reasons += best.cues[:3]
        employer = HOLDING_EMPLOYERS.get(best.slug) if best.staff else None
        if employer in self.registry.entries:
            reasons.append(f"{best.slug}'s workers are employed by {employer}")
            best = _Candidate(employer, score=best.score, unit=best.unit)
        if best.unit:
            reasons.append(f"business unit {best.unit}")
        total = sum(c.score for c in candidates.values()) or 1.0
        return CompanyMatch(
            best.slug, best.unit, round(best.score / total, 3), reasons, from_handle_only=not named
        )

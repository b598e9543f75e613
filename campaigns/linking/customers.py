"""The customers a post names that campaigns ask tech companies to stop serving.

Workers at one company run several campaigns against its contracts: at Microsoft, one against
the Azure contract with ICE (2018) and one against the HoloLens contract with the US Army
(2019). Their posts share the words of every such campaign ("cancel the contract", "we did not
sign up"), so what tells them apart is whom the contract is with. A post naming only customers
that none of a campaign's posts names likely starts another campaign (``grouping.CUSTOMER_COST``).

Each customer is a key with the names it goes by. Agencies that campaigns name together (ICE,
CBP and the Border Patrol; the Pentagon and the Army) share a key, so naming one beside the
other never splits a campaign. Acronyms are matched as written (ICE, not "ice"); other names in
any case.
"""

from __future__ import annotations

import re

_CUSTOMERS: dict[str, tuple[str, ...]] = {
    "us-immigration": (
        r"(?-i:ICE|CBP|DHS)",
        r"immigration and customs enforcement",
        r"customs and border protection",
        r"border patrol",
        r"homeland security",
    ),
    "us-military": (
        r"pentagon",
        r"department of defen[cs]e",
        r"(?-i:DoD)",
        r"u\.?s\.? (?:army|military|air force|navy)",
        r"(?<!israeli )(?<!israel's )(?-i:Army)",
        r"project maven",
        r"jedi (?:contract|cloud|deal|bid)",
    ),
    "israel": (
        r"(?-i:IDF)",
        r"israel(?:i|'s)? (?:military|army|government|defen[cs]e)",
        r"israel defen[cs]e forces",
        r"project nimbus",
        r"nimbus",
    ),
    # police as a customer ("sell Rekognition to police", "police use"), not the police called
    # to a sit-in
    "police": (
        r"(?:to|for|with|by) (?:the |local |us |u\.s\. )?(?:police|law enforcement)",
        r"police (?:use|departments?|forces?|agencies)",
        r"law enforcement (?:use|agencies)",
    ),
    "fossil-fuel": (
        r"oil (?:and|&) gas",
        r"fossil fuel (?:companies|industry|firms)",
        r"exxon(?:mobil)?",
        r"chevron",
    ),
    "palantir": (r"palantir",),
    "parler": (r"parler",),
    "breitbart": (r"breitbart",),
}

_PATTERNS = tuple(
    (key, re.compile(r"(?<![\w-])(?:" + "|".join(names) + r")(?![\w-])", re.IGNORECASE))
    for key, names in _CUSTOMERS.items()
)


def named_customers(text: str) -> frozenset[str]:
    """The keys of the customers ``text`` names ('us-immigration' for "ICE" or "CBP")."""
    return frozenset(key for key, pattern in _PATTERNS if pattern.search(text))

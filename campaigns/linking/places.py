"""The countries a post names, for telling apart campaigns of one company in different countries.

A works council at Tesla's Grünheide plant and the Swedish mechanics' strike are campaigns of one
company that share words ("Metall", "collective agreement"); that one post names Germany and the
other Sweden says they are not one campaign. ``campaigns/data/places.csv`` lists country names
(from GeoNames, geonames.org, CC BY 4.0), the US states (as the United States), other names in
use ("UK", "Deutschland") and demonyms ("Swedish"), each with its ISO 3166 code; a region that
contains a country's name ("South America") has no code, so it names none. Cities are left out:
their names repeat across countries and among everyday words (London, Ontario; Reading), and on
the train cross-validation they made grouping no better than countries alone.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

PLACES = Path(__file__).resolve().parents[1] / "data" / "places.csv"


@lru_cache(maxsize=1)
def _places() -> tuple[re.Pattern[str], dict[str, str]]:
    with PLACES.open(encoding="utf-8", newline="") as handle:
        countries = {row["name"]: row["country"] for row in csv.DictReader(handle)}
    # the longest name first, so "New Mexico" is not Mexico and "South America" not America;
    # names are matched as written (capitalised), as whole words, and not in a masthead (a
    # report in the New York Times is not about New York)
    names = sorted(countries, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w.-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])"
        r"(?! (?:Times|Post|Journal|Herald|Tribune|Daily|Chronicle|Observer|Gazette)\b)"
    )
    return pattern, countries


def place_countries(text: str) -> frozenset[str]:
    """The ISO codes of the countries ``text`` names ('DE' for "Germany", "German" or
    "Deutschland"; 'US' for "Texas")."""
    pattern, countries = _places()
    return frozenset(code for m in pattern.finditer(text) if (code := countries[m.group(1)]))

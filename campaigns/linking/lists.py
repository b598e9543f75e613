"""A post that lists several demands: "Our demands: end forced arbitration, a commitment to end
pay inequity, and a public transparency report." Each item is a demand of its own, so that an
answer that grants one of them is linked to that one and the others stay open.

Only explicit lists count: a demand phrase followed by a colon ("our demands:", "we ask for:",
"the list:"), or items numbered "1) … 2) …". Items are split on semicolons, else on commas (the
last "and …" is an item too), else, for two items, on "and"; an item needs at least two words,
so "harassment and discrimination" stays one. Short sentences after the colon ("the list:
hazard pay. paid leave you can use. protection from abusive customers.") are items too.
"""

from __future__ import annotations

import re

MAX_ITEMS = 8
MIN_WORDS = 2
MAX_WORDS = 30
MAX_SENTENCE_ITEM_WORDS = 10

_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_LIST_START = re.compile(
    r"(?:\b(?:our|their|the|its|these|(?P<count>two|three|four|five|six|seven|eight|[2-8])) "
    r"(?:key |main |core |central |specific |concrete )?(?:demands|asks|list)"
    r"(?: (?:are|were|include|included))?"
    r"|\bwe (?:demand|ask for|are asking for|want|call for|are calling for))\s*:\s*",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"(?:^|\s)\(?([1-8])[).]\s+")
_SENTENCE_END = re.compile(r"(?<=[\w)%'’\"])[.!?](?:\s+|$)")
_LEADING = re.compile(r"^(?:and|or|plus|also|to|that)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def demand_items(text: str) -> list[str]:
    """The demands a post lists, in order; [] when it lists fewer than two."""
    items = _numbered(text)
    if len(items) >= 2:
        return items[:MAX_ITEMS]
    start = _LIST_START.search(text)
    if start is None:
        return []
    body = text[start.end() :]
    first = _SENTENCE_END.split(body, maxsplit=1)[0]
    count = start.group("count")
    announced = int(_COUNTS.get(count.lower(), count)) if count else None
    items = _split(first, announced)
    if len(items) < 2:
        items = _short_sentences(body)
    if announced is not None and len(items) != announced:
        return []
    return items[:MAX_ITEMS] if len(items) >= 2 else []


def _numbered(text: str) -> list[str]:
    """Items marked 1) 2) 3) (or 1. 2. 3.), counted up from one."""
    marks = list(_NUMBERED.finditer(text))
    expected, kept = 1, []
    for mark in marks:
        if int(mark.group(1)) == expected:
            kept.append(mark)
            expected += 1
    if len(kept) < 2:
        return []
    items = []
    for n, mark in enumerate(kept):
        end = kept[n + 1].start() if n + 1 < len(kept) else len(text)
        piece = _SENTENCE_END.split(text[mark.end() : end], maxsplit=1)[0]
        items.append(_clean(piece.rstrip(";,")))
    return items if all(_fits(item) for item in items) else []


def _split(body: str, announced: int | None) -> list[str]:
    """Items split on semicolons, else commas, else one "and". Without a count announced
    ("two asks:"), a comma list needs "and" or "or" before its last item; with one, pieces
    beyond the count belong to the last item ("$4.50 base on every order, no exceptions")."""
    if ";" in body:
        pieces = body.split(";")
    elif "," in body:
        pieces = body.split(",")
        if announced is None and not _LEADING.match(pieces[-1].strip()):
            last = re.split(r"\s+(?:and|or)\s+", pieces[-1], maxsplit=1)
            if len(last) < 2:
                return []
            pieces[-1:] = last
    else:
        pieces = re.split(r"\s+and\s+", body, maxsplit=1)
    if announced is not None and len(pieces) > announced:
        pieces = [*pieces[: announced - 1], ",".join(pieces[announced - 1 :])]
    items = [_clean(piece) for piece in pieces]
    items = [item for item in items if item]
    return items if len(items) >= 2 and all(_fits(item) for item in items) else []


def _short_sentences(body: str) -> list[str]:
    """Short sentences, one after another, that read as a list's items."""
    items = []
    for sentence in _SENTENCE_END.split(body):
        item = _clean(sentence)
        if not item:
            continue
        if not (_fits(item) and len(_WORD.findall(item)) <= MAX_SENTENCE_ITEM_WORDS):
            break
        items.append(item)
    return items if len(items) >= 3 else []


def _clean(piece: str) -> str:
    return _LEADING.sub("", piece.strip(" \t\n.;:,!?-–—\"'“”")).strip()


def _fits(item: str) -> bool:
    return MIN_WORDS <= len(_WORD.findall(item)) <= MAX_WORDS


# What an answer says it leaves out: "..., but does not address pay inequity", "no word on the
# transparency report". Those words name a demand the answer does not take up.
_LEFT_OUT = re.compile(
    r"(?:,?\s*\b(?:but|and|while|yet)\s+)?\b(?:(?:(?:does|did|do|will|would)(?: not|n['’]t)|"
    r"won['’]t|fail(?:s|ed)? to|declin(?:es|ed) to|refus(?:es|ed) to)\s+(?:\w+\s+)?"
    r"(?:address|mention|include|cover|touch|respond to|say anything (?:about|on)|commit to)|"
    r"but not|no word (?:on|about)|nothing (?:on|about)|silent on|not a word (?:on|about)|"
    r"leav(?:es|ing) out|left out)\b[^.;!?]*",
    re.IGNORECASE,
)


def taken_up(text: str) -> str | None:
    """An answer's text without what it says it leaves out, or None when it leaves out nothing
    (or nothing else is left)."""
    kept = _LEFT_OUT.sub(" ", text)
    if kept == text or not _WORD.search(kept):
        return None
    return kept

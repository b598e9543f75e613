"""Text features for grouping and linking: TF-IDF vectors as small sparse dicts.

The vectoriser is fitted on the posts of one run (deterministic for the same posts); vectors
are L2-normalised so a dot product is the cosine similarity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    HashingVectorizer,
    TfidfVectorizer,
)

SparseVector = dict[int, float]
_TOKEN = re.compile(r"[a-z][a-z0-9]{2,}")
STEM_LENGTH = 5  # prefix stemming: 'recognize' and 'recognition' meet as 'recog'


# Words every campaign post uses: they say a post is about activism, not which campaign.
CAMPAIGN_WORDS = frozenset(
    {
        "demand", "demands", "demanded", "demanding", "workers", "worker", "employees",
        "employee", "staff", "staffers", "company", "companies", "said", "says", "told",
        "tells", "today", "asked", "asking", "asks", "want", "wants", "wanted", "leadership",
        "management", "executives", "executive", "spokesperson", "statement", "people",
        "week", "weeks", "year", "years", "month", "months", "day", "days", "also", "just",
        "like", "still", "will", "would", "more", "than", "their", "they", "them", "ceo",
    }
)  # fmt: skip


# Words that name the same thing a campaign asks about, by the name a link's reason gives it: a
# demand to "reinstate" the organisers and news that the "dismissals" were about performance
# share no word, but both speak of firings. A word of a group also gives the group's term, so
# such posts meet. Only narrow subjects: broad ones (climate, pay) are what many campaigns of one
# company share, and as groups they merged distinct campaigns (Amazon's climate resolution and
# its climate walkout). Words match by their first STEM_LENGTH letters, so a few stray: "facial
# recognition" speaks of union recognition here.
CONCEPT_WORDS = {
    "firings": (
        "fired firing firings dismiss dismissal dismissals dismissed sack sacked sacking "
        "terminate terminated termination terminations reinstate reinstated reinstatement "
        "rehire rehired retaliate retaliation retaliated retaliatory layoff layoffs "
        "licenziati licenziamento despido despidos despedidos entlassen entlassung "
        "licenciement licencié licenciés"
    ),
    "union recognition": (
        "union unions unionize unionized unionizing unionise unionised unionising unionization "
        "recognition recognize recognized recognise recognised bargain bargaining certify "
        "certified certification syndicat syndicats sindicato sindacato sindacati gewerkschaft"
    ),
    "safety": (
        "safety safe unsafe covid coronavirus pandemic masks mask ppe hazard heat injury "
        "injuries sanitizer"
    ),
    "military work": (
        "military pentagon defense defence army weapons warfare drone drones jedi maven "
        "ivas israel israeli idf nimbus"
    ),
    "immigration enforcement": (
        "ice cbp immigration deportation deportations detention border migrants"
    ),
    "harassment": "harassment harassed misconduct discrimination abuse arbitration",
    "office or remote work": "remote office offices return rto telework hybrid home commute",
}  # fmt: skip
CONCEPT_PREFIX = "concept:"
CONCEPTS = {
    word[:STEM_LENGTH]: f"{CONCEPT_PREFIX}{concept}"
    for concept, words in CONCEPT_WORDS.items()
    for word in words.split()
}


def make_analyser(
    extra_stop_words: frozenset[str] = frozenset(), *, concepts: bool = False
) -> Callable[[str], list[str]]:
    """Lowercased word prefixes without stop words (short texts need coarse matching); with
    ``concepts``, each word of a CONCEPT_WORDS group adds its group's term too."""
    stop = ENGLISH_STOP_WORDS | CAMPAIGN_WORDS | extra_stop_words

    def analyse(text: str) -> list[str]:
        stems = [word[:STEM_LENGTH] for word in _TOKEN.findall(text.lower()) if word not in stop]
        if concepts:
            stems.extend(CONCEPTS[stem] for stem in stems if stem in CONCEPTS)
        return stems

    return analyse


def vectorize(
    texts: Sequence[str],
    extra_stop_words: frozenset[str] = frozenset(),
    vocabulary: dict[str, int] | None = None,
) -> list[SparseVector]:
    """One normalised TF-IDF vector per text (empty texts give empty vectors).

    ``extra_stop_words`` are left out too: the engine passes company names, which every post
    of the company's campaigns shares. A ``vocabulary`` given is filled with the fitted terms'
    indices (for ``part_vector``).
    """
    if not any(t.strip() for t in texts):
        return [{} for _ in texts]
    vectorizer = TfidfVectorizer(
        analyzer=make_analyser(extra_stop_words, concepts=True),
        sublinear_tf=True,
        dtype=np.float64,
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # only stop words everywhere
        return [{} for _ in texts]
    if vocabulary is not None:
        vocabulary.update({str(term): int(i) for term, i in vectorizer.vocabulary_.items()})
    vectors: list[SparseVector] = []
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for row in range(matrix.shape[0]):
        start, end = indptr[row], indptr[row + 1]
        vectors.append(
            {int(i): float(v) for i, v in zip(indices[start:end], data[start:end], strict=True)}
        )
    return vectors


def concept_terms(vocabulary: dict[str, int]) -> dict[int, str]:
    """The concept terms of a fitted vocabulary, by index, with their names for a reason."""
    return {
        i: term.removeprefix(CONCEPT_PREFIX)
        for term, i in vocabulary.items()
        if term.startswith(CONCEPT_PREFIX)
    }


def shared_concepts(a: SparseVector, b: SparseVector, terms: dict[int, str]) -> list[str]:
    """The names of the concepts both vectors hold (``terms`` from ``concept_terms``)."""
    return [name for i, name in sorted(terms.items()) if i in a and i in b]


def part_vector(
    whole: SparseVector,
    part: str,
    vocabulary: dict[str, int],
    extra_stop_words: frozenset[str] = frozenset(),
) -> SparseVector:
    """The vector of a part of a text (one item of a list of demands): the whole text's weights
    of the part's terms, normalised again, so no statistic is fitted anew."""
    analyse = make_analyser(extra_stop_words, concepts=True)
    wanted = {vocabulary[t] for t in analyse(part) if t in vocabulary}
    kept = {i: v for i, v in whole.items() if i in wanted}
    norm = math.sqrt(sum(v * v for v in kept.values()))
    return {i: v / norm for i, v in kept.items()} if norm else {}


def echo_matrix(
    texts: Sequence[str], extra_stop_words: frozenset[str] = frozenset()
) -> sparse.csr_matrix:
    """Word vectors that depend on their own text only (hashed, binary, L2-normalised).

    Unlike ``vectorize`` no statistic is fitted on the batch, so comparing a post with the
    posts before it gives the same figure whatever else is read in the same run.
    """
    hasher = HashingVectorizer(
        analyzer=make_analyser(extra_stop_words),
        n_features=2**20,
        binary=True,
        norm="l2",
        alternate_sign=False,
        dtype=np.float64,
    )
    return hasher.transform(texts).tocsr()


def cosine(a: SparseVector, b: SparseVector) -> float:
    """Dot product of two vectors (iterating the shorter)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(i, 0.0) for i, v in a.items())


class Centroid:
    """The running mean direction of several vectors, for comparing a post with a group."""

    __slots__ = ("_norm", "count", "total")

    def __init__(self) -> None:
        self.total: SparseVector = {}
        self.count = 0
        self._norm: float | None = 0.0

    def add(self, vector: SparseVector) -> None:
        for i, v in vector.items():
            self.total[i] = self.total.get(i, 0.0) + v
        self.count += 1
        self._norm = None

    def similarity(self, vector: SparseVector) -> float:
        if self._norm is None:
            self._norm = math.sqrt(sum(v * v for v in self.total.values()))
        if not self._norm:
            return 0.0
        return cosine(vector, self.total) / self._norm

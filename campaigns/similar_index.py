"""Campaigns like this one, for one opened campaign, without profiling every campaign each time.

:func:`campaigns.similarity.similar_campaigns` builds a profile of every campaign and a TF-IDF
matrix of all their words on each call: fine for hundreds of campaigns, minutes for a hundred
thousand. :class:`SimilarityIndex` builds what the score needs once per version of the data
(company, group, struggle, demand types and tactics as bit sets, the TF-IDF matrix), scores
every campaign against the opened one with array operations in the same order of additions,
and profiles only the few best with ``campaign_profiles`` itself, so the rows are the same as
``similar_campaigns`` gives (``tests/dashboard/test_summary.py`` compares them).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from campaigns.similarity import (
    SIMILAR_COLUMNS,
    WEIGHTS,
    _items,
    _text,
    campaign_profiles,
    similar_campaigns,
    similar_row,
)

MAX_BITS = 62  # values per bit set (an int64 per campaign)


def _bits(sets: list[set[str]]) -> np.ndarray | None:
    """Each set as an int64 bit set over the values seen; None when there are too many values."""
    values = sorted(set().union(*sets)) if sets else []
    if len(values) > MAX_BITS:
        return None
    bit = {value: 1 << i for i, value in enumerate(values)}
    return np.fromiter((sum(bit[v] for v in s) for s in sets), np.int64, len(sets))


def _jaccard_bits(mine: int, others: np.ndarray) -> np.ndarray:
    shared = np.bitwise_count(others & mine).astype(float)
    either = np.bitwise_count(others | mine).astype(float)
    scores = np.zeros(len(others))
    both = (others != 0) & (mine != 0)
    scores[both] = shared[both] / either[both]
    return scores


class SimilarityIndex:
    """What scoring needs for every campaign, built once from the dashboard's frames."""

    def __init__(self, campaigns: pd.DataFrame, demands: pd.DataFrame) -> None:
        self.campaigns, self.demands = campaigns, demands
        n = len(campaigns)
        self.ids = campaigns["campaign_id"].tolist() if n else []
        self.positions = {campaign_id: i for i, campaign_id in enumerate(self.ids)}
        demand_types: list[set[str]] = [set() for _ in range(n)]
        demand_texts: list[list[str]] = [[] for _ in range(n)]
        self.demand_rows: list[list[int]] = [[] for _ in range(n)]
        if len(demands):
            columns = zip(
                demands["campaign_id"], demands["demand_type"], demands["demand"], strict=True
            )
            for row, (campaign_id, demand_type, text) in enumerate(columns):
                at = self.positions.get(campaign_id)
                if at is None:
                    continue
                self.demand_rows[at].append(row)
                if _text(demand_type):
                    demand_types[at].add(_text(demand_type))
                demand_texts[at].append(_text(text))
        # Only the columns the score reads (to_dict of every column costs seconds at 100k).
        wanted = ["company", "parent_company", "struggle", "tactics", "title", "summary"]
        records = campaigns.reindex(columns=wanted).to_dict(orient="records") if n else []
        self.company = np.array([r["company"] for r in records], dtype=object)
        self.group = np.array([r["parent_company"] or r["company"] for r in records], dtype=object)
        self.struggle = np.array([r["struggle"] for r in records], dtype=object)
        self.tactic_sets = [_items(r["tactics"]) for r in records]
        self.demand_type_sets = demand_types
        self.tactic_bits = _bits(self.tactic_sets)
        self.demand_type_bits = _bits(demand_types)
        texts = []
        for record, words in zip(records, demand_texts, strict=True):
            parts = [_text(record["title"]), _text(record["summary"]), *words]
            texts.append(" ".join(t for t in parts if t))
        self.matrix: Any = None
        if any(t.strip() for t in texts):
            from sklearn.feature_extraction.text import TfidfVectorizer

            try:
                self.matrix = TfidfVectorizer(stop_words="english").fit_transform(texts)
            except ValueError:  # only stop words everywhere
                self.matrix = None

    def _text_scores(self, index: int) -> np.ndarray:
        if self.matrix is None:
            return np.zeros(len(self.ids))
        from sklearn.metrics.pairwise import cosine_similarity

        return np.asarray(cosine_similarity(self.matrix[index], self.matrix)[0], dtype=float)

    def similar(self, campaign_id: str, *, as_of: date, limit: int = 5) -> pd.DataFrame:
        """The same rows as ``similar_campaigns(campaigns, demands, campaign_id, ...)``."""
        me = self.positions.get(campaign_id)
        if me is None:
            return pd.DataFrame(columns=SIMILAR_COLUMNS)
        if self.tactic_bits is None or self.demand_type_bits is None:
            return similar_campaigns(
                self.campaigns, self.demands, campaign_id, as_of=as_of, limit=limit
            )
        text = self._text_scores(me)
        company = np.zeros(len(self.ids))
        if self.company[me]:
            company[self.company == self.company[me]] = 1.0
        if self.group[me]:
            company[(company == 0) & (self.group == self.group[me])] = 0.6
        struggle = np.zeros(len(self.ids))
        if self.struggle[me]:
            struggle[self.struggle == self.struggle[me]] = 1.0
        # The same additions in the same order as similar_campaigns (0.0 where a part is absent).
        score = WEIGHTS["company"] * company
        score = score + WEIGHTS["demand_type"] * _jaccard_bits(
            int(self.demand_type_bits[me]), self.demand_type_bits
        )
        score = score + WEIGHTS["tactics"] * _jaccard_bits(
            int(self.tactic_bits[me]), self.tactic_bits
        )
        score = score + WEIGHTS["struggle"] * struggle
        score = score + WEIGHTS["text"] * text
        score[me] = 0.0
        ranked = np.flatnonzero(score > 0)
        if len(ranked) > limit:
            # Scores are shown rounded to 3 places and ties go by id: keep every campaign that
            # rounding could lift into the first ``limit``.
            cut = np.partition(score[ranked], len(ranked) - limit)[len(ranked) - limit]
            ranked = ranked[score[ranked] >= cut - 0.001]
        return self._rows(me, ranked, text, as_of).head(limit)

    def _rows(self, me: int, chosen: np.ndarray, text: np.ndarray, as_of: date) -> pd.DataFrame:
        positions = [me, *chosen.tolist()]
        demand_rows = [row for at in positions for row in self.demand_rows[at]]
        profiles = campaign_profiles(
            self.campaigns.iloc[positions], self.demands.iloc[sorted(demand_rows)], as_of
        )
        mine, others = profiles[0], profiles[1:]
        rows = [
            similar_row(mine, other, float(text[at]))
            for at, other in zip(chosen.tolist(), others, strict=True)
        ]
        frame = pd.DataFrame(rows, columns=SIMILAR_COLUMNS)
        if frame.empty:
            return frame
        return frame.sort_values(["score", "campaign_id"], ascending=[False, True])

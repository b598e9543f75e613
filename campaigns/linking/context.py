"""Echoes: how closely a post repeats what was posted before about the same company.

A response or an outcome report takes up a campaign's earlier posts; a demand usually opens a
thread; unrelated company news repeats nothing. The learned role model sees three numbers per
post, computed from earlier posts only, so a post's reading never depends on later posts; a
later run gets the earlier runs' posts with the company their text named (suggest._earlier), so
a post reads the same in one backfill and day by day:

- ``best``: the highest cosine similarity with an earlier post about the same company (any
  company when the post names none) within ``WINDOW_DAYS``;
- ``similar``: how many such earlier posts are similar (``SIMILAR`` or more), capped at 5, as 0..1;
- ``span``: log of the days since the most similar earlier post (when it is similar), scaled.

Each post is compared with at most ``MAX_EARLIER`` earlier posts of its company, so the cost per
post is bounded and a run stays linear in its posts.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from scipy import sparse

WINDOW_DAYS = 730
SIMILAR = 0.15
MAX_EARLIER = 300
SIMILAR_CAP = 5
NO_ECHO = (0.0, 0.0, 0.0)
ANY_COMPANY = "\x00any"


def echoes(
    matrix: sparse.csr_matrix | None,
    companies: Sequence[str | None],
    times: Sequence[datetime | None],
    wanted: Sequence[int],
) -> dict[int, tuple[float, float, float]]:
    """The echo features of the rows in ``wanted`` (row numbers of ``matrix``).

    ``companies`` and ``times`` give each row's company and posting time; rows without a time
    neither get nor give an echo.
    """
    found = {row: NO_ECHO for row in wanted}
    if matrix is None:
        return found
    stamps = {row: t.timestamp() for row, t in enumerate(times) if t is not None}
    groups: dict[str, list[int]] = {}
    for row, company in enumerate(companies):
        if row not in stamps:
            continue
        groups.setdefault(ANY_COMPANY, []).append(row)
        if company is not None:
            groups.setdefault(company, []).append(row)
    for members in groups.values():
        members.sort(key=lambda r: (stamps[r], r))
    ordered = {key: [stamps[r] for r in members] for key, members in groups.items()}
    blocks = {key: matrix[members] for key, members in groups.items()}
    positions = {key: {r: i for i, r in enumerate(members)} for key, members in groups.items()}
    scratch = np.zeros(matrix.shape[1], dtype=np.float64)
    for row in wanted:
        stamp = stamps.get(row)
        if stamp is None:
            continue
        key = companies[row] or ANY_COMPANY
        block, members = blocks[key], groups[key]
        at = positions[key][row]
        end = bisect_left(ordered[key], stamp, hi=at + 1)  # strictly earlier posts only
        start = bisect_left(ordered[key], stamp - WINDOW_DAYS * 86400, hi=end)
        start = max(start, end - MAX_EARLIER)
        if start >= end:
            continue
        similarities = _dots(block, start, end, at, scratch)
        if similarities is None:
            continue
        best_at = int(np.argmax(similarities))
        best = float(similarities[best_at])
        similar = int(np.count_nonzero(similarities >= SIMILAR))
        span = 0.0
        if best >= SIMILAR:
            days = (stamp - stamps[members[start + best_at]]) / 86400
            span = math.log1p(max(days, 0.0)) / 6.0
        found[row] = (best, min(similar, SIMILAR_CAP) / SIMILAR_CAP, span)
    return found


def _dots(
    block: sparse.csr_matrix, start: int, end: int, at: int, scratch: np.ndarray
) -> np.ndarray | None:
    """Dot products of row ``at`` with rows ``start..end-1`` (None when the row has no words).

    The row's words are spread into ``scratch`` (all zeros between calls), so each product is a
    gather and a running sum over the rows' stored values, with no sparse-matrix copies.
    """
    indptr, indices, data = block.indptr, block.indices, block.data
    own = slice(indptr[at], indptr[at + 1])
    if own.start == own.stop:
        return None
    scratch[indices[own]] = data[own]
    low, high = indptr[start], indptr[end]
    running = np.concatenate(([0.0], np.cumsum(scratch[indices[low:high]] * data[low:high])))
    scratch[indices[own]] = 0.0
    return running[indptr[start + 1 : end + 1] - low] - running[indptr[start:end] - low]

"""Companies side by side from a :class:`~campaigns.summary.Selection`, without copying frames.

The same rows as :func:`campaigns.company_compare.compare_companies` and
:func:`~campaigns.company_compare.response_mix` on the selection's rows
(``tests/dashboard/test_summary.py`` compares them): a company's campaigns are a mask over
the loaded campaigns, its figures come from counts, and its time to first response from the
per-demand events computed once a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from campaigns.analytics import retaliation_share
from campaigns.company_compare import (
    COMPARE_COLUMNS,
    MIX_COLUMNS,
    _name,
    comparison_row,
    descendants,
    mix_rows,
)
from campaigns.summary import Selection


def _of_company(chosen: Selection, tree: pd.DataFrame, slug: str) -> Selection:
    slugs = descendants(tree, slug)
    family = chosen.data.campaigns["company_slug"].isin(slugs).to_numpy(dtype=bool)
    return Selection(chosen.data, chosen.mask & family)


def compare_selected(
    chosen: Selection, tree: pd.DataFrame, slugs: Sequence[str], as_of: date
) -> pd.DataFrame:
    """``compare_companies(campaigns, demands, responses, tree, slugs, as_of)`` of ``chosen``."""
    rows = []
    for slug in slugs:
        own = _of_company(chosen, tree, slug)
        summary = own.summary()
        median = own.survival("response", as_of).fit.median_days if own.n_demands() else None
        retaliation = retaliation_share(own.campaigns(["retaliation", "status"]))
        rows.append(
            comparison_row(
                _name(tree, slug),
                slug,
                summary,
                median,
                int(own.response_mask.sum()),
                retaliation,
            )
        )
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def response_mix_selected(
    chosen: Selection, tree: pd.DataFrame, slugs: Sequence[str]
) -> pd.DataFrame:
    """``response_mix(campaigns, responses, tree, slugs)`` of ``chosen``."""
    types = chosen.data.responses["response_type"].to_numpy()
    rows = []
    for slug in slugs:
        own = types[_of_company(chosen, tree, slug).response_mask]
        rows.extend(mix_rows(_name(tree, slug), own))
    return pd.DataFrame(rows, columns=MIX_COLUMNS)

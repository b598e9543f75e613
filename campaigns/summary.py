"""The dashboard's rows and figures for any filter, from the coded data set loaded once.

Loading the coded data set and building its rows grows with the number of campaigns; choosing
filters should not. So the dashboard loads the campaign, demand and response rows once per
version of the data (exactly the rows the export writes: ``campaign_rows``, ``demand_rows``,
``response_rows``), keeps per-campaign flags for every filter value, and answers a filter
with boolean masks. The figures are those of :mod:`campaigns.analytics` on the selected rows,
computed from counts (:mod:`campaigns.summary_counts`), so every number stays reproducible
from the export (``tests/dashboard/test_summary.py`` checks them filter by filter).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from campaigns import codebook as cb
from campaigns.analytics import DEMAND_STATUS, EVENT_COLUMNS, STATUS_ORDER, campaigns_frame
from campaigns.dataset import campaign_rows, demand_rows, load_coded_data
from campaigns.exports import RESPONSES_COLUMNS, response_rows
from campaigns.filters import Filters
from campaigns.similar_index import SimilarityIndex
from campaigns.summary_counts import (
    N_STATUS,
    SUMMARY_KEYS,
    Events,
    Survival,
    demand_events,
    kaplan_meier_counted,
    status_codes,
    success_by_codes,
    summary_of_counts,
)
from db.models import (
    Action,
    AuditEntry,
    Campaign,
    Company,
    Demand,
    Organization,
    Response,
    ResponseDemand,
)

SEARCH_COLUMNS = ["title", "company", "worker_group", "summary", "tactics", "struggle"]


def data_version(session: Session) -> tuple[int, ...]:
    """A cheap fingerprint of the coded data: row counts and the last audited change.

    Edits made through the dashboard or the CLI are audited; bulk imports and deletes change
    a count. The dashboard reloads its rows when the fingerprint changes.
    """
    counted = (Campaign, Demand, Action, Response, ResponseDemand, Company, Organization)
    version = [session.execute(select(func.count()).select_from(m)).scalar_one() for m in counted]
    version.append(session.execute(select(func.max(AuditEntry.id))).scalar_one() or 0)
    return tuple(int(v) for v in version)


@dataclass
class DataSet:
    """The whole coded data set as the dashboard's frames, with per-campaign filter flags.

    Shared between sessions and reruns: treat every frame as read-only.
    """

    campaigns: pd.DataFrame  # campaign_rows, in the export's order
    demands: pd.DataFrame  # demand_rows
    responses: pd.DataFrame  # response_rows
    companies: pd.DataFrame  # id, slug, parent_id
    demand_campaign: np.ndarray = field(init=False)  # position of each demand's campaign
    response_campaign: np.ndarray = field(init=False)
    flags: dict[tuple[str, str], np.ndarray] = field(init=False)  # (filter, value) -> per campaign
    display_order: np.ndarray = field(init=False)  # newest year first, then title
    positions: pd.Series = field(init=False)  # campaign id -> row
    campaign_status: np.ndarray = field(init=False)  # status code per campaign
    demand_status: np.ndarray = field(init=False)  # status code per demand (met -> won ...)
    groups: dict[str, tuple[np.ndarray, list[Any]]] = field(init=False)  # column -> codes, values
    years: np.ndarray = field(init=False)  # float year per campaign (NaN: none)
    _search_text: pd.Series | None = field(init=False, default=None)
    _events: dict[tuple[str, date], Events] = field(init=False, default_factory=dict)
    _similarity: SimilarityIndex | None = field(init=False, default=None)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _similarity_lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        campaigns = self.campaigns
        positions = pd.Series(
            np.arange(len(campaigns)), index=campaigns["campaign_id"] if len(campaigns) else []
        )
        self.positions = positions
        self.demand_campaign = _positions(positions, self.demands)
        self.response_campaign = _positions(positions, self.responses)
        n = len(campaigns)
        flags: dict[tuple[str, str], np.ndarray] = {}
        tactic_lists = campaigns["tactics"].map(_split) if n else pd.Series(dtype=object)
        for tactic in cb.TACTIC.values:
            flags[("tactic", tactic)] = np.fromiter(
                (tactic in values for values in tactic_lists), bool, n
            )
        for name, column, values in (
            ("demand_type", "demand_type", cb.DEMAND_TYPE.values),
            ("outcome", "outcome", cb.OUTCOME.values),
        ):
            for value in values:
                has = np.zeros(n, bool)
                if len(self.demands):
                    hits = (self.demands[column] == value).to_numpy(dtype=bool)
                    has[self.demand_campaign[hits]] = True
                flags[(name, value)] = has
        self.flags = flags
        self.campaign_status = status_codes(campaigns["status"] if n else pd.Series(dtype=object))
        outcome = (
            self.demands["outcome"].fillna("unknown").astype(str)
            if len(self.demands)
            else pd.Series(dtype=object)
        )
        self.demand_status = status_codes(outcome.map(lambda o: DEMAND_STATUS.get(o, o)))
        self.years = pd.to_numeric(
            campaigns["year"] if n else pd.Series(dtype=float), errors="coerce"
        ).to_numpy(dtype=float)
        self.groups = {}
        for column, frame in (
            ("year", campaigns),
            ("struggle", campaigns),
            ("company_slug", campaigns),
            ("demand_type", self.demands),
        ):
            if column in frame:
                codes, uniques = pd.factorize(frame[column], sort=True)
                self.groups[column] = (codes.astype(np.int64), list(uniques))
        if n:
            ordered = campaigns[["year", "title"]].reset_index(drop=True)
            ordered = ordered.sort_values(["year", "title"], ascending=[False, True], kind="stable")
            self.display_order = ordered.index.to_numpy()
        else:
            self.display_order = np.zeros(0, np.int64)

    # --- selecting -------------------------------------------------------------------------

    def campaign_mask(self, filters: Filters) -> np.ndarray:
        """Which campaigns match, as ``load_coded_data`` decides it (per campaign)."""
        campaigns = self.campaigns
        keep = np.ones(len(campaigns), bool)
        if campaigns.empty:
            return keep
        if filters.companies:
            keep &= self._one_of("company_slug", self.company_family(filters.companies))
        if filters.struggles:
            keep &= self._one_of("struggle", filters.struggles)
        for name, chosen in (
            ("tactic", filters.tactics),
            ("demand_type", filters.demand_types),
            ("outcome", filters.outcomes),
        ):
            if chosen:
                none = np.zeros(len(campaigns), bool)
                keep &= np.logical_or.reduce([self.flags.get((name, v), none) for v in chosen])
        if filters.year_from is not None or filters.year_to is not None:
            year = self.years
            keep &= ~np.isnan(year)
            if filters.year_from is not None:
                keep &= year >= filters.year_from
            if filters.year_to is not None:
                keep &= year <= filters.year_to
        return keep

    def _one_of(self, column: str, values: Collection[str]) -> np.ndarray:
        """Campaigns whose ``column`` is one of ``values`` (compared as codes, not strings)."""
        codes, uniques = self.groups[column]
        wanted = np.flatnonzero(pd.Index(uniques).isin(list(values)))
        return np.isin(codes, wanted)

    def company_family(self, slugs: Sequence[str]) -> set[str]:
        """The slugs of the given companies and of every subsidiary below them."""
        companies = self.companies
        children: dict[object, list[int]] = {}
        for company_id, parent_id in zip(companies["id"], companies["parent_id"], strict=True):
            key = None if pd.isna(parent_id) else int(parent_id)
            children.setdefault(key, []).append(int(company_id))
        stack = [int(i) for i in companies.loc[companies["slug"].isin(slugs), "id"]]
        found: set[int] = set()
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return set(companies.loc[companies["id"].isin(found), "slug"])

    def title_of(self, campaign_id: str) -> str | None:
        """The campaign's title, or None when there is no such campaign."""
        if campaign_id not in self.positions.index:
            return None
        return str(self.campaigns["title"].iat[int(self.positions[campaign_id])])

    def select(self, filters: Filters) -> Selection:
        return Selection(self, self.campaign_mask(filters))

    # --- per-demand work done once --------------------------------------------------------

    def events(self, event: str, as_of: date) -> Events:
        key = (event, as_of)
        with self._lock:
            if key not in self._events:
                if len(self._events) > 8:
                    self._events.clear()
                self._events[key] = demand_events(self.demands, event, as_of)
            return self._events[key]

    def search_text(self) -> pd.Series:
        """Each campaign's searchable words in lower case (the Campaigns page's search box)."""
        with self._lock:
            if self._search_text is None:
                text = self.campaigns[SEARCH_COLUMNS].fillna("").astype(str)
                joined = text[SEARCH_COLUMNS[0]]
                for column in SEARCH_COLUMNS[1:]:
                    joined = joined + " " + text[column]
                self._search_text = joined.str.lower()
            return self._search_text

    def similar_campaigns(self, campaign_id: str, *, as_of: date, limit: int = 5) -> pd.DataFrame:
        """``similarity.similar_campaigns`` over every campaign, for one opened campaign."""
        with self._similarity_lock:
            if self._similarity is None:
                self._similarity = SimilarityIndex(self.campaigns, self.demands)
        return self._similarity.similar(campaign_id, as_of=as_of, limit=limit)


def _split(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [part for part in str(value).split(";") if part]


def _positions(positions: pd.Series, frame: pd.DataFrame) -> np.ndarray:
    if frame.empty:
        return np.zeros(0, np.int64)
    return positions.reindex(frame["campaign_id"]).to_numpy(dtype=np.int64)


@dataclass(frozen=True)
class Selection:
    """The campaigns that match a filter, and their demands and responses."""

    data: DataSet
    mask: np.ndarray  # per campaign

    @property
    def count(self) -> int:
        return int(self.mask.sum())

    @property
    def demand_mask(self) -> np.ndarray:
        return self.mask[self.data.demand_campaign]

    def campaigns(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        frame = self.data.campaigns if columns is None else self.data.campaigns[list(columns)]
        return frame[self.mask].reset_index(drop=True)

    def demands(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        frame = self.data.demands if columns is None else self.data.demands[list(columns)]
        return frame[self.demand_mask].reset_index(drop=True)

    def includes(self, campaign_id: str) -> bool:
        """Whether the campaign is one of the selected ones."""
        at = self.data.positions.get(campaign_id)
        return at is not None and bool(self.mask[int(at)])

    @property
    def response_mask(self) -> np.ndarray:
        return self.mask[self.data.response_campaign]

    def responses(self) -> pd.DataFrame:
        return self.data.responses[self.response_mask].reset_index(drop=True)

    def search(self, query: str) -> Selection:
        """The selected campaigns whose title, company, group, summary, tactics or struggle
        contain every word of ``query`` (case-insensitive)."""
        words = query.lower().split()
        if not words:
            return self
        rows = np.flatnonzero(self.mask)
        text = self.data.search_text().iloc[rows]
        keep = np.ones(len(rows), bool)
        for word in words:
            keep &= text.str.contains(word, regex=False).to_numpy(dtype=bool)
        mask = np.zeros_like(self.mask)
        mask[rows[keep]] = True
        return Selection(self.data, mask)

    def n_demands(self) -> int:
        return int(self.demand_mask.sum())

    def summary(self) -> dict[str, Any]:
        """``success_summary`` of the selected campaigns."""
        status = self.data.campaign_status[self.mask]
        return summary_of_counts(np.bincount(status, minlength=N_STATUS))

    def success_by(self, column: str) -> pd.DataFrame:
        """``success_by(campaigns, column)`` for year or struggle."""
        codes, values = self.data.groups[column]
        return success_by_codes(
            column, codes[self.mask], values, self.data.campaign_status[self.mask]
        )

    def success_by_tactic(self) -> pd.DataFrame:
        """``success_by_tactic(campaigns)``: each campaign under each of its tactics."""
        if not self.mask.any():
            return pd.DataFrame(columns=["tactic", *SUMMARY_KEYS])
        tactics = sorted(cb.TACTIC.values)
        codes, status = [], []
        for code, tactic in enumerate(tactics):
            has = self.data.flags[("tactic", tactic)] & self.mask
            codes.append(np.full(int(has.sum()), code, np.int64))
            status.append(self.data.campaign_status[has])
        return success_by_codes("tactic", np.concatenate(codes), tactics, np.concatenate(status))

    def success_by_demand_type(self) -> pd.DataFrame:
        """``success_by_demand_type(demands)``: counted over demands, met counts as won."""
        chosen = self.demand_mask
        if not chosen.any():
            return pd.DataFrame(columns=["demand_type", *SUMMARY_KEYS])
        codes, values = self.data.groups["demand_type"]
        return success_by_codes(
            "demand_type", codes[chosen], values, self.data.demand_status[chosen]
        )

    def outcomes_by_year(self) -> pd.DataFrame:
        """``outcomes_by_year(campaigns)``: campaigns per year and status, zeros kept."""
        codes, values = self.data.groups["year"]
        codes, status = codes[self.mask], self.data.campaign_status[self.mask]
        dated = codes >= 0
        if not dated.any():
            return pd.DataFrame(columns=["year", "status", "campaigns"])
        matrix = np.bincount(
            codes[dated] * N_STATUS + status[dated], minlength=len(values) * N_STATUS
        ).reshape(-1, N_STATUS)
        rows = [
            {"year": int(values[int(i)]), "status": name, "campaigns": int(matrix[i, s])}
            for i in np.flatnonzero(matrix.sum(axis=1))
            for s, name in enumerate(STATUS_ORDER)
        ]
        return pd.DataFrame(rows)

    def survival(self, event: str, as_of: date) -> Survival:
        """The Kaplan–Meier fit and counts of ``time_to_event`` over the selected demands."""
        events = self.data.events(event, as_of)
        chosen = self.demand_mask
        rows = chosen & events.included
        durations = events.duration_days[rows]
        observed = events.observed[rows]
        attrs = {
            "event": event,
            "as_of": as_of.isoformat(),
            "n": int(rows.sum()),
            "events": int(observed.sum()),
            "censored": int((~observed).sum()),
            "pending_censored": int((chosen & events.pending).sum()),
            "unknown_excluded": int((chosen & events.unknown).sum()),
            "undated_excluded": int((chosen & events.undated).sum()),
        }
        return Survival(kaplan_meier_counted(durations, observed), attrs)

    def event_frame(self, event: str, as_of: date) -> pd.DataFrame:
        """The ``time_to_event`` frame itself (for tests and reports)."""
        events = self.data.events(event, as_of)
        rows = self.demand_mask & events.included
        frame = pd.DataFrame(
            {
                "demand_id": self.data.demands["demand_id"].to_numpy()[rows],
                "campaign_id": self.data.demands["campaign_id"].to_numpy()[rows],
                "duration_days": events.duration_days[rows].astype("int64"),
                "observed": events.observed[rows].astype(bool),
            },
            columns=EVENT_COLUMNS,
        )
        return frame

    def table_page(self, page: int, columns: Sequence[str], per_page: int = 100) -> pd.DataFrame:
        """One page of the selected campaigns, newest year first, then by title."""
        order = self.data.display_order
        chosen = order[self.mask[order]]
        start = max(page - 1, 0) * per_page
        rows = chosen[start : start + per_page]
        return self.data.campaigns.iloc[rows][list(columns)].reset_index(drop=True)


def load_dataset(session: Session) -> DataSet:
    """Every coded record as the dashboard's frames (the export's rows, nothing filtered)."""
    data = load_coded_data(session).public()  # people's posts are not evidence, as in the bundle
    companies = pd.DataFrame(
        [(c.id, c.slug, c.parent_id) for c in data.companies.values()],
        columns=["id", "slug", "parent_id"],
    )
    return DataSet(
        campaigns=campaigns_frame(campaign_rows(data)),
        demands=pd.DataFrame(demand_rows(data)),
        responses=pd.DataFrame(list(response_rows(data)), columns=list(RESPONSES_COLUMNS)),
        companies=companies,
    )

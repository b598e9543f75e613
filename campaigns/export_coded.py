"""The coded files of the export bundle, streamed a chunk of campaigns at a time.

Campaigns are read in id order, a few thousand at a time (keyset pagination on the campaign
id); for each chunk only its demands, actions, responses and evidence are read, and rows go
out as tuples of finished cells. Memory stays flat however many campaigns there are, and the
rows are the ones :mod:`campaigns.dataset` builds for the dashboard (same order, same cells).

``responses.csv`` is in response-id order and ``evidence.csv`` in (record type, record id,
url) order, as before; both are streamed in that order, with the campaign of each record
checked against the filters. A filtered export first collects the ids of the matching
campaigns (filters select whole campaigns).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import select
from sqlmodel import Session

from campaigns import codebook as cb
from campaigns.dataset import campaign_matches
from campaigns.export_db import FewValues, RawReader, day, days_between, flag, number, text
from campaigns.filters import Filters
from campaigns.privacy import AuthorPolicy, by_organisation
from campaigns.registry import descendant_ids, top_parent
from db.models import Company, Organization

CAMPAIGNS_PER_CHUNK = 2_000
RESPONSES_PER_CHUNK = 5_000
AUTHORS_CACHED = 10_000
Record = tuple[str, ...]
Batch = list[Record]
_Rows = dict[str, list[tuple[Any, ...]]]  # rows grouped by campaign id
_NO_DAY = "9999-12-31"  # date.max: undated responses come last
_NO_URLS: frozenset[str] = frozenset()


@dataclass
class _Chunk:
    """Campaigns with ids in (low, high], the kept ones in id order."""

    low: str | None
    high: str
    campaigns: list[tuple[Any, ...]]

    def where(self, column: str) -> tuple[str, tuple[str, ...]]:
        """SQL condition and parameters selecting this chunk's rows by campaign id."""
        if self.low is None:
            return f"{column} <= ?", (self.high,)
        return f"{column} > ? AND {column} <= ?", (self.low, self.high)


_CAMPAIGN_COLUMNS = (
    "id, title, company_id, business_unit, lead_organization_id, struggle, started_on, "
    "retaliation, summary, coded_by, confidence, review_status"
)


@dataclass
class CodedExport:
    """Streams the coded files for one export (one session, one set of filters)."""

    reader: RawReader
    policy: AuthorPolicy
    companies: dict[int, tuple[str, str]]  # id -> (name cell, top parent's name cell)
    organizations: dict[int, str]  # id -> name cell
    kept: set[str] | None = None  # ids of the matching campaigns; None: every campaign
    coded_by: set[str] = field(default_factory=set)  # of the exported campaigns/demands/actions
    personal_posts: set[int] = field(default_factory=set)  # cited posts by people
    few: FewValues = field(default_factory=FewValues)

    @classmethod
    def open(cls, session: Session, filters: Filters, policy: AuthorPolicy) -> CodedExport:
        companies = {
            row.id: row
            for row in session.execute(select(Company.__table__)).all()  # type: ignore[attr-defined]
        }
        by_id = cast(dict[int, Company], companies)  # rows with the same attributes
        organizations = session.execute(
            select(Organization.__table__.c.id, Organization.__table__.c.name)  # type: ignore[attr-defined]
        ).all()
        export = cls(
            reader=RawReader(session),
            policy=policy,
            companies={
                company_id: (text(row.name), text(_name(top_parent(by_id, company_id))))
                for company_id, row in companies.items()
            },
            organizations={org_id: text(name) for org_id, name in organizations},
        )
        if not filters.is_empty():
            company_ids: set[int] | None = None
            if filters.companies:
                roots = [c.id for c in companies.values() if c.slug in filters.companies and c.id]
                company_ids = descendant_ids(session, roots)
            export.kept = export._matching(filters, company_ids)
        export.personal_posts = export._personal_posts()
        return export

    # -- reading ------------------------------------------------------------------------

    def _chunks(self) -> Iterator[_Chunk]:
        low: str | None = None
        while True:
            after = "" if low is None else "WHERE id > ? "
            rows = self.reader.all(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM campaign {after}ORDER BY id LIMIT ?",
                (*(() if low is None else (low,)), CAMPAIGNS_PER_CHUNK),
            )
            if not rows:
                return
            high = rows[-1][0]
            kept = rows if self.kept is None else [r for r in rows if r[0] in self.kept]
            yield _Chunk(low, high, kept)
            low = high

    def _grouped(self, chunk: _Chunk, sql: str, column: str) -> dict[str, list[tuple[Any, ...]]]:
        """Rows of ``sql`` (first column: the key) for the chunk, grouped by their first column."""
        condition, params = chunk.where(column)
        groups: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.reader.all(sql.format(where=condition), params):
            groups[row[0]].append(row)
        return groups

    def _demands(self, chunk: _Chunk) -> dict[str, list[tuple[Any, ...]]]:
        return self._grouped(
            chunk,
            "SELECT campaign_id, id, text, demand_type, first_stated_on, outcome, outcome_on, "
            "coded_by, confidence, review_status FROM demand WHERE {where} ORDER BY id",
            "campaign_id",
        )

    def _public_urls(self, sql: str, params: tuple[Any, ...]) -> dict[str, set[str]]:
        """record id -> evidence URLs, without those of posts by people (they name them)."""
        urls: dict[str, set[str]] = defaultdict(set)
        personal = self.personal_posts
        for record_id, url, post_id in self.reader.all(sql, params):
            if post_id not in personal:
                urls[record_id].add(url)
        return urls

    def _evidence_urls(self, record_type: str, table: str, chunk: _Chunk) -> dict[str, set[str]]:
        condition, params = chunk.where("r.campaign_id")
        return self._public_urls(
            f"SELECT e.record_id, e.url, e.post_id FROM evidence e "
            f"JOIN {table} r ON r.id = e.record_id "
            f"WHERE e.record_type = '{record_type}' AND {condition}",
            params,
        )

    def _matching(self, filters: Filters, company_ids: set[int] | None) -> set[str]:
        kept: set[str] = set()
        everything, self.kept = self.kept, None
        for chunk in self._chunks():
            demands = self._demands(chunk)
            tactics = self._grouped(
                chunk, "SELECT campaign_id, tactic FROM action WHERE {where}", "campaign_id"
            )
            for campaign in chunk.campaigns:
                mine = demands.get(campaign[0], [])
                if campaign_matches(
                    filters,
                    company_id=campaign[2],
                    struggle=campaign[5],
                    year=_year((d[4] for d in mine), campaign[6]),
                    demand_types={d[3] for d in mine},
                    outcomes={d[5] for d in mine},
                    tactics={row[1] for row in tactics.get(campaign[0], [])},
                    company_ids=company_ids,
                ):
                    kept.add(campaign[0])
        self.kept = everything
        return kept

    # -- files --------------------------------------------------------------------------

    def chunk_records(self, files: Collection[str]) -> Iterator[dict[str, Batch]]:
        """Rows of campaigns.csv, demands.csv and actions.csv (those named in ``files``), a
        chunk of campaigns at a time: one read of each chunk serves all three files."""
        for chunk in self._chunks():
            if not chunk.campaigns:
                continue
            demands = self._demands(chunk)
            actions = self._grouped(
                chunk,
                "SELECT campaign_id, id, tactic, happened_on, online, participants_low, "
                "participants_high, location, description, coded_by, confidence, review_status "
                "FROM action WHERE {where} ORDER BY id",
                "campaign_id",
            )
            tactics = {key: ";".join(sorted({a[2] for a in rows})) for key, rows in actions.items()}
            batches = {}
            if "campaigns.csv" in files:
                batches["campaigns.csv"] = self._campaign_batch(chunk, demands, tactics)
            if "demands.csv" in files:
                batches["demands.csv"] = self._demand_batch(chunk, demands, tactics)
            if "actions.csv" in files:
                batches["actions.csv"] = self._action_batch(chunk, actions)
            yield batches

    def campaign_records(self) -> Iterator[Batch]:
        """campaigns.csv rows: one per campaign, status rolled up from its demands."""
        return (batches["campaigns.csv"] for batches in self.chunk_records({"campaigns.csv"}))

    def demand_records(self) -> Iterator[Batch]:
        """demands.csv rows: the flat interchange format plus the derived day counts."""
        return (batches["demands.csv"] for batches in self.chunk_records({"demands.csv"}))

    def action_records(self) -> Iterator[Batch]:
        """actions.csv rows: one per action, in campaign order."""
        return (batches["actions.csv"] for batches in self.chunk_records({"actions.csv"}))

    def _campaign_batch(self, chunk: _Chunk, demands: _Rows, tactics: dict[str, str]) -> Batch:
        few = self.few
        batch: Batch = []
        for (campaign_id, title, company_id, unit, org_id, struggle, started_on, retaliation,
             summary, coded_by, confidence, review_status) in chunk.campaigns:  # fmt: skip
            company, parent = self.companies.get(company_id, ("", "")) if company_id else ("", "")
            mine = demands.get(campaign_id, [])
            year = _year((d[4] for d in mine), started_on)
            self.coded_by.add(coded_by)
            batch.append((
                text(campaign_id), text(title), company, parent, text(unit),
                self.organizations.get(org_id, "") if org_id else "", few[struggle],
                day(started_on) or "", cb.rollup_status(d[5] for d in mine), str(len(mine)),
                text(summary), "" if year is None else str(year),
                text(tactics.get(campaign_id, "")), flag(retaliation), few[coded_by],
                number(confidence), few[review_status],
            ))  # fmt: skip
        return batch

    def _first_responses(
        self, chunk: _Chunk
    ) -> tuple[dict[str, tuple[Any, ...]], dict[str, set[str]]]:
        """demand id -> its first response, and demand id -> its responses' public URLs."""
        condition, params = chunk.where("d.campaign_id")
        first: dict[str, tuple[Any, ...]] = {}
        urls: dict[str, set[str]] = defaultdict(set)
        personal = self.personal_posts
        for demand_id, *response, url, post_id in self.reader.all(
            "SELECT rd.demand_id, r.id, r.campaign_id, r.response_type, r.responded_on, "
            "r.summary, e.url, e.post_id "
            "FROM response_demand rd JOIN demand d ON d.id = rd.demand_id "
            "JOIN response r ON r.id = rd.response_id "
            "LEFT JOIN evidence e ON e.record_type = 'response' AND e.record_id = r.id "
            f"WHERE {condition}",
            params,
        ):
            if self.kept is not None and response[1] not in self.kept:
                continue
            if url is not None and post_id not in personal:
                urls[demand_id].add(url)
            response[3] = day(response[3])
            best = first.get(demand_id)
            if best is None or (response[3] or _NO_DAY, response[0]) < (
                best[3] or _NO_DAY,
                best[0],
            ):
                first[demand_id] = tuple(response)
        return first, urls

    def _personal_posts(self) -> set[int]:
        """Ids of the posts cited as evidence whose authors are people (read in post order)."""
        personal: set[int] = set()
        decided: dict[tuple[str, str | None, bool], bool] = {}
        for rows in self.reader.batches(
            "SELECT e.post_id, p.platform, p.author_handle, p.source_id, p.source_kind "
            "FROM evidence e JOIN post p ON p.id = e.post_id"
        ):
            for post_id, platform, handle, source_id, source_kind in rows:
                key = (platform, handle, by_organisation(source_id, source_kind))
                found = decided.get(key)
                if found is None:
                    if len(decided) >= AUTHORS_CACHED:
                        decided.clear()  # bounded memory
                    found = decided[key] = self.policy.is_personal(*key)
                if found:
                    personal.add(post_id)
        return personal

    def _demand_batch(self, chunk: _Chunk, demands: _Rows, tactics: dict[str, str]) -> Batch:
        few = self.few
        first, response_urls = self._first_responses(chunk)
        demand_urls = self._evidence_urls("demand", "demand", chunk)
        batch: Batch = []
        for campaign in chunk.campaigns:
            campaign_id, title, company_id, unit, org_id, struggle = campaign[:6]
            campaign_cells = (
                text(campaign_id), text(title),
                self.companies.get(company_id, ("",))[0] if company_id else "", text(unit),
                self.organizations.get(org_id, "") if org_id else "", few[struggle],
                text(tactics.get(campaign_id, "")),
            )  # fmt: skip
            retaliation = flag(campaign[7])
            for (_, demand_id, demand, demand_type, stated, outcome, outcome_on, coded_by,
                 confidence, review_status) in demands.get(campaign_id, []):  # fmt: skip
                stated, outcome_on = day(stated), day(outcome_on)
                response = first.get(demand_id)
                responded = response[3] if response else None
                urls = demand_urls.get(demand_id, _NO_URLS)
                if demand_id in response_urls:
                    urls = urls | response_urls[demand_id]
                self.coded_by.add(coded_by)
                batch.append((
                    *campaign_cells, text(demand_id), text(demand), few[demand_type],
                    stated or "", few[response[2]] if response else "", responded or "",
                    text(response[4]) if response else "", few[outcome], outcome_on or "",
                    retaliation, text(";".join(sorted(urls))), few[coded_by],
                    number(confidence), few[review_status],
                    days_between(stated, responded), days_between(stated, outcome_on),
                ))  # fmt: skip
        return batch

    def _action_batch(self, chunk: _Chunk, actions: _Rows) -> Batch:
        few = self.few
        urls = self._evidence_urls("action", "action", chunk)
        batch: Batch = []
        for campaign in chunk.campaigns:
            for (campaign_id, action_id, tactic, happened_on, online, low, high, location,
                 description, coded_by, confidence, review_status) in actions.get(
                     campaign[0], []):  # fmt: skip
                self.coded_by.add(coded_by)
                batch.append((
                    text(action_id), text(campaign_id), few[tactic], day(happened_on) or "",
                    flag(online), number(low), number(high), text(location),
                    text(description), text(";".join(sorted(urls.get(action_id, ())))),
                    few[coded_by], number(confidence), few[review_status],
                ))  # fmt: skip
        return batch

    def response_records(self) -> Iterator[Batch]:
        """responses.csv rows, in response-id order, with the demands each one answers."""
        few = self.few
        low: str | None = None
        while True:
            after = "" if low is None else "WHERE id > ? "
            responses = self.reader.all(
                "SELECT id, campaign_id, company_id, response_type, responded_on, summary, "
                f"coded_by, confidence, review_status, speaker_role FROM response {after}"
                "ORDER BY id LIMIT ?",
                (*(() if low is None else (low,)), RESPONSES_PER_CHUNK),
            )
            if not responses:
                return
            chunk = _Chunk(low, responses[-1][0], [])
            low = chunk.high
            if self.kept is not None:
                responses = [r for r in responses if r[1] in self.kept]
                if not responses:
                    continue
            demand_ids = self._grouped(
                chunk,
                "SELECT response_id, demand_id FROM response_demand WHERE {where}",
                "response_id",
            )
            condition, params = chunk.where("e.record_id")
            urls = self._public_urls(
                "SELECT e.record_id, e.url, e.post_id FROM evidence e "
                f"WHERE e.record_type = 'response' AND {condition}",
                params,
            )
            batch: Batch = []
            for response in responses:
                (response_id, campaign_id, company_id, response_type, responded_on, summary,
                 coded_by, confidence, review_status, speaker_role) = response  # fmt: skip
                answered = sorted(row[1] for row in demand_ids.get(response_id, ()))
                batch.append((
                    text(response_id), text(campaign_id),
                    self.companies.get(company_id, ("",))[0] if company_id else "",
                    few[response_type], day(responded_on) or "", text(summary),
                    text(";".join(answered)), text(";".join(sorted(urls.get(response_id, ())))),
                    few[coded_by], number(confidence), few[review_status], text(speaker_role),
                ))  # fmt: skip
            yield batch

    _EVIDENCE_FROM = (
        "FROM evidence e "
        "LEFT JOIN campaign c ON e.record_type = 'campaign' AND c.id = e.record_id "
        "LEFT JOIN demand d ON e.record_type = 'demand' AND d.id = e.record_id "
        "LEFT JOIN action a ON e.record_type = 'action' AND a.id = e.record_id "
        "LEFT JOIN response r ON e.record_type = 'response' AND r.id = e.record_id "
        "LEFT JOIN post p ON p.id = e.post_id "
    )
    _RECORD_CAMPAIGN = "COALESCE(c.id, d.campaign_id, a.campaign_id, r.campaign_id)"

    def evidence_records(self) -> Iterator[Batch]:
        """evidence.csv rows: the evidence of every exported record, by record then URL.

        Evidence that is a person's post keeps its link to the pseudonymised post but not its
        URL or publisher, which would name the person.
        """
        few = self.few
        order = ", ".join(
            (self.reader.order_text("e.record_type"), self.reader.order_text("e.record_id"))
        )
        policy, personal = self.policy, self.personal_posts
        for rows in self.reader.batches(
            "SELECT e.id, e.record_type, e.record_id, e.url, e.publisher, e.kind, e.quote, "
            f"e.post_id, p.platform, p.platform_post_id, {self._RECORD_CAMPAIGN} "
            f"{self._EVIDENCE_FROM}ORDER BY {order}, e.url"
        ):
            batch: Batch = []
            for (evidence_id, record_type, record_id, url, publisher, kind, quote, post, platform,
                 post_id, campaign_id) in rows:  # fmt: skip
                if campaign_id is None or (self.kept is not None and campaign_id not in self.kept):
                    continue
                withheld = post in personal
                if withheld:
                    post_id = policy.post_id(platform, post_id)
                batch.append((
                    text(evidence_id), few[record_type], text(record_id),
                    "" if withheld else text(url), "" if withheld else text(publisher),
                    few[kind], text(quote), few[platform], text(post_id),
                ))  # fmt: skip
            yield batch

    def cited_post_ids(self) -> set[int]:
        """Ids of the posts cited as evidence by the exported records."""
        return {
            post_id
            for post_id, campaign_id in self.reader.all(
                f"SELECT e.post_id, {self._RECORD_CAMPAIGN} {self._EVIDENCE_FROM}"
                "WHERE e.post_id IS NOT NULL"
            )
            if campaign_id is not None and (self.kept is None or campaign_id in self.kept)
        }


def _name(row: Any) -> str | None:
    return None if row is None else str(row.name)


def _year(stated: Iterator[Any], started_on: Any) -> int | None:
    """The year of the earliest dated demand (``stated``: first_stated_on of each), else of the
    campaign's start, as :func:`campaigns.dataset.campaign_year`."""
    dates = [value for value in map(day, stated) if value]
    if dates:
        return int(min(dates)[:4])
    started = day(started_on)
    return int(started[:4]) if started else None

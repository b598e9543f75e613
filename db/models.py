"""The tables: every record of the codebook, with real constraints.

Coded records (campaigns, demands, actions, responses) carry provenance: who coded them,
how confident they are and whether a person has confirmed them. Ids of coded records are
strings so that CSV files can carry them and re-imports are idempotent; posts use integer ids
because they come in by the million.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from campaigns import codebook as cb
from db.types import UTCDateTime, enum_check, utcnow

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _ts(nullable: bool = True, **kw: Any) -> Any:
    if "default_factory" not in kw:
        kw["default"] = None
    return Field(sa_type=UTCDateTime(), nullable=nullable, **kw)


class Provenance(SQLModel):
    """Who coded a record, how sure they were, and whether a person confirmed it."""

    coded_by: str = Field(default="human:unknown", max_length=200)
    confidence: float | None = Field(default=None, ge=0, le=1)
    review_status: str = Field(default="proposed", max_length=20)


def _provenance_checks() -> tuple[Any, ...]:
    return (
        enum_check("review_status", cb.REVIEW_STATUS.values, "review_status"),
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)", name="confidence"
        ),
    )


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    name: str = Field(max_length=200)
    parent_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("company.id", ondelete="SET NULL"), index=True)
    )


class CompanyAlias(SQLModel, table=True):
    """Another name a company goes by; ``alias`` is normalised and unique across companies."""

    __tablename__ = "company_alias"
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(
        sa_column=Column(ForeignKey("company.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    alias: str = Field(max_length=200, unique=True)
    kind: str = Field(default="alias", max_length=20)  # alias | unit | former_name

    __table_args__ = (enum_check("kind", ("alias", "unit", "former_name", "name"), "kind"),)


class Organization(SQLModel, table=True):
    """A worker group. Never an individual worker."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    name: str = Field(max_length=300)
    employer_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("company.id", ondelete="SET NULL"))
    )
    website: str | None = Field(default=None, max_length=500)


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=500)
    kind: str = Field(max_length=20)
    owner_organization_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("organization.id", ondelete="SET NULL"))
    )
    owner_company_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("company.id", ondelete="SET NULL"))
    )
    active: bool = Field(default=True)
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime | None = _ts(default_factory=utcnow)

    __table_args__ = (
        UniqueConstraint("platform", "handle", name="uq_source_platform_handle"),
        enum_check("platform", cb.PLATFORM.values, "platform"),
        enum_check("kind", cb.SOURCE_KIND.values, "kind"),
    )


class SyncState(SQLModel, table=True):
    """Where a source's collection stands: cursors, caching headers, failures and backoff."""

    __tablename__ = "sync_state"
    source_id: int = Field(
        sa_column=Column(ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    )
    high_water_mark: str | None = Field(default=None, max_length=500)
    resume_cursor: str | None = Field(default=None, sa_column=Column(Text))
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    last_success_at: datetime | None = _ts()
    last_attempt_at: datetime | None = _ts()
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    backoff_until: datetime | None = _ts()
    consecutive_failures: int = Field(default=0)
    posts_collected: int = Field(default=0)


class Post(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    platform_post_id: str = Field(max_length=500)
    source_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("source.id", ondelete="SET NULL"), index=True)
    )
    source_kind: str | None = Field(default=None, max_length=20)
    author_handle: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=2000)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    lang: str | None = Field(default=None, max_length=20)
    posted_at: datetime | None = _ts(index=True)
    posted_at_estimated: bool = Field(default=False)
    fetched_at: datetime | None = _ts()
    content_hash: str | None = Field(default=None, max_length=64)
    quote_of_url: str | None = Field(default=None, max_length=2000)
    reply_to_url: str | None = Field(default=None, max_length=2000)
    raw: str | None = Field(default=None, sa_column=Column(Text))

    __table_args__ = (
        UniqueConstraint("platform", "platform_post_id", name="uq_post_platform_post_id"),
        enum_check("platform", cb.PLATFORM.values, "platform"),
        enum_check("source_kind", cb.SOURCE_KIND.values, "source_kind"),
    )


class Quarantine(SQLModel, table=True):
    """A payload, feed entry or line that could not be read, kept with the reason."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("source.id", ondelete="SET NULL"))
    )
    origin: str = Field(max_length=500)
    error: str = Field(sa_column=Column(Text, nullable=False))
    raw: str | None = Field(default=None, sa_column=Column(Text))
    received_at: datetime | None = _ts(default_factory=utcnow)


class Campaign(Provenance, table=True):
    id: str = Field(primary_key=True, max_length=200)
    title: str = Field(max_length=500)
    company_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("company.id", ondelete="RESTRICT"), index=True)
    )
    business_unit: str | None = Field(default=None, max_length=200)
    lead_organization_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("organization.id", ondelete="SET NULL"))
    )
    struggle: str | None = Field(default=None, max_length=40)
    started_on: date | None = None
    retaliation: bool | None = None
    retaliation_note: str | None = Field(default=None, sa_column=Column(Text))
    summary: str | None = Field(default=None, sa_column=Column(Text))

    __table_args__ = (
        enum_check("struggle", cb.STRUGGLE.values, "struggle"),
        *_provenance_checks(),
    )


class CampaignRelation(SQLModel, table=True):
    __tablename__ = "campaign_relation"
    campaign_id: str = Field(
        sa_column=Column(
            String(200), ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
        )
    )
    related_campaign_id: str = Field(
        sa_column=Column(
            String(200), ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
        )
    )
    relation: str = Field(sa_column=Column(String(20), primary_key=True))

    __table_args__ = (enum_check("relation", cb.RELATION.values, "relation"),)


class Demand(Provenance, table=True):
    id: str = Field(primary_key=True, max_length=200)
    campaign_id: str = Field(
        sa_column=Column(
            String(200), ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    demand_type: str | None = Field(default=None, max_length=40)
    first_stated_on: date | None = None
    outcome: str = Field(default="unknown", max_length=20)
    outcome_on: date | None = None
    outcome_note: str | None = Field(default=None, sa_column=Column(Text))
    reversed_on: date | None = None

    __table_args__ = (
        enum_check("demand_type", cb.DEMAND_TYPE.values, "demand_type"),
        enum_check("outcome", cb.OUTCOME.values, "outcome"),
        *_provenance_checks(),
    )


class Action(Provenance, table=True):
    id: str = Field(primary_key=True, max_length=200)
    campaign_id: str = Field(
        sa_column=Column(
            String(200), ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    tactic: str = Field(max_length=40)
    happened_on: date | None = None
    online: bool | None = None
    participants_low: int | None = Field(default=None, ge=0)
    participants_high: int | None = Field(default=None, ge=0)
    location: str | None = Field(default=None, sa_column=Column(Text))
    description: str | None = Field(default=None, sa_column=Column(Text))

    __table_args__ = (
        enum_check("tactic", cb.TACTIC.values, "tactic"),
        *_provenance_checks(),
    )


class Response(Provenance, table=True):
    id: str = Field(primary_key=True, max_length=200)
    campaign_id: str = Field(
        sa_column=Column(
            String(200), ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    company_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("company.id", ondelete="RESTRICT"))
    )
    response_type: str = Field(max_length=40)
    responded_on: date | None = None
    speaker_role: str | None = Field(default=None, max_length=200)
    summary: str | None = Field(default=None, sa_column=Column(Text))

    __table_args__ = (
        enum_check("response_type", cb.RESPONSE_TYPE.values, "response_type"),
        *_provenance_checks(),
    )


class ResponseDemand(SQLModel, table=True):
    """Which demands a response answers."""

    __tablename__ = "response_demand"
    response_id: str = Field(
        sa_column=Column(
            String(200), ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
        )
    )
    demand_id: str = Field(
        sa_column=Column(
            String(200), ForeignKey("demand.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class Evidence(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=200)
    record_type: str = Field(max_length=20)
    record_id: str = Field(max_length=200)
    url: str = Field(max_length=2000)
    publisher: str | None = Field(default=None, max_length=300)
    kind: str = Field(default="other", max_length=30)
    quote: str | None = Field(default=None, sa_column=Column(Text))
    post_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("post.id", ondelete="SET NULL"))
    )
    retrieved_at: datetime | None = _ts()

    __table_args__ = (
        UniqueConstraint("record_type", "record_id", "url", name="uq_evidence_record_url"),
        Index("ix_evidence_record", "record_type", "record_id"),
        enum_check("record_type", cb.RECORD_TYPE.values, "record_type"),
        enum_check("kind", cb.EVIDENCE_KIND.values, "kind"),
    )


class Suggestion(SQLModel, table=True):
    """The linking engine's proposal for one post, waiting for a person."""

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(
        sa_column=Column(ForeignKey("post.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    role: str = Field(max_length=20)
    campaign_id: str | None = Field(default=None, max_length=200)
    demand_id: str | None = Field(default=None, max_length=200)
    response_id: str | None = Field(default=None, max_length=200)
    proposal: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    score: float = Field(default=0.0)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    model_version: str = Field(max_length=50)
    fingerprint: str = Field(max_length=64, unique=True)
    status: str = Field(default="proposed", max_length=20, index=True)
    created_at: datetime | None = _ts(default_factory=utcnow)
    decided_at: datetime | None = _ts()
    decided_by: str | None = Field(default=None, max_length=200)

    __table_args__ = (
        enum_check("role", cb.POST_ROLE.values, "role"),
        enum_check("status", cb.SUGGESTION_STATUS.values, "status"),
    )


class AuditEntry(SQLModel, table=True):
    """One change to one field of one record, by a person, an import or the engine."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=200)
    at: datetime | None = _ts(default_factory=utcnow)
    record_type: str = Field(max_length=20)
    record_id: str = Field(max_length=200)
    field: str = Field(max_length=100)
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))

    __table_args__ = (Index("ix_audit_record", "record_type", "record_id"),)


class Setting(SQLModel, table=True):
    """Installation settings that are not secrets from outside (e.g. the editor passphrase hash)."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))


CODED_TABLES: dict[str, type[SQLModel]] = {
    "campaign": Campaign,
    "demand": Demand,
    "action": Action,
    "response": Response,
}


class LinkedPost(SQLModel, table=True):
    """A post the linking engine has read, with what it concluded (the next run's context)."""

    __tablename__ = "linked_post"
    post_id: int = Field(
        sa_column=Column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    )
    engine_version: str = Field(max_length=50)
    role: str = Field(max_length=20)
    company_slug: str | None = Field(default=None, max_length=120)
    # the company the post's own text names (echo context for later runs; NULL before 0004)
    named_company: str | None = Field(default=None, max_length=120)
    business_unit: str | None = Field(default=None, max_length=200)
    campaign_key: str | None = Field(default=None, max_length=200, index=True)
    demand_key: str | None = Field(default=None, max_length=200)
    score: float = Field(default=0.0)
    # how surely the role was read (a later run scores the post's suggestion with it; 0 before 0005)
    role_score: float = Field(default=0.0, sa_column_kwargs={"server_default": "0"})
    linked_at: datetime | None = _ts(default_factory=utcnow)

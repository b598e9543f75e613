"""The Frictionless Data Package descriptor (``datapackage.json``) of the export bundle.

Every column has a type, a description and, where the codebook fixes its values, the allowed
values taken from :mod:`campaigns.codebook`; keys tie the files together. ``frictionless
validate datapackage.json`` checks the whole bundle against it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from campaigns import codebook as cb

LIST_NOTE = " Several values are joined with ';'."
TEXT_NOTE = (
    " A cell that would start a spreadsheet formula (= + - @ tab CR) or an apostrophe is written "
    "with one leading apostrophe; remove it to get the original text."
)
AUTHOR_TYPES = ("organization_or_company", "pseudonym")


def _field(
    name: str,
    kind: str,
    description: str,
    *,
    enum: cb.Vocabulary | None = None,
    list_of: cb.Vocabulary | None = None,
    values: tuple[str, ...] = (),
    required: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    flag: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "type": kind, "description": description, **extra}
    if flag:  # booleans are written yes/no, as in the import format
        spec.update(trueValues=["yes"], falseValues=["no"])
    constraints: dict[str, Any] = {}
    if required:
        constraints["required"] = True
    if enum is not None or values:
        constraints["enum"] = list(enum.values if enum is not None else values)
    if list_of is not None:
        words = "|".join(re.escape(v) for v in list_of.values)
        constraints["pattern"] = f"(?:{words})(?:;(?:{words}))*"
    if minimum is not None:
        constraints["minimum"] = minimum
    if maximum is not None:
        constraints["maximum"] = maximum
    if constraints:
        spec["constraints"] = constraints
    return spec


def _text(name: str, description: str, **extra: Any) -> dict[str, Any]:
    return _field(name, "string", description + TEXT_NOTE, **extra)


def _provenance(record: str) -> list[dict[str, Any]]:
    return [
        _text(
            "coded_by",
            f"Who coded the {record}: human:<name>, engine:<version> or import:<source>.",
        ),
        _field("confidence", "number", "The coder's confidence, 0-1.", minimum=0, maximum=1),
        _field(
            "review_status",
            "string",
            "Where the record stands in review. " + cb.REVIEW_STATUS.description,
            enum=cb.REVIEW_STATUS,
        ),
    ]


def _campaign_id(description: str = "The campaign (campaigns.csv campaign_id).") -> dict[str, Any]:
    return _text("campaign_id", description, required=True)


DEMANDS_FIELDS = [
    _campaign_id(),
    _text("campaign_title", "The campaign's title."),
    _text("company", "The company targeted (as named in the registry)."),
    _text("business_unit", "The business unit targeted, if any (e.g. AWS)."),
    _text("worker_group", "The worker organisation leading the campaign."),
    _field("struggle", "string", cb.STRUGGLE.description, enum=cb.STRUGGLE),
    _field("tactics", "string", cb.TACTIC.description + LIST_NOTE, list_of=cb.TACTIC),
    _text("demand_id", "The demand's stable id.", required=True),
    _text("demand", "The demand, paraphrased."),
    _field("demand_type", "string", cb.DEMAND_TYPE.description, enum=cb.DEMAND_TYPE),
    _field("demand_date", "date", "The day the demand was first stated in public."),
    _field(
        "response_type",
        "string",
        "The demand's first response: " + cb.RESPONSE_TYPE.description,
        enum=cb.RESPONSE_TYPE,
    ),
    _field("response_date", "date", "The day of the demand's first response."),
    _text("response_summary", "What the first response said or did."),
    _field("outcome", "string", cb.OUTCOME.description, enum=cb.OUTCOME, required=True),
    _field("outcome_date", "date", "The day the demand was resolved (empty while pending)."),
    _field(
        "retaliation",
        "boolean",
        "Whether participants were fired, suspended or disciplined (campaign level); empty = not known.",
        flag=True,
    ),
    _text("evidence_urls", "Evidence for the demand and its responses." + LIST_NOTE),
    *_provenance("demand"),
    _field(
        "days_to_response",
        "integer",
        "Days from demand_date to response_date (empty when either is missing).",
    ),
    _field(
        "days_to_outcome",
        "integer",
        "Days from demand_date to outcome_date (empty when either is missing).",
    ),
]

CAMPAIGNS_FIELDS = [
    _campaign_id("The campaign's stable id."),
    _text("title", "The campaign's title."),
    _text("company", "The company targeted."),
    _text("parent_company", "The top of the company's parent chain (AWS -> Amazon)."),
    _text("business_unit", "The business unit targeted, if any."),
    _text("worker_group", "The worker organisation leading the campaign."),
    _field("struggle", "string", cb.STRUGGLE.description, enum=cb.STRUGGLE),
    _field("started_on", "date", "The day the campaign started (its earliest demand)."),
    _field(
        "status",
        "string",
        cb.CAMPAIGN_STATUS.description + " Rolled up from demands.csv outcomes.",
        enum=cb.CAMPAIGN_STATUS,
        required=True,
    ),
    _field("n_demands", "integer", "How many demands the campaign made.", minimum=0),
    _text("summary", "A short summary of the campaign."),
    _field(
        "year",
        "integer",
        "The year of the campaign's earliest demand (its start date when no demand is dated).",
    ),
    _field("tactics", "string", cb.TACTIC.description + LIST_NOTE, list_of=cb.TACTIC),
    _field(
        "retaliation",
        "boolean",
        "Whether participants were fired, suspended or disciplined; empty = not known.",
        flag=True,
    ),
    *_provenance("campaign"),
]

ACTIONS_FIELDS = [
    _text("action_id", "The action's stable id.", required=True),
    _campaign_id(),
    _field("tactic", "string", cb.TACTIC.description, enum=cb.TACTIC, required=True),
    _field("happened_on", "date", "The day the action happened (its first day)."),
    _field("online", "boolean", "Whether the action took place online.", flag=True),
    _field("participants_low", "integer", "Lowest reported number of participants.", minimum=0),
    _field("participants_high", "integer", "Highest reported number of participants.", minimum=0),
    _text("location", "Where the action took place."),
    _text("description", "What happened."),
    _text("evidence_urls", "Evidence for the action." + LIST_NOTE),
    *_provenance("action"),
]

RESPONSES_FIELDS = [
    _text("response_id", "The response's stable id.", required=True),
    _campaign_id(),
    _text("company", "The company that responded."),
    _field(
        "response_type",
        "string",
        cb.RESPONSE_TYPE.description,
        enum=cb.RESPONSE_TYPE,
        required=True,
    ),
    _field("responded_on", "date", "The day of the response."),
    _text("summary", "What the company said or did."),
    _text("demand_ids", "The demands this response answers (demands.csv demand_id)." + LIST_NOTE),
    _text("evidence_urls", "Evidence for the response." + LIST_NOTE),
    *_provenance("response"),
    _text("speaker_role", "Who spoke for the company (role, never a private person's name)."),
]

EVIDENCE_FIELDS = [
    _text("evidence_id", "The evidence's stable id.", required=True),
    _field(
        "record_type",
        "string",
        "The kind of record the evidence supports.",
        enum=cb.RECORD_TYPE,
        required=True,
    ),
    _text(
        "record_id",
        "The id of that record (campaign_id, demand_id, action_id or response_id).",
        required=True,
    ),
    _text("url", "Where the evidence can be read."),
    _text("publisher", "Who published it."),
    _field("kind", "string", cb.EVIDENCE_KIND.description, enum=cb.EVIDENCE_KIND),
    _text("quote", "The passage that supports the record."),
    _field(
        "platform",
        "string",
        "The platform of the post this evidence is (posts.csv), if it is one.",
        enum=cb.PLATFORM,
    ),
    _text("platform_post_id", "The post's id on its platform (posts.csv), if it is a post."),
]

POSTS_FIELDS = [
    _field("platform", "string", cb.PLATFORM.description, enum=cb.PLATFORM, required=True),
    _text(
        "platform_post_id",
        "The post's id on its platform; for posts by individuals a keyed pseudonym (p-...), "
        "because a real id leads back to its author.",
        required=True,
    ),
    _text("source", "The source the post was collected from (a group's, company's or news feed)."),
    _text(
        "author",
        "The author's handle when the author is a worker organisation or a company; "
        "for everyone else a keyed pseudonym, stable across exports of this installation.",
    ),
    _field(
        "posted_at", "datetime", "When the post was published (UTC).", format="%Y-%m-%dT%H:%M:%SZ"
    ),
    _text("url", "The post's address (empty for posts by individuals)."),
    _text("text", "The post's text as collected."),
    _text("lang", "The post's language (BCP 47), if known."),
    _field(
        "author_type",
        "string",
        "organization_or_company: author kept by name; pseudonym: an individual, pseudonymised.",
        values=AUTHOR_TYPES,
    ),
    _field("source_kind", "string", cb.SOURCE_KIND.description, enum=cb.SOURCE_KIND),
]

CODEBOOK_FIELDS = [
    _field("vocabulary", "string", "The coded column's vocabulary.", required=True),
    _field("value", "string", "A stored value.", required=True),
    _field("definition", "string", "What the value means."),
]

RESOURCES: dict[str, dict[str, Any]] = {
    "campaigns": {
        "title": "Campaigns",
        "description": "One row per campaign, with its status rolled up from its demands.",
        "fields": CAMPAIGNS_FIELDS,
        "primaryKey": ["campaign_id"],
    },
    "demands": {
        "title": "Demands",
        "description": "One row per demand, in the flat interchange format that "
        "`campaigns import campaigns` reads, plus the derived day counts.",
        "fields": DEMANDS_FIELDS,
        "primaryKey": ["demand_id"],
        "foreignKeys": [("campaign_id", "campaigns", "campaign_id")],
    },
    "actions": {
        "title": "Actions",
        "description": "One row per collective action (tactic) of a campaign.",
        "fields": ACTIONS_FIELDS,
        "primaryKey": ["action_id"],
        "foreignKeys": [("campaign_id", "campaigns", "campaign_id")],
    },
    "responses": {
        "title": "Company responses",
        "description": "One row per company response; demand_ids lists the demands it answers.",
        "fields": RESPONSES_FIELDS,
        "primaryKey": ["response_id"],
        "foreignKeys": [("campaign_id", "campaigns", "campaign_id")],
    },
    "evidence": {
        "title": "Evidence",
        "description": "One row per piece of evidence attached to an exported record.",
        "fields": EVIDENCE_FIELDS,
        "primaryKey": ["evidence_id"],
        "foreignKeys": [
            (["platform", "platform_post_id"], "posts", ["platform", "platform_post_id"])
        ],
    },
    "posts": {
        "title": "Posts",
        "description": "Collected public posts. Authors who are not a worker organisation or "
        "a company are pseudonymised; their post ids and addresses are not exported.",
        "fields": POSTS_FIELDS,
        "primaryKey": ["platform", "platform_post_id"],
    },
    "codebook": {
        "title": "Codebook",
        "description": "Every controlled vocabulary with a one-line definition of each value.",
        "fields": CODEBOOK_FIELDS,
        "primaryKey": ["vocabulary", "value"],
    },
}

FILE_ORDER = tuple(f"{name}.csv" for name in RESOURCES)


def columns(resource: str) -> tuple[str, ...]:
    """The column names of ``resource`` (e.g. ``"demands"``) in file order."""
    return tuple(spec["name"] for spec in RESOURCES[resource]["fields"])


@dataclass(frozen=True)
class FileStats:
    """What the writer measured while streaming one file."""

    rows: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class BundleInfo:
    """Package-level metadata: who may use the data, how to cite it, what was selected."""

    as_of: date
    filters: Mapping[str, Any]
    title: str = "Employee-activism campaigns at tech companies (campaign tracker export)"
    license: Mapping[str, str] = field(
        default_factory=lambda: {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    )
    publisher: str = "Campaign tracker"
    sources: tuple[Mapping[str, str], ...] = ()

    def citation(self) -> str:
        return (
            f"{self.publisher} ({self.as_of.year}). {self.title}. Data package exported "
            f"{self.as_of.isoformat()}"
            + ("" if not any(self.filters.values()) else ", filtered as listed under 'filters'")
            + "."
        )


KNOWN_SOURCES: dict[str, dict[str, str]] = {
    "import:collective-action-in-tech": {
        "title": "Collective Action in Tech (Tan and Nedzhvetskaya, 2020)",
        "path": "https://github.com/collective-action/tech",
        "license": "Unlicense",
        "citation": "Tan, JS and Nataliya Nedzhvetskaya (2020). Collective Action In Tech.",
    },
}


def data_sources(coded_by: set[str]) -> tuple[dict[str, str], ...]:
    """Where imported records came from, from their ``coded_by`` values (import:<source>)."""
    sources = []
    for label in sorted(v for v in coded_by if v and v.startswith("import:")):
        known = KNOWN_SOURCES.get(label)
        sources.append(
            {"name": label, **known}
            if known
            else {"name": label, "title": f"Records imported as {label}"}
        )
    return tuple(sources)


def _foreign_keys(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"fields": local, "reference": {"resource": resource, "fields": remote}}
        for local, resource, remote in spec.get("foreignKeys", [])
    ]


def descriptor(info: BundleInfo, stats: Mapping[str, FileStats]) -> dict[str, Any]:
    """The ``datapackage.json`` content for the files in ``stats`` (file name -> stats)."""
    resources = []
    for name, spec in RESOURCES.items():
        file_name = f"{name}.csv"
        measured = stats.get(file_name)
        resource: dict[str, Any] = {
            "name": name,
            "path": file_name,
            "title": spec["title"],
            "description": spec["description"],
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": spec["fields"],
                "missingValues": [""],
                "primaryKey": spec["primaryKey"],
            },
        }
        if spec.get("foreignKeys"):
            resource["schema"]["foreignKeys"] = _foreign_keys(spec)
        if measured is not None:
            resource["hash"] = f"sha256:{measured.sha256}"
            resource["bytes"] = measured.bytes
            resource["rows"] = measured.rows
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "campaign-tracker-export",
        "title": info.title,
        "description": (
            "Campaigns of tech workers, their demands, the companies' responses and outcomes, "
            "with evidence. A campaign is won when every demand is met, partial when some are "
            "met or partly met, lost when all are resolved and none met, pending while any is "
            "pending, unknown otherwise. Pending is never a failure. Filters select whole "
            "campaigns, so every figure can be recomputed from demands.csv."
        ),
        "version": info.as_of.isoformat(),
        "created": f"{info.as_of.isoformat()}T00:00:00Z",
        "licenses": [dict(info.license)],
        "citation": info.citation(),
        "sources": [dict(s) for s in info.sources],
        "filters": dict(info.filters),
        "privacy": (
            "Individual workers are never named: post authors who are not a worker organisation "
            "or a company are replaced by keyed pseudonyms (stable across exports of one "
            "installation), and their post ids and addresses are withheld."
        ),
        "resources": resources,
    }


def descriptor_json(info: BundleInfo, stats: Mapping[str, FileStats]) -> str:
    """The descriptor as stable, pretty JSON text (same input, same bytes)."""
    return json.dumps(descriptor(info, stats), indent=2, ensure_ascii=False) + "\n"

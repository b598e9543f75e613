"""The codebook: every controlled vocabulary with one-line definitions.

This module is the single source for the database checks, the forms, CSV validation and the
exported ``codebook.csv``. Values are the stored values; order matters where it carries meaning
(response types run from hostile to yielding).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """A named, ordered set of allowed values, each with a one-line definition."""

    name: str
    description: str
    terms: tuple[tuple[str, str], ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.terms)

    def __contains__(self, value: object) -> bool:
        return value in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def define(self, value: str) -> str:
        return dict(self.terms)[value]


STRUGGLE = Vocabulary(
    "struggle",
    "What the campaign is about (the Collective Action in Tech struggles, plus other).",
    (
        (
            "ethics",
            "How the company's products or customers affect the world (military, policing, climate, speech).",
        ),
        ("pay_and_benefits", "Wages, equity, bonuses, leave, health care and other compensation."),
        (
            "working_conditions",
            "Safety, hours, workload, surveillance, remote work and the workplace itself.",
        ),
        (
            "discrimination",
            "Harassment, racism, sexism and unequal treatment of any group of workers.",
        ),
        (
            "unfair_labor_practices",
            "Union busting, forced arbitration, retaliation and other unfair practices.",
        ),
        (
            "job_security",
            "Layoffs, contract conversions, outsourcing and the security of employment.",
        ),
        ("other", "Anything not covered above."),
    ),
)

DEMAND_TYPE = Vocabulary(
    "demand_type",
    "What the workers asked the company to do.",
    (
        (
            "end_contract_or_customer",
            "Cancel, not renew or not bid for a contract, or drop a customer.",
        ),
        ("policy_change", "Adopt, change or withdraw a company policy or practice."),
        ("pay_and_benefits", "Change pay, benefits, leave or other compensation."),
        ("recognition", "Recognise a union or bargain with the workers' representatives."),
        ("personnel", "Reinstate, remove or discipline a particular person or role."),
        ("transparency", "Disclose information, contracts or decisions to workers or the public."),
        ("other", "Any other demand."),
    ),
)

TACTIC = Vocabulary(
    "tactic",
    "What the workers did to press their demands.",
    (
        ("open_letter", "A signed letter made public or sent to leadership."),
        ("petition", "A petition gathering signatures."),
        ("protest", "A demonstration, rally or sit-in that is not a work stoppage."),
        ("walkout", "Leaving work for a short, announced time."),
        ("strike", "Withholding work until demands are addressed."),
        ("union_drive", "Organising or filing for union recognition."),
        ("legal_action", "A lawsuit, labour-board charge or regulatory complaint."),
        ("resignation", "Quitting in protest."),
        ("shareholder_action", "A shareholder resolution or question at a meeting."),
        ("online_campaign", "Public posts, hashtags or online pressure."),
        ("other", "Any other tactic."),
    ),
)

RESPONSE_TYPE = Vocabulary(
    "response_type",
    "How the company answered, ordered from hostile to yielding; reversal is a concession withdrawn.",
    (
        ("retaliation", "Fired, suspended, disciplined or otherwise punished participants."),
        ("reject", "Said no to the demand."),
        (
            "procedural_resistance",
            "Delayed, litigated or obstructed without a clear no (e.g. fought a union vote).",
        ),
        ("no_response", "Said nothing on record within the period observed."),
        ("statement", "Acknowledged the demand without committing to act."),
        ("negotiation", "Met, bargained or set up a process with the workers."),
        ("partial_concession", "Granted part of what was asked."),
        ("full_concession", "Granted what was asked."),
        ("reversal", "Withdrew a concession it had made earlier."),
    ),
)

OUTCOME = Vocabulary(
    "outcome",
    "How a demand ended.",
    (
        ("met", "The company did what was asked."),
        ("partially_met", "The company did part of what was asked."),
        ("not_met", "The demand was resolved without being met."),
        ("pending", "Still open: not yet resolved."),
        ("unknown", "The outcome is not known to the coder."),
    ),
)

CAMPAIGN_STATUS = Vocabulary(
    "campaign_status",
    "A campaign's outcome rolled up from its demands (derived, never entered).",
    (
        ("won", "Every demand was met."),
        ("partial", "Some demands were met or partly met, none is pending."),
        ("lost", "Every demand was resolved and none was met or partly met."),
        ("pending", "At least one demand is still pending."),
        ("unknown", "Otherwise: no demands, or outcomes not known."),
    ),
)

PLATFORM = Vocabulary(
    "platform",
    "Where a post or source lives.",
    (
        ("x", "X (formerly Twitter), API v2."),
        ("bluesky", "Bluesky, public AppView."),
        ("mastodon", "A Mastodon server."),
        ("feed", "An RSS or Atom feed."),
        ("import", "Imported from a file or archive."),
    ),
)

SOURCE_KIND = Vocabulary(
    "source_kind",
    "Who speaks through a source.",
    (
        ("worker_group", "A worker organisation."),
        ("company", "A company's own channel."),
        ("news", "A news outlet or blog."),
    ),
)

EVIDENCE_KIND = Vocabulary(
    "evidence_kind",
    "What a piece of evidence is.",
    (
        ("worker_post", "A post or letter by the workers."),
        ("company_statement", "A statement by the company."),
        ("news", "A news report."),
        ("filing", "A court, labour-board or regulatory filing."),
        ("other", "Anything else."),
    ),
)

REVIEW_STATUS = Vocabulary(
    "review_status",
    "Where a coded record stands in review.",
    (
        ("proposed", "Proposed by an import or the engine, not yet checked by a person."),
        ("confirmed", "Checked and confirmed by a person."),
        ("rejected", "Checked and rejected by a person."),
    ),
)

SUGGESTION_STATUS = Vocabulary(
    "suggestion_status",
    "Where an engine suggestion stands.",
    (
        ("proposed", "Waiting for a reviewer."),
        ("accepted", "Accepted; records were created or updated."),
        ("rejected", "Rejected; the engine will not propose it again."),
    ),
)

POST_ROLE = Vocabulary(
    "post_role",
    "What a post does in a campaign, as the linking engine classifies it.",
    (
        ("demand", "States a demand."),
        ("action", "Announces or reports a collective action."),
        ("response", "Carries or reports the company's response."),
        ("outcome", "Reports how a demand ended."),
        ("other", "None of the above."),
    ),
)

RELATION = Vocabulary(
    "campaign_relation",
    "How two campaigns are related.",
    (
        ("continues", "Takes up the same demands again later."),
        ("solidarity", "Supports another campaign."),
        ("part_of", "Is one part of a larger campaign."),
    ),
)

RECORD_TYPE = Vocabulary(
    "record_type",
    "Records that evidence and audit entries can point at.",
    (
        ("campaign", "A campaign."),
        ("demand", "A demand."),
        ("action", "An action."),
        ("response", "A company response."),
        ("company", "A company."),
        ("organization", "A worker organisation."),
        ("source", "A source of posts."),
        ("suggestion", "An engine suggestion."),
    ),
)

VOCABULARIES: tuple[Vocabulary, ...] = (
    STRUGGLE,
    DEMAND_TYPE,
    TACTIC,
    RESPONSE_TYPE,
    OUTCOME,
    CAMPAIGN_STATUS,
    PLATFORM,
    SOURCE_KIND,
    EVIDENCE_KIND,
    REVIEW_STATUS,
    SUGGESTION_STATUS,
    POST_ROLE,
    RELATION,
    RECORD_TYPE,
)

RESOLVED_OUTCOMES = frozenset({"met", "partially_met", "not_met"})


def rollup_status(outcomes: Iterable[str | None]) -> str:
    """Roll a campaign's demand outcomes up into its status.

    Pending wins over everything (the campaign is still open); then won (all met), partial
    (some met or partly met), lost (all resolved, none met); unknown otherwise.
    """
    values = [o or "unknown" for o in outcomes]
    if not values:
        return "unknown"
    if "pending" in values:
        return "pending"
    if all(o == "met" for o in values):
        return "won"
    if any(o in ("met", "partially_met") for o in values):
        return "partial"
    if all(o == "not_met" for o in values):
        return "lost"
    return "unknown"


def codebook_rows() -> list[dict[str, str]]:
    """The codebook as rows (vocabulary, value, definition) for export and docs."""
    return [
        {"vocabulary": vocab.name, "value": value, "definition": definition}
        for vocab in VOCABULARIES
        for value, definition in vocab.terms
    ]

"""indexes for the dashboard's filters, evidence lookups and foreign keys (additive only)

Revision ID: 0003_indexes
Revises: 0001
Create Date: 2026-11-23

Chosen from the queries the dashboard, the export and deletes run at scale:
- demand (campaign_id, first_stated_on): a campaign's year is its earliest demand (the year
  filter and every "by year" figure); the pair answers it from the index alone.
- demand (outcome, campaign_id), action (tactic, campaign_id), campaign (struggle): the
  outcome, tactic and struggle filters select campaigns by these.
- evidence (post_id): the posts cited as evidence (filtered exports, a campaign's evidence
  posts), and deleting a post sets its evidence's post_id to NULL (a scan without it).
- response (company_id), campaign (lead_organization_id): the Companies page and deletes of a
  company or group (foreign keys without an index make each delete scan the table).
"""

from __future__ import annotations

from alembic import op

revision = "0003_indexes"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_demand_campaign_first_stated", "demand", ("campaign_id", "first_stated_on")),
    ("ix_demand_outcome_campaign", "demand", ("outcome", "campaign_id")),
    ("ix_action_tactic_campaign", "action", ("tactic", "campaign_id")),
    ("ix_campaign_struggle", "campaign", ("struggle",)),
    ("ix_evidence_post_id", "evidence", ("post_id",)),
    ("ix_response_company_id", "response", ("company_id",)),
    ("ix_campaign_lead_organization_id", "campaign", ("lead_organization_id",)),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, list(columns), unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)

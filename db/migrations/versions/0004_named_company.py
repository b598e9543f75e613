"""linked_post.named_company: the company a post's own text names (the echo context of later runs)

Revision ID: 0004_named_company
Revises: 0002_linking
Create Date: 2026-12-06

The linking engine compares each post with the earlier posts about the company its text names
(campaigns/linking/context.py). Within a run it knows that company for every post; a later run
reads it from here, so a post reads the same whether it is linked in one backfill or day by day.
Rows linked before this revision have NULL (they count as naming no company).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_named_company"
down_revision = "0002_linking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("linked_post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("named_company", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("linked_post", schema=None) as batch_op:
        batch_op.drop_column("named_company")

"""linking: the posts the engine has read and what it concluded

Revision ID: 0002_linking
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0002_linking"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linked_post",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("engine_version", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("company_slug", sa.String(length=120), nullable=True),
        sa.Column("business_unit", sa.String(length=200), nullable=True),
        sa.Column("campaign_key", sa.String(length=200), nullable=True),
        sa.Column("demand_key", sa.String(length=200), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("linked_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_linked_post_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_linked_post")),
    )
    with op.batch_alter_table("linked_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_linked_post_campaign_key"), ["campaign_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("linked_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linked_post_campaign_key"))
    op.drop_table("linked_post")

"""linked_post.role_score: how surely the engine read the post's role

Revision ID: 0005_role_score
Revises: 0004_named_company
Create Date: 2026-12-06

A post that names no company and comes before its campaign forms is placed by a later run, when
the campaign's posts arrive (campaigns/linking/engine.py, ``_adopt``). Its suggestion's score
weighs how surely its role was read, which the later run reads from here. Rows linked before
this revision have 0.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_role_score"
down_revision = "0004_named_company"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("linked_post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role_score", sa.Float(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("linked_post", schema=None) as batch_op:
        batch_op.drop_column("role_score")

"""review decisions: analysts' verdicts on claim pairs, with their history

One row per decision, never updated: changing a verdict appends a row, so the history of a
pair is its rows in time order and the newest one is the current verdict. A pair is named by
the content hashes of its two claims (``tracker.claims.identity``), not by claim ids, so
decisions survive re-ingest and ``tracker db reextract``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_hash", sa.String(length=64), nullable=False),
        sa.Column("new_hash", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
    )
    op.create_index(
        "ix_review_decisions_old_hash_new_hash",
        "review_decisions",
        ["old_hash", "new_hash"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_review_decisions_old_hash_new_hash", table_name="review_decisions")
    op.drop_table("review_decisions")

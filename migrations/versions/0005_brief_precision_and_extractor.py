"""brief date precision and extractor version

``briefs.date_precision`` ("day", "month", "year") says how much of the as-of date is known;
``briefs.extractor_version`` which claim extractor produced the brief's claims. Existing briefs
were stored with day dates (precision was not recorded: "day") and by the unversioned
extractor (1). Both columns are added with a server default, so SQLite adds them with a plain
ALTER TABLE: ``briefs`` is not rebuilt, and the search triggers on ``claims`` are untouched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("briefs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("date_precision", sa.String(length=5), server_default="day", nullable=False)
        )
        batch_op.add_column(
            sa.Column("extractor_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("briefs", schema=None) as batch_op:
        batch_op.drop_column("extractor_version")
        batch_op.drop_column("date_precision")

"""claim context: the lead-in of a list item

A claim split out of a list ("increasing defence spending to 2% of GDP") or a bullet under a
line ending in ":" keeps that lead-in, so reports can say whose position the item is. Null
for a claim that is a sentence of its own, and for claims extracted before this revision.

A plain ``ADD COLUMN`` (no batch rebuild): SQLite adds a nullable column in place, so the
full-text triggers of 0004 on ``claims`` stay.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("context", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("context")

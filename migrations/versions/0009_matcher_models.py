"""matcher models in the database: fitted pair models and which one the store uses

``matcher_models`` holds each model ``tracker matcher fit`` made, as its JSON text;
``matcher_choices`` is an append-only log whose newest row names the model in use (null: the
one shipped with tracker). Until now both were files beside the store, so two machines using
one PostgreSQL store could each run a different model; a store whose choice is still such a
file keeps it until it chooses again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matcher_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=False),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matcher_models")),
        sa.UniqueConstraint("name", name=op.f("uq_matcher_models_name")),
    )
    op.create_table(
        "matcher_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matcher_choices")),
    )


def downgrade() -> None:
    op.drop_table("matcher_choices")
    op.drop_table("matcher_models")

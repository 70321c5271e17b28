"""watch alerts: the outbox, and which runs were checked against the watches

``outbox`` holds one row per alert and channel, keyed by the sha-256 of (watch, change,
channel) so that queueing the same alert twice is a no-op. A row is written in the same
transaction that marks the run as watched (``runs.watched_at``), so a process killed between
storing briefs and sending alerts leaves either nothing queued (the next run evaluates the
briefs again) or everything queued (the next run sends it).

Existing runs are marked as watched: watches did not exist when they ran.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("watch", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("change_key", sa.String(length=100), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_channel"), ["channel"], unique=False)
    op.add_column("runs", sa.Column("watched_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "runs", sa.Column("alerts_sent", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "runs", sa.Column("alerts_failed", sa.Integer(), nullable=False, server_default="0")
    )
    op.execute("UPDATE runs SET watched_at = COALESCE(finished_at, started_at)")


def downgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("alerts_failed")
        batch_op.drop_column("alerts_sent")
        batch_op.drop_column("watched_at")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_channel"))
        batch_op.drop_index(batch_op.f("ix_outbox_status"))
    op.drop_table("outbox")

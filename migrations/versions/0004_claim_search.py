"""claim full-text search

SQLite: an FTS5 table over ``claims.text`` with external content (the text is stored once,
in ``claims``), kept in sync by triggers. PostgreSQL: a GIN index on
``to_tsvector('english', text)``. Neither is in the models (they are not portable); Alembic
comparisons leave them out through ``tracker.store.search.is_search_object``.

A later batch migration that rebuilds ``claims`` on SQLite drops these triggers with the old
table: it must call ``create_sqlite_triggers`` again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN
         INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text);
       END""",
    """CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN
         INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text);
       END""",
    """CREATE TRIGGER claims_fts_au AFTER UPDATE OF text ON claims BEGIN
         INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text);
         INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text);
       END""",
)


def create_sqlite_triggers() -> None:
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # Porter stemming so that "tax" finds "taxes"; diacritics folded ("régime" = "regime").
        op.execute(
            "CREATE VIRTUAL TABLE claims_fts USING fts5("
            "text, content='claims', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        create_sqlite_triggers()
        op.execute("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_claims_text_fts ON claims "
            "USING gin (to_tsvector('english'::regconfig, text))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("claims_fts_ai", "claims_fts_ad", "claims_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claims_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_claims_text_fts")

"""Alembic environment: runs on the connection the tracker hands over (see store/db.py)."""

from alembic import context
from sqlalchemy import create_engine

from tracker.store.models import Base
from tracker.store.search import is_search_object

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # `alembic` command line use: -x url=sqlite:///tracker.db
        url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///tracker.db")
        with create_engine(url).begin() as conn:
            _run_on(conn)
    else:
        _run_on(connection)


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
        # The full-text search tables and index are not in the models (not portable).
        include_name=lambda name, _type, _parents: not is_search_object(name),
    )
    with context.begin_transaction():
        context.run_migrations()


run()

"""The record of ingest runs: one row per ``tracker ingest --sources``, and one per
``tracker ingest`` given URLs (the URLs it fetched)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tracker.store.models import Run


def start_run(engine: Engine) -> int:
    """Record that a run started now; return its id."""
    with Session(engine) as session, session.begin():
        run = Run(started_at=dt.datetime.now(dt.UTC), new=0, unchanged=0, failed=0, errors=[])
        session.add(run)
        session.flush()
        return run.id


def finish_run(
    engine: Engine,
    run_id: int,
    *,
    new: int,
    unchanged: int,
    failed: int,
    errors: Sequence[dict[str, str]],
    exit_status: int,
) -> None:
    """Complete the run's row with its counts, errors and exit status."""
    with Session(engine) as session, session.begin():
        run = session.get(Run, run_id)
        if run is None:  # deleted under us: nothing sensible to record
            return
        run.finished_at = dt.datetime.now(dt.UTC)
        run.new, run.unchanged, run.failed = new, unchanged, failed
        run.errors = list(errors)
        run.exit_status = exit_status


def recent_runs(engine: Engine, limit: int = 10) -> list[Run]:
    """The ``limit`` most recent runs, newest first (detached, attributes loaded)."""
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(Run).order_by(Run.id.desc()).limit(limit)))


def get_run(engine: Engine, run_id: int) -> Run | None:
    """One run by id."""
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Run, run_id)

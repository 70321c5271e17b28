"""`tracker runs`: the record of `tracker ingest --sources` and `tracker ingest URL` runs."""

from __future__ import annotations

import datetime as dt

import click
from rich.table import Table
from rich.text import Text

from tracker.cli.app import cli, handle_errors, open_db, out, shown
from tracker.errors import TrackerError
from tracker.store.models import Run
from tracker.store.runs import get_run, recent_runs


def _when(value: dt.datetime) -> str:
    # SQLite hands back naive datetimes; they were written in UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _status(run: Run) -> str:
    if run.finished_at is None:
        return "running or killed"
    return "ok" if run.exit_status == 0 else f"exit {run.exit_status}"


def _duration(run: Run) -> str:
    if run.finished_at is None:
        return ""
    return f"{(run.finished_at - run.started_at).total_seconds():.1f} s"


@cli.command(
    epilog="""Examples:

\b
  tracker runs              # the last 10 runs
  tracker runs -n 50
  tracker runs 12           # one run with its errors
""",
)
@click.argument("run_id", type=int, required=False)
@click.option("-n", "--limit", default=10, show_default=True, help="How many runs to list.")
@click.pass_context
@handle_errors
def runs(ctx: click.Context, run_id: int | None, limit: int) -> None:
    """Show recent ingest runs, or one run with its errors.

    A run is one `tracker ingest --sources`, or one `tracker ingest` given URLs (its URLs:
    stored ones count as new, ones already present as unchanged). A run with no end time
    is still running, or was killed before it finished.
    """
    engine = open_db(ctx).engine
    if run_id is not None:
        run = get_run(engine, run_id)
        if run is None:
            raise TrackerError(f"no run with id {run_id} (see: tracker runs)")
        out.print(
            Text(
                f"run {run.id}: started {_when(run.started_at)}, "
                f"{_status(run)}, {_duration(run) or 'not finished'}\n"
                f"{run.new} new, {run.unchanged} unchanged, {run.failed} failed"
            )
        )
        for error in run.errors:
            out.print(Text(shown(f"failed  {error.get('item')}: {error.get('reason')}")))
        return
    rows = recent_runs(engine, limit)
    if not rows:
        out.print("No runs yet. Start one with: tracker ingest --sources")
        return
    table = Table(box=None, header_style="bold")
    for col, justify in (
        ("id", "right"),
        ("started", "left"),
        ("took", "right"),
        ("new", "right"),
        ("unchanged", "right"),
        ("failed", "right"),
        ("status", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for run in rows:
        table.add_row(
            str(run.id),
            _when(run.started_at),
            _duration(run),
            str(run.new),
            str(run.unchanged),
            str(run.failed),
            _status(run),
        )
    out.print(table)

"""`tracker runs`: the record of `tracker ingest --sources` and `tracker ingest URL` runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import cli, handle_errors, open_db, out, shown
from tracker.cli.output import LIST_FORMATS, chosen_format, emit, format_option, output_option
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.store.models import Run


def _when(value: dt.datetime) -> str:
    # SQLite hands back naive datetimes; they were written in UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _duration(run: Run) -> str:
    if run.finished_at is None:
        return ""
    return f"{(run.finished_at - run.started_at).total_seconds():.1f} s"


def _alerts(run: Run) -> str:
    """ "3 sent", "1 channel failed", or "" when the run had no alerts."""
    parts = []
    if run.alerts_sent:
        parts.append(f"{run.alerts_sent} sent")
    if run.alerts_failed:
        parts.append(f"{run.alerts_failed} channel{'s' if run.alerts_failed > 1 else ''} failed")
    return ", ".join(parts)


@cli.command(
    epilog="""Examples:

\b
  tracker runs              # the last 10 runs
  tracker runs -n 50
  tracker runs 12           # one run with its errors
  tracker runs -n 100 --format csv -o runs.csv
""",
)
@click.argument("run_id", type=int, required=False)
@click.option("-n", "--limit", default=10, show_default=True, help="How many runs to list.")
@format_option(LIST_FORMATS)
@output_option
@click.pass_context
@handle_errors
def runs(
    ctx: click.Context, run_id: int | None, limit: int, fmt: str | None, output: Path | None
) -> None:
    """Show recent ingest runs, or one run with its errors.

    A run is one `tracker ingest --sources`, or one `tracker ingest` given URLs (its URLs:
    stored ones count as new, ones already present as unchanged). A run with no end time
    is still running, or was killed before it finished. Times are local in text, UTC in
    JSON and CSV.
    """
    import io

    from rich.table import Table
    from rich.text import Text

    from tracker.report import listings
    from tracker.report.console import buffer_console
    from tracker.report.listings import run_status as _status
    from tracker.store.runs import get_run, recent_runs

    fmt = chosen_format(fmt, output, LIST_FORMATS)
    engine = open_db(ctx, must_exist=True).engine
    buffer = io.StringIO()
    # Text goes through a buffer too, so that -o FILE gets it; tables at the piped width.
    console = buffer_console(buffer, color=output is None and out.color, width=out.width or 160)
    if run_id is not None:
        run = get_run(engine, run_id)
        if run is None:
            raise TrackerError(f"no run with id {run_id} (see: tracker runs)")
        if fmt != "text":
            data = listings.run_to_dict(run, errors=True)
            text = (
                listings.run_errors_csv(run)
                if fmt == "csv"
                else listings.dumps({"version": listings.VERSION, "run": data})
            )
            emit(text, output)
            return
        console.print(
            Text(
                f"run {run.id}: started {_when(run.started_at)}, "
                f"{_status(run)}, {_duration(run) or 'not finished'}\n"
                f"{run.new} new, {run.unchanged} unchanged, {run.failed} failed"
                + (f"; alerts: {_alerts(run)}" if _alerts(run) else "")
            )
        )
        for error in run.errors:
            console.print(Text(shown(f"failed  {error.get('item')}: {error.get('reason')}")))
        emit(buffer.getvalue(), output, color=True)
        return
    rows = recent_runs(engine, limit)
    if fmt != "text":
        emit(
            listings.runs_csv(rows)
            if fmt == "csv"
            else listings.dumps(listings.runs_to_dict(rows)),
            output,
        )
        return
    if not rows:
        emit("No runs yet. Start one with: tracker ingest --sources\n", output)
        return
    # The alerts column only when a listed run had alerts: without watches, nothing changes.
    alerts = any(_alerts(run) for run in rows)
    table = Table(box=None, header_style="bold")
    for col, justify in (
        ("id", "right"),
        ("started", "left"),
        ("took", "right"),
        ("new", "right"),
        ("unchanged", "right"),
        ("failed", "right"),
        *((("alerts", "left"),) if alerts else ()),
        ("status", "left"),
    ):
        table.add_column(col, justify=justify)
    for run in rows:
        table.add_row(
            str(run.id),
            _when(run.started_at),
            _duration(run),
            str(run.new),
            str(run.unchanged),
            str(run.failed),
            *((_alerts(run),) if alerts else ()),
            _status(run),
        )
    console.print(table)
    emit(buffer.getvalue(), output, color=True)

"""Commands that show what is stored (`briefs`, `claims`) and manage the schema (`db`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import cli, handle_errors, open_db, out
from tracker.cli.output import (
    LIST_FORMATS,
    chosen_format,
    emit,
    format_option,
    output_option,
)
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.store.listing import BriefSummary
    from tracker.store.models import Brief

BRIEF_COLUMNS = (("id", ">"), ("date", "<"), ("claims", ">"), ("title", "<"), ("source", "<"))


def briefs_table(rows: list[BriefSummary], *, bold_header: bool) -> str:
    """The brief listing as aligned columns (two spaces apart), without rich: ``briefs`` is
    the command typed most, and rich's tables cost ~50 ms of start-up."""
    cells = [[str(r.id), r.date.isoformat(), str(r.claims), r.title, r.source or ""] for r in rows]
    header = [name for name, _ in BRIEF_COLUMNS]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        parts = [
            cell.rjust(w) if align == ">" else cell.ljust(w)
            for cell, w, (_, align) in zip(row, widths, BRIEF_COLUMNS, strict=True)
        ]
        return (" " + "  ".join(parts)).rstrip()

    head = line(header)
    if bold_header:
        head = f"\x1b[1m{head}\x1b[0m"
    return "\n".join([head, *(line(row) for row in cells)]) + "\n"


@cli.command(
    epilog="""Examples:

\b
  tracker briefs
  tracker briefs --format csv -o briefs.csv
"""
)
@format_option(LIST_FORMATS)
@output_option
@click.pass_context
@handle_errors
def briefs(ctx: click.Context, fmt: str | None, output: Path | None) -> None:
    """List stored briefs: id, date, title, source and number of claims."""
    from tracker.store.listing import list_briefs, quick_list_briefs, sqlite_path

    fmt = chosen_format(fmt, output, LIST_FORMATS)
    path = sqlite_path(ctx.obj["db_url"])
    rows = quick_list_briefs(path) if path is not None else None
    if rows is None:
        rows = list_briefs(open_db(ctx, must_exist=True).engine)
    if fmt != "text":
        from tracker.report.listings import briefs_csv, briefs_to_dict, dumps

        emit(briefs_csv(rows) if fmt == "csv" else dumps(briefs_to_dict(rows)), output)
        return
    if not rows:
        emit("No briefs stored yet. Add some with: tracker ingest PATH\n", output)
        return
    bold = output is None and out.color
    emit(briefs_table(rows, bold_header=bold), output, color=bold)


@cli.command(
    epilog="""Examples:

\b
  tracker claims 3
  tracker claims 3 --format json
"""
)
@click.argument("brief_id", type=int)
@format_option(LIST_FORMATS)
@output_option
@click.pass_context
@handle_errors
def claims(ctx: click.Context, brief_id: int, fmt: str | None, output: Path | None) -> None:
    """Show the claims of one brief with their quantities and spans."""
    from sqlalchemy.orm import Session

    from tracker.store.repo import get_brief

    fmt = chosen_format(fmt, output, LIST_FORMATS)
    db = open_db(ctx, must_exist=True)
    with Session(db.engine) as session:
        brief = get_brief(session, brief_id)
        if brief is None:
            raise TrackerError(f"no brief with id {brief_id} (see: tracker briefs)")
        if fmt != "text":
            from tracker.report.listings import claims_csv, claims_to_dict, dumps

            emit(claims_csv(brief) if fmt == "csv" else dumps(claims_to_dict(brief)), output)
            return
        emit(_claims_text(brief, color=output is None and out.color), output, color=True)


def _claims_text(brief: Brief, *, color: bool) -> str:
    """The claims of a brief as text, with spans and quantities; ANSI styles when ``color``."""
    import io

    from rich.markup import escape

    from tracker.report.console import buffer_console

    buffer = io.StringIO()
    console = buffer_console(buffer, color=color)
    console.print(f"[bold]{escape(brief.title)}[/] ({brief.date}, {len(brief.claims)} claims)")
    for claim in brief.claims:
        span = escape(f"[{claim.start}:{claim.end}]")
        console.print(f"{claim.ordinal + 1:>4}. {escape(claim.text)}  [dim]{span}[/]")
        for q in claim.quantities:
            console.print(
                f"        [cyan]{escape(q.raw)}[/] → {q.value:g} {escape(q.unit)} ({q.kind})"
            )
    return buffer.getvalue()


@cli.group(epilog="Example:\n\n\b\n  tracker db current")
def db() -> None:
    """Database schema and contents: show or apply migrations, copy to another database."""


@db.command(
    "upgrade", epilog="Example:\n\n\b\n  tracker --db postgresql+psycopg://host/db db upgrade"
)
@click.pass_context
@handle_errors
def db_upgrade(ctx: click.Context) -> None:
    """Upgrade the schema to the newest revision (done automatically on first use)."""
    from tracker.store.db import current_revision, upgrade

    database = open_db(ctx.find_root(), migrate=False)
    before = current_revision(database.engine)
    upgrade(database.engine)
    after = current_revision(database.engine)
    out.print(
        f"schema at {after}"
        + (
            " (was blank)"
            if before is None
            else f" (was {before})"
            if before != after
            else " (no change)"
        )
    )


@db.command("current", epilog="Example:\n\n\b\n  tracker db current")
@click.pass_context
@handle_errors
def db_current(ctx: click.Context) -> None:
    """Show the schema revision of the database and the newest one known."""
    from tracker.store.db import current_revision, head_revision

    database = open_db(ctx.find_root(), migrate=False)
    current = current_revision(database.engine)
    out.print(f"database: {current or '(blank)'}  head: {head_revision()}")


@db.command(
    "copy",
    epilog="""Examples:

\b
  tracker --archive /shared/snapshots db copy tracker.db postgresql+psycopg://me@host/tracker
  tracker db copy --from-archive /shared/snapshots postgresql+psycopg://me@host/tracker b.db""",
)
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DEST")
@click.option(
    "--from-archive",
    "from_archive",
    metavar="DIR",
    help="SRC's archive folder [default: snapshots/ beside an SQLite SRC, else in the current "
    "directory]. --archive / TRACKER_ARCHIVE name DEST's.",
)
@click.pass_context
@handle_errors
def db_copy(ctx: click.Context, source: str, destination: str, from_archive: str | None) -> None:
    """Copy all briefs (text, claims, quantities, archive references) from SRC into DEST.

    SRC and DEST are database URLs or SQLite paths. Briefs already in DEST are skipped, so
    running it again after an interruption finishes the copy. Raw files are copied from SRC's
    archive into DEST's. DEST's is the folder of --archive / TRACKER_ARCHIVE (the store being
    written, as for ingest), else snapshots/ beside an SQLite DEST, else ./snapshots. SRC's is
    --from-archive DIR, else snapshots/ beside an SQLite SRC, else ./snapshots: the setting
    never applies to SRC, so a copy out of a shared store names its archive explicitly.
    """
    from tracker.store.copy import copy_database
    from tracker.store.db import archive_folder, archive_root_for, open_database, resolve_url

    src_archive = (
        archive_folder(from_archive) if from_archive else archive_root_for(resolve_url(source))
    )
    src = open_database(source, archive=src_archive)
    try:
        dest = open_database(destination, archive=ctx.obj["archive"])
    except BaseException:
        src.engine.dispose()
        raise
    try:
        report = copy_database(src, dest)
    finally:
        src.engine.dispose()
        dest.engine.dispose()
    out.print(
        f"copied {report.briefs} brief(s) with {report.claims} claims and "
        f"{report.quantities} quantities; {report.already_present} already present"
    )
    if src.archive_root == dest.archive_root:
        out.print(f"archive: SRC and DEST share {dest.archive_root}; no raw file to copy")
    elif report.archive_files or report.archive_missing:
        out.print(
            f"archive: {report.archive_files} raw file(s) copied to {dest.archive_root}"
            + (
                f"; {report.archive_missing} not found under {src.archive_root}"
                if report.archive_missing
                else ""
            )
        )

"""Commands that show what is stored (`briefs`, `claims`) and manage the schema (`db`)."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from tracker.cli.app import cli, handle_errors, open_db, out
from tracker.errors import TrackerError
from tracker.store.copy import copy_database
from tracker.store.db import (
    archive_folder,
    archive_root_for,
    current_revision,
    head_revision,
    open_database,
    resolve_url,
    upgrade,
)
from tracker.store.repo import get_brief, list_briefs


@cli.command(epilog="Example:\n\n\b\n  tracker briefs")
@click.pass_context
@handle_errors
def briefs(ctx: click.Context) -> None:
    """List stored briefs: id, date, title, source and number of claims."""
    rows = list_briefs(open_db(ctx).engine)
    if not rows:
        out.print("No briefs stored yet. Add some with: tracker ingest PATH")
        return
    table = Table(box=None, header_style="bold")
    for col, justify in (
        ("id", "right"),
        ("date", "left"),
        ("claims", "right"),
        ("title", "left"),
        ("source", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        # Text cells, not markup: a title like "Levy [draft]" must print as written.
        table.add_row(
            str(r.id), r.date.isoformat(), str(r.claims), Text(r.title), Text(r.source or "")
        )
    out.print(table)


@cli.command(epilog="Example:\n\n\b\n  tracker claims 3")
@click.argument("brief_id", type=int)
@click.pass_context
@handle_errors
def claims(ctx: click.Context, brief_id: int) -> None:
    """Show the claims of one brief with their quantities and spans."""
    db = open_db(ctx)
    with Session(db.engine) as session:
        brief = get_brief(session, brief_id)
        if brief is None:
            raise TrackerError(f"no brief with id {brief_id} (see: tracker briefs)")
        out.print(f"[bold]{escape(brief.title)}[/] ({brief.date}, {len(brief.claims)} claims)")
        for claim in brief.claims:
            span = escape(f"[{claim.start}:{claim.end}]")
            out.print(f"{claim.ordinal + 1:>4}. {escape(claim.text)}  [dim]{span}[/]")
            for q in claim.quantities:
                out.print(
                    f"        [cyan]{escape(q.raw)}[/] → {q.value:g} {escape(q.unit)} ({q.kind})"
                )


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

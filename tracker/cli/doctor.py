"""`tracker doctor`: verify the store and list what is wrong, one problem per line."""

from __future__ import annotations

import click

from tracker.cli.app import cli, handle_errors, open_db, out, shown


@cli.command(epilog="Example:\n\n\b\n  tracker doctor")
@click.pass_context
@handle_errors
def doctor(ctx: click.Context) -> None:
    """Check the database and the snapshots/ archive; exit 1 if anything is wrong.

    Checks that the schema is at head, SQLite's integrity check, that every archived raw file
    exists and matches its hash, and that claims and quantities are consistent with their
    briefs (spans inside the text, claim text taken from its span, ordinals contiguous).
    Nothing is changed. A database without a file (PostgreSQL) and without --archive /
    TRACKER_ARCHIVE gets a warning line: its archive is ./snapshots of wherever tracker runs.
    """
    from tracker.store.doctor import archive_warning, check_store

    # No migration: a doctor reports an old schema, it does not upgrade it.
    database = open_db(ctx, migrate=False)
    try:
        problems = check_store(database)
    finally:
        database.engine.dispose()
    warning = archive_warning(database)
    if warning:
        out.print(shown(f"warning: {warning}"), markup=False, highlight=False)
    for problem in problems:
        out.print(str(problem), markup=False, highlight=False)
    if problems:
        out.print(f"{len(problems)} problem(s) found")
        ctx.exit(1)
    out.print("no problems found")

"""Commands that show what is stored (`briefs`, `claims`) and manage the schema (`db`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import cli, err, handle_errors, open_db, out, shown
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
    cells = [[str(r.id), r.shown_date, str(r.claims), r.title, r.source or ""] for r in rows]
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


@cli.group(
    invoke_without_command=True,
    epilog="""Examples:

\b
  tracker briefs
  tracker briefs --format csv -o briefs.csv
  tracker briefs edit 3 --date 2024-04 --title "Outlook, April"
  tracker briefs remove 7 8""",
)
@format_option(LIST_FORMATS)
@output_option
@click.pass_context
@handle_errors
def briefs(ctx: click.Context, fmt: str | None, output: Path | None) -> None:
    """List stored briefs: id, date, title, source and number of claims; fix or remove them.

    A date known to the month or year only is shown as such (2024-04, 2021).
    """
    if ctx.invoked_subcommand is not None:
        return
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


@briefs.command(
    "remove",
    epilog="""Examples:

\b
  tracker briefs remove 7
  tracker briefs remove 7 8 --keep-archive""",
)
@click.argument("brief_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.option(
    "--keep-archive",
    is_flag=True,
    help="Leave the archived raw files in place [default: delete each one no other brief uses].",
)
@click.pass_context
@handle_errors
def briefs_remove(ctx: click.Context, brief_ids: tuple[int, ...], keep_archive: bool) -> None:
    """Remove briefs with their claims (also from search), in one transaction.

    An unknown id removes nothing. The archived raw file of each is deleted unless
    --keep-archive is given or another brief refers to it.
    """
    from rich.text import Text

    from tracker.store.briefs import remove_briefs

    removed = remove_briefs(open_db(ctx.find_root()), brief_ids, keep_archive=keep_archive)
    notes = {
        "removed": "raw file deleted",
        "kept": "raw file kept",
        "shared": "raw file kept: another brief uses it",
        "missing": "raw file was already missing",
    }
    for r in removed:
        out.print(Text(f"removed brief {r.id} ({r.claims} claims): {r.title}; {notes[r.archive]}"))


@briefs.command(
    "edit",
    epilog="""Examples:

\b
  tracker briefs edit 3 --date 2023-06-05
  tracker briefs edit 3 --date 2024-04 --title "Outlook" --source ""   # month; clear source""",
)
@click.argument("brief_id", metavar="ID", type=int)
@click.option("--date", help="As-of date: YYYY-MM-DD, YYYY-MM (month) or YYYY (year).")
@click.option("--title", help="New title.")
@click.option("--source", help='Publisher or source name ("" clears it).')
@click.option("--url", help='Where the brief was published ("" clears it).')
@click.pass_context
@handle_errors
def briefs_edit(
    ctx: click.Context,
    brief_id: int,
    date: str | None,
    title: str | None,
    source: str | None,
    url: str | None,
) -> None:
    """Change a brief's date, title, source or url (one transaction; claims unchanged)."""
    from rich.text import Text

    from tracker.app.briefs import edit

    if date is None and title is None and source is None and url is None:
        raise click.UsageError("give at least one of --date, --title, --source, --url")
    changes = edit(
        open_db(ctx.find_root()), brief_id, date=date, title=title, source=source, url=url
    )
    if not changes.changed:
        out.print(f"brief {brief_id}: nothing changed")
        return
    for name in changes.changed:
        if name == "date":
            before, after = changes.before.shown_date, changes.after.shown_date
        else:
            before = getattr(changes.before, name) or "—"
            after = getattr(changes.after, name) or "—"
        out.print(Text(f"brief {brief_id} {name}: {before} → {after}"))


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
    """Show the claims of one brief with their quantities and spans.

    Each line starts with the claim's id, the one that search, diff, history --claim and the
    JSON reports use.
    """
    from tracker.store.repo import brief_with_claims

    fmt = chosen_format(fmt, output, LIST_FORMATS)
    brief = brief_with_claims(open_db(ctx, must_exist=True).engine, brief_id)
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

    from tracker.dates import format_date
    from tracker.report.console import buffer_console

    buffer = io.StringIO()
    console = buffer_console(buffer, color=color)
    when = format_date(brief.date, brief.date_precision)
    console.print(f"[bold]{escape(brief.title)}[/] ({when}, {len(brief.claims)} claims)")
    for claim in brief.claims:
        span = escape(f"[{claim.start}:{claim.end}]")
        console.print(f"  claim {claim.id}  {escape(claim.text)}  [dim]{span}[/]")
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
    from tracker.store.copy import copy_store

    report = copy_store(source, destination, archive=ctx.obj["archive"], from_archive=from_archive)
    out.print(
        f"copied {report.briefs} brief(s) with {report.claims} claims and "
        f"{report.quantities} quantities; {report.already_present} already present"
    )
    if report.decisions:
        out.print(f"review decisions: {report.decisions} row(s) copied")
    if report.models or report.model_choice:
        chosen = "; the model choice came along" if report.model_choice else ""
        out.print(f"matcher models: {report.models} copied{chosen}")
    if report.source_archive == report.destination_archive:
        out.print(f"archive: SRC and DEST share {report.destination_archive}; no raw file to copy")
    elif report.archive_files or report.archive_missing:
        out.print(
            f"archive: {report.archive_files} raw file(s) copied to {report.destination_archive}"
            + (
                f"; {report.archive_missing} not found under {report.source_archive}"
                if report.archive_missing
                else ""
            )
        )


@db.command(
    "reextract",
    epilog="""Examples:

\b
  tracker db reextract            # briefs extracted by an older extractor version
  tracker db reextract 3 7        # these briefs
  tracker db reextract --all""",
)
@click.argument("brief_ids", metavar="[ID]...", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Every brief, whatever its version.")
@click.pass_context
@handle_errors
def db_reextract(ctx: click.Context, brief_ids: tuple[int, ...], every: bool) -> None:
    """Re-derive claims from the archived raw briefs with the current extractor.

    Each brief's raw file is read again with the reader for its format; its text, claims,
    quantities, matching tokens and search entries are replaced in one transaction per
    brief, keeping its id, date, title, source, url and authors. Claim ids change. A brief
    that fails is left as it was and reported; the others go on (exit status 1 if any failed).
    """
    from rich.text import Text

    from tracker.app.briefs import (
        EXTRACTOR_VERSION,
        ReextractOutcome,
        briefs_to_reextract,
        reextract,
    )

    if every and brief_ids:
        raise click.UsageError("give brief ids or --all, not both")
    database = open_db(ctx.find_root())
    ids = briefs_to_reextract(database, brief_ids, every=every)
    if not ids:
        out.print(f"every brief is at extractor version {EXTRACTOR_VERSION}; nothing to do")
        return

    def show(o: ReextractOutcome) -> None:
        if o.error is not None:
            err.print(Text(f"failed   brief {o.brief_id}: {shown(o.error)}"))
            return
        counts = f"{o.old_claims} → {o.new_claims} claims"
        versions = f"version {o.old_version} → {o.new_version}"
        text = "; text changed" if o.text_changed else ""
        out.print(Text(f"reextracted brief {o.brief_id}: {counts} ({versions}{text})"))

    outcomes = reextract(database, ids, on_brief=show)
    failed = sum(not o.ok for o in outcomes)
    out.print(f"{len(outcomes) - failed} reextracted, {failed} failed")
    if failed:
        ctx.exit(1)

"""`tracker ingest`: files and folders into the store, with progress on a terminal."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tracker.cli.app import cli, err, handle_errors, open_db, out
from tracker.ingest import IngestFailure, IngestResult, Overrides, ingest_items, iter_brief_files


@cli.command(
    epilog="""Examples:

\b
  tracker ingest briefs/                       # a folder, recursively
  tracker ingest brief.pdf --date 2024-04-19 --title "Alliance outlook"
""",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--date", help="As-of date to file the brief under (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--title", help="Title (overrides the file's own).")
@click.option("--source", help="Publisher or source name.")
@click.option("--url", help="Where the brief was published.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.pass_context
@handle_errors
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    date: str | None,
    title: str | None,
    source: str | None,
    url: str | None,
    quiet: bool,
) -> None:
    """Ingest briefs (.txt, .md, .html, .pdf) from files and folders.

    Each brief is stored in one transaction; re-ingesting identical content is a no-op. A
    brief that fails is reported (file: reason) and the rest of the batch goes on; the exit
    status is 1 if any brief failed.
    """
    db = open_db(ctx)
    overrides = Overrides(date=date, title=title, source=source, url=url)

    def show(item: Path | IngestFailure, outcome: IngestResult | IngestFailure) -> None:
        if isinstance(outcome, IngestFailure):
            err.print(f"[red]failed[/]  {escape(str(outcome.path))}: {escape(outcome.reason)}")
        elif not quiet:
            what = "stored" if outcome.status == "stored" else "already present"
            progress.console.print(
                f"{what:<16} {outcome.path} → brief {outcome.brief_id} "
                f"({outcome.date}, {outcome.claims} claims)",
                markup=False,
            )
        progress.advance(task)

    items = list(iter_brief_files(list(paths)))
    progress = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        console=out,
        transient=True,
        disable=not out.is_terminal or len(items) < 3,
    )
    with progress:
        task = progress.add_task("ingest", total=len(items))
        report = ingest_items(db, items, overrides, on_file=show)
    out.print(
        f"{report.stored} stored, {report.duplicates} already present, "
        f"{len(report.failures)} failed"
    )
    if report.failures:
        ctx.exit(1)

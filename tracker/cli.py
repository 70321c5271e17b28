"""Command line: parse options, call one library function, render its result.

Every ``TrackerError`` from the library becomes a one-line ``Error: ...`` and a non-zero exit;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from tracker import __version__
from tracker.errors import TrackerError
from tracker.fsutil import write_atomically
from tracker.ingest import IngestFailure, IngestResult, Overrides, ingest_items, iter_brief_files
from tracker.store.db import Database, current_revision, head_revision, open_database, upgrade
from tracker.store.repo import get_brief, list_briefs

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
# Piped output (logs, cron mail, README examples) is read later at any width: don't wrap
# tables at rich's 80-column default.
for _console in (out, err):
    if not _console.is_terminal:
        _console.width = 160


def handle_errors(func: F) -> F:
    """Turn library errors into clean one-line CLI errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TrackerError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def _open(ctx: click.Context, *, migrate: bool = True) -> Database:
    return open_database(ctx.obj["db_url"], migrate=migrate)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""Example:

\b
  tracker ingest snapshots/sample
  tracker diff 2021 2024
""",
)
@click.option(
    "--db",
    "db_url",
    envvar="TRACKER_DB",
    metavar="URL",
    help="SQLAlchemy URL or path of an SQLite file [env TRACKER_DB; default ./tracker.db].",
)
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """Track how policy positions change across dated briefs.

    Briefs are stored as dated snapshots of their claims; raw files are archived under
    snapshots/ beside the database. The schema is created on first use.
    """
    ctx.obj = {"db_url": db_url}


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
    db = _open(ctx)
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


@cli.command(epilog="Example:\n\n\b\n  tracker briefs")
@click.pass_context
@handle_errors
def briefs(ctx: click.Context) -> None:
    """List stored briefs: id, date, title, source and number of claims."""
    rows = list_briefs(_open(ctx).engine)
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
    from sqlalchemy.orm import Session

    db = _open(ctx)
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
    """Database schema: show or apply migrations."""


@db.command(
    "upgrade", epilog="Example:\n\n\b\n  tracker --db postgresql+psycopg://host/db db upgrade"
)
@click.pass_context
@handle_errors
def db_upgrade(ctx: click.Context) -> None:
    """Upgrade the schema to the newest revision (done automatically on first use)."""
    database = _open(ctx.find_root(), migrate=False)
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
    database = _open(ctx.find_root(), migrate=False)
    current = current_revision(database.engine)
    out.print(f"database: {current or '(blank)'}  head: {head_revision()}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tracker")


@cli.command(
    "diff",
    epilog="""Examples:

\b
  tracker diff 2021 2024
  tracker diff 2023 2024 --kind modified --grep defence
  tracker diff 2021..2022 brief:7 --format json -o changes.json
""",
)
@click.argument("old_spec", metavar="FROM")
@click.argument("new_spec", metavar="TO")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of standard output.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    help="Pairs scoring below this are reported as removed + added.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["modified", "added", "removed", "unchanged"]),
    help="Only changes of this kind (repeatable).",
)
@click.option("--grep", help="Only changes whose claims mention TEXT (case-insensitive).")
@click.pass_context
@handle_errors
def diff_cmd(
    ctx: click.Context,
    old_spec: str,
    new_spec: str,
    fmt: str,
    output: Path | None,
    min_score: float | None,
    kinds: tuple[str, ...],
    grep: str | None,
) -> None:
    """Compare the claims of two selections and say how positions changed.

    A selection is a year (2021), a month (2024-04), a day (2024-04-12), a range
    (2021..2022) or briefs (brief:7 or brief:7,8); all briefs in a selection are pooled.
    """
    from tracker.compare.engine import diff as run_diff
    from tracker.compare.model import KINDS, ChangeKind, DiffOptions
    from tracker.report import render

    options = DiffOptions(
        min_score=min_score,
        kinds=tuple(cast(ChangeKind, k) for k in kinds) or KINDS,
        grep=grep,
    )
    result = run_diff(_open(ctx).engine, old_spec, new_spec, options)
    color = output is None and out.is_terminal
    text = render(result, fmt, color=color)
    if output is not None:
        write_atomically(output, text.encode("utf-8"))
        err.print(f"wrote {output}")
    else:
        click.echo(text, nl=False, color=color)

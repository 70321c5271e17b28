"""`tracker ingest`: files, folders and URLs into the store; `--sources` for cron runs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from tracker.cli.app import cli, err, handle_errors, interrupted, open_db, out, shown
from tracker.errors import RunLocked, TrackerError

if TYPE_CHECKING:
    from tracker.app.ingesting import (
        IngestFailure,
        IngestResult,
        ItemOutcome,
        ManifestEntry,
        Outcome,
        Overrides,
        Skipped,
        UrlRun,
    )
    from tracker.store.db import Database

# Exit status of a run that found another run holding the lock (EX_TEMPFAIL in sysexits.h:
# "try again later"), distinct from 1 (something failed) and 2 (usage error).
EXIT_LOCKED = 75
# Up to this many skipped folder entries are listed one per line; more are summed up by
# reason (a folder of 300 images should not bury the briefs' lines), and -v lists them all.
MAX_SKIPPED_LINES = 10


def _is_url(arg: str) -> bool:
    return "://" in arg


@cli.command(
    epilog="""Examples:

\b
  tracker ingest briefs/                       # a folder, recursively
  tracker ingest brief.pdf --date 2024-04-19 --title "Alliance outlook"
  tracker ingest --manifest briefs.csv         # file,date,title,source,url,authors
  tracker ingest https://example.org/2024/outlook.html
  tracker ingest --sources                     # every source in tracker.toml (for cron)
  tracker ingest --sources -v --log-file ingest.log --report-dir reports/
""",
)
@click.argument("paths", nargs=-1, metavar="[PATH_OR_URL]...")
@click.option("--date", help="As-of date to file the brief under (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--title", help="Title (overrides the file's own).")
@click.option("--source", help="Publisher or source name.")
@click.option("--url", help="Where the brief was published.")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSON listing file, date, title, source, url, authors per brief (relative "
    "files are relative to the manifest).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option(
    "--sources",
    "from_sources",
    is_flag=True,
    help="Fetch every source in tracker.toml once (see `tracker sources`).",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="A line for every skipped file; with --sources: a line for every item.",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --sources: append every item and the summary, timestamped, to FILE.",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --sources: write an HTML change report of each new brief against the most "
    "recent earlier year into DIR.",
)
@click.option(
    "--wait",
    type=click.FloatRange(0),
    default=10.0,
    show_default=True,
    help="With --sources: seconds to wait for another run's lock before giving up.",
)
@click.pass_context
@handle_errors
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    date: str | None,
    title: str | None,
    source: str | None,
    url: str | None,
    manifest: Path | None,
    quiet: bool,
    from_sources: bool,
    verbose: bool,
    log_file: Path | None,
    report_dir: Path | None,
    wait: float,
) -> None:
    """Ingest briefs (.txt, .md, .html, .pdf) from files, folders and http(s) URLs.

    Each brief is stored in one transaction; re-ingesting identical content is a no-op (a
    warning names the `tracker briefs edit` command when its metadata differs from the
    stored brief's). A brief that fails is reported (file: reason) and the rest of the batch
    goes on; the exit status is 1 if any brief failed. --date 2024-04 files a brief known to
    the month only (shown as 2024-04), --date 2021 one known to the year.

    With --sources, every feed, page and inbox in tracker.toml is fetched once. Quiet by
    default, for cron: nothing is printed when all went well (the summary line too, unless
    standard output is a terminal); failures go to standard error. Exit status: 0 all well,
    1 something failed, 75 another run holds the lock.

    Ctrl-C stops at once with exit status 130; briefs stored before it stay stored (each is
    one transaction), so running the same command again finishes the batch.
    """
    if manifest is not None:
        if paths or from_sources:
            raise click.UsageError("give either --manifest or paths/URLs/--sources, not both")
        if date or title or source or url:
            raise click.UsageError("with --manifest, metadata comes from the manifest's columns")
    if from_sources:
        if paths:
            raise click.UsageError("give either --sources or paths/URLs, not both")
        _run_sources(ctx, verbose, log_file, report_dir, wait)
        return
    if not paths and manifest is None:
        raise click.UsageError(
            "Missing argument 'PATH_OR_URL...' (files, folders or URLs), or --sources"
        )
    for flag, given in (("--log-file", log_file), ("--report-dir", report_dir)):
        if given:
            raise click.UsageError(f"{flag} goes with --sources")
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tracker.app.ingesting import (
        IngestFailure,
        Overrides,
        brief_files,
        ingest_batch,
        read_manifest,
    )

    db = open_db(ctx)
    overrides = Overrides(date=date, title=title, source=source, url=url)
    # Briefs stored so far, for the message after Ctrl-C.
    stored_now = [0]
    files = [Path(p) for p in paths if not _is_url(p)]
    urls = [p for p in paths if _is_url(p)]

    today = dt.date.today()

    def show(item: Path | IngestFailure, outcome: IngestResult | IngestFailure) -> None:
        if isinstance(outcome, IngestFailure):
            path, reason = shown(str(outcome.path)), shown(outcome.reason)
            err.print(f"[red]failed[/]  {escape(path)}: {escape(reason)}")
        else:
            stored_now[0] += outcome.status == "stored"
            if not quiet:
                line = shown(_stored_line(str(outcome.path), outcome))
                progress.console.print(line, markup=False)
            _warn_date(str(outcome.path), outcome, today)
            _warn_differences(str(outcome.path), outcome)
        progress.advance(task)

    entries: list[ManifestEntry | IngestFailure] = []
    if manifest is not None:
        entries = read_manifest(manifest)
    skipped: list[Skipped] = []
    items = brief_files(db, files, skipped)
    if not quiet:
        for line in _skipped_lines(skipped, verbose):
            out.print(shown(line), markup=False)
    progress = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        console=out.console,
        transient=True,
        disable=not out.is_terminal or len(items) < 3,
    )
    try:
        with progress:
            task = progress.add_task("ingest", total=len(items) + len(entries))
            report = ingest_batch(db, items, overrides, entries, on_file=show)
        fetched = _ingest_urls(db, urls, overrides, quiet, stored_now) if urls else None
    except KeyboardInterrupt:
        raise interrupted(
            f"interrupted: {stored_now[0]} stored before the interrupt; run again to finish"
        ) from None
    stored, present, failed = report.stored, report.duplicates, len(report.failures)
    if fetched is not None:
        stored, present, failed = (
            stored + fetched.stored,
            present + fetched.duplicates,
            failed + fetched.failed,
        )
    summary = f"{stored} stored, {present} already present, {failed} failed"
    out.print(summary + (f", {len(skipped)} skipped" if skipped else ""))
    if failed:
        ctx.exit(1)


def _stored_line(item: str, result: IngestResult) -> str:
    what = "stored" if result.status == "stored" else "already present"
    # Say where a new brief's date came from: a PDF's CreationDate, say, is the day it was
    # exported, and a brief filed under the wrong date is wrong in every diff.
    origin = f", date from {result.date_source}" if result.date_source else ""
    return (
        f"{what:<16} {item} → brief {result.brief_id} "
        f"({result.shown_date}, {result.claims} claims{origin})"
    )


def _warn_date(item: str, result: IngestResult, today: dt.date) -> None:
    """Warn about a new brief filed under today or a later day, unless --date said so.

    A brief states a past position; a date of today is most often when the file was saved
    or exported (a PDF's CreationDate), not the as-of date of what it says.
    """
    if result.status != "stored" or result.date_source in (None, "--date"):
        return
    if result.date < today:
        return
    when = "today" if result.date == today else "in the future"
    err.print(
        shown(
            f"warning  {item}: date {result.shown_date} (from {result.date_source}) is {when}, "
            "often the day the file was saved rather than the brief's as-of date; to change "
            f"it: tracker briefs edit {result.brief_id} --date YYYY-MM-DD"
        ),
        markup=False,
    )


def _skipped_lines(skipped: list[Skipped], verbose: bool) -> list[str]:
    """One line per skipped entry, or, when there are many, one line summing them up."""
    if verbose or len(skipped) <= MAX_SKIPPED_LINES:
        return [f"skipped  {entry.path}: {entry.reason}" for entry in skipped]
    counts = Counter(entry.reason for entry in skipped)
    parts = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items(), key=_by_count))
    return [f"skipped  {len(skipped)} files that are not briefs ({parts}); -v lists them"]


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _warn_differences(item: str, result: IngestResult) -> None:
    """On standard error: what an ingest of stored content says differently, and the fix."""
    command = result.edit_command()
    if command is None:
        return
    said = "; ".join(f"{d.field} {d.given!r} (stored: {d.stored!r})" for d in result.differences)
    err.write(
        shown(
            f"warning  {item}: brief {result.brief_id} is stored with other metadata: "
            f"this ingest says {said}; to change it: {command}"
        )
    )


def _ingest_urls(
    db: Database, urls: list[str], overrides: Overrides, quiet: bool, stored_now: list[int]
) -> UrlRun:
    """Fetch and ingest the URLs (recorded as a run, see `tracker runs`), printing each and
    counting the stored ones in ``stored_now``."""
    from rich.markup import escape

    from tracker.app.ingesting import ingest_urls, sources_config

    config = sources_config(db, click.get_current_context().obj["config_path"])

    def show(outcome: Outcome) -> None:
        if outcome.result is None:
            link, reason = shown(outcome.item), shown(outcome.reason or "")
            err.print(f"[red]failed[/]  {escape(link)}: {escape(reason)}")
            return
        stored_now[0] += outcome.result.status == "stored"
        if not quiet:
            out.print(shown(_stored_line(outcome.item, outcome.result)), markup=False)
        _warn_date(outcome.item, outcome.result, dt.date.today())
        _warn_differences(outcome.item, outcome.result)

    return ingest_urls(db, urls, overrides, config=config, on_url=show)


class _Log:
    """Timestamped lines appended to --log-file (and nothing when there is none)."""

    def __init__(self, path: Path | None) -> None:
        self._fh: IO[str] | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = path.open("a", encoding="utf-8")
            except OSError as exc:
                raise TrackerError(f"cannot open log file {path}: {exc.strerror or exc}") from None

    def write(self, line: str) -> None:
        if self._fh is not None:
            stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            self._fh.write(f"{stamp} {line}\n")
            self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _run_sources(
    ctx: click.Context,
    verbose: bool,
    log_file: Path | None,
    report_dir: Path | None,
    wait: float,
) -> None:
    from rich.text import Text

    from tracker.app.ingesting import run_sources, sources_config
    from tracker.app.watches import run_hook
    from tracker.notify.config import load_alert_config

    db = open_db(ctx)
    config = sources_config(db, ctx.obj["config_path"])
    path = config.path
    if not config.sources:
        raise TrackerError(f"no sources in {path}; add one with: tracker sources add URL_OR_FOLDER")
    log = _Log(log_file)
    stored_now = [0]

    def show(outcome: ItemOutcome) -> None:
        stored_now[0] += outcome.status == "new"
        line = shown(f"{outcome.status:<9} {outcome.item}: {outcome.message}")
        log.write(line)
        if outcome.detail:
            log.write(outcome.detail.rstrip())
        if outcome.status == "failed":
            err.print(Text(line, style="red"))
        elif verbose:
            out.print(Text(line))

    try:
        try:
            report = run_sources(
                db,
                config,
                report_dir=report_dir,
                on_item=show,
                lock_wait=wait,
                on_locked=lambda: log.write(
                    f"run started: {len(config.sources)} sources from {path}"
                ),
                after=run_hook(db, load_alert_config(path)),
            )
        except RunLocked as exc:
            log.write(f"not run: {exc}")
            err.print(Text(f"Error: {exc}"))
            ctx.exit(EXIT_LOCKED)
        except KeyboardInterrupt:
            message = (
                f"interrupted: {stored_now[0]} stored before the interrupt; run again to finish"
            )
            log.write(message)
            raise interrupted(message) from None
        for written in report.reports:
            log.write(f"report {written}")
            if verbose:
                out.print(Text(f"report    {written}"))
        for note in report.notes:
            log.write(note)
            if verbose:
                out.print(Text(f"note      {note}"))
        summary = f"run {report.run_id}: {report.summary()}"
        log.write(summary)
        if verbose or report.exit_status or out.is_terminal:
            out.print(Text(summary))
    finally:
        log.close()
    ctx.exit(report.exit_status)

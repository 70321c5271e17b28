"""`tracker watch`: positions to be told about, the dry run, and the outbox."""

from __future__ import annotations

import datetime as dt

import click

from tracker.cli.app import cli, err, handle_errors, open_db, out, shown
from tracker.cli.sources import sources_file

# Spelt out (tracker.notify.config holds the same) so that --help imports nothing more.
KINDS = ("modified", "added", "removed")
ASPECTS = ("quantity", "stance", "wording")
BANDS = ("weak", "probable", "strong")


def _csv(allowed: tuple[str, ...]) -> click.ParamType:  # type: ignore[type-arg]
    class Csv(click.ParamType):  # type: ignore[type-arg]
        name = ",".join(allowed)

        def convert(
            self, value: object, param: click.Parameter | None, ctx: click.Context | None
        ) -> tuple[str, ...]:
            if isinstance(value, tuple):
                return value
            parts = tuple(p.strip() for p in str(value).split(",") if p.strip())
            bad = [p for p in parts if p not in allowed]
            if bad or not parts:
                self.fail(f"expected some of {', '.join(allowed)}, got {value!r}", param, ctx)
            return parts

    return Csv()


@cli.group(
    epilog="""Examples:

\b
  tracker watch add defence --query "defence spending" --aspect quantity,stance
  tracker watch add strike --query counterstrike --kinds added
  tracker watch check --since 2024-01-01
  tracker watch outbox
""",
)
def watch() -> None:
    """Positions you follow: after each `tracker ingest --sources` run, the changes they
    match are sent as one digest per channel (see `tracker notify`).

    A watch follows a position the way `tracker history` does: each new brief is compared
    by the matcher with the previous brief of its source (else the briefs of the most
    recent earlier year), as stored before the run; a change fires when one of its claims
    answers the query, so a reworded claim paired with a matching one fires too, and so
    does an added claim that mentions the query for the first time.
    """


@watch.command(
    "add",
    epilog="""Examples:

\b
  tracker watch add defence --query "defence spending"
  tracker watch add target --claim 148 --min-confidence probable
  tracker watch add kestrel --query "nuclear power" --source "Kestrel Policy Institute"
""",
)
@click.argument("name")
@click.option("--query", help="Words of the position (as for `tracker history QUERY`).")
@click.option("--claim", "claim_id", type=int, help="Follow the position of this claim id.")
@click.option("--source", help="Only briefs of this source.")
@click.option(
    "--aspect",
    "aspects",
    type=_csv(ASPECTS),
    help="Modified claims must change in one of these: quantity,stance,wording.",
)
@click.option(
    "--kinds",
    type=_csv(KINDS),
    default="modified,added,removed",
    show_default=True,
    help="Kinds of change reported.",
)
@click.option(
    "--min-confidence", type=click.Choice(BANDS), help="Pairs below this band are not reported."
)
@click.pass_context
@handle_errors
def watch_add(
    ctx: click.Context,
    name: str,
    query: str | None,
    claim_id: int | None,
    source: str | None,
    aspects: tuple[str, ...] | None,
    kinds: tuple[str, ...],
    min_confidence: str | None,
) -> None:
    """Add a watch NAME on a QUERY and/or a claim's position (kept in tracker.toml)."""
    from rich.text import Text

    from tracker.notify.config import parse_watch
    from tracker.notify.editing import add_watch

    if query is None and claim_id is None:
        raise click.UsageError("give --query WORDS or --claim ID (or both)")
    raw = {
        "name": name,
        "query": query,
        "claim": claim_id,
        "source": source,
        "aspects": list(aspects or ()),
        "kinds": list(kinds),
        "min_confidence": min_confidence,
    }
    path = sources_file(ctx)
    new = parse_watch({k: v for k, v in raw.items() if v is not None}, "watch")
    add_watch(path, new)
    out.print(Text(shown(f"added watch {new.name}: {new.describe()}")))
    err.print(Text(f"config file: {path}"), style="dim")


@watch.command("list", epilog="Example:\n\n\b\n  tracker watch list")
@click.pass_context
@handle_errors
def watch_list(ctx: click.Context) -> None:
    """List the watches."""
    from rich.text import Text

    from tracker.notify.config import load_alert_config

    config = load_alert_config(sources_file(ctx))
    if not config.watches:
        out.print(
            Text(f"No watches in {config.path}. Add one with: tracker watch add NAME --query WORDS")
        )
        return
    for w in config.watches:
        out.print(Text(shown(f"{w.name}  {w.describe()}")))


@watch.command("show", epilog="Example:\n\n\b\n  tracker watch show defence")
@click.argument("name")
@click.pass_context
@handle_errors
def watch_show(ctx: click.Context, name: str) -> None:
    """Show one watch with its settings and its alerts in the outbox."""
    from rich.text import Text

    from tracker.notify.config import load_alert_config
    from tracker.store.outbox import outbox_items

    config = load_alert_config(sources_file(ctx))
    w = config.watch(name)
    for key, value in w.to_dict().items():
        shown_value = ",".join(value) if isinstance(value, list) else value
        out.print(Text(shown(f"{key:<15} {'' if shown_value is None else shown_value}")))
    rows = [r for r in outbox_items(open_db(ctx).engine, everything=True) if r.watch == name]
    counts = {s: sum(r.status == s for r in rows) for s in ("pending", "sent", "failed")}
    out.print(
        Text(
            f"{'outbox':<15} {counts['pending']} pending, {counts['sent']} sent, "
            f"{counts['failed']} failed"
        )
    )


@watch.command("remove", epilog="Example:\n\n\b\n  tracker watch remove defence")
@click.argument("name")
@click.pass_context
@handle_errors
def watch_remove(ctx: click.Context, name: str) -> None:
    """Remove a watch (alerts already queued are still sent)."""
    from rich.text import Text

    from tracker.notify.editing import remove_watch

    remove_watch(sources_file(ctx), name)
    out.print(Text(shown(f"removed watch {name}")))


@watch.command(
    "check",
    epilog="""Examples:

\b
  tracker watch check                 # what the latest run would have sent
  tracker watch check --run 12
  tracker watch check --since 2024-11-01
""",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Briefs stored since this date.")
@click.option("--run", "run_id", type=int, help="Briefs stored by this run (see `tracker runs`).")
@click.pass_context
@handle_errors
def watch_check(ctx: click.Context, since: dt.datetime | None, run_id: int | None) -> None:
    """Print the alerts the watches would raise, without queueing or sending anything.

    The dry run: judge the briefs stored since DATE, or by a run (default: the latest), as
    `ingest --sources` would, and print the digest.
    """
    from rich.text import Text

    from tracker.app.watches import check
    from tracker.notify.config import load_alert_config
    from tracker.notify.digest import render_text

    if since is not None and run_id is not None:
        raise click.UsageError("give --since or --run, not both")
    config = load_alert_config(sources_file(ctx))
    what, alerts = check(
        open_db(ctx, must_exist=True),
        config,
        since=since.date() if since is not None else None,
        run_id=run_id,
    )
    err.print(Text(shown(what)), style="dim")
    if not alerts:
        out.print(Text("no alerts"))
        return
    click.echo(shown(render_text([a.payload for a in alerts])), nl=False)


@watch.command(
    "outbox", epilog="Examples:\n\n\b\n  tracker watch outbox\n  tracker watch outbox --all"
)
@click.option("--all", "everything", is_flag=True, help="Sent alerts too.")
@click.pass_context
@handle_errors
def watch_outbox(ctx: click.Context, everything: bool) -> None:
    """Alerts waiting to be sent (pending, with their next attempt) or given up (failed)."""
    from rich.table import Table
    from rich.text import Text

    from tracker.store.outbox import outbox_items

    rows = outbox_items(open_db(ctx).engine, everything=everything)
    if not rows:
        out.print(Text("outbox empty: nothing pending" if not everything else "outbox empty"))
        return
    table = Table(box=None, header_style="bold")
    for col in (
        "id",
        "watch",
        "channel",
        "change",
        "status",
        "attempts",
        "next attempt",
        "last error",
    ):
        table.add_column(col)
    for r in rows:
        when = r.next_attempt_at.strftime("%Y-%m-%d %H:%M") if r.status == "pending" else ""
        table.add_row(
            str(r.id),
            r.watch,
            r.channel,
            r.change_key,
            r.status,
            str(r.attempts),
            when,
            Text(shown(r.last_error or "")),
        )
    out.print(table)

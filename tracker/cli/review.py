"""`tracker review`: decide claim pairs in the terminal, or by script; list, export and
import decisions. Thin adapters over ``tracker.app.review``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import cli, err, handle_errors, open_db, open_encoder, out, shown
from tracker.cli.diff import within_options, within_specs
from tracker.cli.output import LIST_FORMATS, chosen_format, emit, format_option, output_option

if TYPE_CHECKING:
    from tracker.app.review import QueueItem
    from tracker.store.db import Database


class ReviewGroup(click.Group):
    """``tracker review FROM TO`` runs the interactive ``queue``; other words name a
    subcommand (``link``, ``reject``, ``list``, ``export``, ``import``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["queue", *args]
        return super().parse_args(ctx, args)


def reviewer(ctx: click.Context, given: str | None) -> str:
    """``--by``, else ``[review] by`` of tracker.toml, else the OS user."""
    if given:
        return given
    from tracker.app.review import default_reviewer
    from tracker.app.sources import sources_file
    from tracker.store.db import resolve_url

    obj = ctx.find_root().obj
    return default_reviewer(sources_file(resolve_url(obj["db_url"]), obj["config_path"]))


BY_HELP = "Reviewer's name [default: [review] by in tracker.toml, else the OS user]."


@cli.group(
    "review",
    cls=ReviewGroup,
    epilog="""Examples:

\b
  tracker review 2021 2024              # interactive: s/r/d/k/u/q
  tracker review link 20 92 --verdict related --note "same grid plan"
  tracker review reject 1 73
  tracker review list --from 2021 --to 2024 --format csv
  tracker review export decisions.json
  tracker review import decisions.json
""",
)
def review_group() -> None:
    """Confirm or reject claim pairs; every diff and history honours the decisions.

    A confirmed pair (same or related) is always paired, even below the match threshold; a
    rejected pair (different) never is. Decisions name claims by their text, so they
    survive re-ingest and `tracker db reextract`, and keep their history.

    `tracker review FROM TO` shows the unreviewed pairs and leads of a diff, most uncertain
    first, and records a verdict per key: s=same r=related d=different k=skip u=undo
    q=quit.
    """


def read_key() -> str:
    """One key press: from the terminal, or the next non-blank character of a piped stdin
    (EOF quits)."""
    if sys.stdin.isatty():
        return click.getchar().lower()
    while True:
        ch = sys.stdin.read(1)
        if ch == "":
            return "q"
        if not ch.isspace():
            return ch.lower()


VERDICT_KEYS = {"s": "same", "r": "related", "d": "different"}


@review_group.command(
    "queue",
    epilog="""Examples:

\b
  tracker review 2021 2024
  tracker review queue 2023 2024 --source "Kestrel Policy Institute" --by ana
""",
)
@click.argument("old_spec", metavar="FROM")
@click.argument("new_spec", metavar="TO")
@click.option(
    "--threshold",
    "min_score",
    type=click.FloatRange(0, 1),
    help="Match probability a pair needs (default: the model's threshold).",
)
@within_options
@click.option("--by", "by", metavar="NAME", help=BY_HELP)
@click.pass_context
@handle_errors
def queue_cmd(
    ctx: click.Context,
    old_spec: str,
    new_spec: str,
    min_score: float | None,
    sources: tuple[str, ...],
    brief_ids: tuple[int, ...],
    within: tuple[str, ...],
    by: str | None,
) -> None:
    """Review the unreviewed pairs and leads of FROM → TO, most uncertain first.

    Each item shows its word diff and quantities; press s (same), r (related), d
    (different), k (skip), u (undo the previous item) or q (quit). Every verdict is stored
    at once, so quitting keeps what was decided. (Also: `tracker review FROM TO`.)
    """
    from tracker.app.diffs import DiffOptions
    from tracker.app.matcher import matcher_config
    from tracker.app.review import load_reviews, review_queue, reviewed_diff

    name = reviewer(ctx, by)
    db = open_db(ctx, must_exist=True)
    engine = db.engine
    options = DiffOptions(min_score=min_score, within=within_specs(sources, brief_ids, within))
    encoder = open_encoder(ctx)
    diff = reviewed_diff(
        engine,
        old_spec,
        new_spec,
        options,
        encoder=encoder,
        config=matcher_config(db, embeddings=encoder is not None),
    )
    items = review_queue(diff, load_reviews(engine).keys())
    if not items:
        out.write(f"nothing to review in {old_spec} → {new_spec}: no unreviewed pair or lead")
        return
    _run_queue(db, items, name)


def _run_queue(db: Database, items: list[QueueItem], name: str) -> None:
    from tracker.app.review import decide, undo
    from tracker.report.review_text import KEYS, render_item

    done: list[tuple[int, bool]] = []  # (item, decided) in the order they were answered
    i = 0
    while i < len(items):
        item = items[i]
        click.echo(render_item(item, i + 1, len(items), color=out.color, width=out.width), nl=False)
        click.echo(f"verdict? [{KEYS}] ", nl=False)
        key = read_key()
        click.echo(key)
        if key == "q":
            break
        if key in VERDICT_KEYS:
            decide(db.engine, item.old.id, item.new.id, VERDICT_KEYS[key], by=name)
            click.echo(f"recorded: {VERDICT_KEYS[key]}\n")
            done.append((i, True))
            i += 1
        elif key == "k":
            click.echo("skipped\n")
            done.append((i, False))
            i += 1
        elif key == "u":
            if not done:
                click.echo("nothing to undo\n")
                continue
            i, was_decided = done.pop()
            if was_decided:
                undo(db.engine, items[i].old.id, items[i].new.id, by=name)
            click.echo("undone: back to the previous item\n")
        else:
            click.echo(f"keys: {KEYS}\n")
    decided = sum(1 for _, d in done if d)
    skipped = len(done) - decided
    left = len(items) - len(done)
    click.echo(f"{decided} decided, {skipped} skipped, {left} left (of {len(items)})")


def _record(
    ctx: click.Context, old_id: int, new_id: int, verdict: str, note: str | None, by: str | None
) -> None:
    from tracker.app.review import decide

    engine = open_db(ctx, must_exist=True).engine
    made = decide(engine, old_id, new_id, verdict, by=reviewer(ctx, by), note=note)
    out.write(shown(f"recorded: claim {old_id} → claim {new_id} {verdict} (by {made.by})"))


@review_group.command(
    "link",
    epilog="""Examples:

\b
  tracker review link 20 92
  tracker review link 20 92 --verdict related --note "same grid plan, new figure"
""",
)
@click.argument("old_id", type=int)
@click.argument("new_id", type=int)
@click.option(
    "--verdict",
    type=click.Choice(["same", "related"]),
    default="same",
    show_default=True,
    help="same: one position restated; related: same specific subject, another assertion.",
)
@click.option("--note", help="Why (kept with the decision).")
@click.option("--by", "by", metavar="NAME", help=BY_HELP)
@click.pass_context
@handle_errors
def link_cmd(
    ctx: click.Context,
    old_id: int,
    new_id: int,
    verdict: str,
    note: str | None,
    by: str | None,
) -> None:
    """Confirm that claim OLD_ID and claim NEW_ID are a pair: every diff pairs them."""
    _record(ctx, old_id, new_id, verdict, note, by)


@review_group.command(
    "reject",
    epilog="""Example:

\b
  tracker review reject 1 73 --note "another target"
""",
)
@click.argument("old_id", type=int)
@click.argument("new_id", type=int)
@click.option("--note", help="Why (kept with the decision).")
@click.option("--by", "by", metavar="NAME", help=BY_HELP)
@click.pass_context
@handle_errors
def reject_cmd(
    ctx: click.Context, old_id: int, new_id: int, note: str | None, by: str | None
) -> None:
    """Reject the pair claim OLD_ID / claim NEW_ID: no diff pairs them again."""
    _record(ctx, old_id, new_id, "different", note, by)


@review_group.command(
    "list",
    epilog="""Examples:

\b
  tracker review list
  tracker review list --from 2021 --to 2024 --format json
""",
)
@click.option("--from", "old_spec", metavar="SPEC", help="Only pairs whose old claim is here.")
@click.option("--to", "new_spec", metavar="SPEC", help="Only pairs whose new claim is here.")
@format_option(LIST_FORMATS)
@output_option
@click.pass_context
@handle_errors
def list_cmd(
    ctx: click.Context,
    old_spec: str | None,
    new_spec: str | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """The current decisions (the newest verdict of each pair), oldest first."""
    from tracker.app.review import claims_by_hash, decisions, export_text

    fmt = chosen_format(fmt, output, LIST_FORMATS)
    engine = open_db(ctx, must_exist=True).engine
    found = decisions(engine, old_spec=old_spec, new_spec=new_spec)
    if fmt in ("json", "csv"):
        text = export_text(found, fmt)
    else:
        from tracker.report.review_text import render_decisions

        hashes = {h for d in found for h in (d.old_hash, d.new_hash)}
        width = out.width if output is None else None
        text = render_decisions(found, claims_by_hash(engine, hashes), width=width)
    emit(text, output)


@review_group.command(
    "export",
    epilog="""Examples:

\b
  tracker review export decisions.json
  tracker review export decisions.csv
""",
)
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@handle_errors
def export_cmd(ctx: click.Context, path: Path) -> None:
    """Write every decision with its history to FILE (.json or .csv)."""
    from tracker.app.review import export_decisions, file_format

    file_format(path)  # refuse a wrong suffix before opening the store
    n = export_decisions(open_db(ctx, must_exist=True).engine, path)
    err.write(shown(f"wrote {n} decision row{'' if n == 1 else 's'} to {path}"))


@review_group.command(
    "import",
    epilog="""Example:

\b
  tracker --db team.db review import decisions.json
""",
)
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@handle_errors
def import_cmd(ctx: click.Context, path: Path) -> None:
    """Add the decisions of FILE (.json or .csv) that this store lacks; importing a file
    twice changes nothing."""
    from tracker.app.review import import_decisions

    done = import_decisions(open_db(ctx).engine, path)
    out.write(shown(f"{path}: {done.added} added, {done.read - done.added} already present"))


__all__ = ["review_group"]

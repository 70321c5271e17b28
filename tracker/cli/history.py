"""`tracker history`: one position followed through every period of the store."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from tracker.cli.app import cli, handle_errors, open_db, open_encoder
from tracker.cli.diff import warn_versions, within_options, within_specs
from tracker.cli.output import (
    REPORT_FORMATS,
    chosen_format,
    emit,
    format_option,
    output_option,
    report_color,
    report_width,
)


@cli.command(
    epilog="""Examples:

\b
  tracker history "defence spending"
  tracker history --claim 148 --format html -o defence.html
  tracker history "emissions target" --by brief --format json
  tracker history "minimum wage" --source "Democratic Party" -o wage.csv
""",
)
@click.argument("query", required=False)
@click.option("--claim", "claim_id", type=int, help="Follow the position of this claim id.")
@click.option(
    "--by",
    type=click.Choice(["year", "month", "brief"]),
    default="year",
    show_default=True,
    help="What one snapshot is: all briefs of a year, of a month, or each brief.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="At most this many positions matching QUERY, most relevant first.",
)
@click.option(
    "--threshold",
    "--min-score",
    "min_score",
    type=click.FloatRange(0, 1),
    help="Links between snapshots below this match probability break the chain"
    " (default: the model's threshold).",
)
@within_options
@format_option(REPORT_FORMATS)
@output_option
@click.pass_context
@handle_errors
def history(
    ctx: click.Context,
    query: str | None,
    claim_id: int | None,
    by: str,
    limit: int,
    min_score: float | None,
    sources: tuple[str, ...],
    brief_ids: tuple[int, ...],
    within: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
) -> None:
    """How one position moved across all stored snapshots, step by step.

    QUERY is free text ("defence spending"); the chains of the claims that match it best are
    shown, each following rewordings from snapshot to snapshot, with what changed at each
    step, the snapshots where it was not stated, and its figures over time.

    --source, --brief and --in keep the history to some briefs: with --source, a party's
    position is followed through its own platforms and cannot hop to another party's.
    """
    from tracker.app.diffs import DiffOptions, Granularity
    from tracker.app.review import reviewed_history as run_history
    from tracker.report import render_timeline

    if (query is None) == (claim_id is None):
        raise click.UsageError("give a QUERY or --claim ID (one of them)")
    fmt = chosen_format(fmt, output, REPORT_FORMATS)
    options = DiffOptions(min_score=min_score, within=within_specs(sources, brief_ids, within))
    from tracker.app.matcher import matcher_config

    db = open_db(ctx, must_exist=True)
    encoder = open_encoder(ctx)
    result = run_history(
        db.engine,
        query,
        claim_id=claim_id,
        by=cast(Granularity, by),
        limit=limit,
        options=options,
        encoder=encoder,
        config=matcher_config(db, embeddings=encoder is not None),
    )
    warn_versions([b for p in result.periods for b in p.selection.briefs])
    color = report_color(output)
    text = render_timeline(result, fmt, color=color, width=report_width(output))
    emit(text, output, color=color)

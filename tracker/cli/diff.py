"""`tracker diff`: compare two selections (or chain three or more) and render the result."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from tracker.cli.app import cli, err, handle_errors, open_db, open_encoder, shown
from tracker.cli.output import (
    REPORT_FORMATS,
    chosen_format,
    emit,
    format_option,
    output_option,
    report_color,
    report_width,
)

if TYPE_CHECKING:
    from tracker.selection import BriefRef

F = TypeVar("F", bound=Any)


def within_options(func: F) -> F:
    """``--source``, ``--brief`` and ``--in``: narrow every selection of a diff or history."""
    for decorator in reversed(
        (
            click.option(
                "--source",
                "sources",
                multiple=True,
                metavar="NAME",
                help="Only briefs of this source (case-insensitive; repeat for several).",
            ),
            click.option(
                "--brief",
                "brief_ids",
                multiple=True,
                type=int,
                metavar="ID",
                help="Only these briefs (repeatable).",
            ),
            click.option(
                "--in",
                "within",
                multiple=True,
                metavar="SPEC",
                help="Only briefs of this selection too: source:NAME, brief:1,2, a year or "
                "range (repeatable; all must hold).",
            ),
        )
    ):
        func = decorator(func)
    return func


def within_specs(
    sources: tuple[str, ...], brief_ids: tuple[int, ...], within: tuple[str, ...]
) -> tuple[str, ...]:
    """The selections every compared selection is narrowed by, as selection strings."""
    specs = list(within)
    if sources:
        if any("|" in s for s in sources):
            raise click.BadParameter("a source name cannot contain '|'", param_hint="--source")
        specs.append("source:" + "|".join(sources))
    if brief_ids:
        specs.append("brief:" + ",".join(str(i) for i in brief_ids))
    return tuple(specs)


def warn_versions(briefs: Sequence[BriefRef]) -> None:
    """On standard error: a warning when the briefs compared were extracted by different
    claim extractor versions (the report itself is unchanged)."""
    from tracker.app.diffs import versions_warning

    warning = versions_warning(briefs)
    if warning is not None:
        err.write(shown(f"warning: {warning}"))


@cli.command(
    "diff",
    epilog="""Examples:

\b
  tracker diff 2021 2024
  tracker diff 2023 2024 --kind modified --grep defence
  tracker diff 2021..2022 brief:7 --format json -o changes.json
  tracker diff 2016 2020 --source "Democratic Party" --sort score -o changes.csv
  tracker diff 2021 2023 2024 --status changed-once --format html -o timeline.html
""",
)
@click.argument("specs", metavar="FROM TO [MORE]...", nargs=-1, required=True)
@format_option(REPORT_FORMATS)
@output_option
@click.option(
    "--threshold",
    "--min-score",
    "min_score",
    type=click.FloatRange(0, 1),
    help="Report pairs of this match probability or more (default: the model's threshold);"
    " the rest are removed + added, with their best candidate as a lead.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["modified", "added", "removed", "unchanged"]),
    help="Only changes of this kind (repeatable; two selections).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(
        ["changed-repeatedly", "changed-once", "appeared", "vanished", "transient", "stable"]
    ),
    help="Only positions with this status (repeatable; three or more selections).",
)
@click.option("--grep", help="Only changes whose claims mention TEXT (case-insensitive).")
@within_options
@click.option(
    "--sort",
    type=click.Choice(["order", "score"]),
    default="order",
    show_default=True,
    help="Text output of two selections: each kind in reading order, or as the HTML report "
    "(figures and stance first, best matched first).",
)
@click.pass_context
@handle_errors
def diff_cmd(
    ctx: click.Context,
    specs: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    min_score: float | None,
    kinds: tuple[str, ...],
    statuses: tuple[str, ...],
    grep: str | None,
    sources: tuple[str, ...],
    brief_ids: tuple[int, ...],
    within: tuple[str, ...],
    sort: str,
) -> None:
    """Compare the claims of two selections and say how positions changed.

    A selection is a year (2021), a month (2024-04), a day (2024-04-12), a range
    (2021..2022), briefs (brief:7 or brief:7,8) or a source (source:NAME); all briefs in a
    selection are pooled.

    With three or more selections, each position is chained through all of them in the
    order given: stable throughout, changed once, changed repeatedly, appeared, vanished,
    or stated only in between.

    --source, --brief and --in narrow every selection, so that a party's positions are
    compared with its own platforms only (tracker diff 2016 2020 --source "Democratic Party").
    """
    from tracker.app.diffs import KINDS, ChangeKind, DiffOptions, ReportFilter, Status

    if len(specs) < 2:
        raise click.UsageError("give at least two selections, e.g. tracker diff 2021 2024")
    if len(specs) == 2 and statuses:
        raise click.UsageError("--status needs three or more selections (use --kind)")
    if len(specs) > 2 and kinds:
        raise click.UsageError("--kind needs exactly two selections (use --status)")
    fmt = chosen_format(fmt, output, REPORT_FORMATS)
    options = DiffOptions(min_score=min_score, within=within_specs(sources, brief_ids, within))
    from tracker.app.matcher import matcher_config

    db = open_db(ctx, must_exist=True)
    encoder = open_encoder(ctx)
    engine, config = db.engine, matcher_config(db, embeddings=encoder is not None)
    color, width = report_color(output), report_width(output)
    if len(specs) == 2:
        from tracker.app.review import reviewed_diff
        from tracker.report import render

        report = ReportFilter(kinds=tuple(cast(ChangeKind, k) for k in kinds) or KINDS, grep=grep)
        result = reviewed_diff(
            engine, specs[0], specs[1], options, report=report, encoder=encoder, config=config
        )
        warn_versions([*result.old.briefs, *result.new.briefs])
        text = render(result, fmt, color=color, width=width, sort=sort)
    else:
        from tracker.app.review import reviewed_timeline
        from tracker.report import render_timeline

        chosen = tuple(cast(Status, s) for s in statuses)
        chained = reviewed_timeline(
            engine, specs, options, statuses=chosen, grep=grep, encoder=encoder, config=config
        )
        warn_versions([b for p in chained.periods for b in p.selection.briefs])
        text = render_timeline(chained, fmt, color=color, width=width)
    emit(text, output, color=color)

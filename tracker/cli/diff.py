"""`tracker diff`: compare two selections (or chain three or more) and render the result."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click
from rich.text import Text

from tracker.cli.app import cli, err, handle_errors, open_db, open_encoder, out
from tracker.fsutil import write_atomically

if TYPE_CHECKING:
    from tracker.compare.model import BriefRef

FORMATS = ["text", "json", "markdown", "html"]


def format_option(func: click.decorators.FC) -> click.decorators.FC:
    """``--format``, shared by the commands that render reports."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Output format.",
    )(func)


def output_option(func: click.decorators.FC) -> click.decorators.FC:
    """``-o FILE``, shared by the commands that render reports."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to FILE instead of standard output.",
    )(func)


def warn_versions(briefs: Sequence[BriefRef]) -> None:
    """On standard error: a warning when the briefs compared were extracted by different
    claim extractor versions (the report itself is unchanged)."""
    from tracker.compare.versions import extractor_warning

    warning = extractor_warning(briefs)
    if warning is not None:
        err.print(Text(f"warning: {warning}"))


def emit(text: str, output: Path | None, *, color: bool) -> None:
    """Write a rendered report to ``output`` atomically, or to standard output."""
    if output is not None:
        write_atomically(output, text.encode("utf-8"))
        err.print(f"wrote {output}")
    else:
        click.echo(text, nl=False, color=color)


@cli.command(
    "diff",
    epilog="""Examples:

\b
  tracker diff 2021 2024
  tracker diff 2023 2024 --kind modified --grep defence
  tracker diff 2021..2022 brief:7 --format json -o changes.json
  tracker diff 2021 2023 2024 --status changed-once --format html -o timeline.html
""",
)
@click.argument("specs", metavar="FROM TO [MORE]...", nargs=-1, required=True)
@format_option
@output_option
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
@click.pass_context
@handle_errors
def diff_cmd(
    ctx: click.Context,
    specs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    min_score: float | None,
    kinds: tuple[str, ...],
    statuses: tuple[str, ...],
    grep: str | None,
) -> None:
    """Compare the claims of two selections and say how positions changed.

    A selection is a year (2021), a month (2024-04), a day (2024-04-12), a range
    (2021..2022) or briefs (brief:7 or brief:7,8); all briefs in a selection are pooled.

    With three or more selections, each position is chained through all of them in the
    order given: stable throughout, changed once, changed repeatedly, appeared, vanished,
    or stated only in between.
    """
    from tracker.compare.model import KINDS, ChangeKind, DiffOptions
    from tracker.compare.timeline import Status

    if len(specs) < 2:
        raise click.UsageError("give at least two selections, e.g. tracker diff 2021 2024")
    if len(specs) == 2 and statuses:
        raise click.UsageError("--status needs three or more selections (use --kind)")
    if len(specs) > 2 and kinds:
        raise click.UsageError("--kind needs exactly two selections (use --status)")
    options = DiffOptions(
        min_score=min_score,
        kinds=tuple(cast(ChangeKind, k) for k in kinds) or KINDS,
        grep=grep,
    )
    engine = open_db(ctx).engine
    encoder = open_encoder(ctx)
    color = output is None and out.is_terminal
    if len(specs) == 2:
        from tracker.compare.engine import diff as run_diff
        from tracker.report import render

        result = run_diff(engine, specs[0], specs[1], options, encoder=encoder)
        warn_versions([*result.old.briefs, *result.new.briefs])
        text = render(result, fmt, color=color)
    else:
        from tracker.compare.timeline import timeline
        from tracker.report import render_timeline

        chosen = tuple(cast(Status, s) for s in statuses)
        chained = timeline(engine, specs, options, statuses=chosen, encoder=encoder)
        warn_versions([b for p in chained.periods for b in p.selection.briefs])
        text = render_timeline(chained, fmt, color=color)
    emit(text, output, color=color)

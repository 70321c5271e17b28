"""`tracker diff`: compare two selections and render the changes."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from tracker.cli.app import cli, err, handle_errors, open_db, out
from tracker.fsutil import write_atomically


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
    result = run_diff(open_db(ctx).engine, old_spec, new_spec, options)
    color = output is None and out.is_terminal
    text = render(result, fmt, color=color)
    if output is not None:
        write_atomically(output, text.encode("utf-8"))
        err.print(f"wrote {output}")
    else:
        click.echo(text, nl=False, color=color)

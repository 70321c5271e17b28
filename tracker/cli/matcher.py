"""`tracker matcher fit|use|show`: refit the pair model on the store's review verdicts,
go back to the previous model, show the one in use. Thin adapters over
``tracker.app.matcher``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.cli.app import cli, handle_errors, open_db, out, shown

if TYPE_CHECKING:
    from tracker.app.matcher import PairScores


@cli.group(
    "matcher",
    epilog="""Examples:

\b
  tracker matcher fit
  tracker matcher show
  tracker matcher use previous
""",
)
def matcher_group() -> None:
    """The pair model a store's diffs use: refit it on review verdicts, or revert.

    Fitted models and the choice among them are kept in the database, so every machine
    using a shared store runs the same one; every report names the model it used.
    """


def _scores_lines(label: str, s: PairScores) -> list[str]:
    return [
        f"{label}: precision {s.precision:.3f} of {s.reported} reported, "
        f"recall {s.recall:.3f} of {s.same} same, Brier {s.brier:.4f}",
    ]


@matcher_group.command(
    "fit",
    epilog="""Examples:

\b
  tracker matcher fit
  tracker --db team.db matcher fit --weight 3
""",
)
@click.option(
    "--weight",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="How much each review verdict counts, against an average shipped labelled pair.",
)
@click.pass_context
@handle_errors
def fit_cmd(ctx: click.Context, weight: float) -> None:
    """Refit the pair model on the shipped labels plus this store's review verdicts.

    Prints held-out precision, recall and a reliability table on the shipped test split,
    for the model in use and for the new one (at the same threshold), then makes the new
    model the store's; `tracker matcher use previous` goes back.
    """
    from tracker.app.matcher import fit

    result = fit(open_db(ctx, must_exist=True), weight=weight)
    lines = [
        f"fitted on {result.shipped_train} shipped train pairs + {result.review_pairs} review "
        f"verdicts ({result.review_missing} verdicts name claims this store no longer holds)",
        f"held-out: the shipped test split, {result.before.pairs} labelled pairs, threshold "
        f"{result.model.threshold:g} (pair by pair; right = same or related)",
        *_scores_lines(f"before ({result.before_model.version})", result.before),
        *_scores_lines(f"after  ({result.model.version})", result.after),
        "reliability (bin, pairs, mean probability before → after, share right):",
    ]
    after = {b: (n, p, y) for b, n, p, y in result.after.reliability}
    before = {b: (n, p, y) for b, n, p, y in result.before.reliability}
    for b in sorted(set(after) | set(before)):
        nb, pb, yb = before.get(b, (0, float("nan"), float("nan")))
        na, pa, ya = after.get(b, (0, float("nan"), float("nan")))
        lines.append(f"  {b}  before {nb:5d} {pb:.3f} {yb:.3f}   after {na:5d} {pa:.3f} {ya:.3f}")
    lines.append(f"saved {result.name} in the store; its diffs now use {result.model.version}")
    for line in lines:
        out.write(shown(line))


@matcher_group.command(
    "use",
    epilog="""Example:

\b
  tracker matcher use previous
""",
)
@click.argument("which", type=click.Choice(["previous"]))
@click.pass_context
@handle_errors
def use_cmd(ctx: click.Context, which: str) -> None:
    """Go back to the model used before the current one (run twice to return)."""
    from tracker.app.matcher import chosen_model, model_origin, use_previous

    db = open_db(ctx, must_exist=True)
    choice = use_previous(db)
    model = chosen_model(db)
    out.write(shown(f"now using {model.version} ({model_origin(db, choice.current)})"))


@matcher_group.command(
    "show",
    epilog="""Example:

\b
  tracker matcher show
""",
)
@click.pass_context
@handle_errors
def show_cmd(ctx: click.Context) -> None:
    """The pair model this store's diffs use: where it is, its threshold and weights."""
    from tracker.app.matcher import chosen_model, model_origin, model_summary, read_choice

    db = open_db(ctx, must_exist=True)
    choice = read_choice(db)
    model = chosen_model(db)
    out.write(shown(f"in use: {model_origin(db, choice.current)}"))
    if choice.previous is not None or choice.current is not None:
        out.write(shown(f"previous: {model_origin(db, choice.previous)}"))
    click.echo(shown(model_summary(model)), nl=False)

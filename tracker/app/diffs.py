"""Diff, timeline and history: load selections from one snapshot of the store, then compare
or chain them.

The only place where the store and the engine meet for these actions: ``tracker diff``,
``tracker history``, cron's change reports and the web app call these functions, the store
loads, and the engine never sees a database.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from tracker.compare.chains import build_timeline, label_chains
from tracker.compare.engine import Reviews, collector_paused, compare, filtered
from tracker.compare.matcher import MatcherConfig
from tracker.compare.model import (
    KINDS,
    BriefRef,
    ChangeKind,
    ClaimRef,
    Diff,
    DiffOptions,
    ReportFilter,
)
from tracker.compare.ordering import chosen_chains, holds, most_relevant, renumber, report_order
from tracker.compare.semantic import Encoder, load_encoder
from tracker.compare.timeline import Granularity, Period, Status, Timeline
from tracker.compare.versions import extractor_warning
from tracker.errors import SelectionError
from tracker.selection import within_phrase
from tracker.store.db import Database, read_snapshot
from tracker.store.selections import load_selection, load_selections, period_specs

# The store these read: an open database, or its engine alone (the review use cases and
# the web app hold only the engine). Reading needs nothing else of it.
Store = Database | Engine

# What the callers need to say what they want, so that they import this module only.
__all__ = [
    "KINDS",
    "ChangeKind",
    "Diff",
    "DiffOptions",
    "Encoder",
    "Granularity",
    "MatcherConfig",
    "ReportFilter",
    "Status",
    "Store",
    "diff",
    "history",
    "load_encoder",
    "timeline",
    "versions_warning",
]


def diff(
    db: Store,
    old_spec: str,
    new_spec: str,
    options: DiffOptions | None = None,
    *,
    report: ReportFilter | None = None,
    encoder: Encoder | None = None,
    config: MatcherConfig | None = None,
    reviews: Reviews | None = None,
) -> Diff:
    """Load two selections from one snapshot of the database and compare them; the diff
    holds the changes ``report`` keeps (all of them by default). ``reviews`` are fixed
    points of the matching (see ``tracker.compare.engine.compare``)."""
    options = options or DiffOptions()
    with collector_paused():
        with read_snapshot(_engine(db)) as session:
            old = load_selection(session, old_spec, options.within)
            new = load_selection(session, new_spec, options.within)
        result = compare(old, new, options, encoder=encoder, config=config, reviews=reviews)
    return filtered(result, report or ReportFilter())


def timeline(
    db: Store,
    specs: Sequence[str],
    options: DiffOptions | None = None,
    *,
    statuses: Sequence[Status] = (),
    grep: str | None = None,
    encoder: Encoder | None = None,
    reviews: Reviews | None = None,
    config: MatcherConfig | None = None,
) -> Timeline:
    """``tracker diff A B C``: every position chained across the given selections.

    ``statuses`` and ``grep`` (case-insensitive, in any claim of a chain) filter the chains
    reported; the summary counts what is reported. ``reviews`` are honoured in every link.
    """
    options = options or DiffOptions()
    with read_snapshot(_engine(db)) as session:
        selections = load_selections(session, specs, options.within)
    periods = [Period(spec, s) for spec, s in zip(specs, selections, strict=True)]
    built = build_timeline(periods, options, encoder=encoder, reviews=reviews, config=config)
    chains = label_chains(built.periods, chosen_chains(built.chains, statuses, grep))
    ordered = tuple(renumber(report_order(chains)))
    return Timeline(built.periods, ordered, options, config=config)


def history(
    db: Store,
    query: str | None = None,
    *,
    claim_id: int | None = None,
    by: Granularity = "year",
    limit: int = 5,
    options: DiffOptions | None = None,
    encoder: Encoder | None = None,
    reviews: Reviews | None = None,
    config: MatcherConfig | None = None,
) -> Timeline:
    """``tracker history``: the chains of one position across every period of the store.

    Give a free-text ``query`` (the best-matching chains, most relevant first, at most
    ``limit``) or a ``claim_id`` (the one chain holding that claim). ``reviews`` are
    honoured in every link.
    """
    from tracker.compare.query import relevance_scorer

    if (query is None) == (claim_id is None):
        raise SelectionError("give either a query or a claim id")
    options = options or DiffOptions()
    with read_snapshot(_engine(db)) as session:
        specs = period_specs(session, by, options.within)
        narrowed = within_phrase(options.within)
        if not specs:
            if options.within:
                raise SelectionError(f"no brief{narrowed} (see: tracker briefs)")
            raise SelectionError("no briefs stored yet (see: tracker ingest)")
        if len(specs) < 2:
            raise SelectionError(
                f"all briefs{narrowed} fall in one {by} ({specs[0][0]}): a history needs "
                "two; try --by month or --by brief"
            )
        periods = [
            Period(label, load_selection(session, spec, options.within)) for label, spec in specs
        ]
    if claim_id is not None:
        if not any(c.id == claim_id for p in periods for c in p.selection.claims):
            raise SelectionError(f"no claim with id {claim_id} (see: tracker claims BRIEF_ID)")
        built = build_timeline(
            periods,
            options,
            bridge_if=lambda c: c.id == claim_id,
            encoder=encoder,
            reviews=reviews,
            config=config,
        )
        chains = label_chains(periods, [c for c in built.chains if holds(c, claim_id)])
        return Timeline(
            built.periods, tuple(renumber(chains)), options, claim_id=claim_id, config=config
        )

    assert query is not None
    scorer = relevance_scorer(query)
    scores: dict[int, float] = {}

    def score(claim: ClaimRef) -> float:
        if claim.id not in scores:
            scores[claim.id] = scorer(claim)
        return scores[claim.id]

    built = build_timeline(
        periods,
        options,
        bridge_if=lambda c: score(c) > 0,
        encoder=encoder,
        reviews=reviews,
        config=config,
    )
    chosen = most_relevant(built.chains, score, limit)
    if not chosen:
        raise SelectionError(f"no claim matches {query!r} (try other words, or tracker search)")
    chosen = label_chains(periods, chosen)
    return Timeline(built.periods, tuple(renumber(chosen)), options, query=query, config=config)


def versions_warning(briefs: Sequence[BriefRef]) -> str | None:
    """A warning when the briefs compared were extracted by different claim extractor
    versions (the report itself is unchanged), else None."""
    return extractor_warning(briefs)


def _engine(db: Store) -> Engine:
    return db.engine if isinstance(db, Database) else db

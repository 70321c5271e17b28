"""Standalone HTML change report, rendered with Jinja2 from the top-level ``templates/``.

The template receives one documented context (``ReportContext``) built here from a ``Diff``;
it never reaches into engine objects. Autoescaping is on and undefined names fail loudly, so
a brief's text can only ever appear as text, and a template typo is an error, not a blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tracker import __version__
from tracker.compare.model import KINDS, BriefRef, ClaimRef, Diff, Selection
from tracker.report.describe import (
    GROUP_TITLES,
    quantity_phrase,
    report_priority,
    review_phrase,
    shown_probability,
    stance_phrase,
)
from tracker.report.worddiff import Segment, word_diff
from tracker.resources import resource_dir

ASPECTS = ("quantity", "stance", "wording")


@dataclass(frozen=True)
class ClaimView:
    """One side of a change, with its provenance."""

    text: str
    brief_id: int
    brief_title: str
    source: str | None
    date: str
    start: int
    end: int
    lead_in: str | None = None  # the lead-in of a list item, shown above it
    claim_id: int | None = None  # the store-wide id (the live page's review forms need it)


@dataclass(frozen=True)
class ChangeView:
    """A change as the report shows it."""

    anchor: str
    kind: str
    aspects: tuple[str, ...]
    score: float | None
    probability: float | None  # calibrated probability that the pair is right
    confidence: str | None  # "strong" | "probable" | "weak" for a pair, else None
    relation: str
    old: ClaimView | None
    new: ClaimView | None
    segments: tuple[Segment, ...]  # word diff of a modified pair
    quantities: tuple[str, ...]  # "1 percent of gross domestic product → 2% of GDP (+1 pp)"
    context: tuple[str, ...]  # a year, rank or count named on one side only: "2019 → —"
    stance: tuple[str, ...]
    also: tuple[str, ...]  # other briefs stating the same claim
    search_text: str  # lower-case text of both claims, for the search box
    lead: LeadView | None = None  # an added/removed claim's best candidate below the threshold
    # A reviewer's verdict on the pair: (verdict, "confirmed by ana on 2026-12-01 (same)").
    review: tuple[str, str] | None = None


@dataclass(frozen=True)
class LeadView:
    """A lead: shown muted with a link to where its claim stands in the report."""

    text: str
    probability: float
    anchor: str | None  # the change card of the lead's claim
    claim_id: int | None = None  # the store-wide id of the lead's claim


@dataclass(frozen=True)
class GroupView:
    kind: str
    title: str
    changes: tuple[ChangeView, ...]


@dataclass(frozen=True)
class SelectionView:
    spec: str
    claims: int
    briefs: tuple[BriefRef, ...]


@dataclass(frozen=True)
class ReportContext:
    """Everything ``report.html`` renders."""

    old: SelectionView
    new: SelectionView
    kind_counts: tuple[tuple[str, int], ...]
    aspect_counts: tuple[tuple[str, int], ...]
    aspects: tuple[str, ...]
    confidence_counts: tuple[tuple[str, int], ...]  # paired changes by band
    total: int
    groups: tuple[GroupView, ...]
    matcher: dict[str, object] = field(default_factory=dict)  # version, model, threshold


def build_context(diff: Diff) -> ReportContext:
    """Turn a diff into the report's context."""
    briefs = {b.id: b for b in (*diff.old.briefs, *diff.new.briefs)}

    def claim_view(c: ClaimRef | None) -> ClaimView | None:
        if c is None:
            return None
        b = briefs[c.brief_id]
        return ClaimView(
            c.text,
            c.brief_id,
            b.title,
            b.source,
            c.date.isoformat(),
            c.start,
            c.end,
            c.context,
            c.id,
        )

    views: dict[str, list[ChangeView]] = {k: [] for k in KINDS}
    ordered = sorted(
        enumerate(diff.changes),
        key=lambda ic: (KINDS.index(ic[1].kind), report_priority(ic[1]), ic[0]),
    )
    anchor_of: dict[int, str] = {}
    for index, change in enumerate(diff.changes):
        for claim in (change.old, change.new):
            if claim is not None:
                anchor_of.setdefault(claim.id, f"c-{index + 1}")
    for index, change in ordered:
        lead = (
            LeadView(
                change.lead.claim.text,
                change.lead.probability,
                anchor_of.get(change.lead.claim.id),
                change.lead.claim.id,
            )
            if change.lead is not None
            else None
        )
        segments = (
            tuple(word_diff(change.old.text, change.new.text))
            if change.old is not None and change.new is not None
            else ()
        )
        also = tuple(
            f"{briefs[x.brief_id].title} ({x.date.isoformat()})"
            for x in (*change.also_old, *change.also_new)
        )
        text = " ".join(c.text for c in (change.old, change.new) if c is not None)
        views[change.kind].append(
            ChangeView(
                anchor=f"c-{index + 1}",
                kind=change.kind,
                aspects=change.aspects,
                score=change.score,
                probability=change.probability,
                confidence=change.confidence,
                relation=change.relation,
                old=claim_view(change.old),
                new=claim_view(change.new),
                segments=segments,
                quantities=tuple(quantity_phrase(q) for q in change.quantities if q.moved),
                context=tuple(quantity_phrase(q) for q in change.quantities if not q.moved),
                stance=tuple(stance_phrase(s) for s in change.stance),
                also=also,
                search_text=text.lower(),
                lead=lead,
                review=(
                    (change.review.verdict, review_phrase(change.review))
                    if change.review is not None
                    else None
                ),
            )
        )
    summary = diff.summary
    aspect_counts = tuple(
        (a, sum(a in c.aspects for c in diff.changes if c.kind == "modified")) for a in ASPECTS
    )

    def selection(s: Selection) -> SelectionView:
        return SelectionView(s.spec, len(s.claims), s.briefs)

    return ReportContext(
        old=selection(diff.old),
        new=selection(diff.new),
        kind_counts=tuple((k, summary[k]) for k in KINDS),
        aspect_counts=aspect_counts if summary["modified"] else (),
        aspects=ASPECTS,
        confidence_counts=tuple(diff.confidence.items()),
        total=len(diff.changes),
        groups=tuple(GroupView(k, GROUP_TITLES[k], tuple(views[k])) for k in KINDS if views[k]),
        matcher=diff.matcher,
    )


def safe_url(value: str) -> str:
    """Only http(s) links leave the report clickable: ``javascript:`` and others become ``#``."""
    return value if urlsplit(value).scheme in ("http", "https") else "#"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment over the shipped templates."""
    env = Environment(
        loader=FileSystemLoader(str(resource_dir("templates"))),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["probability"] = shown_probability
    return env


def render_html(diff: Diff) -> str:
    """The diff as one standalone HTML page."""
    template = environment().get_template("report.html")
    return template.render(ctx=build_context(diff), version=__version__)

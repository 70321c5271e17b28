"""Alerts: the changes of newly stored briefs that fire a watch, each judged against what
the store held before the run (see ``tracker.app.watches`` for the whole design).

A change fires when one of its claims answers the watch's query (``compare.query``) or
belongs to the chain of the watched claim (``tracker.app.diffs.history``); an added claim
that restates a claim of an earlier period is the change from that claim, as history joins
a gap.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from tracker.compare.model import Change, ClaimRef, Diff, Selection
from tracker.errors import SelectionError
from tracker.notify.config import BANDS, Watch
from tracker.store.baseline import Baseline, baseline_for
from tracker.store.db import Database, read_snapshot
from tracker.store.models import Brief
from tracker.store.outbox import Queued

# The report card's "#" anchor link, dropped from the cards of a digest.
_ANCHOR = re.compile(r'\s*<a class="anchor" [^>]*>#</a>')


@dataclass(frozen=True)
class Alert:
    """A change that a watch fires on, with everything a channel needs to show it."""

    watch: Watch
    change_key: str
    payload: dict[str, Any]

    def queued(self) -> Queued:
        return Queued(self.watch.name, self.change_key, self.payload)


def change_key(change: Change) -> str:
    """A change named by its kind and its claims: stable across runs (claim ids are)."""
    old = change.old.id if change.old is not None else "-"
    new = change.new.id if change.new is not None else "-"
    return f"{change.kind}:{old}:{new}"


def _claims(change: Change) -> list[ClaimRef]:
    found = [c for c in (change.old, change.new) if c is not None]
    return [*found, *change.also_old, *change.also_new]


def fires(watch: Watch, change: Change, relevant: Callable[[ClaimRef], bool]) -> bool:
    """Whether ``change`` is one ``watch`` reports; ``relevant`` says if a claim is followed."""
    if change.kind not in watch.kinds:
        return False
    if change.kind == "modified" and watch.aspects and not set(watch.aspects) & set(change.aspects):
        return False
    if (
        watch.min_confidence
        and change.confidence is not None
        and BANDS.index(change.confidence) < BANDS.index(watch.min_confidence)
    ):
        return False
    return any(relevant(c) for c in _claims(change))


def _relevance(db: Database, watch: Watch) -> Callable[[ClaimRef], bool]:
    """The test a claim must pass to be part of what ``watch`` follows: it answers the
    query, or it is in the chain of the watched claim (either, when both are given)."""
    tests: list[Callable[[ClaimRef], bool]] = []
    if watch.query is not None:
        from tracker.compare.query import relevance_scorer

        scorer = relevance_scorer(watch.query)
        tests.append(lambda claim: scorer(claim) > 0)
    if watch.claim is not None:
        from tracker.app.diffs import history

        chain = {watch.claim}
        try:
            timeline = history(db, claim_id=watch.claim)
        except SelectionError:
            pass  # one period only, or the claim is gone: the claim itself is all there is
        else:
            chain |= {c.id for ch in timeline.chains for s in ch.steps for c in (s.claim, *s.also)}
        tests.append(lambda claim: claim.id in chain)
    return lambda claim: any(test(claim) for test in tests)


def _payload(
    watch: Watch, change: Change, brief: dict[str, Any], baseline: dict[str, Any], card: str
) -> dict[str, Any]:
    from tracker.report.describe import headline, quantity_phrase, stance_phrase
    from tracker.report.json_report import change_to_dict

    return {
        "watch": watch.to_dict(),
        "change_key": change_key(change),
        "brief": brief,
        "baseline": baseline,
        "change": change_to_dict(change),
        "headline": headline(change),
        "details": [quantity_phrase(q) for q in change.quantities if q.moved]
        + [f"stance {stance_phrase(s)}" for s in change.stance],
        "card_html": card,
    }


def _cards(diff: Any) -> dict[int, str]:
    """Each change of ``diff`` (by index) as the change report's card, in HTML."""
    from tracker.report.html import build_context, environment

    context = build_context(diff)
    template = environment().from_string('{% import "_macros.html" as m %}{{ m.change_card(c) }}')
    # A card's "#" link points into the report page it was made for; in a mail it leads
    # nowhere (and mail clients that drop <style> would show it).
    return {
        int(view.anchor.removeprefix("c-")) - 1: _ANCHOR.sub("", template.render(c=view))
        for group in context.groups
        for view in group.changes
    }


def evaluate(
    db: Database, watches: Sequence[Watch], brief_ids: Sequence[int], before: dt.datetime
) -> list[Alert]:
    """The alerts the briefs ``brief_ids`` raise, each judged against the store as it was
    ``before`` (the start of the run that stored them). Deterministic: briefs in date order,
    changes in diff order, watches in file order."""
    from tracker.report.json_report import brief_to_dict, selection_to_dict
    from tracker.store.selections import load_selection

    if not watches or not brief_ids:
        return []
    tests = {w.name: _relevance(db, w) for w in watches}
    alerts: list[Alert] = []
    plans: list[tuple[Selection, Selection, Selection | None, Baseline]] = []
    with read_snapshot(db.engine) as session:
        briefs = [b for b in (session.get(Brief, i) for i in brief_ids) if b is not None]
        briefs.sort(key=lambda b: (b.date, b.id))
        for brief in briefs:
            base = baseline_for(session, brief, before)
            new = load_selection(session, f"brief:{brief.id}")
            old = _load(session, base.ids) or Selection("(nothing before)", (), ())
            plans.append((new, old, _load(session, base.earlier), base))
    for new, old, earlier, base in plans:
        source = new.briefs[0].source
        wanted = [w for w in watches if w.source is None or w.source == source]
        if not wanted:
            continue
        diff = _bridged(_compare(old, new), earlier)
        brief_json = brief_to_dict(new.briefs[0])
        baseline = {**selection_to_dict(old), "label": base.label}
        # Against another author's briefs, a claim the new brief does not restate says
        # nothing about the position: removals count against the same source only.
        hits = [
            (w, i, ch)
            for i, ch in enumerate(diff.changes)
            if base.same_source or ch.kind != "removed"
            for w in wanted
            if fires(w, ch, tests[w.name])
        ]
        if not hits:
            continue
        cards = _cards(diff)
        for w, i, ch in sorted(hits, key=lambda h: (watches.index(h[0]), h[1])):
            against = baseline
            if ch.old is not None and ch.old.brief_id not in base.ids:
                # Joined across a gap: say where the position was last stated.
                against = {
                    **baseline,
                    "label": f"{base.label}, which do not state it; last stated "
                    f"{ch.old.date.isoformat()} (brief {ch.old.brief_id})",
                }
            alerts.append(
                Alert(w, change_key(ch), _payload(w, ch, brief_json, against, cards.get(i, "")))
            )
    return alerts


def _compare(old: Selection, new: Selection) -> Diff:
    """``compare``, and the plain answer when a side holds no claim (the engine needs both):
    every claim of the other side added or removed."""
    from tracker.compare.engine import compare
    from tracker.compare.matcher import MatcherConfig

    if old.claims and new.claims:
        return compare(old, new)
    changes = [Change("removed", c, None) for c in old.claims]
    changes += [Change("added", None, c) for c in new.claims]
    return Diff(old, new, tuple(changes), matcher=MatcherConfig().describe())


def _load(session: Session, ids: Sequence[int]) -> Selection | None:
    from tracker.store.selections import load_selection

    return load_selection(session, "brief:" + ",".join(map(str, ids))) if ids else None


def _bridged(diff: Diff, earlier: Selection | None) -> Diff:
    """``diff`` with each added claim that restates a claim of ``earlier`` turned into the
    change from that claim, as ``tracker history`` joins a position across a period that did
    not state it ("20 to 22 percent" in 2021, nothing in 2023, "about 20 percent" in 2024)."""
    from tracker.compare.engine import compare

    added = [ch.new for ch in diff.changes if ch.kind == "added" and ch.new is not None]
    if earlier is None or not earlier.claims or not added:
        return diff
    gap = compare(earlier, Selection("added", diff.new.briefs, tuple(added)))
    joined = {
        ch.new.id: ch
        for ch in gap.changes
        if ch.old is not None and ch.new is not None and ch.relation == "one-to-one"
    }
    if not joined:
        return diff
    changes = tuple(
        joined.get(ch.new.id, ch) if ch.kind == "added" and ch.new is not None else ch
        for ch in diff.changes
    )
    used = {ch.old.brief_id for ch in joined.values() if ch.old is not None}
    old = Selection(
        diff.old.spec,
        (*diff.old.briefs, *(b for b in earlier.briefs if b.id in used)),
        diff.old.claims,
    )
    return replace(diff, old=old, changes=changes)

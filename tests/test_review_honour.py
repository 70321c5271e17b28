"""Review decisions are honoured by every diff: confirmed pairs are paired, rejected never.

Runs on the real sample corpus (snapshots/sample), ingested into a fresh store per test.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tracker.app import review as app
from tracker.compare.model import Change, Diff
from tracker.ingest import ingest_file
from tracker.report import render, render_timeline
from tracker.store.db import Database

SAMPLE = Path(__file__).resolve().parent.parent / "snapshots" / "sample"


@pytest.fixture
def sample(db: Database) -> Database:
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(db, path)
    return db


def paired(diff: Diff) -> dict[tuple[int, int], Change]:
    return {(c.old.id, c.new.id): c for c in diff.changes if c.old and c.new}


def unpaired_lead(diff: Diff) -> tuple[int, int, float]:
    """A lead below the threshold whose two claims are both unmatched (old id, new id, p)."""
    cutoff = float(str(diff.matcher["threshold"]))
    removed = {c.old.id for c in diff.changes if c.kind == "removed" and c.old}
    added = {c.new.id for c in diff.changes if c.kind == "added" and c.new}
    for c in diff.changes:
        lead, old = c.lead, c.old
        if c.kind != "removed" or lead is None or old is None or lead.probability >= cutoff:
            continue
        if lead.claim.id in added and old.id in removed:
            return old.id, lead.claim.id, lead.probability
    raise AssertionError("the sample diff has no lead between two unmatched claims")


def test_a_confirmed_pair_below_the_threshold_is_paired(sample: Database) -> None:
    before = app.reviewed_diff(sample.engine, "2021", "2024")
    old_id, new_id, p = unpaired_lead(before)
    assert (old_id, new_id) not in paired(before)
    app.decide(sample.engine, old_id, new_id, "related", by="ana", note="same grid plan")
    after = app.reviewed_diff(sample.engine, "2021", "2024")
    change = paired(after)[(old_id, new_id)]
    assert change.kind in ("modified", "unchanged")  # classified as any pair is
    assert change.probability is not None and change.probability == pytest.approx(p, abs=1e-3)
    assert change.review is not None
    assert (change.review.verdict, change.review.by, change.review.note) == (
        "related",
        "ana",
        "same grid plan",
    )
    assert after.summary["removed"] == before.summary["removed"] - 1
    assert after.summary["added"] == before.summary["added"] - 1


def test_a_rejected_high_probability_pair_is_not_paired(sample: Database) -> None:
    before = app.reviewed_diff(sample.engine, "2021", "2024")
    best = max((c for c in paired(before).values()), key=lambda c: c.probability or 0)
    assert best.old and best.new and (best.probability or 0) > 0.7
    app.decide(sample.engine, best.old.id, best.new.id, "different", by="ben")
    after = app.reviewed_diff(sample.engine, "2021", "2024")
    assert (best.old.id, best.new.id) not in paired(after)
    # Each claim is paired elsewhere or reported on its own, never with a lead to the other.
    for c in after.changes:
        if c.kind == "removed" and c.old and c.old.id == best.old.id and c.lead:
            assert c.lead.claim.id != best.new.id
        if c.kind == "added" and c.new and c.new.id == best.new.id and c.lead:
            assert c.lead.claim.id != best.old.id
    assert all(c.review is None for c in after.changes)


def test_an_undone_decision_is_no_longer_honoured(sample: Database) -> None:
    before = app.reviewed_diff(sample.engine, "2021", "2024")
    old_id, new_id, _ = unpaired_lead(before)
    app.decide(sample.engine, old_id, new_id, "same", by="ana")
    app.undo(sample.engine, old_id, new_id, by="ana")
    after = app.reviewed_diff(sample.engine, "2021", "2024")
    assert paired(after).keys() == paired(before).keys()


def test_reports_mark_reviewed_pairs(sample: Database) -> None:
    before = app.reviewed_diff(sample.engine, "2021", "2024")
    old_id, new_id, _ = unpaired_lead(before)
    app.decide(sample.engine, old_id, new_id, "same", by="ana lee", note="restated")
    diff = app.reviewed_diff(sample.engine, "2021", "2024")
    data = json.loads(render(diff, "json"))
    reviewed = [c for c in data["changes"] if c["review"] is not None]
    assert len(reviewed) == 1
    review = reviewed[0]["review"]
    assert (reviewed[0]["old"]["claim_id"], reviewed[0]["new"]["claim_id"]) == (old_id, new_id)
    assert set(review) == {"verdict", "by", "at", "note"}
    assert (review["verdict"], review["by"], review["note"]) == ("same", "ana lee", "restated")
    assert all("review" in c for c in data["changes"])
    day = review["at"][:10]
    text = render(diff, "text")
    assert text.count(f"confirmed by ana lee on {day}") == 1
    markdown = render(diff, "markdown")
    assert markdown.count(f"confirmed by ana lee on {day}") == 1
    rows = list(csv.DictReader(io.StringIO(render(diff, "csv"))))
    marked = [r for r in rows if r["review"]]
    assert [(r["old_claim_id"], r["new_claim_id"]) for r in marked] == [(str(old_id), str(new_id))]
    assert marked[0]["review"] == f"confirmed by ana lee on {day} (same): restated"
    html = render(diff, "html")
    assert html.count('class="tag reviewed"') == 1
    assert f"confirmed by ana lee on {day}" in html


def test_timelines_and_history_honour_decisions(sample: Database) -> None:
    before = app.reviewed_diff(sample.engine, "2021", "2023")
    best = max((c for c in paired(before).values()), key=lambda c: c.probability or 0)
    assert best.old and best.new
    app.decide(sample.engine, best.old.id, best.new.id, "different", by="ben")
    chained = app.reviewed_timeline(sample.engine, ["2021", "2023", "2024"])
    links = {
        (chain.steps[k - 1].claim.id, chain.steps[k].claim.id)
        for chain in chained.chains
        for k in range(1, len(chain.steps))
    }
    assert (best.old.id, best.new.id) not in links
    told = app.reviewed_history(sample.engine, claim_id=best.old.id)
    steps = [s.claim.id for chain in told.chains for s in chain.steps]
    assert best.new.id not in steps

    # A confirmed link is marked in the timeline's reports.
    old_id, new_id, _ = unpaired_lead(before)
    app.decide(sample.engine, old_id, new_id, "same", by="ana")
    chained = app.reviewed_timeline(sample.engine, ["2021", "2023", "2024"])
    data = json.loads(render_timeline(chained, "json"))
    marked = [
        s
        for c in data["chains"]
        for s in c["steps"]
        if s["change"] is not None and s["change"]["review"] is not None
    ]
    assert [s["claim"]["claim_id"] for s in marked] == [new_id]
    assert "confirmed by ana on" in render_timeline(chained, "text")


def test_a_pair_confirmed_across_a_period_is_carried_along_its_chain(sample: Database) -> None:
    # A 2021 claim the timeline links to a 2023 claim, whose chain stops there, and a 2024
    # claim that opens a chain of its own: the analyst confirms the 2021 claim with it.
    years = ["2021", "2023", "2024"]
    before = app.reviewed_timeline(sample.engine, years)
    stopped = [c for c in before.chains if [s.period for s in c.steps] == [0, 1]]
    fresh = [c for c in before.chains if [s.period for s in c.steps] == [2]]
    assert stopped and fresh, "the sample timeline has no such chains"
    first, second = stopped[0].steps[0].claim, stopped[0].steps[1].claim
    later = fresh[0].steps[0].claim
    app.decide(sample.engine, first.id, later.id, "same", by="ana")
    after = app.reviewed_timeline(sample.engine, years)
    (chain,) = [c for c in after.chains if first.id in {s.claim.id for s in c.steps}]
    assert [s.claim.id for s in chain.steps] == [first.id, second.id, later.id]
    assert chain.steps[2].change is not None and chain.steps[2].change.review is not None
    assert chain.steps[2].change.review.by == "ana"

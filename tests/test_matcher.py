"""The matcher: assignment with a "no counterpart" option, leads, the pair model file, and
evidence that keeps people's names out of a match."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.conftest import claim_ref, ingested
from tracker.compare.align import align
from tracker.compare.engine import compare
from tracker.compare.evidence import FEATURE_NAMES, person_tokens
from tracker.compare.fitting import evidence_rows
from tracker.compare.matcher import MATCHER_VERSION, MatcherConfig, match
from tracker.compare.model import ClaimRef, Selection
from tracker.compare.probability import load_model, model_from_json, shipped_model
from tracker.errors import TrackerError


def _claims(texts: list[str], brief: int, year: int) -> tuple[ClaimRef, ...]:
    return tuple(
        claim_ref(t, brief=brief, ordinal=k, date=dt.date(year, 1, 1)) for k, t in enumerate(texts)
    )


def _selection(texts: list[str], brief: int, year: int) -> Selection:
    return Selection(spec=str(year), briefs=(), claims=_claims(texts, brief, year))


def test_assignment_prefers_the_better_set_of_pairs_over_first_come() -> None:
    # Greedy would take (0, 0) at 0.9 and leave old 1 alone; the matching takes (0, 1) and
    # (1, 0), whose joint log-odds are higher.
    rows, cols = np.array([0, 0, 1]), np.array([0, 1, 0])
    p, contain = np.array([0.9, 0.85, 0.8]), np.zeros(3)
    result = align(rows, cols, p, contain, 0.5, 2, 2)
    assert sorted((e.old, e.new) for e, _ in result.pairs) == [(0, 1), (1, 0)]


def test_a_claim_with_only_weak_candidates_has_no_counterpart_but_keeps_a_lead() -> None:
    rows, cols = np.array([0, 1, 1]), np.array([0, 0, 1])
    p, contain = np.array([0.95, 0.3, 0.2]), np.zeros(3)
    result = align(rows, cols, p, contain, 0.5, 2, 2, lead_floor=0.1)
    assert [(e.old, e.new) for e, _ in result.pairs] == [(0, 0)]
    assert result.unmatched_old == [1] and result.unmatched_new == [1]
    # Old 1's best candidate (new 0, taken by a likelier pair) is its lead; new 1's is old 1.
    assert (result.lead_old[1].new, result.lead_old[1].probability) == (0, 0.3)
    assert result.lead_new[1].old == 1
    # Nothing at or above the floor: no lead.
    bare = align(rows, cols, p, contain, 0.5, 2, 2, lead_floor=0.5)
    assert bare.lead_old == {} and bare.lead_new == {}


def test_people_and_titles_are_not_evidence() -> None:
    claims = _claims(
        [
            "Prime Minister Fumio Kishida met President Biden in Washington.",
            "Kishida later spoke about the economy.",
        ],
        1,
        2023,
    )
    people = person_tokens(claims)
    assert {"kishida", "fumio", "biden", "prime", "minist", "presid"} <= people
    assert "economi" not in people and "washington" not in people


def test_shared_names_alone_do_not_make_a_match() -> None:
    old = _selection(
        [
            "Prime Minister Fumio Kishida announced a plan to double spending on childcare.",
            "The Open Radio Access Network fund will support vendors in the Pacific.",
        ],
        1,
        2022,
    )
    new = _selection(
        [
            "Prime Minister Fumio Kishida attended a state dinner at the White House.",
            "The Open Radio Access Network fund was expanded to support vendors in the Pacific.",
        ],
        2,
        2024,
    )
    result = compare(old, new)
    pairs = {(c.old.ordinal, c.new.ordinal) for c in result.changes if c.old and c.new}
    assert pairs == {(1, 1)}
    removed = next(c for c in result.changes if c.kind == "removed")
    assert removed.old is not None and "childcare" in removed.old.text


def test_report_records_the_matcher_and_the_threshold_overrides_the_model() -> None:
    old = _selection(["The ministry will tighten catch quotas for saury next season."], 1, 2022)
    new = _selection(["The ministry will tighten catch quotas for saury and mackerel."], 2, 2024)
    result = compare(old, new)
    recorded = {
        "version": MATCHER_VERSION,
        "model": shipped_model().version,
        "threshold": round(shipped_model().threshold, 4),
    }
    if math.isfinite(shipped_model().restatement):
        recorded["restatement"] = shipped_model().restatement
    assert result.matcher == recorded
    (pair,) = [c for c in result.changes if c.old and c.new]
    assert pair.probability is not None and pair.probability > shipped_model().threshold
    # A threshold above the pair's probability reports a removed and an added claim.
    config = MatcherConfig().with_threshold(min(1.0, pair.probability + 0.001))
    found = match(old.claims, new.claims, config)
    assert found.alignment.pairs == []
    assert found.alignment.lead_old[0].probability == pytest.approx(pair.probability, abs=1e-3)


def test_the_shipped_model_reads_every_column_by_name() -> None:
    model = shipped_model()
    assert set(model.features) <= set(FEATURE_NAMES)
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(model.features)
    assert 0.0 < model.threshold < 1.0
    # Columns are picked by name, so their order in the evidence matrix does not matter.
    rng = np.random.default_rng(7)
    matrix = rng.random((5, len(FEATURE_NAMES)))
    reordered = list(reversed(FEATURE_NAMES))
    assert np.allclose(
        model.probability(matrix, FEATURE_NAMES),
        model.probability(matrix[:, ::-1], reordered),
    )


def test_a_model_without_a_column_the_evidence_has_is_refused(tmp_path: Path) -> None:
    data = shipped_model().to_json()
    data["features"] = [*data["features"][:-1], "no-such-signal"]
    model = model_from_json(data)
    with pytest.raises(TrackerError, match="unknown feature"):
        model.probability(np.zeros((1, len(FEATURE_NAMES))), FEATURE_NAMES)
    broken = tmp_path / "model.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(TrackerError, match="not a matcher model"):
        load_model(broken)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(shipped_model().to_json()), encoding="utf-8")
    assert dataclasses.astuple(load_model(good))[0] == shipped_model().version


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    from tracker.report.csvrows import write_rows

    text = write_rows(("a", "b", "c"), [("=HYPERLINK(1)", "-2% of GDP", 3), ("@x", None, -1.5)])
    assert text.splitlines() == ["a,b,c", "'=HYPERLINK(1),'-2% of GDP,3", "'@x,,-1.5"]


def test_the_labelled_pairs_hold_hashes_not_text_and_cover_the_frozen_split() -> None:
    root = Path(__file__).resolve().parent.parent / "benchmarks"
    lines = (root / "data" / "pair_labels.tsv").read_text(encoding="utf-8").splitlines()
    rows = [x.split("\t") for x in lines if not x.startswith(("#", "unit\t"))]
    assert len(rows) >= 1500
    hexdigits = set("0123456789abcdef")
    for unit, old, new, label, _who in rows:
        assert len(old) == len(new) == 16 and set(old + new) <= hexdigits
        assert label in ("same", "related", "different")
        assert unit.split(":")[0] in ("us", "uk", "seeds", "sample", "doc")
    units = {r[0] for r in rows}
    source = (root / "pairsets.py").read_text(encoding="utf-8")
    frozen = source[source.index("TEST_UNITS = frozenset(") :].split(")\n", 1)[0]
    for name in (x.split('"')[1] for x in frozen.splitlines() if x.strip().startswith('"')):
        prefix = name.removesuffix("*")
        assert any(u.startswith(prefix) for u in units), name


def test_the_restatement_bar_travels_with_the_model_file_and_the_report() -> None:
    data = shipped_model().to_json()
    data.pop("restatement", None)
    # A model file fitted before the bar existed never joins a taken pair...
    older = model_from_json(data)
    assert older.restatement == float("inf")
    assert "restatement" not in older.to_json()
    assert "restatement" not in MatcherConfig(model=older).describe()
    # ...and one that has it writes it back, and reports record it (a config can override it).
    newer = model_from_json({**data, "restatement": 0.85})
    assert newer.to_json()["restatement"] == 0.85
    assert MatcherConfig(model=newer).describe()["restatement"] == 0.85
    assert MatcherConfig(model=newer, restatement=0.9).restate_at == 0.9


OLD_PLAN = """---
date: 2021-04-22
title: Climate plan 2021
---
Japan will cut its greenhouse gas emissions 46% below 2013 levels by fiscal 2030.

The ministry will also expand offshore wind auctions in the northern prefectures.
"""
NEW_PLAN = """---
date: 2024-11-28
title: Climate plan 2024
---
In summary, Japan will cut its greenhouse gas emissions 60% below 2013 levels by fiscal 2035.

The fisheries agency will tighten saury quotas next season.

The body of the plan states it again. Japan will cut its greenhouse gas emissions 60% below
2013 levels by fiscal 2035.
"""


def test_a_position_stated_twice_is_linked_twice(tmp_path: Path, runner: CliRunner) -> None:
    from tracker.app.diffs import diff
    from tracker.cli import cli
    from tracker.store.db import open_database

    db = ingested(runner, tmp_path, {"2021-plan.md": OLD_PLAN, "2024-plan.md": NEW_PLAN})
    result = runner.invoke(cli, ["--db", db, "diff", "2021", "2024", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["matcher"]["restatement"] == shipped_model().restatement
    links = sorted(
        (c["relation"], c["new"]["text"].split()[0], c["quantities"][0]["delta"])
        for c in report["changes"]
        if c["old"] and c["new"]
    )
    # The summary and the body both restate the 2021 target, each with its figure's move.
    assert links == [("one-to-one", "Japan", 14.0), ("split", "In", 14.0)]
    # Without the bar the body's restatement would be reported as a new claim.
    never = diff(
        open_database(db).engine, "2021", "2024", config=MatcherConfig(restatement=math.inf)
    )
    assert [c.relation for c in never.changes if c.old and c.new] == ["one-to-one"]
    assert sum(c.kind == "added" for c in never.changes) == 3  # with the body's lead-in


def _neighbour_support(
    old: tuple[ClaimRef, ...], new: tuple[ClaimRef, ...], pair: tuple[int, int] = (1, 1)
) -> float:
    """The neighbour column of one pair, as the matcher computes it inside that diff."""
    row = evidence_rows(old, new, [pair])[0]
    return float(row[FEATURE_NAMES.index("neighbour_lexical")])


# Claims of no interest that make a diff large enough for its order to count as evidence
# (evidence.RELATIVE_CLAIMS): each names its own made-up registry.
FILLER = tuple(
    f"The {a}{b} registry lists its entries once a year."
    for a in ("alb", "brin", "cort", "dusk", "fenn", "gorl", "hask", "lorn")
    for b in ("ex", "ow", "ith", "umb", "arr", "ello", "isk", "ond")
)
FLOOD = "The ministry will publish the coastal flood map for every county by 2026."
SOLAR_OLD = "Grants for rooftop solar panels go to low-income households."
SOLAR_NEW = "Families on low incomes can get money to put solar on their roofs."
WIND = "A new agency will license offshore wind farms in the northern waters."


def test_a_reworded_claim_between_aligned_claims_has_neighbour_support() -> None:
    old = _claims([FLOOD, SOLAR_OLD, WIND, *FILLER[:32]], 1, 2021)

    def new(*texts: str) -> tuple[ClaimRef, ...]:
        return _claims([*texts, *FILLER[32:]], 2, 2024)

    assert _neighbour_support(old, new(FLOOD, SOLAR_NEW, WIND)) > 0.8
    # The same claims with the neighbours swapped: nothing around the pair aligns.
    assert _neighbour_support(old, new(WIND, SOLAR_NEW, FLOOD)) == 0.0
    # A claim inserted on one side: the claims around the pair still align.
    inserted = new(FLOOD, "Ferries will run every hour.", SOLAR_NEW, WIND)
    assert _neighbour_support(old, inserted, (1, 2)) > 0.8
    # In a diff of a few claims every claim sits next to one that pairs: the column says
    # little there, and is drawn to its neutral value.
    few = _neighbour_support(old[:3], _claims([FLOOD, SOLAR_NEW, WIND], 2, 2024))
    assert few < 0.3


def test_neighbours_do_not_cross_from_one_brief_to_the_next() -> None:
    new = _claims([FLOOD, SOLAR_NEW, *FILLER[32:]], 3, 2024)
    # Pooled briefs: the old claims are the first claims of two briefs, not neighbours.
    pooled = (
        claim_ref(FLOOD, brief=1, ordinal=0),
        *_claims([SOLAR_OLD, *FILLER[:32]], 2, 2021),
    )
    assert _neighbour_support(pooled, new) == 0.0
    assert _neighbour_support(_claims([FLOOD, SOLAR_OLD, *FILLER[:32]], 1, 2021), new) > 0.8


def test_neighbours_follow_the_ordinals_not_the_order_claims_come_in() -> None:
    old = _claims([FLOOD, SOLAR_OLD, WIND, *FILLER[:32]], 1, 2021)
    new = _claims([FLOOD, SOLAR_NEW, WIND, *FILLER[32:]], 2, 2024)
    reversed_old = tuple(reversed(old))  # the solar claim is now at len(old) - 2
    support = _neighbour_support(reversed_old, new, (len(old) - 2, 1))
    assert support == _neighbour_support(old, new) > 0.8

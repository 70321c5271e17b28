"""The matcher's speed-ups give exactly what the code before them gave.

The alignment solves star-shaped components (one claim and its own candidates) and picks
leads in numpy instead of a per-component and per-pair loop; token_set_ratio runs through
rapidfuzz's element-wise ``cpdist``; string sets and character n-grams are counted over
their own vocabulary (scikit-learn's ``char_wb`` n-grams, without hashing); the name patterns
start with a capital look-ahead; claims without actors, people, figures or near-duplicates
take short paths; a diff runs with the cyclic garbage collector paused. Each shortcut is
compared here with the code as it was before it (kept below as the reference), on random
inputs with ties and on the claims of the sample corpus.
"""

from __future__ import annotations

import gc
import itertools
import math
import random
import re
from collections import Counter
from collections.abc import Iterator

import numpy as np
import pytest
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

import tracker.compare.align as align_module
from tracker.app.diffs import diff
from tracker.compare import evidence
from tracker.compare.align import SPLIT_CONTAINMENT, SPLIT_RELATIVE, Edge, align
from tracker.compare.candidates import binary_rows, rowwise_dot, vectorize
from tracker.compare.engine import collector_paused
from tracker.compare.features import Features, claim_features, claim_tokens
from tracker.compare.matcher import MatcherConfig, Prepared, assign
from tracker.compare.model import ClaimRef, QuantityRef
from tracker.store.db import Database, read_snapshot
from tracker.store.selections import load_selection

# -- the reference: the code before the speed-ups -------------------------------------------


def _ref_greedy(rows: np.ndarray, cols: np.ndarray, gain: np.ndarray) -> list[int]:
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    chosen: list[int] = []
    for k in np.lexsort((cols, rows, -gain)).tolist():
        i, j = int(rows[k]), int(cols[k])
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            chosen.append(k)
    return chosen


def _ref_matching(rows: np.ndarray, cols: np.ndarray, gain: np.ndarray, n_old: int) -> list[int]:
    if len(rows) == 0:
        return []
    n_new = int(cols.max()) + 1
    graph = coo_matrix(
        (np.ones(len(rows)), (rows, n_old + cols)), shape=(n_old + n_new, n_old + n_new)
    )
    _, label = connected_components(graph, directed=False)
    component = label[rows]
    order = np.lexsort((cols, rows, component))
    chosen: list[int] = []
    bounds = np.flatnonzero(np.r_[True, component[order][1:] != component[order][:-1], True])
    for a, b in itertools.pairwise(bounds):
        idx = order[a:b]
        if len(idx) == 1:
            chosen.append(int(idx[0]))
            continue
        r_ids, r = np.unique(rows[idx], return_inverse=True)
        c_ids, c = np.unique(cols[idx], return_inverse=True)
        if len(r_ids) * len(c_ids) > align_module.MAX_DENSE_CELLS:
            chosen.extend(int(idx[k]) for k in _ref_greedy(rows[idx], cols[idx], gain[idx]))
            continue
        weight = np.zeros((len(r_ids), len(c_ids)))
        where = np.full((len(r_ids), len(c_ids)), -1, dtype=np.int64)
        weight[r, c] = gain[idx]
        where[r, c] = idx
        ri, ci = linear_sum_assignment(weight, maximize=True)
        chosen.extend(int(where[x, y]) for x, y in zip(ri, ci, strict=True) if where[x, y] >= 0)
    return sorted(chosen)


def _ref_align(
    old: np.ndarray,
    new: np.ndarray,
    probability: np.ndarray,
    containment: np.ndarray,
    threshold: float,
    n_old: int,
    n_new: int,
    lead_floor: float,
) -> tuple[object, ...]:
    usable = probability >= threshold
    u_old, u_new = old[usable], new[usable]
    u_p, u_c = probability[usable], containment[usable]
    gain = align_module._logit(u_p) - align_module._logit(threshold) + 1e-6
    chosen = _ref_matching(u_old, u_new, gain, n_old)
    old_match: dict[int, Edge] = {}
    new_match: dict[int, Edge] = {}
    for k in chosen:
        edge = Edge(int(u_old[k]), int(u_new[k]), float(u_p[k]), float(u_c[k]))
        old_match[edge.old] = new_match[edge.new] = edge
    pairs: list[tuple[Edge, str]] = [(old_match[i], "one-to-one") for i in sorted(old_match)]
    extra_new: set[int] = set()
    extra_old: set[int] = set()
    for k in np.lexsort((u_new, u_old, -u_p)).tolist():
        i, j, p, c = int(u_old[k]), int(u_new[k]), float(u_p[k]), float(u_c[k])
        if c < SPLIT_CONTAINMENT:
            continue
        split = j not in new_match and j not in extra_new and i in old_match
        merge = i not in old_match and i not in extra_old and j in new_match
        if split and p >= SPLIT_RELATIVE * old_match[i].probability:
            pairs.append((Edge(i, j, p, c), "split"))
            extra_new.add(j)
        elif merge and p >= SPLIT_RELATIVE * new_match[j].probability:
            pairs.append((Edge(i, j, p, c), "merge"))
            extra_old.add(i)
    matched_old = set(old_match) | extra_old
    matched_new = set(new_match) | extra_new
    lead_old: dict[int, Edge] = {}
    lead_new: dict[int, Edge] = {}
    ranked = np.lexsort((new, old, -probability))
    for k in ranked[probability[ranked] >= lead_floor].tolist():
        i, j = int(old[k]), int(new[k])
        edge = Edge(i, j, float(probability[k]), float(containment[k]))
        if i not in matched_old and i not in lead_old:
            lead_old[i] = edge
        if j not in matched_new and j not in lead_new:
            lead_new[j] = edge
    return (
        pairs,
        [i for i in range(n_old) if i not in matched_old],
        [j for j in range(n_new) if j not in matched_new],
        list(lead_old.items()),
        list(lead_new.items()),
    )


_REF_PERSON = re.compile(rf"\b(?:{evidence._TITLES})\s+((?:[A-Z][\w'’.-]+\s?){{1,3}})")
_REF_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’-]*|\b[A-Z]{2,}[a-z]?\b")


def _ref_figures(claim: ClaimRef) -> tuple[set[str], set[str]]:
    figures = [q for q in claim.quantities if q.kind != "year"]
    return {f"{q.kind}|{q.unit}" for q in figures}, {f"{q.unit}|{q.value:g}" for q in figures}


def _ref_bigrams(tokens: tuple[str, ...]) -> set[str]:
    words = [t for t in tokens if not t.startswith("a:")]
    return {f"{a} {b}" for a, b in itertools.pairwise(words)}


def _ref_from_tokens(tokens: tuple[str, ...]) -> Features:
    actors = [t[2:].replace("_", " ") for t in tokens if t.startswith("a:")]
    subject = next((t[2:].replace("_", " ") for t in tokens[:3] if t.startswith("a:")), None)
    return Features(tokens=tokens, actors=frozenset(actors), subject=subject)


# -- random inputs ----------------------------------------------------------------------------


def _random_candidates(
    seed: int, n_old: int, n_new: int, pairs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (old, new) pairs; probabilities from a few values, so that ties are common."""
    rng = random.Random(seed)
    cells = sorted(rng.sample(range(n_old * n_new), pairs))
    rows = np.asarray([c // n_new for c in cells], dtype=np.int64)
    cols = np.asarray([c % n_new for c in cells], dtype=np.int64)
    levels = [0.05, 0.2, 0.5, 0.6, 0.6, 0.8, 0.9, 0.99]
    probability = np.asarray([rng.choice(levels) for _ in cells])
    containment = np.asarray([rng.choice([0.1, 0.7, 0.9, 1.0]) for _ in cells])
    return rows, cols, probability, containment


@pytest.mark.parametrize("seed", range(40))
def test_alignment_is_the_reference_alignment(seed: int) -> None:
    n_old, n_new = random.Random(seed).choice([(5, 5), (30, 20), (60, 80), (200, 150)])
    density = random.Random(seed + 1).choice([0.02, 0.05, 0.2])
    pairs = max(1, int(n_old * n_new * density))
    rows, cols, probability, containment = _random_candidates(seed, n_old, n_new, pairs)
    got = align(rows, cols, probability, containment, 0.5, n_old, n_new, lead_floor=0.1)
    want = _ref_align(rows, cols, probability, containment, 0.5, n_old, n_new, 0.1)
    assert (
        got.pairs,
        got.unmatched_old,
        got.unmatched_new,
        list(got.lead_old.items()),
        list(got.lead_new.items()),
    ) == want


@pytest.mark.parametrize("seed", range(20))
def test_matching_is_the_reference_matching(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rows, cols, probability, _ = _random_candidates(seed, 40, 40, 120)
    gain = align_module._logit(probability) + 10.0  # all positive, ties kept
    assert align_module._matching(rows, cols, gain, 40) == _ref_matching(rows, cols, gain, 40)
    # Components too large for the dense solver go to the greedy fallback in both.
    monkeypatch.setattr(align_module, "MAX_DENSE_CELLS", 4)
    assert align_module._matching(rows, cols, gain, 40) == _ref_matching(rows, cols, gain, 40)


def test_star_with_tied_best_pairs_is_left_to_the_solver() -> None:
    # One old claim with three new candidates, two of them tied for best.
    rows = np.asarray([0, 0, 0], dtype=np.int64)
    cols = np.asarray([0, 1, 2], dtype=np.int64)
    gain = np.asarray([1.0, 2.0, 2.0])
    assert align_module._matching(rows, cols, gain, 1) == _ref_matching(rows, cols, gain, 1)


def test_lexical_scores_of_the_assignment_are_the_reference_ones() -> None:
    rows, cols, probability, containment = _random_candidates(7, 50, 40, 300)
    lexical = np.linspace(0.0, 1.0, len(rows))
    reps = np.ones(50, dtype=bool), np.ones(40, dtype=bool)
    prepared = Prepared(rows, cols, probability, lexical, containment, 50, 40, {}, {}, *reps)
    config = MatcherConfig()
    found = assign(prepared, config)
    a = found.alignment
    wanted = {(e.old, e.new) for e, _ in a.pairs}
    wanted |= {(e.old, e.new) for e in (*a.lead_old.values(), *a.lead_new.values())}
    ref = {
        (i, j): s
        for i, j, s in zip(rows.tolist(), cols.tolist(), lexical.tolist(), strict=True)
        if (i, j) in wanted
    }
    assert list(found.lexical.items()) == list(ref.items())
    assert wanted  # the case is not empty


# -- evidence pieces ----------------------------------------------------------------------------

_WORD_TEXT = (
    "President Prime Minister Secretary of State Mr. Dr. Lady the Quad Open RAN CHIPS NATO "
    "UKs EU-wide O'Neill policy, tariffs; (Japan) said: will cut 2% of GDP by 2030 and "
    "minister prime the in on at Kishida Biden Sir Keir Starmer — “Quoted” ’s"
)
_WORDS = tuple(_WORD_TEXT.split(" "))


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 25))) for _ in range(n)]


@pytest.fixture(scope="module")
def sample_claims(sample_db: Database) -> Iterator[tuple[ClaimRef, ...]]:
    with read_snapshot(sample_db.engine) as session:
        claims = (*load_selection(session, "2021").claims, *load_selection(session, "2024").claims)
    yield claims


def test_name_patterns_find_what_the_reference_patterns_find(
    sample_claims: tuple[ClaimRef, ...],
) -> None:
    texts = [c.text for c in sample_claims] + _texts(1, 3000)
    for text in texts:
        assert evidence._PERSON.findall(text) == _REF_PERSON.findall(text), text
        assert evidence._NAME.findall(text) == _REF_NAME.findall(text), text
    assert any(evidence._PERSON.findall(t) for t in texts)  # the case is not empty


def test_token_set_ratios_are_the_per_pair_scores(sample_claims: tuple[ClaimRef, ...]) -> None:
    old, new = list(sample_claims[:40]), list(sample_claims[40:])
    rng = np.random.default_rng(3)
    rows = rng.integers(0, len(old), 500)
    cols = rng.integers(0, len(new), 500)
    got = evidence._token_set_ratios(old, new, rows, cols)
    want = np.asarray(
        [
            fuzz.token_set_ratio(old[i].norm_text, new[j].norm_text) / 100.0
            for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        ]
    )
    assert got.dtype == np.float64
    assert np.array_equal(got, want)
    assert len(evidence._token_set_ratios(old, new, rows[:0], cols[:0])) == 0


def test_binary_rows_count_the_strings_two_claims_share() -> None:
    rng = random.Random(5)
    old = [set(rng.sample(_WORDS, rng.randint(0, 8))) for _ in range(300)]
    new = [set(rng.sample(_WORDS, rng.randint(0, 8))) for _ in range(200)]
    a, b = binary_rows(old, new)
    rows = np.asarray([rng.randrange(300) for _ in range(1000)])
    cols = np.asarray([rng.randrange(200) for _ in range(1000)])
    got = rowwise_dot(a, b, rows, cols)
    want = [len(old[i] & new[j]) for i, j in zip(rows.tolist(), cols.tolist(), strict=True)]
    assert got.tolist() == want
    assert np.diff(a.indptr).tolist() == [len(k) for k in old]


def test_character_vectors_are_scikit_learns_char_wb_without_hashing(
    sample_claims: tuple[ClaimRef, ...],
) -> None:
    from sklearn.feature_extraction.text import HashingVectorizer

    # Short tokens too: a padded word shorter than an n-gram is one n-gram of its own.
    tokens = [claim_tokens(c) for c in sample_claims] + [["eu", "g7", "a:japan", "x"]]
    vectors = vectorize(
        tokens[:30], tokens[30:], [((), None)] * 30, [((), None)] * (len(tokens) - 30)
    )
    analyse = HashingVectorizer(analyzer="char_wb", ngram_range=(4, 4)).build_analyzer()

    def grams(doc: list[str]) -> Counter[str]:
        return Counter(g for t in doc for g in analyse(t))

    def cosine(a: Counter[str], b: Counter[str]) -> float:
        dot = sum(v * b[k] for k, v in a.items())
        norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
        return dot / norm if norm else 0.0

    rows = np.repeat(np.arange(30), len(tokens) - 30)
    cols = np.tile(np.arange(len(tokens) - 30), 30)
    got = rowwise_dot(vectors.old.chars, vectors.new.chars, rows, cols)
    want = [
        cosine(grams(tokens[i]), grams(tokens[30 + j])) for i, j in zip(rows, cols, strict=True)
    ]
    assert np.allclose(got, want, atol=1e-6)
    assert max(want) > 0.5  # the sample shares n-grams: the check is not all zeros


def test_figures_bigrams_and_features_are_the_reference_ones(
    sample_claims: tuple[ClaimRef, ...],
) -> None:
    extra = ClaimRef(
        0, 0, 0, sample_claims[0].date, "x", "x", "x", None, 0, 1,
        (QuantityRef("year", 2030.0, "year", "2030"), QuantityRef("percent", 2.5, "%", "2.5%")),
        tokens="a:japan cut emiss a:china",
    )  # fmt: skip
    claims = [*sample_claims, extra]
    assert any(c.quantities for c in claims) and any(not c.quantities for c in claims)
    for claim in claims:
        assert evidence._figures(claim) == _ref_figures(claim)
        assert claim_features(claim) == _ref_from_tokens(claim_tokens(claim))
    # The bigram rows hold each claim's distinct consecutive pairs of non-actor tokens: as
    # many as the reference set, and two claims share as many columns as the sets share.
    tokens = [claim_tokens(c) for c in claims]
    half = len(tokens) // 2
    vectors = vectorize(tokens[:half], tokens[half:], [((), None)] * half,
                        [((), None)] * (len(tokens) - half))  # fmt: skip
    rows = [*(vectors.old.bigrams[i] for i in range(half)),
            *(vectors.new.bigrams[j] for j in range(len(tokens) - half))]  # fmt: skip
    ref = [_ref_bigrams(t) for t in tokens]
    assert [r.nnz for r in rows] == [len(b) for b in ref]
    assert any(len(b) for b in ref) and any("a:" in " ".join(t) for t in tokens)
    for i in range(half):
        for j in range(half, len(tokens)):
            assert rows[i].multiply(rows[j]).nnz == len(ref[i] & ref[j])
    assert any(claim_features(c).actors for c in claims)
    assert any(not claim_features(c).actors for c in claims)


# -- the garbage collector ------------------------------------------------------------------------


def test_collector_is_paused_during_the_block_and_restored_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost block turns it back on
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_diff_leaves_the_collector_on(sample_db: Database) -> None:
    result = diff(sample_db, "2021", "2024")
    assert result.changes
    assert gc.isenabled()

"""The matcher: which claims of one selection state the same position as claims of another.

One storage-free pipeline with one config object::

    candidates (sparse TF-IDF top-k)  → candidates.py
    → evidence rows per pair          → evidence.py
    → calibrated probability          → probability.py (the shipped pair model)
    → assignment with "no counterpart" (maximum-weight matching on log-odds), splits and
      merges, leads below the threshold → align.py

Near-duplicates within one selection (one claim stated in several pooled briefs) are grouped
first and matched once. Review decisions come in as ``FixedPoints`` (plain indexes, no
storage): a confirmed pair is always scored and matched, a rejected pair is dropped from the
candidates before anything else sees it. The matcher knows nothing of the database or of
report filters; the engine (``engine.py``) loads selections and turns a ``Matching`` into a
``Diff``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz

from tracker.compare.aliases import Expander, definitions
from tracker.compare.align import Alignment, align, group_duplicates
from tracker.compare.candidates import (
    Side,
    Vectors,
    candidate_pairs,
    rowwise_dot,
    self_pairs,
    vectorize,
)
from tracker.compare.evidence import (
    EMBEDDING_COSINE,
    FEATURE_NAMES,
    pair_evidence,
    person_tokens,
)
from tracker.compare.features import claim_features
from tracker.compare.model import ClaimRef
from tracker.compare.probability import PairModel, shipped_model
from tracker.compare.semantic import Encoder, pair_cosines
from tracker.errors import TrackerError

# Bump when the matcher's pipeline changes in a way that changes its pairs (a new model file
# carries its own version too; reports name both). 6: character n-grams and figure sets
# counted exactly instead of hashed (a pair at the edge of a bar can move).
MATCHER_VERSION = "6"


@dataclass(frozen=True)
class MatcherConfig:
    """Every setting of the matcher, in one place (reports record them)."""

    model: PairModel = field(default_factory=shipped_model)
    threshold: float | None = None  # report pairs at or above this probability (model's)
    lead_floor: float = 0.1  # an unmatched claim's best candidate above this is a lead
    # A claim whose partner is taken still joins it (a split or merge) at this probability:
    # one position stated twice in a brief (model's, chosen with its threshold).
    restatement: float | None = None
    top_k: int = 8  # candidates per old claim
    duplicate_cosine: float = 0.8  # claims of one selection this alike are one claim...
    duplicate_ratio: float = 90.0  # ...when their edit ratio agrees
    # With sentence embeddings and a model that does not read them (one a store fitted on its
    # verdicts), a pair whose embedding cosine is below this cannot match.
    semantic_veto: float = 0.35

    @property
    def cutoff(self) -> float:
        """The probability a pair needs to be reported."""
        return self.model.threshold if self.threshold is None else self.threshold

    @property
    def restate_at(self) -> float:
        """The probability at which a claim joins a pair whose partner is taken."""
        return self.model.restatement if self.restatement is None else self.restatement

    def with_threshold(self, threshold: float | None) -> MatcherConfig:
        """The same settings with another threshold (None: the model's)."""
        return replace(self, threshold=threshold)

    def describe(self) -> dict[str, object]:
        """What a report records so its pairs can be reproduced."""
        return {
            "version": MATCHER_VERSION,
            "model": self.model.version,
            "threshold": round(self.cutoff, 4),
            **(
                {"restatement": round(self.restate_at, 4)} if math.isfinite(self.restate_at) else {}
            ),
        }


@dataclass(frozen=True)
class FixedPoints:
    """Reviewers' decisions, by index into the two claim sequences.

    ``confirmed`` pairs (same or related) are matched whatever their probability, in the
    order given (see ``align.align``); ``rejected`` pairs (different) are never matched and
    never shown as leads. Indexes may name any member of a near-duplicate group: the
    decision applies to the group.
    """

    confirmed: tuple[tuple[int, int], ...] = ()
    rejected: frozenset[tuple[int, int]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.confirmed or self.rejected)


@dataclass(frozen=True)
class Matching:
    """The matcher's answer, by index into the two claim sequences."""

    alignment: Alignment
    lexical: dict[tuple[int, int], float]  # lexical score of each matched or lead pair
    old_members: dict[int, list[int]]  # representative → near-duplicates grouped under it
    new_members: dict[int, list[int]]
    old_reps: np.ndarray  # bool per old claim: represents its group
    new_reps: np.ndarray


@dataclass(frozen=True)
class Scored:
    """Candidate pairs with their evidence, lexical score and probability."""

    rows: np.ndarray
    cols: np.ndarray
    evidence: np.ndarray
    lexical: np.ndarray
    containment: np.ndarray
    probability: np.ndarray


def _vectors(old: Sequence[ClaimRef], new: Sequence[ClaimRef]) -> Vectors:
    f_old = [claim_features(c) for c in old]
    f_new = [claim_features(c) for c in new]
    people = person_tokens([*old, *new])
    # A term one brief defines ("greenhouse gas (GHG)") matches either form in the other.
    expand = Expander(definitions(c.text for c in (*old, *new)))

    def evidence_tokens(claim: ClaimRef, tokens: tuple[str, ...]) -> tuple[str, ...]:
        tokens = expand(tokens, claim.text)
        if people.isdisjoint(tokens):  # most claims name nobody: keep the tuple as it is
            return tokens
        return tuple(t for t in tokens if t not in people)

    return vectorize(
        [evidence_tokens(c, f.tokens) for c, f in zip(old, f_old, strict=True)],
        [evidence_tokens(c, f.tokens) for c, f in zip(new, f_new, strict=True)],
        [(sorted(f.actors), f.subject) for f in f_old],
        [(sorted(f.actors), f.subject) for f in f_new],
    )


def _dedupe(
    claims: Sequence[ClaimRef], side: Side, config: MatcherConfig
) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Which claims represent a near-duplicate group (across briefs), and the members."""
    matrix = side.tfidf
    close = [
        (i, j)
        for i, j in self_pairs(matrix, min_cosine=config.duplicate_cosine)
        if claims[i].brief_id != claims[j].brief_id
        and fuzz.ratio(claims[i].norm_text, claims[j].norm_text) >= config.duplicate_ratio
    ]
    rep = group_duplicates(close, len(claims))
    members: dict[int, list[int]] = {}
    for i, r in enumerate(rep):
        if r != i:
            members.setdefault(r, []).append(i)
    is_rep = np.array([r == i for i, r in enumerate(rep)], dtype=bool)
    return is_rep, members


def score_candidates(
    old: Sequence[ClaimRef],
    new: Sequence[ClaimRef],
    config: MatcherConfig,
    *,
    vectors: Vectors | None = None,
    pairs: tuple[np.ndarray, np.ndarray] | None = None,
    encoder: Encoder | None = None,
) -> Scored:
    """Evidence and probability of the candidate pairs of two claim sequences.

    ``pairs`` adds explicit (rows, cols) to the candidates (the fitting script uses it to
    score labelled pairs the candidate search did not propose). With an ``encoder`` the
    evidence has one more column, the embedding cosine of each pair (``EMBEDDING_COSINE``).
    """
    vectors = vectors or _vectors(old, new)
    rows, cols, cosines = candidate_pairs(vectors, k=config.top_k)
    if pairs is not None:
        known = set(zip(rows.tolist(), cols.tolist(), strict=True))
        extra = [(i, j) for i, j in zip(*pairs, strict=True) if (i, j) not in known]
        if extra:
            er = np.asarray([i for i, _ in extra], dtype=np.int64)
            ec = np.asarray([j for _, j in extra], dtype=np.int64)
            rows = np.concatenate([rows, er])
            cols = np.concatenate([cols, ec])
            cosines = np.concatenate(
                [cosines, rowwise_dot(vectors.old.tfidf, vectors.new.tfidf, er, ec)]
            )
    ev = pair_evidence(vectors, old, new, rows, cols, cosines)
    assert ev.matrix.shape[1] == len(FEATURE_NAMES)
    matrix, columns = ev.matrix, FEATURE_NAMES
    if encoder is not None:
        semantic = pair_cosines(encoder, [c.text for c in old], [c.text for c in new], rows, cols)
        matrix, columns = np.column_stack([matrix, semantic]), (*FEATURE_NAMES, EMBEDDING_COSINE)
    elif EMBEDDING_COSINE in config.model.features:
        raise TrackerError(
            f"matcher model {config.model.version} reads sentence embeddings: "
            "give the embedding model (--embeddings DIR or TRACKER_EMBEDDINGS)"
        )
    return Scored(
        rows=rows,
        cols=cols,
        evidence=matrix,
        lexical=ev.measures.lexical,
        containment=ev.measures.containment,
        probability=config.model.probability(matrix, columns),
    )


@dataclass(frozen=True)
class Prepared:
    """Everything before the assignment: near-duplicate groups and the scored candidates
    between representatives (the assignment can then be re-run at any threshold)."""

    rows: np.ndarray
    cols: np.ndarray
    probability: np.ndarray
    lexical: np.ndarray
    containment: np.ndarray
    n_old: int
    n_new: int
    old_members: dict[int, list[int]]
    new_members: dict[int, list[int]]
    old_reps: np.ndarray
    new_reps: np.ndarray
    # Confirmed pairs between representatives, in the order the alignment fixes them.
    confirmed: tuple[tuple[int, int], ...] = ()


def _rep_of(n: int, members: dict[int, list[int]]) -> list[int]:
    rep = list(range(n))
    for r, group in members.items():
        for m in group:
            rep[m] = r
    return rep


def prepare(
    old: Sequence[ClaimRef],
    new: Sequence[ClaimRef],
    config: MatcherConfig,
    *,
    encoder: Encoder | None = None,
    fixed: FixedPoints | None = None,
) -> Prepared:
    """Group near-duplicates, then score the candidate pairs between representatives.

    With ``fixed``, the confirmed pairs are scored too (even when the candidate search did
    not propose them) and survive the semantic veto; the rejected pairs are dropped.
    """
    vectors = _vectors(old, new)
    old_reps, old_members = _dedupe(old, vectors.old, config)
    new_reps, new_members = _dedupe(new, vectors.new, config)
    confirmed: list[tuple[int, int]] = []
    rejected: set[tuple[int, int]] = set()
    if fixed:
        rep_old, rep_new = _rep_of(len(old), old_members), _rep_of(len(new), new_members)
        confirmed = list(dict.fromkeys((rep_old[i], rep_new[j]) for i, j in fixed.confirmed))
        rejected = {(rep_old[i], rep_new[j]) for i, j in fixed.rejected}
        confirmed = [p for p in confirmed if p not in rejected]
    extra = None
    if confirmed:
        extra = (
            np.asarray([i for i, _ in confirmed], dtype=np.int64),
            np.asarray([j for _, j in confirmed], dtype=np.int64),
        )
    # A model fitted with the embedding column reads it as evidence; any other model, given an
    # encoder, uses the embeddings as a veto below.
    learned = encoder is not None and EMBEDDING_COSINE in config.model.features
    scored = score_candidates(
        old, new, config, vectors=vectors, pairs=extra, encoder=encoder if learned else None
    )
    keep = old_reps[scored.rows] & new_reps[scored.cols]
    if fixed:
        pairs = list(zip(scored.rows.tolist(), scored.cols.tolist(), strict=True))
        wanted = set(confirmed)
        protect = np.fromiter((p in wanted for p in pairs), bool, len(pairs))
        keep &= np.fromiter((p not in rejected for p in pairs), bool, len(pairs))
    else:
        protect = np.zeros(len(scored.rows), dtype=bool)
    rows, cols = scored.rows[keep], scored.cols[keep]
    protect = protect[keep]
    prob, lexical, contain = (
        scored.probability[keep],
        scored.lexical[keep],
        scored.containment[keep],
    )
    if encoder is not None and not learned and len(rows):
        # Only pairs that could be matched or shown as leads need the veto; a pair a
        # reviewer confirmed is kept whatever the embeddings say.
        near = (prob >= config.lead_floor) | protect
        rows, cols, prob, lexical, contain, protect = (
            rows[near],
            cols[near],
            prob[near],
            lexical[near],
            contain[near],
            protect[near],
        )
        similar = (
            pair_cosines(encoder, [c.text for c in old], [c.text for c in new], rows, cols)
            >= config.semantic_veto
        ) | protect
        rows, cols, prob, lexical, contain = (
            rows[similar],
            cols[similar],
            prob[similar],
            lexical[similar],
            contain[similar],
        )
    return Prepared(
        rows,
        cols,
        prob,
        lexical,
        contain,
        len(old),
        len(new),
        old_members,
        new_members,
        old_reps,
        new_reps,
        tuple(confirmed),
    )


def assign(prepared: Prepared, config: MatcherConfig) -> Matching:
    """The assignment step alone, at the config's threshold."""
    p = prepared
    alignment = align(
        p.rows,
        p.cols,
        p.probability,
        p.containment,
        config.cutoff,
        p.n_old,
        p.n_new,
        lead_floor=config.lead_floor,
        restatement=config.restate_at,
        fixed=p.confirmed,
    )
    wanted = {(e.old, e.new) for e, _ in alignment.pairs}
    wanted |= {(e.old, e.new) for e in alignment.lead_old.values()}
    wanted |= {(e.old, e.new) for e in alignment.lead_new.values()}
    # The lexical score of the wanted pairs, picked in numpy (candidate pairs are distinct).
    key = p.rows * max(p.n_new, 1) + p.cols
    wanted_keys = np.fromiter((i * max(p.n_new, 1) + j for i, j in wanted), dtype=np.int64)
    keep = np.isin(key, wanted_keys)
    lex = dict(
        zip(
            zip(p.rows[keep].tolist(), p.cols[keep].tolist(), strict=True),
            p.lexical[keep].tolist(),
            strict=True,
        )
    )
    return Matching(alignment, lex, p.old_members, p.new_members, p.old_reps, p.new_reps)


def match(
    old: Sequence[ClaimRef],
    new: Sequence[ClaimRef],
    config: MatcherConfig | None = None,
    *,
    encoder: Encoder | None = None,
    fixed: FixedPoints | None = None,
) -> Matching:
    """Align two claim sequences: pairs above the threshold, leads below it, and the
    reviewers' ``fixed`` points honoured (confirmed pairs matched, rejected ones never)."""
    config = config or MatcherConfig()
    return assign(prepare(old, new, config, encoder=encoder, fixed=fixed), config)

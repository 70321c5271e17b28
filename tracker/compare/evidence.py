"""The evidence a candidate pair offers, as one row of numbers per pair.

The pair model (``probability``) turns these rows into a match probability. Each column is
a signal that separates "the same position" from "the same topic" on labelled pairs
(``benchmarks/data/pair_labels.tsv``):

- lexical overlap: TF-IDF cosine, IDF-weighted containment and Dice, character 4-gram
  cosine, and the blended lexical score of ``scoring``;
- specificity: the rarest content word the two claims share, and the weight of shared
  proper names and acronyms ("Open RAN", "CHIPS", "Quad") - a named programme or grouping
  is the specific subject an analyst means;
- what is *not* evidence: countries and organisations (actors), and people's names and
  titles (``person_tokens``, removed from every view before scoring), which say who speaks
  or is spoken of, not what the position is ("Prime Minister Kishida" is in half the claims
  of a brief on Japan);
- who the position is about: the subject actors differ, or the actors are disjoint;
- figures: both claims state figures, and whether any of them measure the same kind of
  thing (a share of GDP, a sum of money, a count of troops);
- competition: whether each claim is the other's best candidate, and by what margin - a
  claim with no counterpart has only weak, similar-looking neighbours.

Every column is computed for all candidate pairs at once from sparse rows (``candidates``),
so the cost stays linear in the number of candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy.sparse import csr_matrix, diags

from tracker.compare.candidates import Vectors, binary_rows, rowwise_dot
from tracker.compare.features import content_tokens
from tracker.compare.model import ClaimRef
from tracker.compare.scoring import PairMeasures, pair_measures

FEATURE_NAMES: tuple[str, ...] = (
    "cosine",
    "containment",
    "dice",
    "char_cosine",
    "lexical",
    "subject_mismatch",
    "actors_disjoint",
    "shared_content",
    "rarest_shared",
    "shared_names",
    "evidence_share",
    "unshared_max",
    "unshared_min",
    "best_for_old",
    "best_for_new",
    "margin_old",
    "margin_new",
    "figures_both",
    "figures_same_kind",
    "figures_other_kind",
    "figures_same_value",
    "shared_bigrams",
    "bigram_share",
    "token_set_ratio",
    "position_gap",
    "diff_percentile",
    "locally_rare_shared",
    "years_shared",
    "years_differ",
    "neighbour_lexical",
)

# With sentence embeddings (``--embeddings``), one more column: the cosine of the two claims'
# embeddings. Only the model fitted with it (``shipped_model(semantic=True)``) reads it.
EMBEDDING_COSINE = "embedding_cosine"

# The columns read off the diff's own counts and order (its percentile, its locally rare
# words, aligned neighbours) say little in a diff of a few claims, where every shared word is
# rare, every pair is the best there is, and every claim sits next to one that pairs. Below
# RELATIVE_CLAIMS claims they are drawn towards a neutral value (about their mean over the
# labelled pairs) in proportion to the diff's size.
RELATIVE_CLAIMS = 60
NEUTRAL_PERCENTILE = 0.4
NEUTRAL_RARE = 0.55
NEUTRAL_NEIGHBOUR = 0.16
# Words that introduce a person's name: the capitalised words after them are a name.
_TITLES = (
    r"President|Vice President|Prime Minister|Premier|Chancellor|Secretary(?: of State)?|"
    r"Secretary-General|Minister|Foreign Minister|Ambassador|Senator|Governor|Mayor|General|"
    r"Admiral|Chairman|Chairwoman|Chair|Speaker|Leader|King|Queen|Emperor|Crown Prince|"
    r"Pope|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Dame|Lord|Lady"
)
# Both patterns open with ``(?=[A-Z])``, which every match implies (each title and each
# branch starts with a capital): it changes no match, and lets the regex engine skip the
# other positions quickly (about 40% less time over 200k claims).
_PERSON = re.compile(rf"(?=[A-Z])\b(?:{_TITLES})\s+((?:[A-Z][\w'’.-]+\s?){{1,3}})")
# A capitalised word that does not open the sentence, or an acronym anywhere: a name of a
# programme, grouping, law or instrument ("the Quad", "Open RAN", "CHIPS and Science Act").
_NAME = re.compile(r"(?=[A-Z])(?:(?<=[\w,;:)] )[A-Z][\w'’-]*|\b[A-Z]{2,}[a-z]?\b)")


# Title words themselves: who speaks, not what about.
_TITLE_WORDS = frozenset(
    content_tokens(
        "president vice prime minister premier chancellor secretary general ambassador "
        "senator governor mayor admiral chairman chairwoman chair speaker king queen emperor "
        "crown prince pope mr mrs ms dr sir dame lord lady former"
    )
)


def person_tokens(claims: Sequence[ClaimRef]) -> frozenset[str]:
    """Content tokens that name people (or their titles) anywhere in ``claims``.

    A name is found after a title ("Prime Minister Fumio Kishida") and then recognised
    wherever it recurs in the diff ("Kishida said"). People's names and titles say who holds
    or announces a position, not what it is, so the matcher takes them out of the evidence:
    two claims that share only "President Biden" are not the same position.
    """
    found: set[str] = set(_TITLE_WORDS)
    for claim in claims:
        for name in _PERSON.findall(claim.text):
            found.update(t for t in content_tokens(name.lower()) if not t.startswith("a:"))
    return frozenset(found)


@dataclass(frozen=True)
class Evidence:
    """Feature rows of candidate pairs, and the lexical measures they came from."""

    matrix: np.ndarray  # (pairs, len(FEATURE_NAMES)), float64
    measures: PairMeasures


def _term_mask(
    claims: Sequence[ClaimRef], pattern: re.Pattern[str], vocab: dict[str, int]
) -> np.ndarray:
    """Vocabulary columns whose term is written as ``pattern`` matches somewhere in ``claims``."""
    mask = np.zeros(len(vocab), dtype=np.float32)
    seen: set[str] = set()
    for claim in claims:
        for found in pattern.findall(claim.text):
            seen.add(found if isinstance(found, str) else found[0])
    for words in seen:
        for token in content_tokens(words.lower()):
            column = vocab.get(token)
            if column is not None:
                mask[column] = 1.0
    return mask


def _ranks(keys: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: 1.0 when it is its key's best-scoring pair, and its margin over the next.

    The margin of the best pair is its lead over the runner-up (its own score when alone);
    that of any other pair is its (negative) distance below the best.
    """
    n = len(keys)
    best = np.zeros(n)
    margin = np.zeros(n)
    if n == 0:
        return best, margin
    order = np.lexsort((-score, keys))
    k, s = keys[order], score[order]
    starts = np.r_[True, k[1:] != k[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    top = s[first][group]
    second_idx = first + 1
    has_second = np.r_[first[1:], n] > second_idx
    second = np.where(has_second, s[np.minimum(second_idx, n - 1)], 0.0)[group]
    is_best = starts
    best[order] = is_best.astype(np.float64)
    margin[order] = np.where(is_best, top - second, s - top)
    return best, margin


def _figures(claim: ClaimRef) -> tuple[set[str], set[str]]:
    """The kinds of figure a claim states (kind and unit, years aside), and its figures."""
    if not claim.quantities:  # most claims: nothing to format
        return set(), set()
    figures = [q for q in claim.quantities if q.kind != "year"]
    return {f"{q.kind}|{q.unit}" for q in figures}, {f"{q.unit}|{q.value:g}" for q in figures}


def _years(claim: ClaimRef) -> set[str]:
    """The years a claim names ("by 2030", "since 2013"): the dates a position is pinned to."""
    if not claim.quantities:
        return set()
    return {f"{q.value:g}" for q in claim.quantities if q.kind == "year"}


def _positions(claims: Sequence[ClaimRef]) -> np.ndarray:
    """Each claim's relative position in its brief, 0 (first) to 1 (last)."""
    last: dict[int, int] = {}
    for c in claims:
        last[c.brief_id] = max(last.get(c.brief_id, 0), c.ordinal)
    return np.asarray(
        [c.ordinal / last[c.brief_id] if last[c.brief_id] else 0.0 for c in claims],
        dtype=np.float64,
    )


def _adjacent(claims: Sequence[ClaimRef]) -> tuple[np.ndarray, np.ndarray]:
    """Each claim's previous and next claim in its brief, by ordinal (index into ``claims``,
    or -1 for the first and last claim of a brief)."""
    briefs = np.fromiter((c.brief_id for c in claims), dtype=np.int64, count=len(claims))
    ordinals = np.fromiter((c.ordinal for c in claims), dtype=np.int64, count=len(claims))
    index = np.lexsort((ordinals, briefs))  # selections come in this order; any order works
    same = briefs[index[1:]] == briefs[index[:-1]]
    prev = np.full(len(claims), -1, dtype=np.int64)
    nxt = np.full(len(claims), -1, dtype=np.int64)
    prev[index[1:]] = np.where(same, index[:-1], -1)
    nxt[index[:-1]] = np.where(same, index[1:], -1)
    return prev, nxt


def _neighbour_support(
    old: Sequence[ClaimRef],
    new: Sequence[ClaimRef],
    rows: np.ndarray,
    cols: np.ndarray,
    lexical: np.ndarray,
) -> np.ndarray:
    """Per pair, the best lexical score of a pair next to it in both briefs.

    Versions of one document keep their order: a reworded claim sits between claims that
    pair as well, while a claim with no counterpart has no aligned neighbours. "Next to"
    is one step before (or after) on both sides, or two steps on one side where a claim was
    inserted or dropped. Pairs that are not candidates count 0.
    """
    n_new = max(len(new), 1)
    key = rows * n_new + cols
    order = np.argsort(key, kind="stable")
    keys = key[order]

    def lexical_of(r: np.ndarray, c: np.ndarray) -> np.ndarray:
        if not len(keys):
            return np.zeros(len(r))
        valid = (r >= 0) & (c >= 0)
        wanted = np.where(valid, r * n_new + c, -1)
        at = np.clip(np.searchsorted(keys, wanted), 0, len(keys) - 1)
        return np.where(valid & (keys[at] == wanted), lexical[order[at]], 0.0)

    def twice(step: np.ndarray, first: np.ndarray) -> np.ndarray:
        return np.where(first >= 0, step[np.maximum(first, 0)], -1)

    prev_old, next_old = _adjacent(old)
    prev_new, next_new = _adjacent(new)
    support = np.zeros(len(rows))
    for step_old, step_new in ((prev_old, prev_new), (next_old, next_new)):
        o, n = step_old[rows], step_new[cols]
        for r, c in ((o, n), (twice(step_old, o), n), (o, twice(step_new, n))):
            support = np.maximum(support, lexical_of(r, c))
    return support


def pair_evidence(
    vectors: Vectors,
    old: Sequence[ClaimRef],
    new: Sequence[ClaimRef],
    rows: np.ndarray,
    cols: np.ndarray,
    cosines: np.ndarray,
) -> Evidence:
    """Evidence rows for the pairs ``(old[rows[k]], new[cols[k]])``."""
    m = pair_measures(vectors, rows, cols, cosines)
    vocab = vectors.vocab
    o, n = vectors.old, vectors.new
    names = _term_mask([*old, *new], _NAME, vocab)
    # Actors (tokens "a:…") say who a position is about, not what it is: context, not content.
    # (People's names and titles are already out of the tokens, see ``person_tokens``.)
    context = np.zeros(len(vocab), dtype=np.float32)
    for term, column in vocab.items():
        if term.startswith("a:"):
            context[column] = 1.0
    evidence_cols = diags((1.0 - context).astype(np.float32))
    content_weighted = (o.weighted @ evidence_cols).tocsr()
    shared_content_weight = rowwise_dot(content_weighted, n.tokens, rows, cols)
    shared_names = rowwise_dot((o.weighted @ diags(names)).tocsr(), n.tokens, rows, cols)
    rarest = _rowwise_max(content_weighted, n.tokens, rows, cols)
    # The same, by this diff's own counts only: a word few claims of the diff use ("steel",
    # "CPTPP") names a specific subject; one most of them use ("alliance") names the topic.
    n_claims = o.tokens.shape[0] + n.tokens.shape[0]
    local_df = np.bincount(o.tokens.indices, minlength=o.tokens.shape[1]) + np.bincount(
        n.tokens.indices, minlength=n.tokens.shape[1]
    )
    local_idf = (np.log((n_claims + 1) / (local_df + 1)) * (1.0 - context)).astype(np.float32)
    locally_rare = _rowwise_max((o.tokens @ diags(local_idf)).tocsr(), n.tokens, rows, cols)
    shared_content = rowwise_dot((o.tokens @ evidence_cols).tocsr(), n.tokens, rows, cols)

    w_old, w_new = o.weight[rows], n.weight[cols]
    with np.errstate(divide="ignore", invalid="ignore"):
        lighter = np.minimum(w_old, w_new)
        evidence_share = np.where(lighter > 0, shared_content_weight / lighter, 0.0)
        unshared_old = np.where(w_old > 0, 1.0 - m.shared_weight / w_old, 1.0)
        unshared_new = np.where(w_new > 0, 1.0 - m.shared_weight / w_new, 1.0)

    best_old, margin_old = _ranks(rows, m.lexical)
    best_new, margin_new = _ranks(cols, m.lexical)

    fig_old = [_figures(c) for c in old]
    fig_new = [_figures(c) for c in new]
    kinds_old, kinds_new = binary_rows([k for k, _ in fig_old], [k for k, _ in fig_new])
    has_old = np.diff(kinds_old.indptr)[rows] > 0
    has_new = np.diff(kinds_new.indptr)[cols] > 0
    same_kind = rowwise_dot(kinds_old, kinds_new, rows, cols) > 0
    both = has_old & has_new
    values_old, values_new = binary_rows([v for _, v in fig_old], [v for _, v in fig_new])
    same_value = rowwise_dot(values_old, values_new, rows, cols) > 0

    # A shared target or base year ("by 2030", "below 2005 levels") pins two claims to the
    # same commitment; two different years, to different ones. The content tokens leave
    # numbers out, so this is the only place years count.
    years_old, years_new = binary_rows([_years(c) for c in old], [_years(c) for c in new])
    years_both = (np.diff(years_old.indptr)[rows] > 0) & (np.diff(years_new.indptr)[cols] > 0)
    years_shared = rowwise_dot(years_old, years_new, rows, cols) > 0

    # Shared consecutive content-token pairs say the same phrase, not just a topic.
    bi_old, bi_new = o.bigrams, n.bigrams
    shared_bigrams = rowwise_dot(bi_old, bi_new, rows, cols)
    n_bi = np.minimum(np.diff(bi_old.indptr)[rows], np.diff(bi_new.indptr)[cols])
    bigram_share = np.where(n_bi > 0, shared_bigrams / np.maximum(n_bi, 1), 0.0)
    set_ratio = _token_set_ratios(old, new, rows, cols)
    position_gap = np.abs(_positions(old)[rows] - _positions(new)[cols])
    # How the pair stands against this diff's own background: the share of old claims whose
    # best candidate scores at or below it. Briefs by different authors share fewer words than
    # versions of one statement, so the same lexical score means more between them.
    best_per_old = np.zeros(len(old))
    np.maximum.at(best_per_old, rows, m.lexical)
    ranked = np.sort(best_per_old)
    percentile = np.searchsorted(ranked, m.lexical, side="right") / max(len(ranked), 1)

    columns = (
        m.cosine,
        m.containment,
        m.dice,
        m.char_cosine,
        m.lexical,
        m.subject_mismatch,
        m.actors_disjoint,
        np.log1p(shared_content),
        rarest / 10.0,
        np.log1p(shared_names),
        np.clip(evidence_share, 0.0, 1.0),
        np.maximum(unshared_old, unshared_new),
        np.minimum(unshared_old, unshared_new),
        best_old,
        best_new,
        np.clip(margin_old, -1.0, 1.0),
        np.clip(margin_new, -1.0, 1.0),
        both,
        both & same_kind,
        both & ~same_kind,
        same_value,
        np.log1p(shared_bigrams),
        bigram_share,
        set_ratio,
        position_gap,
        _shrunk(percentile, n_claims, NEUTRAL_PERCENTILE),
        _shrunk(locally_rare / max(np.log(n_claims + 1), 1.0), n_claims, NEUTRAL_RARE),
        years_shared,
        years_both & ~years_shared,
        _shrunk(_neighbour_support(old, new, rows, cols, m.lexical), n_claims, NEUTRAL_NEIGHBOUR),
    )
    # Filled column by column into one float64 array (each column cast as column_stack would
    # cast it): several times faster than stacking, and the same numbers.
    matrix = np.empty((len(rows), len(columns)), dtype=np.float64)
    for k, column in enumerate(columns):
        matrix[:, k] = column
    return Evidence(matrix=matrix, measures=m)


def _shrunk(values: np.ndarray, n_claims: int, neutral: float) -> np.ndarray:
    """``values`` drawn towards ``neutral`` in a diff of fewer than RELATIVE_CLAIMS claims."""
    weight = min(1.0, n_claims / RELATIVE_CLAIMS)
    out: np.ndarray = weight * values + (1.0 - weight) * neutral
    return out


# Threads for the pairwise edit-distance scores (rapidfuzz releases the GIL).
RATIO_WORKERS = 2


def _token_set_ratios(
    old: Sequence[ClaimRef], new: Sequence[ClaimRef], rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """``token_set_ratio`` of each pair's normalised texts, in [0, 1].

    rapidfuzz's element-wise ``cpdist`` computes exactly what one ``fuzz.token_set_ratio``
    call per pair does (the same C scorer, in double precision), on ``RATIO_WORKERS``
    threads instead of a Python loop: it is the costliest evidence column at scale.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float64)
    texts_old = [c.norm_text for c in old]
    texts_new = [c.norm_text for c in new]
    scores = process.cpdist(
        [texts_old[i] for i in rows.tolist()],
        [texts_new[j] for j in cols.tolist()],
        scorer=fuzz.token_set_ratio,
        dtype=np.float64,
        workers=RATIO_WORKERS,
    )
    out: np.ndarray = scores / 100.0
    return out


def _rowwise_max(a: csr_matrix, b: csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``max(a[rows[k]] * b[cols[k]])`` elementwise for every k (0 when nothing is shared)."""
    out = np.zeros(len(rows), dtype=np.float64)
    chunk = 50_000
    for start in range(0, len(rows), chunk):
        r, c = rows[start : start + chunk], cols[start : start + chunk]
        product = a[r].multiply(b[c]).tocsr()
        if product.nnz:
            out[start : start + len(r)] = product.max(axis=1).toarray().ravel()
    return out

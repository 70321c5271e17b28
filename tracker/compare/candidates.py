"""Sparse candidate generation: which claim pairs are worth scoring at all.

Scoring every old claim against every new one is O(N·M); a year of a large corpus holds
100k claims. Claims are embedded as TF-IDF vectors of their content tokens (unigrams and
bigrams, sub-linear tf) and each claim keeps only its top-k most similar claims on the other
side, in both directions, via sparse_dot_topn's multi-threaded top-n sparse product.

IDF pools the diff's own counts with background document frequencies of ~97k sentences of
real policy prose (``tracker/data/background_df.tsv.gz``, built by ``scripts/build_idf.py``):
a diff of two short briefs is too small a sample to know that "cooperation" is generic and
"tariffs" is telling.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalize
from sparse_dot_topn import sp_matmul_topn

TOP_K = 8
CHAR_FEATURES = 2**20
# Pairs whose character cosine is computed in one vectorised step (bounds peak memory).
PAIR_CHUNK = 50_000
# Cosines below this are never a match; dropping them early keeps the product sparse.
MIN_COSINE = 0.05


@dataclass(frozen=True)
class Background:
    """Document frequencies of terms in background policy prose."""

    documents: int
    df: dict[str, int]


@lru_cache(maxsize=1)
def background() -> Background:
    """Load the shipped background document frequencies (once per process)."""
    data = resources.files("tracker.data").joinpath("background_df.tsv.gz").read_bytes()
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    documents = int(lines[0].split("\t")[1])
    df: dict[str, int] = {}
    for line in lines[1:]:
        term, _, count = line.rpartition("\t")
        df[term] = int(count)
    return Background(documents, df)


@dataclass(frozen=True)
class Vectors:
    """TF-IDF rows of the old and new claims, their character n-gram rows, and the pooled
    IDF of each unigram."""

    old: csr_matrix
    new: csr_matrix
    chars_old: csr_matrix
    chars_new: csr_matrix
    idf: dict[str, float]


def _char_rows(unigram_counts: csr_matrix, unigrams: Sequence[str]) -> csr_matrix:
    """L2-normalised character 4-gram vectors of each claim's content tokens.

    Word forms that stemming leaves apart ("denuclearisation" / "nuclear", "resilience" /
    "resistance", "trade" / "trading") still share n-grams. The n-grams are taken within
    words (like scikit-learn's ``char_wb``), so a claim's vector is the sum of its tokens'
    vectors: hashing each distinct token once and multiplying by the token counts is much
    faster than re-analysing every claim. 4-grams alone scored as well as 3–5-grams on both
    gold sets with a third of the non-zeros (pair cosines dominate the cost at scale).
    """
    hasher = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(4, 4),
        n_features=CHAR_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    per_token = hasher.transform(unigrams)
    rows = (unigram_counts @ per_token).tocsr()
    return l2_normalize(rows, norm="l2", copy=False).tocsr()


def pair_cosines(a: csr_matrix, b: csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Cosines of the row pairs ``(a[rows[k]], b[cols[k]])`` (rows are L2-normalised)."""
    out = np.zeros(len(rows), dtype=np.float32)
    for start in range(0, len(rows), PAIR_CHUNK):
        r, c = rows[start : start + PAIR_CHUNK], cols[start : start + PAIR_CHUNK]
        out[start : start + len(r)] = np.asarray(a[r].multiply(b[c]).sum(axis=1)).ravel()
    return out


def _analyzer(doc: str) -> list[str]:
    tokens = doc.split()
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def vectorize(old_docs: Sequence[str], new_docs: Sequence[str]) -> Vectors:
    """TF-IDF over both sides, IDF pooled with the background counts."""
    docs = [*old_docs, *new_docs]
    counter = CountVectorizer(analyzer=_analyzer, dtype=np.float32)
    counts = counter.fit_transform(docs).tocsr()
    terms = counter.get_feature_names_out()
    local_df = np.bincount(counts.indices, minlength=len(terms))
    bg = background()
    total = bg.documents + len(docs) + 1
    local_total = len(docs) + 1
    # A term tells claims apart only if it is rare both in general (pooled with the
    # background) and in this diff: "Japan" is rare in general but in every claim here.
    idf = np.array(
        [
            min(
                math.log(total / (bg.df.get(t, 0) + int(n) + 1)),
                math.log(local_total / (int(n) + 1)),
            )
            + 1.0
            for t, n in zip(terms, local_df, strict=True)
        ],
        dtype=np.float32,
    )
    unigram_cols = np.array([i for i, t in enumerate(terms) if " " not in t], dtype=np.int64)
    chars = _char_rows(counts[:, unigram_cols], [str(terms[i]) for i in unigram_cols])
    counts.data = 1.0 + np.log(counts.data)  # sub-linear tf
    matrix = l2_normalize(counts @ diags(idf), norm="l2", copy=False).tocsr()
    unigram_idf = {str(terms[i]): float(idf[i]) for i in unigram_cols}
    n_old = len(old_docs)
    return Vectors(
        old=matrix[:n_old],
        new=matrix[n_old:],
        chars_old=chars[:n_old],
        chars_new=chars[n_old:],
        idf=unigram_idf,
    )


def _top(a: csr_matrix, b: csr_matrix, k: int, threads: int | None) -> csr_matrix:
    return sp_matmul_topn(a, b.T.tocsr(), top_n=k, threshold=MIN_COSINE, n_threads=threads)


def candidate_pairs(
    vectors: Vectors, k: int = TOP_K, threads: int | None = 2
) -> dict[tuple[int, int], float]:
    """``(old index, new index) → cosine`` for each claim's top-k partners, both directions."""
    pairs: dict[tuple[int, int], float] = {}
    if vectors.old.shape[0] == 0 or vectors.new.shape[0] == 0:
        return pairs
    forward = _top(vectors.old, vectors.new, k, threads).tocoo()
    for i, j, v in zip(forward.row, forward.col, forward.data, strict=True):
        pairs[(int(i), int(j))] = float(v)
    backward = _top(vectors.new, vectors.old, k, threads).tocoo()
    for j, i, v in zip(backward.row, backward.col, backward.data, strict=True):
        pairs[(int(i), int(j))] = float(v)
    return pairs


def self_pairs(
    matrix: csr_matrix, k: int, min_cosine: float, threads: int | None = 2
) -> list[tuple[int, int, float]]:
    """Near neighbours within one side (i < j), for grouping near-duplicate claims."""
    if matrix.shape[0] < 2:
        return []
    product = sp_matmul_topn(
        matrix, matrix.T.tocsr(), top_n=k + 1, threshold=min_cosine, n_threads=threads
    ).tocoo()
    return [
        (int(i), int(j), float(v))
        for i, j, v in zip(product.row, product.col, product.data, strict=True)
        if i < j
    ]

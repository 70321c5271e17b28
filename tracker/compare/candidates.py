"""Sparse candidate generation: which claim pairs are worth scoring at all.

Scoring every old claim against every new one is O(N·M); a year of a large corpus holds
100k claims. Claims are embedded as TF-IDF vectors of their content tokens (unigrams and
bigrams, sub-linear tf) and each claim keeps only its top-k most similar claims on the other
side, in both directions, via sparse_dot_topn's multi-threaded top-n sparse product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sparse_dot_topn import sp_matmul_topn

TOP_K = 8
# Cosines below this are never a match; dropping them early keeps the product sparse.
MIN_COSINE = 0.05


@dataclass(frozen=True)
class Vectors:
    """TF-IDF rows of the old and new claims, and the IDF of each unigram."""

    old: csr_matrix
    new: csr_matrix
    idf: dict[str, float]


def _analyzer(doc: str) -> list[str]:
    tokens = doc.split()
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def vectorize(old_docs: Sequence[str], new_docs: Sequence[str]) -> Vectors:
    """Fit TF-IDF on both sides together (a term's rarity is judged over the whole diff)."""
    vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([*old_docs, *new_docs]).tocsr()
    idf = {
        term: float(weight)
        for term, weight in zip(vectorizer.get_feature_names_out(), vectorizer.idf_, strict=True)
        if " " not in term
    }
    n_old = len(old_docs)
    return Vectors(old=matrix[:n_old], new=matrix[n_old:], idf=idf)


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

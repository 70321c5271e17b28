"""Sparse vectors of claims and candidate generation: which pairs are worth scoring at all.

Scoring every old claim against every new one is O(N·M); a year of a large corpus holds
100k claims. Claims are embedded as TF-IDF vectors of their content tokens (sub-linear tf)
and each old claim keeps only its top-k most similar new claims, via sparse_dot_topn's
multi-threaded top-n sparse product. (Bigrams were tried: they doubled the vectors and the
product's cost and changed no gold result once character n-grams were in the score.)

IDF pools the diff's own counts with background document frequencies of ~97k sentences of
real policy prose (``tracker/data/background_df.tsv.gz``, built by ``scripts/build_idf.py``):
a diff of two short briefs is too small a sample to know that "cooperation" is generic and
"tariffs" is telling.

Everything the scorer needs per claim is a sparse row here (token sets, character n-grams,
actors), so that pair measures are row-wise dot products computed for all pairs at once.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy.sparse import csr_matrix, diags
from sparse_dot_topn import sp_matmul_topn

TOP_K = 8
CHAR_N = 4  # characters per n-gram of ``_char_rows``
# Row pairs whose dot product is computed in one vectorised step (bounds peak memory).
PAIR_CHUNK = 50_000
# A term in more claims than both of these is left out of the candidate search (not of the
# score). The absolute floor keeps every term in diffs of ordinary size.
COMMON_TERM_DOCS = 2000
COMMON_TERM_SHARE = 0.02
# Near-duplicate search: rows are pruned to this many heaviest terms, and each keeps this many
# neighbours, before the full cosine is checked.
DUPLICATE_KEY_TERMS = 4
DUPLICATE_NEIGHBOURS = 10
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
class Side:
    """Sparse rows of the claims of one side of a diff (row i = claim i)."""

    tfidf: csr_matrix  # L2-normalised TF-IDF of the content tokens
    chars: csr_matrix  # L2-normalised character 4-grams of the content tokens
    tokens: csr_matrix  # binary: which unigram tokens the claim has
    weighted: csr_matrix  # the same, each token weighted by its IDF
    actors: csr_matrix  # binary: actors named
    subject: csr_matrix  # one-hot: the subject actor, if any
    # binary: which pairs of consecutive content tokens (actors left out) the claim has; a
    # column is one such pair, the same on both sides
    bigrams: csr_matrix

    @property
    def weight(self) -> np.ndarray:
        """Summed IDF of each claim's distinct tokens."""
        return np.asarray(self.weighted.sum(axis=1)).ravel()


@dataclass(frozen=True)
class Vectors:
    """Both sides of a diff over one shared vocabulary (``vocab``: term → column), and the
    token sequences they were built from."""

    old: Side
    new: Side
    vocab: dict[str, int]
    old_tokens: Sequence[Sequence[str]] = ()
    new_tokens: Sequence[Sequence[str]] = ()


def l2_normalize(matrix: csr_matrix) -> csr_matrix:
    """Each row scaled to unit length (rows of zeros stay zero)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return (diags(scale.astype(matrix.dtype)) @ matrix).tocsr()


def _char_ngrams(token: str) -> list[str]:
    """The character 4-grams of one word padded with a space each side (scikit-learn's
    ``char_wb``): a padded word shorter than four characters is its own single n-gram."""
    padded = f" {token} "
    if len(padded) <= CHAR_N:
        return [padded]
    return [padded[i : i + CHAR_N] for i in range(len(padded) - CHAR_N + 1)]


def _char_rows(token_rows: csr_matrix, unigrams: Sequence[str]) -> csr_matrix:
    """L2-normalised character 4-gram vectors of each claim's content tokens.

    Word forms that stemming leaves apart ("denuclearisation" / "nuclear", "resilience" /
    "resistance", "trade" / "trading") still share n-grams. The n-grams are taken within
    words, so a claim's vector is the sum of its tokens' vectors: each distinct token is
    split once and multiplied by the token counts, which is much faster than re-analysing
    every claim. 4-grams alone scored as well as 3–5-grams on both gold sets with a third of
    the non-zeros (pair cosines dominate the cost at scale). Each distinct n-gram is a
    column of its own (no hashing, so no collisions, and no scikit-learn import, which cost
    a second of every command's start).
    """
    per_token = _rows([_char_ngrams(t) for t in unigrams], {})
    return l2_normalize((token_rows @ per_token).tocsr())


def binary_rows(
    old: Sequence[Iterable[str]], new: Sequence[Iterable[str]]
) -> tuple[csr_matrix, csr_matrix]:
    """Binary rows of each claim's string set, one column per distinct string of both
    sides (so ``rowwise_dot`` of the two counts the strings two claims share)."""
    vocab: dict[str, int] = {}
    a, b = _rows([sorted(k) for k in old], vocab), _rows([sorted(k) for k in new], vocab)
    width = max(len(vocab), 1)
    for rows in (a, b):
        rows.resize(rows.shape[0], width)
        rows.data[:] = 1.0
    return a, b


def _ids(docs: Sequence[Sequence[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary ids of token lists, in order, and where each list starts (CSR-style),
    growing ``vocab`` as new terms appear."""
    indptr = [0]
    indices: list[int] = []
    for doc in docs:
        for term in doc:
            index = vocab.get(term)
            if index is None:
                index = vocab[term] = len(vocab)
            indices.append(index)
        indptr.append(len(indices))
    return np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)


def _counts(ids: np.ndarray, indptr: np.ndarray, width: int) -> csr_matrix:
    """Count matrix of id lists (``_ids``)."""
    data = np.ones(len(ids), dtype=np.float32)
    matrix = csr_matrix((data, ids, indptr), shape=(len(indptr) - 1, max(width, 1)))
    matrix.sum_duplicates()  # repeated terms become counts
    return matrix


def _rows(docs: Sequence[Sequence[str]], vocab: dict[str, int]) -> csr_matrix:
    """Count matrix of token lists, growing ``vocab`` as new terms appear."""
    ids, indptr = _ids(docs, vocab)
    return _counts(ids, indptr, len(vocab))


def _bigram_rows(ids: np.ndarray, indptr: np.ndarray, skip: np.ndarray) -> csr_matrix:
    """Binary rows of the pairs of consecutive ids of each list, once the ids that ``skip``
    marks (actors) are taken out: one column per distinct pair, in numeric order.

    The same as the set of "a b" strings of each claim's tokens, without a string per pair.
    """
    n_docs = len(indptr) - 1
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(indptr))
    kept = ~skip[ids]
    ids, doc = ids[kept], doc[kept]
    within = doc[1:] == doc[:-1]
    width = int(skip.shape[0])
    keys = ids[:-1][within] * width + ids[1:][within]
    columns, column_of = np.unique(keys, return_inverse=True)
    matrix = csr_matrix(
        (np.ones(len(keys), dtype=np.float32), (doc[:-1][within], column_of)),
        shape=(n_docs, max(len(columns), 1)),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def pooled_idf(terms: Sequence[str], local_df: np.ndarray, n_docs: int) -> np.ndarray:
    """IDF of ``terms``: the smaller of the background-pooled IDF and the local one.

    ``local_df[i]`` is the number of the ``n_docs`` local documents (claims) holding
    ``terms[i]``. A term tells claims apart only if it is rare both in general and here
    ("Japan" is rare in manifestos but in every claim of a Japan brief).
    """
    bg = background()
    bg_df = np.fromiter((bg.df.get(t, 0) for t in terms), dtype=np.float64, count=len(terms))
    idf: np.ndarray = (
        np.minimum(
            np.log((bg.documents + n_docs + 1) / (bg_df + local_df + 1)),
            np.log((n_docs + 1) / (local_df + 1)),
        )
        + 1.0
    )
    return idf


def vectorize(
    old_tokens: Sequence[Sequence[str]],
    new_tokens: Sequence[Sequence[str]],
    old_actors: Sequence[tuple[Sequence[str], str | None]],
    new_actors: Sequence[tuple[Sequence[str], str | None]],
) -> Vectors:
    """Build every sparse row the matcher needs for both sides of a diff.

    ``*_tokens`` are the claims' content tokens in order; ``*_actors`` their (actors,
    subject). IDF is :func:`pooled_idf` over the claims of both sides.
    """
    docs = [*old_tokens, *new_tokens]
    vocab: dict[str, int] = {}
    ids, indptr = _ids(docs, vocab)
    counts = _counts(ids, indptr, len(vocab))
    terms = list(vocab)
    bigrams = _bigram_rows(ids, indptr, np.fromiter((t.startswith("a:") for t in terms), bool))
    local_df = np.bincount(counts.indices, minlength=len(terms)).astype(np.float64)
    n_docs = len(docs)
    idf = pooled_idf(terms, local_df, n_docs).astype(np.float32)

    binary = counts.copy()
    binary.data[:] = 1.0
    weighted = (binary @ diags(idf)).tocsr()
    chars = _char_rows(counts, terms)

    tf = counts.copy()
    tf.data = 1.0 + np.log(tf.data)  # sub-linear tf
    tfidf = l2_normalize((tf @ diags(idf)).tocsr())

    actor_vocab: dict[str, int] = {}
    actor_rows = _rows([a for a, _ in (*old_actors, *new_actors)], actor_vocab)
    actor_rows.data[:] = 1.0
    subject_rows = _rows([[s] if s else [] for _, s in (*old_actors, *new_actors)], actor_vocab)
    width = max(len(actor_vocab), 1)
    actor_rows.resize(n_docs, width)
    subject_rows.resize(n_docs, width)

    n_old = len(old_tokens)

    def side(rows: slice) -> Side:
        return Side(
            tfidf=tfidf[rows],
            chars=chars[rows],
            tokens=binary[rows],
            weighted=weighted[rows],
            actors=actor_rows[rows],
            subject=subject_rows[rows],
            bigrams=bigrams[rows],
        )

    return Vectors(
        old=side(slice(0, n_old)),
        new=side(slice(n_old, n_docs)),
        vocab=vocab,
        old_tokens=old_tokens,
        new_tokens=new_tokens,
    )


def rowwise_dot(a: csr_matrix, b: csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``a[rows[k]] · b[cols[k]]`` for every k, in chunks."""
    out = np.zeros(len(rows), dtype=np.float32)
    for start in range(0, len(rows), PAIR_CHUNK):
        r, c = rows[start : start + PAIR_CHUNK], cols[start : start + PAIR_CHUNK]
        out[start : start + len(r)] = np.asarray(a[r].multiply(b[c]).sum(axis=1)).ravel()
    return out


def _top(a: csr_matrix, b: csr_matrix, k: int, threads: int | None) -> csr_matrix:
    return sp_matmul_topn(a, b.T.tocsr(), top_n=k, threshold=MIN_COSINE, n_threads=threads)


def candidate_pairs(
    vectors: Vectors, k: int = TOP_K, threads: int | None = 2
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(old rows, new cols, cosines)``: each old claim's top-k new partners.

    One product, old → new: adding the reverse direction doubled the cost of the largest
    step and changed no gold result (measured with k = 8). Pairs come sorted by (old, new).
    """
    old, new = vectors.old.tfidf, vectors.new.tfidf
    if old.shape[0] == 0 or new.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    # The product's cost is the sum over terms of (old postings × new postings): a handful of
    # terms in tens of thousands of claims ("government", "support") dominate it while
    # adding almost nothing to any cosine. They are left out of the search only; the pairs'
    # cosines are then computed on the full vectors.
    df = np.bincount(old.indices, minlength=old.shape[1]) + np.bincount(
        new.indices, minlength=new.shape[1]
    )
    common = df > max(COMMON_TERM_DOCS, COMMON_TERM_SHARE * (old.shape[0] + new.shape[0]))
    search_old, search_new = old, new
    if common.any():
        mask = diags((~common).astype(np.float32))
        search_old, search_new = (old @ mask).tocsr(), (new @ mask).tocsr()
        search_old.eliminate_zeros()
        search_new.eliminate_zeros()
    top = _top(search_old, search_new, k, threads).tocoo()
    rows, cols = top.row.astype(np.int64), top.col.astype(np.int64)
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    return rows, cols, rowwise_dot(old, new, rows, cols)


def _prune_rows(matrix: csr_matrix, keep: int) -> csr_matrix:
    """Each row reduced to its ``keep`` heaviest entries (ties broken by column)."""
    matrix = matrix.tocsr()
    counts = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(matrix.shape[0]), counts)
    order = np.lexsort((matrix.indices, -matrix.data, row_of))
    rank = np.arange(len(order)) - np.repeat(matrix.indptr[:-1], counts)
    chosen = order[rank < keep]
    pruned = csr_matrix(
        (matrix.data[chosen], (row_of[chosen], matrix.indices[chosen])), shape=matrix.shape
    )
    return pruned


def self_pairs(
    matrix: csr_matrix, min_cosine: float, threads: int | None = 2
) -> list[tuple[int, int]]:
    """Pairs (i < j) of rows of one side whose cosine is at least ``min_cosine``.

    Near-duplicates share their heaviest terms, so candidates come from a product of rows
    pruned to their few heaviest terms (much sparser than the full self-product), and are
    then checked against the full cosine.
    """
    if matrix.shape[0] < 2:
        return []
    pruned = _prune_rows(matrix, DUPLICATE_KEY_TERMS)
    product = sp_matmul_topn(
        pruned, pruned.T.tocsr(), top_n=DUPLICATE_NEIGHBOURS, threshold=0.0, n_threads=threads
    ).tocoo()
    keep = product.row < product.col
    rows, cols = product.row[keep].astype(np.int64), product.col[keep].astype(np.int64)
    cosines = rowwise_dot(matrix, matrix, rows, cols)
    close = cosines >= min_cosine
    return sorted(zip(rows[close].tolist(), cols[close].tolist(), strict=True))

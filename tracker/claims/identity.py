"""A claim's identity across stores and re-extractions: the hash of its text.

Claim ids change when a brief is re-extracted (``tracker db reextract``) or stored again in
another database; the words of a claim do not. Whatever must outlive an id (review
decisions, labelled pairs) names a claim by this hash. Whitespace is collapsed first, so a
claim re-read with other line breaks keeps its identity.
"""

from __future__ import annotations

import hashlib


def claim_hash(text: str) -> str:
    """SHA-256 (64 hex digits) of ``text`` with its whitespace collapsed, encoded UTF-8.

    ``benchmarks/pairsets.claim_hash`` (the label files' key) is its first 16 digits.
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()

"""From a brief's extracted text to atomic claims with spans and quantities.

Pipeline: ``cleanup.clean_blocks`` (undo extraction artefacts) → ``segment.split_sentences``
(per paragraph) → ``split.atomic_spans`` (list sentences into items) →
``quantities.extract_quantities`` → ``normalize.normalize``. ``extract_claims`` runs it all.
"""

from tracker.claims.extract import ClaimDraft, QuantityDraft, extract_claims

__all__ = ["ClaimDraft", "QuantityDraft", "extract_claims"]

"""Helpers shared by the benchmarks: dataset paths, direct claim building, bulk storage, memory.

The benchmarks build claims directly (one claim per input sentence) instead of running the
claim pipeline, so each stored claim maps back to exactly one input row: its ``ordinal`` in
its brief is the row's position in the list it was built from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.claims import ClaimDraft, QuantityDraft
from tracker.claims.normalize import normalize
from tracker.claims.quantities import extract_quantities
from tracker.compare.features import FEATURES_VERSION, content_tokens
from tracker.store.db import Database
from tracker.store.models import Brief
from tracker.store.repo import add_brief

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"


def require(path: Path) -> Path:
    """Exit with a clear message when a dataset file is missing."""
    if not path.exists():
        sys.exit(f"dataset not found: {path} (expected ../shared/datasets beside the repo)")
    return path


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


@dataclass(frozen=True)
class BriefSpec:
    """A brief to store: one claim per sentence, in order."""

    title: str
    date: dt.date
    sentences: Sequence[str]


def build_claims(sentences: Sequence[str]) -> tuple[str, list[ClaimDraft]]:
    """The brief text (one sentence per line) and one ClaimDraft per sentence.

    Spans index the brief text; quantities come from the project's own extractor so that a
    changed number is visible to the engine exactly as after a real ingest.
    """
    drafts: list[ClaimDraft] = []
    offset = 0
    for sentence in sentences:
        start, end = offset, offset + len(sentence)
        quantities = [
            QuantityDraft(q.kind, q.value, q.unit, q.raw, start + q.start, start + q.end)
            for q in extract_quantities(sentence)
        ]
        drafts.append(
            ClaimDraft(
                text=sentence,
                norm_text=normalize(sentence),
                start=start,
                end=end,
                sentence=sentence,
                section=None,
                quantities=quantities,
            )
        )
        offset = end + 1  # the "\n" between sentences
    return "\n".join(sentences), drafts


def store_briefs(
    db: Database, specs: Sequence[BriefSpec], timings: dict[str, float] | None = None
) -> list[int]:
    """Store the briefs with their claims in one session and one transaction; their ids.

    ``timings`` (if given) receives the seconds spent building drafts ("build": normalise,
    find quantities) and inserting them ("insert").
    """
    t0 = time.perf_counter()
    built = [(spec, *build_claims(spec.sentences)) for spec in specs]
    t1 = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    ids: list[int] = []
    with Session(db.engine) as session, session.begin():
        for spec, text, drafts in built:
            brief = Brief(
                title=spec.title,
                date=spec.date,
                source="benchmark",
                url=None,
                authors=[],
                content_hash=hashlib.sha256(f"{spec.title}\n{text}".encode()).hexdigest(),
                archive_path="benchmark/not-archived.txt",
                format="txt",
                word_count=len(text.split()),
                text=text,
                ingested_at=now,
            )
            # As `tracker ingest` does: matching tokens are stored with the claims.
            tokens = [" ".join(content_tokens(d.norm_text)) for d in drafts]
            ids.append(add_brief(session, brief, drafts, tokens, FEATURES_VERSION))
    if timings is not None:
        timings["build"] = t1 - t0
        timings["insert"] = time.perf_counter() - t1
    return ids

"""Dump every stored brief, claim and quantity of three real corpora, to compare two versions.

Used to check that a speed-up of the claim pipeline or the ingest changes no output: run it
with the code before and after the change and compare the two dumps byte for byte.

    .venv/bin/python benchmarks/claims_dump.py -o /tmp/after.jsonl
    PYTHONPATH=/path/to/old/checkout .venv/bin/python benchmarks/claims_dump.py -o /tmp/before.jsonl
    cmp /tmp/before.jsonl /tmp/after.jsonl

Corpora, each ingested with ``tracker.ingest`` into a fresh SQLite file in a temp folder:
the five seeds (``../shared/seeds``, with their manifest dates and titles, as the tests do),
the sample corpus (``snapshots/sample``), and the UK manifesto corpus as ``ingest_corpus.py``
writes it (131 briefs). Each brief is one JSON line: its metadata (not the ingest time or the
archive path, which differ per run), then its claims in order with their matching tokens and
quantities. Failures are dumped too. ``--sets`` picks corpora (default: all three).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from ingest_corpus import write_briefs
from sqlalchemy import select
from sqlalchemy.orm import Session

import tracker
from tracker.ingest import Overrides, ingest_file, ingest_paths
from tracker.ingest.service import IngestReport
from tracker.store.db import Database, open_database
from tracker.store.models import Brief, Claim, QuantityRow

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLE = ROOT / "snapshots" / "sample"


def _ingest_seeds(db: Database) -> IngestReport:
    report = IngestReport()
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    for brief in manifest["briefs"]:
        overrides = Overrides(date=brief["date"], title=brief["title"])
        report.results.append(ingest_file(db, SEEDS / brief["file"], overrides))
    return report


def _claim_row(c: Claim, quantities: list[list[object]]) -> list[object]:
    return [
        c.ordinal, c.text, c.norm_text, c.start, c.end, c.sentence, c.section, c.tokens,
        c.tokens_version, quantities,
    ]  # fmt: skip


def _dump(db: Database, report: IngestReport, name: str) -> list[str]:
    outcomes = {
        "results": [(r.path.name, r.status, r.brief_id, r.claims) for r in report.results],
        "failed": [(f.path.name, f.reason) for f in report.failures],
    }
    lines = [json.dumps({"set": name, **outcomes}, ensure_ascii=False)]
    with Session(db.engine) as session:
        for brief in session.scalars(select(Brief).order_by(Brief.id)):
            claims = session.scalars(
                select(Claim).where(Claim.brief_id == brief.id).order_by(Claim.ordinal)
            ).all()
            ids = [c.id for c in claims]
            quantities: dict[int, list[list[object]]] = {}
            if ids:
                for q in session.scalars(
                    select(QuantityRow)
                    .where(QuantityRow.claim_id.in_(ids))
                    .order_by(QuantityRow.claim_id, QuantityRow.id)
                ):
                    quantities.setdefault(q.claim_id, []).append(
                        [q.kind, repr(q.value), q.unit, q.raw, q.start, q.end]
                    )
            record = {
                "set": name,
                "id": brief.id,
                "title": brief.title,
                "date": brief.date.isoformat(),
                "source": brief.source,
                "url": brief.url,
                "authors": brief.authors,
                "hash": brief.content_hash,
                "format": brief.format,
                "words": brief.word_count,
                "text_sha": hashlib.sha256(brief.text.encode()).hexdigest(),
                "claims": [_claim_row(c, quantities.get(c.id, [])) for c in claims],
            }
            lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--sets", default="seeds,sample,manifestos")
    args = parser.parse_args()
    lines: list[str] = []
    print(f"tracker from {Path(tracker.__file__).parent}")
    with tempfile.TemporaryDirectory(prefix="tracker-dump-") as tmp_name:
        tmp = Path(tmp_name)
        for name in args.sets.split(","):
            db = dataclasses.replace(
                open_database(f"sqlite:///{tmp / f'{name}.db'}"), archive_root=tmp / name
            )
            t0 = time.perf_counter()
            if name == "seeds":
                report = _ingest_seeds(db)
            elif name == "sample":
                report = ingest_paths(db, [SAMPLE])
            elif name == "manifestos":
                write_briefs(tmp / "manifestos-briefs")
                report = ingest_paths(db, [tmp / "manifestos-briefs"])
            else:
                sys.exit(f"unknown set {name!r}")
            seconds = time.perf_counter() - t0
            mine = _dump(db, report, name)
            db.engine.dispose()
            claims = sum(len(json.loads(line).get("claims", [])) for line in mine)
            print(f"{name}: {len(mine) - 1} briefs, {claims} claims, ingest {seconds:.1f} s")
            lines.extend(mine)
    data = "\n".join(lines) + "\n"
    args.output.write_text(data, encoding="utf-8")
    print(f"sha256 {hashlib.sha256(data.encode()).hexdigest()}  {args.output}")


if __name__ == "__main__":
    main()

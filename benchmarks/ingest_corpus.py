"""Ingest the UK manifesto corpus end to end, then diff two election years, on each backend.

The corpus (../shared/datasets/manifestosentsUK, ~89k sentences) is written at run time as
one plain-text brief per party and election year (131 files, ~10 MB) into a temp folder:
a ``Date:``/``Title:`` header, then the sentences in document order, one paragraph each.
The brief is dated 1 January of the election year (the dataset gives only the year).

Each backend runs in two fresh subprocesses:

1. ingest: ``tracker.ingest.ingest_paths`` on the folder (read, clean up, split sentences and
   claims, find quantities, tokenise, insert, archive the raw file), timed wall-clock;
   MB/min = bytes of the brief files / minutes.
2. diff: ``tracker.app.diffs.diff`` of two election years (default 2015 vs 2017), timed
   end to end (load + compare).

Peak RSS is each subprocess's ``ru_maxrss``. SQLite is a file in the temp folder; PostgreSQL
is a fresh schema on ``--pg-url`` (default: the test server of scripts/ensure-postgres.sh),
dropped afterwards.

    .venv/bin/python benchmarks/ingest_corpus.py                       # both backends
    .venv/bin/python benchmarks/ingest_corpus.py --backends sqlite --repeat 3
    .venv/bin/python benchmarks/ingest_corpus.py --old 2017 --new 2019
    .venv/bin/python benchmarks/ingest_corpus.py --profile             # cProfile of the ingest
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from _common import DATASETS, peak_rss_mb, require
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

CORPUS = DATASETS / "manifestosentsUK" / "manifestosentsUK.csv.gz"
PG_URL = "postgresql+psycopg://tracker:tracker@127.0.0.1:54329/tracker_test"
_DOC_NUMBER = re.compile(r"_(\d+)$")


def write_briefs(folder: Path) -> tuple[int, int, int]:
    """One .txt brief per (party, year); returns (files, sentences, bytes)."""
    docs: dict[tuple[str, str, str], list[tuple[int, str]]] = defaultdict(list)
    with gzip.open(require(CORPUS), "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            match = _DOC_NUMBER.search(row["doc_id"])
            order = int(match.group(1)) if match else 0
            docs[(row["year"], row["party"], row["partyname"])].append((order, row["texts"]))
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    sentences = 0
    for (year, party, name), rows in sorted(docs.items()):
        body = "\n\n".join(t.strip() for _, t in sorted(rows) if t.strip())
        data = f"Date: {year}-01-01\nTitle: {name} manifesto {year}\n\n{body}\n".encode()
        (folder / f"{year}-{party}.txt").write_bytes(data)
        total += len(data)
        sentences += len(rows)
    return len(docs), sentences, total


def worker_ingest(url: str, folder: Path, archive: Path, profile: bool) -> dict[str, Any]:
    import dataclasses

    from tracker.ingest import ingest_paths
    from tracker.store.db import open_database

    database = dataclasses.replace(open_database(url), archive_root=archive)
    files = sorted(folder.iterdir())
    size = sum(p.stat().st_size for p in files)
    t0 = time.perf_counter()
    c0 = time.process_time()
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        report = prof.runcall(ingest_paths, database, files)
        stats = pstats.Stats(prof).sort_stats("cumulative")
        stats.print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
    else:
        report = ingest_paths(database, files)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    with database.engine.connect() as conn:
        claims = conn.execute(text("SELECT count(*) FROM claims")).scalar_one()
        quantities = conn.execute(text("SELECT count(*) FROM quantities")).scalar_one()
    database.engine.dispose()
    return {
        "stored": report.stored,
        "failed": [(str(f.path.name), f.reason) for f in report.failures],
        "claims": claims,
        "quantities": quantities,
        "mb": size / 1e6,
        "seconds": seconds,
        "mb_per_min": size / 1e6 / (seconds / 60),
        "cpu_seconds": cpu,
        "mb_per_cpu_min": size / 1e6 / (cpu / 60),
        "peak_mb": peak_rss_mb(),
    }


def worker_diff(url: str, old: str, new: str) -> dict[str, Any]:
    from tracker.app.diffs import diff
    from tracker.store.db import open_database

    database = open_database(url)
    base = peak_rss_mb()
    t0 = time.perf_counter()
    c0 = time.process_time()
    result = diff(database, old, new)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    database.engine.dispose()
    return {
        "old_claims": len(result.old.claims),
        "new_claims": len(result.new.claims),
        "summary": result.summary,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": peak_rss_mb(),
        "base_mb": base,
    }


def _sub(*args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    if "--cprofile" in args:
        print(proc.stdout[: proc.stdout.rfind("\n{")])
    last: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return last


class Backend:
    """A blank database for one run: an SQLite file, or a fresh PostgreSQL schema."""

    def __init__(self, name: str, tmp: Path, pg_url: str) -> None:
        self.name = name
        self.pg_url = pg_url
        self.schema: str | None = None
        if name == "sqlite":
            self.url = f"sqlite:///{tmp / f'tracker-{uuid.uuid4().hex[:6]}.db'}"
        else:
            self.schema = "bench_" + uuid.uuid4().hex[:10]
            self._admin(f"CREATE SCHEMA {self.schema}")
            url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={self.schema}"})
            self.url = url.render_as_string(hide_password=False)

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(sql))
        engine.dispose()

    def drop(self) -> None:
        if self.schema:
            self._admin(f"DROP SCHEMA {self.schema} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--old", default="2015", help="old selection of the diff")
    parser.add_argument("--new", default="2017", help="new selection of the diff")
    parser.add_argument("--repeat", type=int, default=1, help="runs per backend")
    parser.add_argument("--profile", action="store_true", help="cProfile one SQLite ingest")
    # Internal: the subprocesses.
    parser.add_argument("--worker", choices=("ingest", "diff"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cprofile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "ingest":
        print(json.dumps(worker_ingest(args.url, args.folder, args.archive, args.cprofile)))
        return
    if args.worker == "diff":
        print(json.dumps(worker_diff(args.url, args.old, args.new)))
        return

    with tempfile.TemporaryDirectory(prefix="tracker-corpus-") as tmp_name:
        tmp = Path(tmp_name)
        files, sentences, size = write_briefs(tmp / "briefs")
        print(f"corpus: {files} briefs, {sentences} sentences, {size / 1e6:.2f} MB")
        backends = ["sqlite"] if args.profile else args.backends.split(",")
        rows = []
        for name in backends:
            for run in range(1 if args.profile else args.repeat):
                backend = Backend(name, tmp, args.pg_url)
                try:
                    extra = ["--cprofile"] if args.profile else []
                    ing = _sub(
                        "--worker", "ingest", "--url", backend.url, "--folder",
                        str(tmp / "briefs"), "--archive", str(tmp / f"snapshots-{name}-{run}"),
                        *extra,
                    )  # fmt: skip
                    if args.profile:
                        return
                    dif = _sub("--worker", "diff", "--url", backend.url,
                               "--old", args.old, "--new", args.new)  # fmt: skip
                finally:
                    backend.drop()
                rows.append((name, ing, dif))
                print(
                    f"{name:10} run {run + 1}: ingest {ing['seconds']:6.1f} s "
                    f"= {ing['mb_per_min']:5.1f} MB/min (this process's CPU: "
                    f"{ing['cpu_seconds']:.1f} s = {ing['mb_per_cpu_min']:.1f} MB/min; "
                    f"{ing['stored']} briefs, "
                    f"{ing['claims']} claims, {ing['quantities']} quantities, "
                    f"{len(ing['failed'])} failed), peak {ing['peak_mb']:.0f} MB | "
                    f"diff {args.old} vs {args.new} ({dif['old_claims']} × {dif['new_claims']} "
                    f"claims) {dif['seconds']:.1f} s (CPU {dif['cpu_seconds']:.1f} s), "
                    f"peak {dif['peak_mb']:.0f} MB; "
                    f"{dif['summary']}",
                    flush=True,
                )
                for fname, reason in ing["failed"]:
                    print(f"    failed {fname}: {reason}")
        for name in backends:
            mine = [r for r in rows if r[0] == name]
            if len(mine) > 1:
                speeds = [r[1]["mb_per_min"] for r in mine]
                diffs = [r[2]["seconds"] for r in mine]
                print(
                    f"{name}: ingest MB/min median {statistics.median(speeds):.1f} "
                    f"(min {min(speeds):.1f}, max {max(speeds):.1f}); diff s median "
                    f"{statistics.median(diffs):.1f} (min {min(diffs):.1f}, max {max(diffs):.1f})"
                )


if __name__ == "__main__":
    main()

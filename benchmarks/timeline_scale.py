"""Time timelines on the UK manifesto corpus: a multi-way diff and a history query.

The corpus is written and ingested once into a temp SQLite store (as in ingest_corpus.py);
then, each in a fresh process so that peak memory is its own:

1. ``tracker diff`` over several election years (default 2010 2015 2017 2019): one pairwise
   compare per consecutive pair, the gap bridging, topic labels and trajectories;
2. ``tracker history QUERY`` (default "national health service") over every election year
   in the corpus, by year.

    .venv/bin/python benchmarks/timeline_scale.py
    .venv/bin/python benchmarks/timeline_scale.py --years 2001 2005 2010 --query "tuition fees"
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import peak_rss_mb
from ingest_corpus import write_briefs


def worker(kind: str, url: str, args: list[str]) -> dict[str, Any]:
    from tracker.app.diffs import history, timeline
    from tracker.report import render_timeline
    from tracker.store.db import open_database

    db = open_database(url)
    start = time.perf_counter()
    result = timeline(db, args) if kind == "timeline" else history(db, args[0], limit=5)
    compute = time.perf_counter() - start
    start = time.perf_counter()
    html = render_timeline(result, "html")
    render = time.perf_counter() - start
    return {
        "periods": [f"{p.label}: {len(p.selection.claims)}" for p in result.periods],
        "chains": len(result.chains),
        "summary": result.summary,
        "seconds": round(compute, 2),
        "html_seconds": round(render, 2),
        "html_mb": round(len(html.encode()) / 2**20, 1),
        "peak_mb": round(peak_rss_mb()),
    }


def run(kind: str, url: str, args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--url", url, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", nargs="+", default=["2010", "2015", "2017", "2019"])
    parser.add_argument("--query", default="national health service")
    parser.add_argument("--worker", choices=("timeline", "history"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.url, args.rest)))
        return

    from tracker.ingest import ingest_paths
    from tracker.store.db import open_database

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "briefs"
        _, sentences, size = write_briefs(folder)
        url = str(Path(tmp) / "tracker.db")
        start = time.perf_counter()
        db = open_database(url)
        report = ingest_paths(db, [folder])
        db.engine.dispose()
        print(
            f"ingested {report.stored} briefs ({sentences:,} sentences, {size / 2**20:.1f} MB) "
            f"in {time.perf_counter() - start:.0f} s"
        )
        print("timeline", args.years, json.dumps(run("timeline", url, args.years)))
        print("history", repr(args.query), json.dumps(run("history", url, [args.query])))


if __name__ == "__main__":
    main()

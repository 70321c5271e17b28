"""Start-up time of every everyday command: median wall time of N fresh subprocesses each.

Each command runs as ``python -m tracker --db DB ...`` against a small store (the sample
corpus of ``snapshots/sample``, six briefs), from one or more source trees: this checkout
("after") and, with ``--before REV``, the files of a git revision exported with ``git
archive`` into a temporary folder ("before"), run with the same interpreter and packages
(``PYTHONPATH`` puts the exported tree first). ``python -c pass`` runs alongside as a peer:
it is the floor of any Python command, and its median shows how loaded the machine was.

Runs are interleaved (every command of every tree, then again), so a busy moment of the
machine slows all of them alike rather than one; each command runs once unmeasured first,
which writes its bytecode. Prints one row per command: the median milliseconds per tree.

    .venv/bin/python benchmarks/startup.py                    # this checkout, 15 runs each
    .venv/bin/python benchmarks/startup.py --before main      # main beside this checkout
    .venv/bin/python benchmarks/startup.py --runs 25 --only briefs,--help
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "snapshots" / "sample"

# (label, arguments after `tracker --db DB`). The peers are not tracker commands: the floor
# of any Python process, and of one that reads a database through SQLAlchemy.
PEERS: list[tuple[str, list[str]]] = [
    ("python -c pass", ["-c", "pass"]),
    ("python -c 'import sqlalchemy'", ["-c", "import sqlalchemy"]),
]
COMMANDS: list[tuple[str, list[str]]] = [
    ("--version", ["--version"]),
    ("--help", ["--help"]),
    ("briefs", ["briefs"]),
    ("briefs --format json", ["briefs", "--format", "json"]),
    ("claims 1", ["claims", "1"]),
    ("search coal", ["search", "coal"]),
    ("runs", ["runs"]),
    ("doctor", ["doctor"]),
    ("diff 2021 2024", ["diff", "2021", "2024"]),
    ('history "renewables share"', ["history", "renewables share", "--limit", "1"]),
]


def export(rev: str, into: Path) -> Path:
    """The files of ``rev`` (``git archive``) under ``into``; the tree's root."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev],
        check=True,
        capture_output=True,
    ).stdout
    tree = into / f"tree-{rev.replace('/', '_')}"
    tree.mkdir()
    archive_path = into / "tree.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(tree, filter="data")
    return tree


def run_once(argv: list[str], env: dict[str, str], cwd: Path) -> float | None:
    """Seconds one subprocess took, start to exit; None when it failed (a command the tree
    does not have, e.g. an option added since ``--before``)."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        print(f"skipped: {' '.join(argv[1:])}: exit {done.returncode} {tail}", file=sys.stderr)
        return None
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="measured runs per command")
    parser.add_argument("--before", metavar="REV", help="also time this git revision")
    parser.add_argument("--only", help="comma-separated command labels to time")
    args = parser.parse_args()
    commands = COMMANDS
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        commands = [c for c in COMMANDS if c[0] in wanted]

    with tempfile.TemporaryDirectory(prefix="tracker-startup-") as tmp:
        work = Path(tmp)
        trees: list[tuple[str, Path]] = [("after", ROOT)]
        if args.before:
            trees.insert(0, (f"before ({args.before})", export(args.before, work)))
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        base_env["NO_COLOR"] = "1"

        def env_for(tree: Path) -> dict[str, str]:
            return {**base_env, "PYTHONPATH": str(tree)}

        jobs: list[tuple[str, str, list[str], dict[str, str]]] = [
            ("peer", label, [sys.executable, *argv], base_env) for label, argv in PEERS
        ]
        for number, (name, tree) in enumerate(trees):
            # One store per tree, written by it: trees may differ in schema revision.
            db = work / f"tracker-{number}.db"
            ingest = [sys.executable, "-m", "tracker", "--db", str(db), "ingest", str(SAMPLE)]
            assert run_once(ingest, env_for(tree), work), f"{name}: ingest failed"
            for label, extra in commands:
                argv = [sys.executable, "-m", "tracker", "--db", str(db), *extra]
                jobs.append((name, label, argv, env_for(tree)))
        # Warm-up (bytecode, file cache); a command that fails is left out of the timing.
        jobs = [job for job in jobs if run_once(job[2], job[3], work) is not None]
        times: dict[tuple[str, str], list[float]] = {(n, lbl): [] for n, lbl, _, _ in jobs}
        for _ in range(args.runs):
            for name, label, argv, env in jobs:
                took = run_once(argv, env, work)
                if took is not None:
                    times[(name, label)].append(took)

    def median_ms(name: str, label: str) -> str:
        runs = times.get((name, label))
        return f"{statistics.median(runs) * 1000:.0f}" if runs else "—"

    names = [n for n, _ in trees]
    print(
        f"median of {args.runs} runs, ms; python {sys.version.split()[0]}; {os.cpu_count()} cores"
    )
    for label, _ in PEERS:
        print(f"{label}: {median_ms('peer', label)}")
    header = ["command", *names]
    rows = [[f"tracker {label}", *(median_ms(n, label) for n in names)] for label, _ in commands]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


if __name__ == "__main__":
    main()

"""The document pairs that matcher labels are drawn from, and how to load their claims.

A *unit* is one document pair (an older and a newer snapshot of one author's or series'
position), named like ``us:61320:2016-2020`` or ``doc:quad-leaders:2022-05-24>2023-05-20``.
Labels (``data/pair_labels.tsv``) name a unit and two claims by hash; the train/test split is
made by unit, so no pair of a test document pair ever informs a fitted weight or threshold.

The split is frozen: ``TEST_UNITS`` lists the held-out units by name and is never edited to
improve a result. Every unit not listed is training data.

Sources (all read from ``../shared`` at run time, never copied):
- ``us``: consecutive platforms of one US party (Manifesto Project quasi-sentences as claims);
- ``uk``: consecutive UK manifestos of one party (one sentence per claim);
- ``seeds``: the five seed briefs, pooled by year as ``score.py`` files them;
- ``sample``: the project's own sample corpus, pooled by year;
- ``doc``: consecutive versions of the official series in ``../shared/documents``, ingested
  through the real readers and claim pipeline.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import itertools
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from _common import DATASETS, ROOT, BriefSpec, require, store_briefs
from sqlalchemy import select

from tracker.compare.model import Selection
from tracker.ingest.service import Overrides, ingest_file
from tracker.store.db import Database, open_database, read_snapshot
from tracker.store.models import Brief
from tracker.store.selections import load_selection

SHARED = ROOT.parent / "shared"
US = DATASETS / "manifesto_us_platforms"
UK = DATASETS / "manifestosentsUK" / "manifestosentsUK.csv.gz"
DOCUMENTS = SHARED / "documents"
SEEDS = SHARED / "seeds"
SAMPLE = ROOT / "snapshots" / "sample"

US_PAIRS = (
    ("61320", "199211", "200411"),
    ("61320", "200411", "201211"),
    ("61320", "201211", "201611"),
    ("61320", "201611", "202011"),
    ("61620", "200411", "200811"),
    ("61620", "200811", "201211"),
    ("61620", "201211", "201611"),
)
UK_PAIRS = (
    ("Lab", "1997", "2001"),
    ("Lab", "2001", "2005"),
    ("Lab", "2015", "2017"),
    ("Con", "2001", "2005"),
    ("Con", "2005", "2010"),
    ("Con", "2017", "2019"),
    ("LD", "2005", "2010"),
    ("SNP", "2015", "2017"),
)
# Consecutive UK manifestos that no label of the matcher and no stance rule was read from:
# the held-out set of ``stance_audit.py --held-out`` (source ``ukx``, never a default source,
# so no labelling or fitting run reads them unasked).
STANCE_HELD_OUT_UK = (
    ("Con", "1992", "1997"),
    ("Con", "2010", "2015"),
    ("Con", "2015", "2017"),
    ("Lab", "1992", "1997"),
    ("Lab", "2005", "2010"),
    ("Lab", "2010", "2015"),
    ("Lab", "2017", "2019"),
    ("LD", "1997", "2001"),
    ("LD", "2001", "2005"),
    ("SNP", "2017", "2019"),
    ("UKIP", "2015", "2017"),
    ("PC", "2001", "2005"),
)
# A second such set (source ``uky``, ``stance_audit.py --held-out-2``), drawn in session 11
# after the first had been read for pair probabilities: read for no rule, labelled once.
STANCE_HELD_OUT_UK_2 = (
    ("Con", "1983", "1987"),
    ("Con", "1987", "1992"),
    ("Con", "1997", "2001"),
    ("Lab", "1983", "1987"),
    ("Lab", "1987", "1992"),
    ("LD", "1987", "1992"),
    ("LD", "1992", "1997"),
    ("SNP", "2005", "2010"),
    ("SNP", "2010", "2015"),
    ("PC", "2005", "2010"),
    ("UKIP", "2010", "2015"),
    ("Greens", "2017", "2019"),
)
# A third (source ``ukz``, ``stance_audit.py --held-out-3``), drawn in session 12 before the
# close-restatement bar of the stance flags was set from the first two: read for no rule,
# labelled once: every consecutive pair of one party's manifestos that no other set holds.
STANCE_HELD_OUT_UK_3 = (
    ("BNP", "2005", "2010"),
    ("CP", "1997", "2001"),
    ("CP", "2001", "2005"),
    ("Con", "1945", "1950"),
    ("Con", "1950", "1951"),
    ("Con", "1951", "1955"),
    ("Con", "1955", "1959"),
    ("Con", "1959", "1964"),
    ("Con", "1964", "1966"),
    ("Con", "1966", "1970"),
    ("Con", "1970", "1974"),
    ("Con", "1974", "1979"),
    ("Con", "1979", "1983"),
    ("DUP", "1997", "2005"),
    ("DUP", "2005", "2015"),
    ("Greens", "2005", "2010"),
    ("Greens", "2010", "2017"),
    ("Lab", "1945", "1950"),
    ("Lab", "1950", "1951"),
    ("Lab", "1951", "1955"),
    ("Lab", "1955", "1959"),
    ("Lab", "1959", "1964"),
    ("Lab", "1964", "1966"),
    ("Lab", "1966", "1970"),
    ("Lab", "1970", "1974"),
    ("Lab", "1974", "1979"),
    ("Lab", "1979", "1983"),
    ("Lib", "1945", "1950"),
    ("Lib", "1950", "1951"),
    ("Lib", "1951", "1959"),
    ("Lib", "1959", "1964"),
    ("Lib", "1964", "1966"),
    ("Lib", "1966", "1970"),
    ("Lib", "1970", "1974"),
    ("Lib", "1974", "1979"),
    ("Lib", "1979", "2015"),
    ("Lib", "2015", "2017"),
    ("Lib", "2017", "2019"),
    ("LibSDP", "1983", "1987"),
    ("MRLP", "2001", "2005"),
    ("PA", "1997", "2001"),
    ("PC", "1997", "2001"),
    ("PC", "2010", "2019"),
    ("SF", "1997", "2001"),
    ("SF", "2001", "2005"),
    ("SF", "2005", "2015"),
    ("SNP", "2001", "2005"),
    ("TW", "1997", "2005"),
    ("UKIP", "1997", "2005"),
    ("UKIP", "2005", "2010"),
    ("UKIP", "2017", "2019"),
    ("UUP", "1997", "2001"),
    ("UUP", "2001", "2005"),
)
YEAR_PAIRS = (("2021", "2023"), ("2023", "2024"), ("2021", "2024"))

# The frozen held-out split, chosen before any model was fitted: about a third of the units of
# every source, including the seed and sample pairs whose claims mostly have no counterpart.
TEST_UNITS = frozenset(
    {
        "us:61320:201211-201611",
        "us:61620:200811-201211",
        "uk:Lab:2001-2005",
        "uk:Con:2017-2019",
        "uk:SNP:2015-2017",
        "seeds:2021-2024",
        "sample:2021-2024",
        # Whole official series: consecutive versions share claims, so a series is held out
        # entirely (every one of its pairs).
        "doc:us-rok-leaders:*",
        "doc:fomc-longer-run-goals:*",
        "doc:us-india-leaders:*",
        "doc:us-climate-target:*",
        "doc:ndc-korea:*",
        "doc:ndc-norway:*",
        "doc:ndc-canada:*",
    }
)


def claim_hash(text: str) -> str:
    """What the label files name a claim by: 16 hex digits of SHA-256 of the spaced text."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Unit:
    """One document pair, loaded: the older and the newer selection."""

    name: str
    source: str
    old: Selection
    new: Selection

    @property
    def split(self) -> str:
        """``test`` for a unit of the frozen held-out split, else ``train``."""
        return split_of(self.name)


def _load(db: Database, old_spec: str, new_spec: str) -> tuple[Selection, Selection]:
    with read_snapshot(db.engine) as session:
        return load_selection(session, old_spec), load_selection(session, new_spec)


def _us_rows(party: str, date: str) -> list[str]:
    path = require(US / f"{party}_{date}.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r["text"].strip() for r in csv.DictReader(f) if r["cmp_code"] not in ("H", "NA")]
    return [r for r in rows if len(r.split()) >= 4]


def _uk_rows() -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    with gzip.open(require(UK), "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = row["texts"].strip()
            if len(text.split()) >= 4:
                out.setdefault((row["party"], row["year"]), []).append(text)
    return out


def _pair_db(tmp: Path, name: str, old: list[str], new: list[str], d0: str, d1: str) -> Database:
    db = open_database(str(tmp / f"{claim_hash(name)}.db"))
    store_briefs(
        db,
        [
            BriefSpec(f"{name} old", dt.date(int(d0[:4]), 1, 1), old),
            BriefSpec(f"{name} new", dt.date(int(d1[:4]), 1, 1), new),
        ],
    )
    return db


def _ingest_manifest(db: Database, folder: Path) -> list[dict[str, str]]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    briefs: list[dict[str, str]] = manifest["briefs"]
    for brief in briefs:
        ingest_file(db, folder / brief["file"], Overrides(date=brief["date"], title=brief["title"]))
    return briefs


def units(
    sources: set[str] | None = None, tmp: Path | None = None, *, pdf: bool = True
) -> Iterator[Unit]:
    """Every unit of the chosen sources (by default all but ``ukx``, ``uky`` and ``ukz``, the
    stance held-out sets), loaded into temporary databases.

    ``pdf=False`` leaves out the series published as PDF (the NDCs).
    """
    want = sources or {"us", "uk", "seeds", "sample", "doc"}
    with tempfile.TemporaryDirectory(prefix="tracker-pairs-") as tmpdir:
        base = tmp or Path(tmpdir)
        if "us" in want:
            for party, d0, d1 in US_PAIRS:
                name = f"us:{party}:{d0}-{d1}"
                db = _pair_db(base, name, _us_rows(party, d0), _us_rows(party, d1), d0, d1)
                yield Unit(name, "us", *_load(db, d0[:4], d1[:4]))
        rows: dict[tuple[str, str], list[str]] = {}
        for source, pairs in (
            ("uk", UK_PAIRS),
            ("ukx", STANCE_HELD_OUT_UK),
            ("uky", STANCE_HELD_OUT_UK_2),
            ("ukz", STANCE_HELD_OUT_UK_3),
        ):
            if source not in want:
                continue
            rows = rows or _uk_rows()  # one read of the corpus for both
            for party, y0, y1 in pairs:
                name = f"{source}:{party}:{y0}-{y1}"
                db = _pair_db(base, name, rows[(party, y0)], rows[(party, y1)], y0, y1)
                yield Unit(name, source, *_load(db, y0, y1))
        if "seeds" in want:
            db = open_database(str(base / "seeds.db"))
            _ingest_manifest(db, require(SEEDS))
            for a, b in YEAR_PAIRS:
                yield Unit(f"seeds:{a}-{b}", "seeds", *_load(db, a, b))
        if "sample" in want:
            db = open_database(str(base / "sample.db"))
            for path in sorted(SAMPLE.iterdir()):
                ingest_file(db, path)
            for a, b in YEAR_PAIRS:
                yield Unit(f"sample:{a}-{b}", "sample", *_load(db, a, b))
        if "doc" in want:
            for folder in sorted(p for p in require(DOCUMENTS).iterdir() if p.is_dir()):
                if not pdf and any(folder.glob("*.pdf")):
                    continue
                db = open_database(str(base / f"doc-{folder.name}.db"))
                try:
                    _ingest_manifest(db, folder)
                except Exception:  # a reader failure on one series must not stop the rest
                    continue
                with read_snapshot(db.engine) as session:
                    rows = session.execute(select(Brief.id, Brief.date).order_by(Brief.date)).all()
                for (i0, t0), (i1, t1) in itertools.pairwise(rows):
                    name = f"doc:{folder.name}:{t0.isoformat()}>{t1.isoformat()}"
                    yield Unit(name, "doc", *_load(db, f"brief:{i0}", f"brief:{i1}"))


def split_of(name: str) -> str:
    """``test`` for a unit of the frozen held-out split (and the stance held-out sets),
    else ``train``."""
    if name in TEST_UNITS or name.startswith(("ukx:", "uky:", "ukz:")):
        return "test"
    if name.startswith("doc:") and f"doc:{name.split(':')[1]}:*" in TEST_UNITS:
        return "test"
    return "train"

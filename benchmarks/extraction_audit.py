"""How much of what the readers extract is debris, per document and per document type?

Every document of ../shared/documents (each series folder has a manifest.json naming its
``.md`` and ``.pdf`` files) and the seed briefs (../shared/seeds) is read and run through the
claim pipeline exactly as ``tracker ingest`` does (``read_document`` → ``extract_claims``),
without a database. Each claim is judged by ``tracker.claims.debris.classify`` (cut start,
cut end, bare label ending in ":", markup, fewer than 3 words). A claim that is one item of a
split sentence is judged by its parent sentence, once: debris is counted over whole-sentence
claims, and a list item is a fragment by design.

Key sentences: ``data/key_sentences.tsv`` names sentences that must survive whole in one
claim, by document and by the hash of their text (the first 16 hex digits of the sha256 of
the whitespace-normalised text, as ``pair_audit.claim_hash``); it holds no document text.

    .venv/bin/python benchmarks/extraction_audit.py                 # the table
    .venv/bin/python benchmarks/extraction_audit.py --show DOC      # debris units of one file
    .venv/bin/python benchmarks/extraction_audit.py --claims DOC    # every claim, with hashes
    .venv/bin/python benchmarks/extraction_audit.py --check         # exit 1 when a target fails

``DOC`` is a file name or a part of one. Targets (``--check``): at most 2% debris in every
PDF, every key sentence found, no debris in the seeds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from _common import ROOT

from tracker.claims import extract_claims
from tracker.claims.debris import DEBRIS_CLASSES, classify, fused_markers, units, whole_texts
from tracker.errors import InputError
from tracker.ingest.readers import read_document

SHARED = ROOT.parent / "shared"
DOCUMENTS = SHARED / "documents"
SEEDS = SHARED / "seeds"
KEYS = Path(__file__).resolve().parent / "data" / "key_sentences.tsv"
PDF_TARGET = 0.02


def text_hash(text: str) -> str:
    """What the key-sentence file names a sentence by (as ``pair_audit.claim_hash``)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def read_keys(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Document file name → [(hash, what the sentence states)]."""
    keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x and x[0] != "#"]
    for line in lines[1:]:  # the first is the header
        doc, digest, about = line.split("\t")
        keys[doc].append((digest, about))
    return keys


def manifest_files(folder: Path) -> list[Path]:
    """The files a series folder's manifest names, in its order."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [folder / brief["file"] for brief in manifest["briefs"]]


def all_documents(documents: Path, seeds: Path) -> list[Path]:
    paths: list[Path] = []
    for folder in sorted(p for p in documents.iterdir() if (p / "manifest.json").exists()):
        paths.extend(manifest_files(folder))
    if (seeds / "manifest.json").exists():
        paths.extend(sorted(manifest_files(seeds)))
    return paths


@dataclass
class Audit:
    """What one document's claims look like."""

    path: Path
    kind: str
    claims: int = 0
    units: int = 0
    debris: Counter[str] = field(default_factory=Counter)
    fused: int = 0
    shown: list[tuple[str, str]] = field(default_factory=list)  # (class, text)
    texts: list[str] = field(default_factory=list)  # claim texts, then parent sentences
    whole: set[str] = field(default_factory=set)  # what a key sentence may be found as
    seconds: float = 0.0
    error: str | None = None

    @property
    def rate(self) -> float:
        return sum(self.debris.values()) / self.units if self.units else 0.0


def audit(path: Path) -> Audit:
    """Read one file as ``tracker ingest`` would and judge its claims."""
    kind = "seed" if path.parent.name == "seeds" else path.suffix.lstrip(".").lower()
    result = Audit(path, kind)
    t0 = time.perf_counter()
    try:
        doc = read_document(path, path.read_bytes())
    except InputError as exc:
        result.error = str(exc)
        return result
    claims = extract_claims(doc.text, hard_wrapped=doc.hard_wrapped)
    result.seconds = time.perf_counter() - t0
    result.claims = len(claims)
    result.whole = whole_texts(claims)
    for claim in claims:
        result.texts.append(claim.text)
    for unit in units(claims):
        result.texts.append(unit)
        result.units += 1
        result.fused += fused_markers(unit)
        verdict = classify(unit)
        if verdict is not None:
            result.debris[verdict] += 1
            result.shown.append((verdict, unit))
    return result


def pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=Path, default=DOCUMENTS)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--show", metavar="DOC", help="print the debris units of matching files")
    parser.add_argument("--claims", metavar="DOC", help="print every claim of matching files")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if not args.documents.is_dir():
        sys.exit(f"documents not found: {args.documents} (expected ../shared beside the repo)")

    keys = read_keys(KEYS)
    audits = [audit(p) for p in all_documents(args.documents, args.seeds)]

    header = f"{'document':<52} {'type':<4} {'claims':>6} {'units':>5} {'debris':>6}"
    print(header + "".join(f" {c[:9]:>9}" for c in DEBRIS_CLASSES) + f" {'fused':>5} {'keys':>5}")
    by_kind: dict[str, list[Audit]] = defaultdict(list)
    failed: list[str] = []
    for a in audits:
        name = a.path.name
        if a.error is not None:
            print(f"{name:<52} {a.kind:<4} error: {a.error}")
            failed.append(f"{name}: {a.error}")
            continue
        by_kind[a.kind].append(a)
        wanted = keys.get(name, [])
        found = {text_hash(t) for t in a.whole}
        lost = [about for digest, about in wanted if digest not in found]
        keycol = f"{len(wanted) - len(lost)}/{len(wanted)}" if wanted else "-"
        cols = "".join(f" {a.debris[c]:>9}" for c in DEBRIS_CLASSES)
        print(
            f"{name[:52]:<52} {a.kind:<4} {a.claims:>6} {a.units:>5} {pct(a.rate)}{cols}"
            f" {a.fused:>5} {keycol:>5}"
        )
        for about in lost:
            failed.append(f"{name}: key sentence lost ({about})")
        if a.kind == "pdf" and a.rate > PDF_TARGET:
            failed.append(f"{name}: {pct(a.rate).strip()} debris (target <= 2%)")
        if a.kind == "seed" and a.debris:
            failed.append(f"{name}: seed with {sum(a.debris.values())} debris units")

    print(f"\n{'type':<5} {'docs':>4} {'claims':>6} {'units':>6} {'debris':>6}  worst document")
    for kind, group in sorted(by_kind.items()):
        units = sum(a.units for a in group)
        bad = sum(sum(a.debris.values()) for a in group)
        worst = max(group, key=lambda a: a.rate)
        print(
            f"{kind:<5} {len(group):>4} {sum(a.claims for a in group):>6} {units:>6} "
            f"{pct(bad / units if units else 0.0)}  {worst.path.name} {pct(worst.rate).strip()}"
        )
    pdfs = by_kind.get("pdf", [])
    if pdfs:
        size = sum(a.path.stat().st_size for a in pdfs) / 1e6
        secs = sum(a.seconds for a in pdfs)
        print(f"\nPDF read + claims: {size:.1f} MB in {secs:.1f} s ({size / secs * 60:.0f} MB/min)")
    total_keys = sum(len(v) for v in keys.values())
    lost_keys = sum(1 for f in failed if "key sentence lost" in f)
    print(f"key sentences: {total_keys - lost_keys} of {total_keys} found whole in one claim")

    for option, what in ((args.show, "show"), (args.claims, "claims")):
        if not option:
            continue
        for a in audits:
            if option not in a.path.name or a.error is not None:
                continue
            print(f"\n== {a.path.name} ({what})")
            if what == "show":
                for verdict, text in a.shown:
                    print(f"[{verdict}] {text}")
            else:
                for text in a.texts:
                    print(f"{text_hash(text)}  {text}")
    if args.check and failed:
        print("\ntargets missed:\n  " + "\n  ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

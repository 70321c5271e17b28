"""A small debris check for extracted claims (the full audit lives in benchmarks/).

A claim is debris when it is not a usable statement: a whole-sentence claim whose start or
end was cut mid-sentence, a bare label or lead-in ending in ":", markup left in, or fewer than
three words. List items (split out of a sentence, or bullets under a lead-in: they carry
their lead-in as ``context``) may start in lower case and end without a stop; they are checked
for the rest.

Run over a folder of briefs: ``python -m tests.debris ../shared/documents`` prints each
debris claim with its reasons and the share of debris per file and overall.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from tracker.claims.extract import ClaimDraft, extract_claims
from tracker.ingest.readers import read_document

_MARKUP = re.compile(r"</?[A-Za-z][^>]*>|\*\*|\]\(|<!--|&[a-z]+;")
# A sentence starts with a capital or a digit, after quotes, brackets or a list marker.
_START = re.compile(r"(?:[\"“]?\((?:[a-z]{1,2}|[ivx]+|\d+)\)\s+|[\"“‘'(\[]*[A-Z0-9$€£¥§])")
_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def debris_reasons(claim: ClaimDraft) -> list[str]:
    """Why ``claim`` is debris (an empty list when it is a clean claim)."""
    text = claim.text
    reasons = []
    if _MARKUP.search(text):
        reasons.append("markup")
    if len(text.split()) < 3:
        reasons.append("short")
    if text.rstrip().endswith(":"):
        reasons.append("label")
    # A list item (it has its lead-in as context) may start in lower case and end on ";".
    whole = text == claim.sentence.strip() and claim.context is None
    if whole and not _START.match(text):
        reasons.append("cut start")
    if whole and not text.endswith(":") and not _END.search(text):
        reasons.append("cut end")
    return reasons


def claims_of(path: Path) -> list[ClaimDraft]:
    """The claims tracker extracts from the file at ``path``."""
    doc = read_document(path, path.read_bytes())
    return extract_claims(doc.text, hard_wrapped=doc.hard_wrapped)


def debris_share(paths: Iterable[Path]) -> tuple[int, int]:
    """(debris claims, all claims) over the files ``paths``."""
    bad = total = 0
    for path in paths:
        claims = claims_of(path)
        total += len(claims)
        bad += sum(1 for c in claims if debris_reasons(c))
    return bad, total


def main(argv: list[str]) -> int:
    paths = sorted(p for arg in argv for p in Path(arg).rglob("*.md"))
    bad_all = total_all = 0
    for path in paths:
        claims = claims_of(path)
        bad = [(c, debris_reasons(c)) for c in claims]
        bad = [(c, r) for c, r in bad if r]
        for claim, reasons in bad:
            print(f"  {','.join(reasons):<20} {claim.text[:150]!r}")
        print(f"{path}: {len(bad)}/{len(claims)}")
        bad_all += len(bad)
        total_all += len(claims)
    share = 100 * bad_all / total_all if total_all else 0.0
    print(f"debris: {bad_all}/{total_all} claims ({share:.1f}%) in {len(paths)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

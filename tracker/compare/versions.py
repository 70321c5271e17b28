"""Whether the briefs of a comparison had their claims extracted by the same extractor.

Claims extracted by two versions of the pipeline can differ only because the pipeline
changed (a sentence now split in two, a figure now read as a range): a diff across versions
may report such differences as changes of position. The comparison still runs; the caller
shows the warning, which names the command that brings every brief to one version.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.compare.model import BriefRef


def extractor_warning(briefs: Iterable[BriefRef]) -> str | None:
    """A one-line warning when ``briefs`` span several extractor versions, else None."""
    by_version: dict[int, list[int]] = {}
    for brief in briefs:
        ids = by_version.setdefault(brief.extractor_version, [])
        if brief.id not in ids:
            ids.append(brief.id)
    if len(by_version) < 2:
        return None
    parts = []
    for version in sorted(by_version):
        ids = sorted(by_version[version])
        shown = ", ".join(str(i) for i in ids[:5]) + (", …" if len(ids) > 5 else "")
        parts.append(f"version {version}: brief{'s' if len(ids) > 1 else ''} {shown}")
    return (
        "briefs compared were extracted by different claim extractor versions ("
        + "; ".join(parts)
        + "), so some differences may come from extraction alone; "
        "to fix: tracker db reextract"
    )

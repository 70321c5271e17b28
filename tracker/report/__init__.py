"""Renderers of a ``Diff`` or a ``Timeline``: text (terminal), JSON (the stable contract),
CSV (one row per change or step), Markdown and standalone HTML.

Each renderer is a pure function from a result to a string; none prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the signatures: importing the engine here would load numpy, scipy and
    # scikit-learn for `tracker briefs --format json` (see tracker.report.listings).
    from tracker.compare.model import Diff
    from tracker.compare.timeline import Timeline


def render(
    diff: Diff, fmt: str, *, color: bool = False, width: int | None = None, sort: str = "order"
) -> str:
    """Render ``diff`` as ``text``, ``json``, ``csv``, ``markdown`` or ``html``.

    ``color``, ``width`` (wrap lines to it; None: one line per item) and ``sort`` (``order``:
    reading order within each kind; ``score``: the HTML report's order, figures and stance
    first, best matched first) apply to text.
    """
    if fmt == "csv":
        from tracker.report.csv_report import render_diff_csv

        return render_diff_csv(diff)
    if fmt == "json":
        from tracker.report.json_report import render_json

        return render_json(diff)
    if fmt == "html":
        from tracker.report.html import render_html

        return render_html(diff)
    if fmt == "markdown":
        from tracker.report.markdown import render_markdown

        return render_markdown(diff)
    from tracker.report.text import render_text

    return render_text(diff, color=color, width=width, sort=sort)


def render_timeline(
    tl: Timeline, fmt: str, *, color: bool = False, width: int | None = None
) -> str:
    """Render a timeline (history or multi-way diff) as ``text``, ``json``, ``csv``,
    ``markdown`` or ``html``; ``color`` and ``width`` apply to text."""
    if fmt == "csv":
        from tracker.report.csv_report import render_timeline_csv

        return render_timeline_csv(tl)
    if fmt == "json":
        from tracker.report.timeline_json import render_timeline_json

        return render_timeline_json(tl)
    if fmt == "html":
        from tracker.report.timeline_html import render_timeline_html

        return render_timeline_html(tl)
    if fmt == "markdown":
        from tracker.report.timeline_markdown import render_timeline_markdown

        return render_timeline_markdown(tl)
    from tracker.report.timeline_text import render_timeline_text

    return render_timeline_text(tl, color=color, width=width)


__all__ = ["render", "render_timeline"]

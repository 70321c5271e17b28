"""Renderers of a ``Diff`` or a ``Timeline``: text (terminal), JSON (the stable contract),
Markdown and standalone HTML.

Each renderer is a pure function from a result to a string; none prints.
"""

from tracker.compare.model import Diff
from tracker.compare.timeline import Timeline


def render(diff: Diff, fmt: str, *, color: bool = False) -> str:
    """Render ``diff`` as ``text``, ``json``, ``markdown`` or ``html``."""
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

    return render_text(diff, color=color)


def render_timeline(tl: Timeline, fmt: str, *, color: bool = False) -> str:
    """Render a timeline (history or multi-way diff) as ``text``, ``json``, ``markdown`` or
    ``html``."""
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

    return render_timeline_text(tl, color=color)


__all__ = ["render", "render_timeline"]

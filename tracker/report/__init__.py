"""Renderers of a ``Diff``: text (terminal), JSON (the stable contract), Markdown.

Each renderer is a pure function from a ``Diff`` to a string; none prints.
"""

from tracker.compare.model import Diff


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


__all__ = ["render"]

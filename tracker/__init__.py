"""tracker: store dated policy briefs as snapshots of their claims and diff positions over time.

The package is a library first: ``tracker.ingest``, ``tracker.claims``, ``tracker.store``,
``tracker.compare`` and ``tracker.report`` never print and never import click. The command line
in ``tracker.cli`` is a thin adapter over them.
"""

__version__ = "0.1.0"

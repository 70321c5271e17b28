"""Command line: a thin click adapter over the library.

Each module registers the commands it is named for on the one ``cli`` group; importing them
here is what makes ``tracker --help`` list them.
"""

from tracker.cli import (
    diff,
    doctor,
    history,
    ingest,
    matcher,
    notify,
    review,
    runs,
    search,
    serve,
    sources,
    store,
    watch,
)
from tracker.cli.app import add_color_option, cli, main

add_color_option(cli)

__all__ = [
    "cli",
    "diff",
    "doctor",
    "history",
    "ingest",
    "main",
    "matcher",
    "notify",
    "review",
    "runs",
    "search",
    "serve",
    "sources",
    "store",
    "watch",
]

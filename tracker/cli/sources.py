"""`tracker sources`: list, add and remove the sources of `tracker ingest --sources`."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import cli, err, handle_errors, out, shown

# The kinds of tracker.ingest.sources.KINDS, spelt out so that `tracker --help` does not import
# the fetcher (httpx) to build this option (tests/test_cli_everyday.py checks they agree).
SOURCE_KINDS = ("feed", "page", "inbox")


def sources_file(ctx: click.Context) -> Path:
    """The sources file for this invocation (``--config``, ``TRACKER_CONFIG`` or default)."""
    from tracker.app.sources import sources_file as file_of
    from tracker.store.db import resolve_url

    obj = ctx.find_root().obj
    return file_of(resolve_url(obj["db_url"]), obj["config_path"])


@cli.group(
    epilog="""Examples:

\b
  tracker sources add https://example.org/briefs/feed.xml
  tracker sources add ~/briefs/inbox
  tracker sources list
  tracker sources remove 2
""",
)
def sources() -> None:
    """Sources fetched by `tracker ingest --sources`: feeds, pages and inbox folders.

    They live in tracker.toml beside the database (or --config FILE); these commands edit it
    and keep its comments.
    """


@sources.command(
    "add",
    epilog="""Examples:

\b
  tracker sources add https://example.org/briefs/feed.xml    # sniffed: a feed
  tracker sources add https://example.org/2024-outlook.pdf   # sniffed: a page
  tracker sources add ~/briefs/inbox                          # a folder: an inbox
  tracker sources add https://example.org/rss --kind feed     # no request made
""",
)
@click.argument("target", metavar="URL_OR_FOLDER")
@click.option(
    "--kind",
    type=click.Choice(SOURCE_KINDS),
    help="Skip sniffing: feed, page or inbox (a URL is otherwise fetched once to tell).",
)
@click.pass_context
@handle_errors
def sources_add(ctx: click.Context, target: str, kind: str | None) -> None:
    """Add a feed or page URL, or an inbox folder.

    A URL is fetched once: RSS or Atom makes it a feed (its entries are ingested), anything
    else a page (ingested whenever it changes). Files dropped in an inbox folder are ingested
    and moved to done/ or failed/ beside it.
    """
    from rich.text import Text

    from tracker.app.sources import add

    path = sources_file(ctx)
    # Sniffed with the file's own [fetch] limits (allow_private, user_agent, timeouts).
    source = add(path, target, kind)
    out.print(Text(shown(f"added {source.kind} {source.location}")))
    err.print(Text(f"sources file: {path}"), style="dim")


@sources.command("list", epilog="Example:\n\n\b\n  tracker sources list")
@click.pass_context
@handle_errors
def sources_list(ctx: click.Context) -> None:
    """List the sources, numbered (the number works with `sources remove`)."""
    from rich.table import Table
    from rich.text import Text

    from tracker.app.sources import list_sources

    path = sources_file(ctx)
    config = list_sources(path)
    if not config.sources:
        out.print(Text(f"No sources in {path}. Add one with: tracker sources add URL_OR_FOLDER"))
        return
    table = Table(box=None, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("kind")
    table.add_column("location")
    for number, source in enumerate(config.sources, start=1):
        table.add_row(str(number), source.kind, Text(source.location))
    out.print(table)


@sources.command(
    "remove",
    epilog="Examples:\n\n\b\n  tracker sources remove https://example.org/briefs/feed.xml\n"
    "  tracker sources remove 2",
)
@click.argument("target", metavar="URL_FOLDER_OR_NUMBER")
@click.pass_context
@handle_errors
def sources_remove(ctx: click.Context, target: str) -> None:
    """Remove a source by its URL, folder or number in `sources list`.

    Briefs already stored from it stay in the database.
    """
    from rich.text import Text

    from tracker.app.sources import remove

    removed = remove(sources_file(ctx), target)
    out.print(Text(shown(f"removed {removed.kind} {removed.location}")))

"""`tracker search`: find claims by their words."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import cli, handle_errors, open_db, out
from tracker.cli.output import LIST_FORMATS, chosen_format, emit, format_option, output_option

if TYPE_CHECKING:
    from rich.text import Text

    from tracker.store.search import SearchHit, SearchResult


def _snippet(hit: SearchHit, marks: bool) -> Text:
    """The snippet with matches in bold on a terminal, between ** when piped."""
    from rich.text import Text

    text = Text("    ")
    pos = 0
    for start, end in hit.highlights:
        text.append(hit.snippet[pos:start])
        match = hit.snippet[start:end]
        text.append(f"**{match}**" if marks else match, style="bold yellow")
        pos = end
    text.append(hit.snippet[pos:])
    return text


@cli.command(
    epilog="""Examples:

\b
  tracker search nuclear power
  tracker search '"defence spending"' --in 2021..2024
  tracker search sanction* --limit 5 --format json
  tracker search tariff --in "source:Republican Party" -o tariffs.csv

\b
Words match after stemming and must all occur; "two words" in double quotes is a phrase;
word* is a prefix. Other punctuation is just text.""",
)
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--in",
    "selection",
    metavar="SPEC",
    help="Only briefs of a year, range, ids or source:NAME (as in diff).",
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--sort",
    type=click.Choice(["rank", "date"]),
    default="rank",
    show_default=True,
    help="Best matches first, or newest briefs first.",
)
@format_option(LIST_FORMATS)
@output_option
@click.pass_context
@handle_errors
def search(
    ctx: click.Context,
    words: tuple[str, ...],
    selection: str | None,
    limit: int,
    sort: str,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Find claims whose text contains WORDS; shows brief, date, title and a snippet."""
    from tracker.store.search import search_claims

    fmt = chosen_format(fmt, output, LIST_FORMATS)
    result = search_claims(
        open_db(ctx, must_exist=True).engine,
        " ".join(words),
        selection=selection,
        limit=limit,
        order="date" if sort == "date" else "rank",
    )
    if fmt != "text":
        from tracker.report.listings import dumps, search_csv, search_to_dict

        emit(search_csv(result) if fmt == "csv" else dumps(search_to_dict(result)), output)
        return
    emit(_text(result, limit, output), output, color=True)


def _text(result: SearchResult, limit: int, output: Path | None) -> str:
    """The hits as text: matches styled on a terminal, marked **so** when piped or written."""
    import io

    from rich.text import Text

    from tracker.report.console import buffer_console

    if not result.hits:
        return "No claim matches.\n"
    to_terminal = output is None and out.is_terminal
    buffer = io.StringIO()
    console = buffer_console(buffer, color=output is None and out.color)
    for hit in result.hits:
        head = Text(f"brief {hit.brief_id}  {hit.date.isoformat()}  ", style="dim")
        head.append(hit.title, style="bold")
        # The store-wide claim id: the one tracker claims, diff and history --claim use.
        head.append(f"  claim {hit.claim_id}", style="dim")
        console.print(head)
        console.print(_snippet(hit, not to_terminal))
    shown = len(result.hits)
    more = f" (more match: raise --limit above {limit})" if result.more else ""
    console.print(Text(f"{shown} claim{'s' if shown != 1 else ''} shown{more}"))
    return buffer.getvalue()

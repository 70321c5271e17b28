"""`tracker search`: find claims by their words."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.text import Text

from tracker.cli.app import cli, handle_errors, open_db, out
from tracker.store.search import SearchHit, SearchResult, search_claims


def _json(result: SearchResult) -> str:
    data: dict[str, Any] = {
        "version": 1,
        "query": result.query,
        "selection": result.selection,
        "more": result.more,
        "results": [
            {
                "claim_id": h.claim_id,
                "brief_id": h.brief_id,
                "ordinal": h.ordinal,
                "date": h.date.isoformat(),
                "title": h.title,
                "text": h.text,
                "snippet": h.snippet,
                "highlights": [list(span) for span in h.highlights],
            }
            for h in result.hits
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _snippet(hit: SearchHit, marks: bool) -> Text:
    """The snippet with matches in bold on a terminal, between ** when piped."""
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

\b
Words match after stemming and must all occur; "two words" in double quotes is a phrase;
word* is a prefix. Other punctuation is just text.""",
)
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--in", "selection", metavar="SPEC", help="Only briefs of a year, range or ids (as in diff)."
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--sort",
    type=click.Choice(["rank", "date"]),
    default="rank",
    show_default=True,
    help="Best matches first, or newest briefs first.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
@handle_errors
def search(
    ctx: click.Context,
    words: tuple[str, ...],
    selection: str | None,
    limit: int,
    sort: str,
    fmt: str,
) -> None:
    """Find claims whose text contains WORDS; shows brief, date, title and a snippet."""
    result = search_claims(
        open_db(ctx).engine,
        " ".join(words),
        selection=selection,
        limit=limit,
        order="date" if sort == "date" else "rank",
    )
    if fmt == "json":
        click.echo(_json(result), nl=False)
        return
    if not result.hits:
        out.print("No claim matches.")
        return
    marks = not out.is_terminal
    for hit in result.hits:
        head = Text(f"brief {hit.brief_id}  {hit.date.isoformat()}  ", style="dim")
        head.append(hit.title, style="bold")
        # The store-wide claim id: the one tracker claims, diff and history --claim use.
        head.append(f"  claim {hit.claim_id}", style="dim")
        out.print(head)
        out.print(_snippet(hit, marks))
    shown = len(result.hits)
    more = f" (more match: raise --limit above {limit})" if result.more else ""
    out.print(f"{shown} claim{'s' if shown != 1 else ''} shown{more}")

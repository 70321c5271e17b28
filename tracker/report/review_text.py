"""Terminal text of one item of the review queue (``tracker review FROM TO``) and of a
decision list (``tracker review list``)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from tracker.report.console import buffer_console, put
from tracker.report.describe import quantity_label, quantity_phrase, shown_probability
from tracker.report.text import word_diff_text

if TYPE_CHECKING:
    from tracker.compare.queue import QueueItem
    from tracker.store.reviews import Decision, StoredClaim

KEYS = "s=same r=related d=different k=skip u=undo q=quit"


def render_item(
    item: QueueItem, position: int, total: int, *, color: bool = False, width: int | None = None
) -> str:
    """ "3/17  lead, probability 0.31 …", the word diff, its quantities and both claims."""
    buffer = io.StringIO()
    console = buffer_console(buffer, color=color, width=width)
    what = "pair reported" if item.source == "pair" else "lead (not a match)"
    shown = shown_probability(item.probability)
    head = f"{position}/{total}  {what}, probability {shown}, {item.kind}"
    put(console, Text(head, style="bold"), width)
    put(console, word_diff_text(item.old.text, item.new.text, "  "), width, hang=2)
    for q in item.quantities:
        style = "cyan" if q.moved else "dim"
        put(console, Text(f"  {quantity_label(q)}: {quantity_phrase(q)}", style=style), width)
    put(console, Text(f"  old: claim {item.old.id}, brief {item.old.brief_id}", style="dim"), width)
    put(console, Text(f"  new: claim {item.new.id}, brief {item.new.brief_id}", style="dim"), width)
    return buffer.getvalue()


def render_decisions(
    items: Sequence[Decision], claims: Mapping[str, StoredClaim], *, width: int | None = None
) -> str:
    """One block per decision: verdict, reviewer, time, note, and the two claims as this
    store holds them (or their hashes, when it does not)."""
    buffer = io.StringIO()
    console = buffer_console(buffer, color=False, width=width)
    for d in items:
        note = f" — {d.note}" if d.note else ""
        at = d.at.isoformat(timespec="seconds")
        put(console, Text(f"{d.verdict:9s} by {d.by} at {at}{note}"), width, hang=2)
        for side, h in (("old", d.old_hash), ("new", d.new_hash)):
            claim = claims.get(h)
            shown = f"claim {claim.id}: {claim.text}" if claim else f"{h[:16]} (not in this store)"
            put(console, Text(f"  {side}: {shown}"), width, hang=7)
    console.print(Text(f"{len(items)} decision{'' if len(items) == 1 else 's'}"))
    return buffer.getvalue()

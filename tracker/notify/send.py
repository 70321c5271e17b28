"""Send one digest on one channel: e-mail, webhook, Atom file or Apprise."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.notify.config import Channel
from tracker.notify.digest import Payload
from tracker.store.db import Database


def test_payload() -> Payload:
    """Stands in for the alerts of ``tracker notify test`` (the renderers ignore it)."""
    return {"test": True}


def send_digest(
    db: Database,
    channel: Channel,
    alerts: Sequence[Payload],
    *,
    run_id: int | None,
    test: bool = False,
) -> None:
    """Deliver ``alerts`` as one message on ``channel``; raise on any failure."""
    if channel.kind == "email":
        from tracker.notify.smtp import send_email

        send_email(db, channel, alerts, test=test)
    elif channel.kind == "webhook":
        from tracker.notify.webhook import post_webhook

        post_webhook(channel, [] if test else alerts, test=test)
    elif channel.kind == "atom":
        from tracker.notify.atom import write_atom

        write_atom(db, channel, [] if test else alerts, test=test)
    else:
        from tracker.notify.apprise_channel import send_apprise

        send_apprise(channel, [] if test else alerts, test=test)


def reports(db: Database, alerts: Sequence[Payload]) -> list[tuple[str, str]]:
    """(file name, HTML) of the full change report of each brief in the digest against its
    baseline; a brief removed since it was queued is left out."""
    from tracker.compare.engine import diff
    from tracker.errors import TrackerError
    from tracker.report import render

    seen: dict[tuple[str, str], None] = {}
    for alert in alerts:
        baseline = alert["baseline"]["selection"]
        if baseline.startswith("brief:"):
            seen.setdefault((baseline, f"brief:{alert['brief']['id']}"), None)
    out: list[tuple[str, str]] = []
    for old, new in seen:
        try:
            html = render(diff(db.engine, old, new), "html")
        except TrackerError:
            continue
        out.append((f"report-{new.replace(':', '-')}.html", html))
    return out

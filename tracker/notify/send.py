"""Send one digest on one channel: e-mail, webhook, Atom file or Apprise."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tracker.notify.config import Channel
from tracker.notify.digest import Payload
from tracker.store.db import Database

# The change reports an e-mail digest attaches, (file name, HTML) for the alerts given: made
# by the caller (``tracker.app.watches.change_reports``), since reports come from a diff.
Attach = Callable[[Sequence[Payload]], list[tuple[str, str]]]


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
    attach: Attach | None = None,
) -> None:
    """Deliver ``alerts`` as one message on ``channel``; raise on any failure. An e-mail
    attaches what ``attach`` makes of the alerts (nothing without it)."""
    if channel.kind == "email":
        from tracker.notify.smtp import send_email

        send_email(db, channel, alerts, test=test, attach=attach)
    elif channel.kind == "webhook":
        from tracker.notify.webhook import post_webhook

        post_webhook(channel, [] if test else alerts, test=test)
    elif channel.kind == "atom":
        from tracker.notify.atom import write_atom

        write_atom(db, channel, [] if test else alerts, test=test)
    else:
        from tracker.notify.apprise_channel import send_apprise

        send_apprise(channel, [] if test else alerts, test=test)

"""The Apprise channel: the text digest handed to Apprise for the long tail of services
(ntfy, Telegram, Matrix, Pushover, Discord, ...), one notification per digest.

Optional (``pip install tracker[apprise]``); the three channels tracker tests end to end
(e-mail, webhook, Atom) do not need it. The Apprise URL carries the service's token, so it
is a secret like a webhook URL. Apprise's own log is silenced while sending: its messages
can name the URL.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from tracker.errors import ConfigError
from tracker.notify.config import Channel, secret
from tracker.notify.digest import Payload, render_text, subject


class AppriseError(Exception):
    """Apprise reported that the notification was not delivered."""


def send_apprise(channel: Channel, alerts: Sequence[Payload], *, test: bool = False) -> None:
    """Notify through Apprise; raise ``AppriseError`` when it says the send failed."""
    try:
        import apprise
    except ImportError:
        raise ConfigError(
            f"channel {channel.name}: Apprise is not installed (pip install 'tracker[apprise]')"
        ) from None
    url = secret(channel, "url")
    if not url:
        raise ConfigError(f"channel {channel.name}: no Apprise URL")
    scheme = urlsplit(url).scheme or "?"
    log = logging.getLogger("apprise")
    propagate, level = log.propagate, log.level
    log.propagate, log.level = False, logging.CRITICAL + 1
    try:
        notifier = apprise.Apprise()
        if not notifier.add(url):
            raise ConfigError(f"channel {channel.name}: Apprise does not know the URL {scheme}://…")
        if not notifier.notify(
            title=subject(alerts, test=test), body=render_text(alerts, test=test)
        ):
            raise AppriseError(f"Apprise could not deliver to {scheme}://…")
    finally:
        log.propagate, log.level = propagate, level

"""The webhook channel: one POST of JSON per digest (``json``, ``slack`` or ``teams`` shape).

The URL is the secret (Slack and Teams put the token in it): it comes from the environment
or a file, and errors name the host only. The request is made to the configured URL as is:
unlike feed entries, nobody but the user writes it, so the private-network guard of the
fetcher does not apply (a receiver on the LAN is a normal setup).
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.errors import ConfigError
from tracker.notify.config import Channel, safe_url, secret
from tracker.notify.digest import Payload, json_body, slack_body, teams_body

TIMEOUT = 30.0


class WebhookError(Exception):
    """The receiver answered with something other than 2xx."""


def body(channel: Channel, alerts: Sequence[Payload], *, test: bool = False) -> dict[str, object]:
    """The JSON the channel posts."""
    shape = channel.settings.get("format", "json")
    make = {"json": json_body, "slack": slack_body, "teams": teams_body}[shape]
    return make(alerts, test=test)


def post_webhook(channel: Channel, alerts: Sequence[Payload], *, test: bool = False) -> None:
    """POST the digest; raise ``WebhookError`` on a non-2xx answer."""
    import httpx

    url = secret(channel, "url")
    if not url or not url.startswith(("http://", "https://")):
        raise ConfigError(f"channel {channel.name}: the webhook URL must start with https://")
    answer = httpx.post(
        url,
        json=body(channel, alerts, test=test),
        timeout=TIMEOUT,
        headers={"User-Agent": "tracker-alerts"},
    )
    if not 200 <= answer.status_code < 300:
        raise WebhookError(f"{safe_url(url)} answered HTTP {answer.status_code}")

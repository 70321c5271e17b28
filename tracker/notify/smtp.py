"""The e-mail channel: one message per digest over SMTP (plain, STARTTLS or SSL).

The message is ``multipart/mixed``: a ``multipart/alternative`` with the plain-text and the
HTML digest, then the full HTML change report of each brief as an attachment (the report is
a standalone file that works from an attachment: no network request, inline CSS and JS).
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from tracker.errors import ConfigError
from tracker.notify.config import Channel, secret
from tracker.notify.digest import Payload, render_html, render_text, subject
from tracker.store.db import Database

if TYPE_CHECKING:
    from tracker.notify.send import Attach

TIMEOUT = 30.0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_message(
    db: Database,
    channel: Channel,
    alerts: Sequence[Payload],
    *,
    test: bool = False,
    attach: Attach | None = None,
) -> EmailMessage:
    """The digest as an e-mail (headers, text, HTML, the reports ``attach`` makes)."""
    s = channel.settings
    sender = str(s.get("from") or f"tracker@{str(s['smtp']).rsplit(':', 1)[0]}")
    msg = EmailMessage()
    msg["Subject"] = subject(alerts, test=test)
    msg["From"] = sender
    msg["To"] = ", ".join(s["to"])
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or None)
    attached = [] if test or attach is None else attach(alerts)
    msg.set_content(render_text(alerts, test=test))
    msg.add_alternative(
        render_html(alerts, attachments=[name for name, _ in attached], test=test), subtype="html"
    )
    for name, html in attached:
        msg.add_attachment(html.encode("utf-8"), maintype="text", subtype="html", filename=name)
    return msg


def send_email(
    db: Database,
    channel: Channel,
    alerts: Sequence[Payload],
    *,
    test: bool = False,
    attach: Attach | None = None,
) -> None:
    """Build and send the digest; raises ``smtplib`` / ``OSError`` failures as they come."""
    s = channel.settings
    host, port_text = str(s["smtp"]).rsplit(":", 1)
    port, security = int(port_text), str(s.get("security", "none"))
    user, password = s.get("user"), secret(channel, "password")
    if password and security == "none" and not _loopback(host):
        raise ConfigError(
            f"channel {channel.name}: refusing to send a password over plain SMTP to {host}"
            " (use --starttls or --ssl)"
        )
    msg = build_message(db, channel, alerts, test=test, attach=attach)
    # A private CA (an office mail relay) is trusted through ca_file; never by skipping checks.
    ca_file = channel.path("ca_file")
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    client: smtplib.SMTP
    if security == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=TIMEOUT)
    with client:
        if security == "starttls":
            client.starttls(context=context)
        if user and password:
            client.login(str(user), password)
        client.send_message(msg)

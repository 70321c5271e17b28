"""The Atom channel: a feed file of alerts that a feed reader follows.

Each send rewrites the file (atomically) with the newest ``MAX_ENTRIES`` alerts of the
channel: the ones being sent now and those sent before, read back from the outbox, so the
file needs no state of its own and a lost file is rebuilt by the next send.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from tracker.errors import ConfigError
from tracker.fsutil import write_atomically
from tracker.notify.config import Channel
from tracker.notify.digest import Payload, brief_line, render_text, watch_label
from tracker.store.db import Database
from tracker.store.outbox import sent_items

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100


def _stamp(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _entry_id(alert: Payload) -> str:
    digest = hashlib.sha256(f"{alert['watch']['name']}\x00{alert['change_key']}".encode())
    return f"urn:tracker:alert:{digest.hexdigest()[:32]}"


def feed_xml(
    channel: Channel, entries: Sequence[tuple[Payload, dt.datetime]], now: dt.datetime
) -> bytes:
    """The Atom document for ``entries`` (alert, when it was sent), newest first."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"urn:tracker:channel:{channel.name}")
    sub(feed, "title", f"tracker alerts ({channel.name})")
    sub(feed, "updated", _stamp(entries[0][1] if entries else now))
    author = sub(feed, "author")
    sub(author, "name", "tracker")
    sub(feed, "generator", "tracker")
    for alert, when in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", _entry_id(alert))
        claim = alert["change"]["new"] or alert["change"]["old"]
        title = f"{alert['watch']['name']}: {alert['change']['kind']} — {claim['text']}"
        sub(entry, "title", title[:300])
        sub(entry, "updated", _stamp(when))
        if alert["brief"].get("url"):
            sub(entry, "link", href=str(alert["brief"]["url"]), rel="alternate")
        sub(entry, "summary", f"watch {watch_label(alert['watch'])}; {brief_line(alert['brief'])}")
        sub(entry, "content", render_text([alert]), type="text")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def write_atom(
    db: Database, channel: Channel, alerts: Sequence[Payload], *, test: bool = False
) -> None:
    """Rewrite the channel's feed file with ``alerts`` on top of those sent before."""
    path = channel.path("path")
    if path is None:
        raise ConfigError(f"channel {channel.name}: no path")
    now = dt.datetime.now(dt.UTC)
    entries: list[tuple[Payload, dt.datetime]] = [(a, now) for a in alerts]
    for row in sent_items(db.engine, channel.name, MAX_ENTRIES):
        entries.append((row.payload, row.sent_at or row.created_at))
    try:
        write_atomically(path, feed_xml(channel, entries[:MAX_ENTRIES], now))
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None

"""Watches and channels, kept in ``tracker.toml`` beside the sources.

```toml
[[watch]]
name = "defence"
query = "defence spending"          # or claim = 148 (follow that claim's position)
source = "Kestrel Policy Institute" # optional: only briefs of this source
aspects = ["quantity", "stance"]    # optional: modified claims must change in one of these
kinds = ["modified", "added", "removed"]
min_confidence = "probable"         # optional: weak | probable | strong (pairs only)

[[channel]]
name = "mail"
kind = "email"
smtp = "smtp.example.org:587"
to = ["ana@example.org"]
from = "tracker@example.org"
security = "starttls"               # starttls | ssl | none (default: none)
ca_file = "relay-ca.pem"            # optional: trust this CA (a private relay's certificate)
user = "ana"
password_env = "TRACKER_SMTP_PASSWORD"   # or password_file = "secrets/smtp" (relative: here)

[[channel]]
name = "slack"
kind = "webhook"
url_env = "SLACK_WEBHOOK_URL"       # or url_file = "...", or url = "https://..."
format = "slack"                    # slack | teams | json

[[channel]]
name = "feed"
kind = "atom"
path = "alerts.xml"

[[channel]]
name = "phone"
kind = "apprise"                    # any service Apprise knows (pip install tracker[apprise])
url_env = "TRACKER_APPRISE_URL"     # e.g. ntfys://ntfy.sh/TOPIC, tgram://TOKEN/CHAT

[notify]
backoff = 300                       # seconds before the first retry, doubled each time
max_attempts = 10
```

Secrets (an SMTP password, a webhook URL with its token) are read when a channel sends,
from the environment or a file named here, and registered with ``redact`` so that no error
message, log line or ``runs`` row can carry them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from tracker import tomlfile
from tracker.errors import ConfigError

ChannelKind = Literal["email", "webhook", "atom", "apprise"]
CHANNEL_KINDS: tuple[ChannelKind, ...] = ("email", "webhook", "atom", "apprise")
WEBHOOK_FORMATS = ("json", "slack", "teams")
SECURITY = ("starttls", "ssl", "none")
WATCH_KINDS = ("modified", "added", "removed")
WATCH_ASPECTS = ("quantity", "stance", "wording")
BANDS = ("weak", "probable", "strong")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Watch:
    """A position to follow: by words (``query``), by one claim's chain (``claim``), or
    both (a change fires for either)."""

    name: str
    query: str | None = None
    claim: int | None = None
    source: str | None = None
    aspects: tuple[str, ...] = ()
    kinds: tuple[str, ...] = WATCH_KINDS
    min_confidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The watch as the JSON of an alert shows it (every key present)."""
        return {
            "name": self.name,
            "query": self.query,
            "claim": self.claim,
            "source": self.source,
            "aspects": list(self.aspects),
            "kinds": list(self.kinds),
            "min_confidence": self.min_confidence,
        }

    def describe(self) -> str:
        """One line: what the watch follows and which changes it reports."""
        parts = [f'"{self.query}"'] if self.query is not None else []
        if self.claim is not None:
            parts.append(f"claim {self.claim}")
        if self.source:
            parts.append(f"source {self.source}")
        if tuple(self.kinds) != WATCH_KINDS:
            parts.append("kinds " + ",".join(self.kinds))
        if self.aspects:
            parts.append("aspects " + ",".join(self.aspects))
        if self.min_confidence:
            parts.append(f"at least {self.min_confidence}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Channel:
    """Where digests go. ``settings`` holds the kind's keys as written in the file."""

    name: str
    kind: ChannelKind
    settings: dict[str, Any] = field(default_factory=dict)
    base: Path = Path(".")  # the folder of tracker.toml: relative paths start there

    def path(self, key: str) -> Path | None:
        value = self.settings.get(key)
        if not isinstance(value, str) or not value:
            return None
        return (self.base / Path(value).expanduser()).resolve()

    def describe(self) -> str:
        """One line without secrets: host and recipients, the webhook's host, the file."""
        s = self.settings
        if self.kind == "email":
            security = s.get("security", "none")
            return f"smtp {s.get('smtp')} ({security}) → {', '.join(s.get('to', []))}"
        if self.kind == "atom":
            return f"atom file {self.path('path')}"
        where = (
            f"url from ${s['url_env']}"
            if "url_env" in s
            else f"url from file {s['url_file']}"
            if "url_file" in s
            else safe_url(str(s.get("url", "")))
        )
        if self.kind == "webhook":
            return f"{s.get('format', 'json')} webhook, {where}"
        if "url" in s:  # an Apprise URL may hold its token in the host part: scheme only
            where = f"{urlsplit(str(s['url'])).scheme}://…"
        return f"apprise, {where}"


@dataclass(frozen=True)
class NotifySettings:
    backoff: float = 300.0
    max_attempts: int = 10


@dataclass
class AlertConfig:
    path: Path
    watches: list[Watch] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    settings: NotifySettings = field(default_factory=NotifySettings)

    def watch(self, name: str) -> Watch:
        for w in self.watches:
            if w.name == name:
                return w
        raise ConfigError(f"no watch {name!r} in {self.path} (see: tracker watch list)")

    def channel(self, name: str) -> Channel:
        for c in self.channels:
            if c.name == name:
                return c
        raise ConfigError(f"no channel {name!r} in {self.path} (see: tracker notify list)")


# -- secrets ---------------------------------------------------------------------------------

_SECRETS: set[str] = set()


def redact(text: str) -> str:
    """``text`` with every secret read so far, and the path and query of any URL, hidden."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return re.sub(r"(https?://[^/\s'\"]+)/[^\s'\"]*", r"\1/…", text)


def safe_url(url: str) -> str:
    """A webhook URL as it may be shown: scheme and host only (tokens live in the path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…" if parts.hostname else "(no url)"


def secret(channel: Channel, stem: str) -> str | None:
    """The secret ``stem`` of a channel (``password``, ``url``) from ``{stem}_env`` (an
    environment variable), ``{stem}_file`` (first line of a file) or ``{stem}`` itself."""
    s = channel.settings
    value: str | None = None
    if f"{stem}_env" in s:
        var = str(s[f"{stem}_env"])
        value = os.environ.get(var)
        if not value:
            raise ConfigError(f"channel {channel.name}: environment variable {var} is not set")
    elif f"{stem}_file" in s:
        path = channel.path(f"{stem}_file")
        try:
            value = (path.read_text(encoding="utf-8") if path else "").strip().splitlines()[0]
        except (OSError, IndexError):
            raise ConfigError(f"channel {channel.name}: cannot read {stem} file {path}") from None
    elif s.get(stem):
        value = str(s[stem])
    if value:
        _SECRETS.add(value)
    return value


# -- reading ---------------------------------------------------------------------------------


def _strings(raw: Any, where: str, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = raw.get(key, [])
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",") if v.strip()]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ConfigError(f"{where}: {key} must be among {', '.join(allowed)}, not {bad[0]!r}")
    return tuple(dict.fromkeys(values))


def parse_watch(raw: Any, where: str) -> Watch:
    """A ``[[watch]]`` table as a Watch (``where`` names it in errors)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where}: name must be letters, digits, '.', '_' or '-'")
    where = f"{where} ({name})"
    query, claim = raw.get("query"), raw.get("claim")
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise ConfigError(f"{where}: query must be some words")
    if claim is not None and (not isinstance(claim, int) or isinstance(claim, bool)):
        raise ConfigError(f"{where}: claim must be a claim id (a number)")
    if query is None and claim is None:
        raise ConfigError(f"{where}: give a query or a claim to follow")
    source = raw.get("source")
    if source is not None and not isinstance(source, str):
        raise ConfigError(f"{where}: source must be a string")
    band = raw.get("min_confidence")
    if band is not None and band not in BANDS:
        raise ConfigError(f"{where}: min_confidence must be one of {', '.join(BANDS)}")
    kinds = _strings(raw, where, "kinds", WATCH_KINDS) if "kinds" in raw else WATCH_KINDS
    if not kinds:
        raise ConfigError(f"{where}: kinds is empty")
    return Watch(
        name=name,
        query=query,
        claim=claim,
        source=source,
        aspects=_strings(raw, where, "aspects", WATCH_ASPECTS),
        kinds=kinds,
        min_confidence=band,
    )


def parse_channel(raw: Any, where: str, base: Path) -> Channel:
    """A ``[[channel]]`` table as a Channel, checked for the keys its kind needs."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    name, kind = raw.get("name"), raw.get("kind")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where}: name must be letters, digits, '.', '_' or '-'")
    where = f"{where} ({name})"
    if kind not in CHANNEL_KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(CHANNEL_KINDS)}")
    settings = {k: v for k, v in raw.items() if k not in ("name", "kind")}
    if kind == "email":
        smtp, to = settings.get("smtp"), settings.get("to")
        if not isinstance(smtp, str) or not re.match(r"^[^\s:]+:\d+$", smtp):
            raise ConfigError(f'{where}: smtp must be "HOST:PORT"')
        if isinstance(to, str):
            settings["to"] = to = [to]
        if not isinstance(to, list) or not to or not all(isinstance(t, str) for t in to):
            raise ConfigError(f"{where}: to must name at least one address")
        if settings.get("security", "none") not in SECURITY:
            raise ConfigError(f"{where}: security must be one of {', '.join(SECURITY)}")
    elif kind in ("webhook", "apprise"):
        if not any(k in settings for k in ("url", "url_env", "url_file")):
            raise ConfigError(f"{where}: a {kind} channel needs url, url_env or url_file")
        if kind == "webhook" and settings.get("format", "json") not in WEBHOOK_FORMATS:
            raise ConfigError(f"{where}: format must be one of {', '.join(WEBHOOK_FORMATS)}")
    elif not isinstance(settings.get("path"), str) or not settings["path"]:
        raise ConfigError(f'{where}: an atom channel needs path = "FILE"')
    return Channel(name, cast(ChannelKind, kind), settings, base)


def load_alert_config(path: Path) -> AlertConfig:
    """The watches, channels and ``[notify]`` settings of ``path`` (missing file: none)."""
    data = tomlfile.read(path)
    watches_raw, channels_raw = data.get("watch", []), data.get("channel", [])
    if not isinstance(watches_raw, list) or not isinstance(channels_raw, list):
        raise ConfigError(f"{path}: 'watch' and 'channel' must be arrays of tables")
    watches = [parse_watch(w, f"{path}: watch {i}") for i, w in enumerate(watches_raw, 1)]
    channels = [
        parse_channel(c, f"{path}: channel {i}", path.parent) for i, c in enumerate(channels_raw, 1)
    ]
    for label, names in (
        ("watch", [w.name for w in watches]),
        ("channel", [c.name for c in channels]),
    ):
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup is not None:
            raise ConfigError(f"{path}: two of {label} {dup!r}")
    raw = data.get("notify", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [notify] must be a table")
    try:
        settings = NotifySettings(
            backoff=float(raw.get("backoff", 300.0)),
            max_attempts=int(raw.get("max_attempts", 10)),
        )
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: [notify] values must be numbers") from None
    return AlertConfig(path, watches, channels, settings)

"""Editing the watches and channels of ``tracker.toml``: ``tracker watch add|remove`` and
``tracker notify add|remove``.

tomlkit rewrites the file keeping the user's comments and layout (the sources are edited the
same way); every edit reads the file again, checks what it adds with the parser of
``notify.config``, and writes it atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker import tomlfile
from tracker.errors import ConfigError
from tracker.notify.config import (
    WATCH_KINDS,
    AlertConfig,
    Channel,
    Watch,
    load_alert_config,
    parse_channel,
)


def _append(path: Path, key: str, values: dict[str, Any]) -> None:
    import tomlkit

    doc = tomlfile.document(path)
    table = tomlkit.table()
    for k, v in values.items():
        if v is not None and v != [] and v != ():
            table.add(k, list(v) if isinstance(v, tuple) else v)
    if key not in doc:
        doc.add(key, tomlkit.aot())
    doc[key].append(table)
    tomlfile.save(path, doc)


def add_watch(path: Path, watch: Watch) -> None:
    """Append ``watch`` to the file (created if missing); refuse a name in use."""
    config = load_alert_config(path)
    if any(w.name == watch.name for w in config.watches):
        raise ConfigError(f"a watch named {watch.name!r} is already in {path}")
    values = watch.to_dict()
    if tuple(watch.kinds) == WATCH_KINDS:
        values.pop("kinds")
    _append(path, "watch", values)


def add_channel(path: Path, channel: Channel) -> None:
    """Append ``channel`` to the file; refuse a name in use."""
    config = load_alert_config(path)
    if any(c.name == channel.name for c in config.channels):
        raise ConfigError(f"a channel named {channel.name!r} is already in {path}")
    parse_channel(
        {"name": channel.name, "kind": channel.kind, **channel.settings}, "new channel", path.parent
    )
    _append(path, "channel", {"name": channel.name, "kind": channel.kind, **channel.settings})


def _remove(path: Path, key: str, name: str) -> None:
    doc = tomlfile.document(path)
    tables = doc.get(key, [])
    index = next((i for i, t in enumerate(tables) if t.get("name") == name), None)
    if index is None:
        raise ConfigError(
            f"no {key} {name!r} in {path} "
            f"(see: tracker {'watch' if key == 'watch' else 'notify'} list)"
        )
    del doc[key][index]
    if not doc[key]:
        del doc[key]
    tomlfile.save(path, doc)


def remove_watch(path: Path, name: str) -> None:
    """Remove the watch called ``name``."""
    _remove(path, "watch", name)


def remove_channel(path: Path, name: str) -> None:
    """Remove the channel called ``name``."""
    _remove(path, "channel", name)


def next_channel_name(config: AlertConfig, kind: str) -> str:
    """``email``, then ``email-2``, ``email-3``: a free default name for a new channel."""
    names = {c.name for c in config.channels}
    if kind not in names:
        return kind
    n = 2
    while f"{kind}-{n}" in names:
        n += 1
    return f"{kind}-{n}"

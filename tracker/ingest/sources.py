"""Sources of a cron run, kept in ``tracker.toml`` beside the database.

```toml
[[source]]
kind = "feed"                      # feed | page | inbox
url = "https://example.org/briefs.xml"

[[source]]
kind = "inbox"
path = "/home/ana/briefs/inbox"    # relative paths are relative to this file

[fetch]                            # optional limits for every request
timeout = 30                       # seconds per connect or read
backoff = 2                        # seconds before the first retry, doubled each time
max_mb = 20
retries = 2
user_agent = "tracker/0.1.0 (ana@example.org)"
allow_private = false              # true: also fetch loopback and private-network addresses
```

The file is read with ``tomllib`` and edited with tomlkit, which keeps the user's comments and
layout when ``tracker sources add`` / ``remove`` rewrite it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy.engine import make_url

from tracker import tomlfile
from tracker.errors import ConfigError, FetchError, InputError
from tracker.ingest.fetch import Fetcher, FetchPolicy, check_url

CONFIG_NAME = "tracker.toml"
ENV_VAR = "TRACKER_CONFIG"
SourceKind = Literal["feed", "page", "inbox"]
KINDS: tuple[SourceKind, ...] = ("feed", "page", "inbox")

_HEADER = """\
# Sources read by `tracker ingest --sources`; edit by hand or with `tracker sources add/remove`.
# kind = "feed" (RSS/Atom), "page" (one web page or PDF) or "inbox" (a folder).
"""


@dataclass(frozen=True)
class Source:
    """One source: a feed or page URL, or an inbox folder (absolute path)."""

    kind: SourceKind
    location: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.location}"


@dataclass
class Config:
    """The parsed sources file; a missing file is an empty config."""

    path: Path
    sources: list[Source] = field(default_factory=list)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)


def config_path(db_url: str, explicit: str | Path | None = None) -> Path:
    """Where the sources file is: ``explicit`` (``--config``), else ``TRACKER_CONFIG``, else
    ``tracker.toml`` beside an SQLite database, else in the current directory."""
    value = explicit or os.environ.get(ENV_VAR)
    if value:
        return Path(value).expanduser().resolve()
    parsed = make_url(db_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(str(parsed.database)).resolve().parent / CONFIG_NAME
    return Path.cwd() / CONFIG_NAME


def _source(raw: Any, index: int, base: Path, path: Path) -> Source:
    where = f"{path}: source {index}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == "inbox":
        folder = raw.get("path")
        if not isinstance(folder, str) or not folder:
            raise ConfigError(f'{where}: an inbox needs path = "FOLDER"')
        return Source("inbox", str((base / Path(folder).expanduser()).resolve()))
    url = raw.get("url")
    if not isinstance(url, str) or not url:
        raise ConfigError(f'{where}: a {kind} needs url = "https://..."')
    try:
        return Source(cast(SourceKind, kind), check_url(url))
    except FetchError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _policy(raw: Any, path: Path) -> FetchPolicy:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [fetch] must be a table")
    policy = FetchPolicy()
    try:
        for key in ("timeout", "retries", "max_redirects", "backoff", "total_seconds"):
            if key in raw:
                policy = replace(policy, **{key: type(getattr(policy, key))(raw[key])})
        if "max_mb" in raw:
            policy = replace(policy, max_bytes=int(float(raw["max_mb"]) * 2**20))
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: [fetch] values must be numbers") from None
    if "user_agent" in raw:
        policy = replace(policy, user_agent=str(raw["user_agent"]))
    if "allow_private" in raw:
        if not isinstance(raw["allow_private"], bool):
            raise ConfigError(f"{path}: [fetch] allow_private must be true or false")
        policy = replace(policy, allow_private=raw["allow_private"])
    return policy


def load_config(path: Path) -> Config:
    """Read the sources file at ``path`` (none there: no sources)."""
    data = tomlfile.read(path)
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    base = path.parent
    sources = [_source(raw, i, base, path) for i, raw in enumerate(raw_sources, start=1)]
    return Config(path, sources, _policy(data.get("fetch", {}), path))


def add_source(path: Path, source: Source) -> None:
    """Append ``source`` to the file (created if missing); refuse a duplicate."""
    import tomlkit

    config = load_config(path)
    if source in config.sources:
        raise ConfigError(f"{source.location} is already a source in {path}")
    doc = tomlfile.document(path, _HEADER)
    table = tomlkit.table()
    table.add("kind", source.kind)
    table.add("path" if source.kind == "inbox" else "url", source.location)
    if "source" not in doc:
        doc.add("source", tomlkit.aot())
    doc["source"].append(table)
    tomlfile.save(path, doc)


def remove_source(path: Path, key: str) -> Source:
    """Remove the source whose URL or folder is ``key``, or whose number (from ``sources
    list``, starting at 1) it is; return it."""
    config = load_config(path)
    index = None
    if key.isdigit() and 1 <= int(key) <= len(config.sources):
        index = int(key) - 1
    else:
        wanted = {key, key.rstrip("/")}
        if "://" not in key:
            wanted.add(str(Path(key).expanduser().resolve()))
        index = next((i for i, s in enumerate(config.sources) if s.location in wanted), None)
    if index is None:
        raise ConfigError(f"no source {key!r} in {path} (see: tracker sources list)")
    doc = tomlfile.document(path, _HEADER)
    del doc["source"][index]
    if not doc["source"]:
        del doc["source"]
    tomlfile.save(path, doc)
    return config.sources[index]


def sniff_source(target: str, fetcher: Fetcher | None = None) -> Source:
    """What ``target`` is: a folder is an inbox; a URL is fetched once and is a feed when
    its answer is RSS or Atom, else a page (HTML, PDF or text)."""
    from tracker.ingest.feeds import looks_like_feed, parse_feed

    if "://" not in target:
        folder = Path(target).expanduser()
        if folder.is_dir():
            return Source("inbox", str(folder.resolve()))
        if folder.exists():
            raise ConfigError(f"{target}: a file, not a folder (ingest it with: tracker ingest)")
        raise ConfigError(
            f"{target}: no such folder (for a web address, start it with https:// or http://)"
        )
    try:
        url = check_url(target)
    except FetchError as exc:
        raise ConfigError(str(exc)) from None
    own = fetcher is None
    client = fetcher or Fetcher()
    try:
        answer = client.get(url)
    except FetchError as exc:
        raise ConfigError(f"{exc} (give --kind feed or --kind page to add it unchecked)") from None
    finally:
        if own:
            client.close()
    if looks_like_feed(answer.content_type, answer.content):
        try:
            parse_feed(answer.content, answer.url)
        except InputError as exc:
            raise ConfigError(str(exc)) from None
        return Source("feed", url)
    return Source("page", url)


def make_source(target: str, kind: str | None = None, fetcher: Fetcher | None = None) -> Source:
    """The source ``target`` names: sniffed (see ``sniff_source``) unless ``kind`` is given,
    in which case no request is made."""
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == "inbox" and "://" in target:
        raise ConfigError(f"{target}: an inbox is a folder, not a URL")
    if kind is None or kind == "inbox":
        return sniff_source(target, fetcher)
    try:
        return Source(cast(SourceKind, kind), check_url(target))
    except FetchError as exc:
        raise ConfigError(str(exc)) from None

"""`tracker notify`: the channels digests are sent on (e-mail, webhook, Atom file)."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import cli, err, handle_errors, open_db, out, shown
from tracker.cli.sources import sources_file


@cli.group(
    epilog="""Examples:

\b
  tracker notify add email --smtp smtp.example.org:587 --starttls --to ana@example.org \\
      --user ana --password-env TRACKER_SMTP_PASSWORD
  tracker notify add webhook --url-env SLACK_WEBHOOK_URL --format slack
  tracker notify add atom alerts.xml
  tracker notify test email
""",
)
def notify() -> None:
    """Channels that receive the alert digest of every `tracker ingest --sources` run.

    Kept in tracker.toml. Secrets (an SMTP password, a webhook URL with its token) are
    read from an environment variable or a file named there, and never printed.
    """


@notify.group(
    "add",
    epilog="""Examples:

\b
  tracker notify add email --smtp localhost:25 --to ana@example.org
  tracker notify add webhook --url-env TEAMS_WEBHOOK_URL --format teams
  tracker notify add atom alerts.xml
""",
)
def notify_add() -> None:
    """Add an e-mail, webhook, Atom or Apprise channel."""


def _added(ctx: click.Context, kind: str, name: str | None, settings: dict[str, object]) -> None:
    from rich.text import Text

    from tracker.notify.config import Channel, load_alert_config
    from tracker.notify.editing import add_channel, next_channel_name

    path = sources_file(ctx)
    config = load_alert_config(path)
    channel = Channel(
        name or next_channel_name(config, kind),
        kind,  # type: ignore[arg-type]
        {k: v for k, v in settings.items() if v is not None},
        path.parent,
    )
    add_channel(path, channel)
    out.print(Text(shown(f"added channel {channel.name}: {channel.describe()}")))
    err.print(Text(f"config file: {path}"), style="dim")


@notify_add.command(
    "email",
    epilog="Example:\n\n\b\n  tracker notify add email --smtp smtp.example.org:465 --ssl "
    "--to ana@example.org --user ana --password-file ~/.tracker-smtp",
)
@click.option("--smtp", required=True, metavar="HOST:PORT", help="The SMTP server.")
@click.option("--to", "to", multiple=True, required=True, help="A recipient (repeatable).")
@click.option("--from", "sender", help="The sender address.")
@click.option("--starttls", "security", flag_value="starttls", help="Upgrade with STARTTLS.")
@click.option("--ssl", "security", flag_value="ssl", help="Connect over TLS (port 465).")
@click.option(
    "--ca-file",
    type=click.Path(path_type=Path),
    help="PEM file of the CA that signed the server's certificate (a private relay).",
)
@click.option("--user", help="SMTP login.")
@click.option("--password-env", metavar="VAR", help="Environment variable holding the password.")
@click.option("--password-file", type=click.Path(path_type=Path), help="File holding the password.")
@click.option("--name", help="Channel name (default: email, email-2, ...).")
@click.pass_context
@handle_errors
def add_email(
    ctx: click.Context,
    smtp: str,
    to: tuple[str, ...],
    sender: str | None,
    security: str | None,
    ca_file: Path | None,
    user: str | None,
    password_env: str | None,
    password_file: Path | None,
    name: str | None,
) -> None:
    """Send the digest by e-mail: text and HTML parts, the full report attached."""
    if password_env and password_file:
        raise click.UsageError("give --password-env or --password-file, not both")
    _added(
        ctx,
        "email",
        name,
        {
            "smtp": smtp,
            "to": list(to),
            "from": sender,
            "security": security or "none",
            "ca_file": str(ca_file.expanduser().resolve()) if ca_file else None,
            "user": user,
            "password_env": password_env,
            "password_file": str(password_file.expanduser().resolve()) if password_file else None,
        },
    )


@notify_add.command(
    "webhook",
    epilog="Examples:\n\n\b\n"
    "  tracker notify add webhook --url-env SLACK_WEBHOOK_URL --format slack\n"
    "  tracker notify add webhook https://hooks.example.org/tracker --format json",
)
@click.argument("url", required=False)
@click.option(
    "--url-env",
    metavar="VAR",
    help="Environment variable holding the URL (keeps its token out of the file).",
)
@click.option("--url-file", type=click.Path(path_type=Path), help="File holding the URL.")
@click.option(
    "--format",
    "shape",
    type=click.Choice(["json", "slack", "teams"]),
    default="json",
    show_default=True,
    help="Body shape.",
)
@click.option("--name", help="Channel name (default: webhook, webhook-2, ...).")
@click.pass_context
@handle_errors
def add_webhook(
    ctx: click.Context,
    url: str | None,
    url_env: str | None,
    url_file: Path | None,
    shape: str,
    name: str | None,
) -> None:
    """POST the digest as JSON to URL (or the URL in --url-env / --url-file)."""
    if sum(x is not None for x in (url, url_env, url_file)) != 1:
        raise click.UsageError("give URL, --url-env VAR or --url-file FILE (one of them)")
    if url is not None and not url.startswith(("http://", "https://")):
        raise click.UsageError("URL must start with https:// or http://")
    _added(
        ctx,
        "webhook",
        name,
        {
            "url": url,
            "url_env": url_env,
            "url_file": str(url_file.expanduser().resolve()) if url_file else None,
            "format": shape,
        },
    )


@notify_add.command("atom", epilog="Example:\n\n\b\n  tracker notify add atom ~/public/alerts.xml")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Channel name (default: atom, atom-2, ...).")
@click.pass_context
@handle_errors
def add_atom(ctx: click.Context, file: Path, name: str | None) -> None:
    """Keep an Atom feed FILE of alerts for a feed reader."""
    _added(ctx, "atom", name, {"path": str(file.expanduser().resolve())})


@notify_add.command(
    "apprise",
    epilog="Examples:\n\n\b\n  tracker notify add apprise --url-env TRACKER_APPRISE_URL\n"
    "  tracker notify add apprise --url-file ~/.tracker-apprise --name phone",
)
@click.argument("url", required=False)
@click.option("--url-env", metavar="VAR", help="Environment variable holding the Apprise URL.")
@click.option("--url-file", type=click.Path(path_type=Path), help="File holding the Apprise URL.")
@click.option("--name", help="Channel name (default: apprise, apprise-2, ...).")
@click.pass_context
@handle_errors
def add_apprise(
    ctx: click.Context,
    url: str | None,
    url_env: str | None,
    url_file: Path | None,
    name: str | None,
) -> None:
    """Hand the text digest to Apprise (ntfy, Telegram, Matrix, ...; needs tracker[apprise])."""
    if sum(x is not None for x in (url, url_env, url_file)) != 1:
        raise click.UsageError("give URL, --url-env VAR or --url-file FILE (one of them)")
    _added(
        ctx,
        "apprise",
        name,
        {
            "url": url,
            "url_env": url_env,
            "url_file": str(url_file.expanduser().resolve()) if url_file else None,
        },
    )


@notify.command("list", epilog="Example:\n\n\b\n  tracker notify list")
@click.pass_context
@handle_errors
def notify_list(ctx: click.Context) -> None:
    """List the channels (secrets are not shown)."""
    from rich.text import Text

    from tracker.notify.config import load_alert_config

    config = load_alert_config(sources_file(ctx))
    if not config.channels:
        out.print(Text(f"No channels in {config.path}. Add one with: tracker notify add"))
        return
    for c in config.channels:
        out.print(Text(shown(f"{c.name}  {c.kind}  {c.describe()}")))


@notify.command("remove", epilog="Example:\n\n\b\n  tracker notify remove email-2")
@click.argument("name")
@click.pass_context
@handle_errors
def notify_remove(ctx: click.Context, name: str) -> None:
    """Remove a channel (its pending alerts stay in the outbox, unsent)."""
    from rich.text import Text

    from tracker.notify.editing import remove_channel

    remove_channel(sources_file(ctx), name)
    out.print(Text(shown(f"removed channel {name}")))


@notify.command("test", epilog="Example:\n\n\b\n  tracker notify test email")
@click.argument("channel")
@click.pass_context
@handle_errors
def notify_test(ctx: click.Context, channel: str) -> None:
    """Send a test message on CHANNEL now (nothing is queued)."""
    from rich.text import Text

    from tracker.app.watches import test_channel
    from tracker.notify.config import load_alert_config

    config = load_alert_config(sources_file(ctx))
    test_channel(open_db(ctx), config.channel(channel))
    out.print(Text(shown(f"sent a test message on {channel}")))

"""`tracker serve`: browse, diff and review the store in a web browser."""

from __future__ import annotations

import contextlib

import click

from tracker.cli.app import cli, err, handle_errors, open_db, open_encoder, out


@cli.command(
    epilog="""Examples:

\b
  tracker --db build/demo/tracker.db serve
  tracker serve --port 9000
  tracker serve --host 0.0.0.0              # prints a generated access token
  tracker serve --host 0.0.0.0 --token "$TOKEN"
  tracker --embeddings auto serve          # diffs as tracker --embeddings diff makes them
""",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: any free one).",
)
@click.option(
    "--token",
    envvar="TRACKER_SERVE_TOKEN",
    help="Access token every request must carry; required beyond loopback, generated and "
    "printed when not given [env TRACKER_SERVE_TOKEN].",
)
@click.option("--by", "reviewer", help="Name recorded with verdicts [default: as tracker review].")
@click.pass_context
@handle_errors
def serve(
    ctx: click.Context, host: str, port: int, token: str | None, reviewer: str | None
) -> None:
    """Serve the store in a browser: briefs, diffs with review buttons, the review queue,
    histories, search and runs.

    It binds to loopback by default. Any other address needs an access token (--token, or
    one generated and printed now), checked on every request. Stop it with Ctrl-C.
    """
    from tracker.web.app import create_app
    from tracker.web.security import Guard, is_loopback, new_token
    from tracker.web.server import bind, url_of

    if token is not None and not token.strip():
        raise click.BadParameter("the token cannot be empty", param_hint="--token")
    if token is None and not is_loopback(host):
        token = new_token()
        err.write(f"access token (generated): {token}")
    db = open_db(ctx.find_root(), must_exist=True)
    encoder = open_encoder(ctx)
    app = create_app(db, Guard(host=host, token=token), reviewer=reviewer, encoder=encoder)
    try:
        server = bind(app, host, port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    out.print(
        f"tracker serve: {url_of(server, host, token)}  (Ctrl-C stops)",
        markup=False,
        highlight=False,
    )
    # Each claim's embedding is computed once for the life of the server: every page of a
    # diff or history would otherwise encode all of its claims again.
    with encoder.remembering() if encoder else contextlib.nullcontext():
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            out.print("stopped", markup=False)
        finally:
            server.server_close()

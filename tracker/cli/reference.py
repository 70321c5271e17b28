"""The command reference of docs/cli.md: every command's ``--help``, at a fixed width.

``cog -r docs/cli.md`` (``make docs``) writes it into the page; ``tests/test_docs.py`` and
``make lint`` fail when the page is out of date.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

# A fixed width, so that the page does not depend on the terminal it was made in.
WIDTH = 100


def commands(
    command: click.Command, path: tuple[str, ...] = ("tracker",)
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``command`` (itself first) with its path, groups' commands sorted."""
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from commands(sub, (*path, name))


def reference() -> str:
    """The Markdown of every command's help, one section per command."""
    from tracker.cli import cli

    out = []
    for path, command in commands(cli):
        parent: click.Context | None = None
        node: click.Command = cli
        for depth, name in enumerate(path[:-1]):
            # The commands' own context settings (-h as well as --help), as an invocation has.
            parent = click.Context(node, info_name=name, parent=parent, **node.context_settings)
            sub = (
                node.get_command(parent, path[depth + 1]) if isinstance(node, click.Group) else None
            )
            assert sub is not None
            node = sub
        settings = {**command.context_settings, "max_content_width": WIDTH}
        ctx = click.Context(
            command,
            info_name=path[-1],
            parent=parent,
            terminal_width=WIDTH,
            color=False,
            **settings,
        )
        out.append(f"## {' '.join(path)}\n\n```\n{command.get_help(ctx)}\n```\n")
    return "\n".join(out)

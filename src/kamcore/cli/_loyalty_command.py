"""``kamcore loyalty``: members, tiers, points, and what to spend for a tier.

The command's options; what it does is :mod:`kamcore.cli._loyalty_run`,
imported only when the command runs.
"""

from __future__ import annotations

import argparse

from kamcore.cli._common import (
    ExitCode,
    add_as_of,
    add_database,
    add_format,
    add_locale,
    add_timezone,
)

__all__ = ["register", "run"]

DESCRIPTION = """\
The loyalty members as of a date (or one client with --client): the tier in
effect and the qualifying spend behind it, the points usable, pending and
reserved, what may be redeemed now, points about to expire, and what the
client must still spend to reach the next tier, or to hold each tier in the
next qualification period.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``loyalty`` to the command parsers."""
    parser = commands.add_parser(
        "loyalty",
        help="loyalty members: tiers, points, what to spend for a tier",
        description=DESCRIPTION,
    )
    add_database(parser)
    parser.add_argument("--client", metavar="C", help="only client C")
    add_as_of(parser, what="the report")
    add_locale(parser)
    add_format(parser)
    add_timezone(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    """Print each member's standing."""
    from kamcore.cli import _loyalty_run  # noqa: PLC0415 - imported only when the command runs

    return _loyalty_run.run(args)

"""``kamcore demo``: build the demo portfolio and run the weekly routine on it.

The command's options; what it does is :mod:`kamcore.cli._demo_run`, imported
only when the command runs.
"""

from __future__ import annotations

import argparse

from kamcore.cli._common import ExitCode, add_as_of, add_locale, add_timezone

__all__ = ["register", "run"]

DESCRIPTION = """\
Build a realistic demo portfolio -- six clients of a valve maker in four
groups: key accounts with contracts near renewal, declining orders, overdue
invoices, loyalty members near a tier threshold, open opportunities, a
dedicated price list and an ad-hoc discount habit -- in an embedded SQLite
database, then run the account manager's weekly routine on it: the renewal
scheduler, the loyalty day, the daily overdue check, the weekly report and
the ad-hoc discount review. The portfolio is dated relative to --as-of, so it
looks current whatever the day.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo`` to the command parsers."""
    parser = commands.add_parser(
        "demo",
        help="build a demo portfolio and run the weekly routine on it",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="where to create the demo database: a new SQLite file (or a "
        "database URL); default: a fresh file in a temporary directory, kept "
        "so you can explore it with the other commands",
    )
    add_as_of(parser, what="the routine")
    add_locale(parser)
    add_timezone(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    """Build the demo portfolio and print the weekly routine's results."""
    from kamcore.cli import _demo_run  # noqa: PLC0415 - imported only when the command runs

    return _demo_run.run(args)

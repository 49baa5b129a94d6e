"""``kamcore renewals``: run the renewal scheduler as of a date, list the alerts.

The command's options; what it does is :mod:`kamcore.cli._renewals_run`,
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
Run the renewal scheduler once, as of a date: contracts whose term has ended
are renewed (auto-renew), terminated or lapsed, and one alert per contract
term due within the renewal lead time (60 days by default) is raised for the
account manager. Alerts are kept in a ledger, so running it twice raises
nothing new, and a missed day catches up. The notifications are stored in the
database's outbox in the same transaction, for the host's dispatcher to
deliver. Then every alert still waiting for a first action is listed. With
--check nothing is written: the run is made on a copy in memory, and shown.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``renewals`` to the command parsers."""
    parser = commands.add_parser(
        "renewals",
        help="run the renewal scheduler and list the alerts",
        description=DESCRIPTION,
    )
    add_database(parser)
    add_as_of(parser, what="the scheduler")
    parser.add_argument(
        "--lead-days",
        type=int,
        default=60,
        metavar="N",
        help="renewal lead time in days, unless a contract sets its own (default: 60)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing: show what a run would do (on a copy in memory), "
        "then the alerts waiting; works on a read-only database",
    )
    add_locale(parser)
    add_format(parser)
    add_timezone(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    """Run the scheduler and print what it did, then the alerts waiting."""
    from kamcore.cli import _renewals_run  # noqa: PLC0415 - imported only when the command runs

    return _renewals_run.run(args)

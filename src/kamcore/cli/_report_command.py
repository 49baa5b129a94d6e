"""``kamcore report``: the weekly report, as text, JSON, CSV or an HTML page.

The command's options; what it does is :mod:`kamcore.cli._report_run`,
imported only when the command runs.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from kamcore.cli._common import (
    ExitCode,
    add_as_of,
    add_database,
    add_locale,
    add_timezone,
)

__all__ = ["DECLINE_BASES", "add_decline_options", "register", "run"]

DECLINE_BASES = ("orders", "invoiced")
"""The values of :class:`kamcore.metrics.Basis`, the default first, named here
so that the options do not load the metrics."""

DESCRIPTION = """\
The account manager's weekly report as of a date: the Monday portfolio health
check (accounts by net invoiced, order declines, contracts expiring within 60
days), overdue key-account invoices, the open opportunity review and the five
key metrics over the trailing 12 months. It only reads the database:
raising renewal alerts is `kamcore renewals`. Covers every key account, or a
manager's portfolio (--manager), or a client group (--group).

Order declines compare the last complete month with the one before and alarm
on a fall of more than --decline-threshold percent (20) from a previous month
of at least the currency's minimum base (about 1,000 EUR in each currency:
EUR 1000, USD 1000, CHF 1000, GBP 1000, SEK 10000, JPY 150000...; 1000 units
of a currency not in that table); --decline-min-base changes it for one
currency.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report`` to the command parsers."""
    parser = commands.add_parser(
        "report",
        help="the weekly report as text, JSON, CSV or an HTML page",
        description=DESCRIPTION,
    )
    add_database(parser)
    add_as_of(parser, what="the report")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--manager", metavar="M", help="only the key accounts of M")
    who.add_argument("--group", metavar="G", help="only the key accounts of group G")
    add_locale(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json", "csv", "html"),
        default="text",
        help="text for people (default); json: every table in one document; "
        "csv: one table per section, or just --table; html: one "
        "self-contained page with charts, loyalty standings included",
    )
    parser.add_argument(
        "--table",
        metavar="NAME",
        help="with --format csv or json: only this table (ranking, decline, "
        "expiring, overdue, opportunities, retention, growth, "
        "expired_unrenewed, first_action, average_value)",
    )
    parser.add_argument(
        "--top",
        metavar="N",
        type=_top,
        default=None,
        help="rank only the first N accounts of each currency (default: all)",
    )
    add_decline_options(parser)
    add_timezone(parser)
    parser.set_defaults(run=run)


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a whole number of 1 or more, such as 10, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        msg = f"expected a percentage of 0 or more, such as 20 or 12.5, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_decline_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--decline-basis``, ``--decline-threshold`` and
    ``--decline-min-base``."""
    parser.add_argument(
        "--decline-basis",
        choices=DECLINE_BASES,
        default=DECLINE_BASES[0],
        help="what order declines are measured on: orders (default) or net invoiced",
    )
    parser.add_argument(
        "--decline-threshold",
        metavar="PERCENT",
        type=_percent,
        default=Decimal(20),
        help="a decline alarms when the fall exceeds this percentage (default 20)",
    )
    parser.add_argument(
        "--decline-min-base",
        nargs=2,
        action="append",
        metavar=("AMOUNT", "CURRENCY"),
        default=[],
        help="the smallest previous month that counts in CURRENCY (default "
        "about 1,000 EUR in each currency; 0 counts every base); repeat it "
        "for other currencies",
    )


def run(args: argparse.Namespace) -> ExitCode:
    """Print the weekly report."""
    from kamcore.cli import _report_run  # noqa: PLC0415 - imported only when the command runs

    return _report_run.run(args)

"""``kamcore report``: the weekly report, as text, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from kamcore.cli._common import (
    CommandError,
    ExitCode,
    add_as_of,
    add_database,
    add_locale,
    add_timezone,
    clock_for,
    open_database,
    say,
)
from kamcore.cli._views import spreadsheet_safe
from kamcore.kernel import ClientGroupId, ManagerId, Money, Percentage
from kamcore.metrics import AccountSelection, Basis, DeclineRule
from kamcore.services import WeeklyReport, weekly_report

__all__ = [
    "add_decline_options",
    "decline_options",
    "register",
    "run",
    "tables_csv",
]

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
        help="the weekly report as text, JSON or CSV",
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
        choices=("text", "json", "csv"),
        default="text",
        help="text for people (default); json: every table in one document; "
        "csv: one table per section, or just --table",
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
        choices=[str(basis) for basis in Basis],
        default=str(Basis.ORDERS),
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


def decline_options(args: argparse.Namespace) -> tuple[Basis, DeclineRule]:
    """The basis and the rule of ``--decline-*``.

    Raises:
        CommandError: an amount that is not a number.
        ValidationError: an unknown currency, a negative amount, two
            minimums in one currency.
    """
    minimums = []
    for amount, currency in args.decline_min_base:
        try:
            value = Decimal(amount)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            msg = f"--decline-min-base: expected an amount such as 1000, got {amount!r}"
            raise CommandError(msg, ExitCode.USAGE)
        minimums.append(Money(value, currency))
    rule = DeclineRule(
        threshold=Percentage(args.decline_threshold), minimum_base=minimums
    )
    return Basis(args.decline_basis), rule


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else spreadsheet_safe(value)


def _csv(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
    return out.getvalue()


def tables_csv(report: WeeklyReport, table: str | None = None) -> str:
    """The report's tables as CSV: one ``# name`` section per table, or only
    ``table`` (plain CSV, header first)."""
    tables = report.tables()
    if table is not None:
        return _csv(tables[table])
    return "\n".join(f"# {name}\n{_csv(rows)}" for name, rows in tables.items())


def _selection(args: argparse.Namespace) -> AccountSelection:
    if args.manager is not None:
        return AccountSelection.manager(ManagerId(args.manager))
    if args.group is not None:
        return AccountSelection.group(ClientGroupId(args.group))
    return AccountSelection.key_accounts()


def run(args: argparse.Namespace) -> ExitCode:
    """Print the weekly report."""
    if args.table is not None and args.format == "text":
        msg = "--table goes with --format csv or --format json"
        raise CommandError(msg, ExitCode.USAGE)
    clock = clock_for(args.as_of, args.timezone)
    with open_database(args.db, read_only=True) as db:
        uow = db.uow
        with uow:
            if args.group is not None:
                uow.client_groups.get(ClientGroupId(args.group))
            if args.manager is not None and not uow.clients.find(
                manager=ManagerId(args.manager)
            ):
                msg = f"no client is managed by {args.manager!r}"
                raise CommandError(msg, ExitCode.NOT_FOUND)
        basis, rule = decline_options(args)
        report = weekly_report(
            uow,
            clock,
            selection=_selection(args),
            decline_basis=basis,
            decline_rule=rule,
            top=args.top,
        )
    tables = report.tables()
    if args.table is not None and args.table not in tables:
        msg = f"no table {args.table!r} in this report; its tables: {', '.join(tables)}"
        raise CommandError(msg, ExitCode.USAGE)
    if args.format == "json":
        if args.table is None:
            say(report.to_json())
        else:
            say(json.dumps(tables[args.table], indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(tables_csv(report, args.table))
    else:
        say(report.report(args.locale))
    return ExitCode.OK

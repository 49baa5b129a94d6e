"""``kamcore report``: the weekly report, as text, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
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
from kamcore.kernel import ClientGroupId, ManagerId
from kamcore.metrics import AccountSelection
from kamcore.services import WeeklyReport, weekly_report

__all__ = ["register", "run", "tables_csv"]

DESCRIPTION = """\
The account manager's weekly report as of a date: the Monday portfolio health
check (accounts by net invoiced, order declines, contracts expiring within 60
days), overdue key-account invoices, the open opportunity review and the five
key metrics over the trailing 12 months. It only reads the database:
raising renewal alerts is `kamcore renewals`. Covers every key account, or a
manager's portfolio (--manager), or a client group (--group).
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
    add_timezone(parser)
    parser.set_defaults(run=run)


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
        report = weekly_report(uow, clock, selection=_selection(args))
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

"""What ``kamcore report`` does: the weekly report, as text, JSON, CSV or an
HTML page."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from kamcore.cli import _report_html_run
from kamcore.cli._common import CommandError, ExitCode, clock_for, open_database, say
from kamcore.cli._views import spreadsheet_safe
from kamcore.kernel import ClientGroupId, ManagerId, Money, Percentage
from kamcore.metrics import AccountSelection, Basis, DeclineRule
from kamcore.services import WeeklyReport, weekly_report

__all__ = ["decline_options", "run", "tables_csv"]


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
    if args.table is not None and args.format in ("text", "html"):
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
        if args.format == "html":
            return _report_html_run.run(args, report, uow, clock)
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

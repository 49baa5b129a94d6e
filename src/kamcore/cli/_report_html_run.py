"""What ``kamcore report --format html`` does once the report is computed: it
reads the members' loyalty standings and writes the page to standard output."""

from __future__ import annotations

import argparse
import sys

from kamcore.cli._common import ExitCode
from kamcore.cli._report_html import member_standings, report_page
from kamcore.i18n import translator
from kamcore.ports import Clock, UnitOfWork
from kamcore.services import WeeklyReport

__all__ = ["run", "scope_text"]


def scope_text(locale: str, *, manager: str | None, group: str | None) -> str:
    """Whose accounts the report covers, in the reader's language."""
    _ = translator(locale)
    if manager is not None:
        return _("Key accounts of {manager}", manager=manager)
    if group is not None:
        return _("Key accounts of the group {group}", group=group)
    return _("All key accounts")


def run(
    args: argparse.Namespace, report: WeeklyReport, uow: UnitOfWork, clock: Clock
) -> ExitCode:
    """Write the page of ``report`` (``--locale``: its language and formats)."""
    page = report_page(
        report,
        args.locale,
        members=member_standings(uow, clock, report),
        scope=scope_text(args.locale, manager=args.manager, group=args.group),
    )
    sys.stdout.write(page)
    return ExitCode.OK

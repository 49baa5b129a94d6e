"""What ``kamcore demo`` does: build the demo portfolio and run the weekly
routine on it."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from dateutil.relativedelta import relativedelta

from kamcore._demo import DEMO_MEMBERS, build_demo_portfolio
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.adapters.reminders import RecordingReminderControl
from kamcore.cli._common import (
    CommandError,
    Database,
    ExitCode,
    clock_for,
    open_database,
    say,
)
from kamcore.cli._renewal_views import renewal_run_text
from kamcore.cli._views import ad_hoc_text, membership_text
from kamcore.i18n import translator
from kamcore.kernel import DateRange
from kamcore.metrics import AccountSelection
from kamcore.ports import Clock
from kamcore.pricing import ad_hoc_report
from kamcore.services import (
    daily_overdue_check,
    run_loyalty_day,
    run_renewal_scheduler,
    tier_report,
    weekly_report,
)

__all__ = ["program", "run"]


def _target(given: str | None) -> str:
    if given is None:
        folder = tempfile.mkdtemp(prefix="kamcore-demo-")
        return str(Path(folder, "portfolio.db"))
    if "://" not in given and Path(given).exists():
        msg = (
            f"{given} already exists: the demo builds a new portfolio, "
            "give the path of a new file"
        )
        raise CommandError(msg, ExitCode.INVALID_INPUT)
    return given


def program() -> str:
    """How to run kamcore again from the shell that ran this command, as
    typed there: ``kamcore`` when that is the command on the ``PATH``, the
    script's path as given (``.venv/bin/kamcore`` after the README's Quick
    start), or ``python -m kamcore`` with this interpreter."""
    given = sys.argv[0] if sys.argv else ""
    if Path(given).name == "kamcore":
        found = shutil.which("kamcore")
        if found is not None and Path(found).resolve() == Path(given).resolve():
            return "kamcore"
        return shlex.quote(given)
    return f"{shlex.quote(sys.executable)} -m kamcore"


def _routine(db: Database, clock: Clock, locale: str) -> None:
    from kamcore.adapters.sql import OutboxNotifier  # noqa: PLC0415 - needs the extra

    uow = db.uow
    today = clock.today()
    outbox = OutboxNotifier(uow)
    with uow:
        clients = uow.clients.all()
    renewals = run_renewal_scheduler(uow, outbox, clock, default_locale=locale)
    loyalty = run_loyalty_day(uow, outbox, clock, default_locale=locale)
    check = daily_overdue_check(
        uow,
        RecordingReminderControl(),
        RecordingNotifier(),
        clock,
        default_locale=locale,
    )
    report = weekly_report(uow, clock, selection=AccountSelection.key_accounts())
    year = DateRange(today - relativedelta(years=1) + dt.timedelta(days=1), today)
    with uow:
        invoices = uow.invoices.find(issued_from=year.start, issued_to=year.end)
    _ = translator(locale)
    sections = [
        [
            *renewal_run_text(renewals, clients, locale),
            _.ngettext(
                "Loyalty day: {n} notification to send",
                "Loyalty day: {n} notifications to send",
                len(loyalty.sent),
            ),
        ],
        [check.report(locale)],
        [report.report(locale)],
        ad_hoc_text(ad_hoc_report(invoices, year), clients, locale),
    ]
    members = [_("Loyalty members:")]
    for client in clients:
        if client.id in DEMO_MEMBERS:
            standing = tier_report(uow, clock, client=client.id)
            members += membership_text(client, "Valvetta Partner", standing, locale)
    sections.append(members)
    for section in sections:
        say("\n".join(section))
        say()


def run(args: argparse.Namespace) -> ExitCode:
    """Build the demo portfolio and print the weekly routine's results."""
    clock = clock_for(args.as_of, args.timezone)
    target = _target(args.db)
    with open_database(target, create=True, initialise=True) as db:
        with db.uow:
            if db.uow.clients.all():
                msg = f"{target} already holds a portfolio: give a new database"
                raise CommandError(msg, ExitCode.INVALID_INPUT)
        build_demo_portfolio(db.uow, SequentialIdSource(), clock.today())
        _ = translator(args.locale)
        say(
            _(
                "Demo portfolio of Valvetta (valves and pumps) in {database}",
                database=db.url,
            )
        )
        say()
        _routine(db, clock, args.locale)
        say(_("Explore it further:"))
        as_of = clock.today().isoformat()
        db_option = f"--db {shlex.quote(target)}"
        # The demo's locale carries over to the commands that print text
        # (`price` writes for the client's locale unless given one).
        locale = "" if args.locale == "en_GB" else f" --locale {args.locale}"
        for command in (
            f"report {db_option} --as-of {as_of} --manager m.rossi{locale}",
            f"report {db_option} --as-of {as_of} --format json",
            f"report {db_option} --as-of {as_of} --decline-basis invoiced{locale}",
            f"price acme valve-dn50 40 {db_option} --on {as_of}{locale}",
            f"loyalty {db_option} --as-of {as_of}{locale}",
        ):
            say(f"  {program()} {command}")
    return ExitCode.OK

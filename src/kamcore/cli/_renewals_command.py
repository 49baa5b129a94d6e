"""``kamcore renewals``: run the renewal scheduler as of a date, list the alerts."""

from __future__ import annotations

import argparse

import attrs

from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.cli._common import (
    ExitCode,
    add_as_of,
    add_database,
    add_locale,
    add_timezone,
    clock_for,
    open_database,
    say,
)
from kamcore.cli._json_views import add_format, json_text, renewals_document
from kamcore.cli._views import alerts_text, renewal_run_text
from kamcore.ports import Notifier, UnitOfWork
from kamcore.services import run_renewal_scheduler

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


READ_ONLY_HINT = (
    "`kamcore renewals` stores the alerts it raises and the contracts it renews; "
    "`kamcore renewals --check` shows what it would do without writing",
)


def _in_memory_copy(uow: UnitOfWork) -> InMemoryUnitOfWork:
    """What the scheduler reads -- contracts, the alert ledger, clients --
    copied into a unit of work in memory, where its writes go nowhere."""
    with uow:
        contracts = uow.contracts.all()
        alerts = uow.renewal_alerts.all()
        clients = uow.clients.all()
    copy = InMemoryUnitOfWork(InMemoryStore())
    with copy:
        for contract in contracts:
            copy.contracts.add(attrs.evolve(contract, version=0))
        for alert in alerts:
            copy.renewal_alerts.add(attrs.evolve(alert, version=0))
        for client in clients:
            copy.clients.add(attrs.evolve(client, version=0))
        copy.commit()
    return copy


def run(args: argparse.Namespace) -> ExitCode:
    """Run the scheduler and print what it did, then the alerts waiting."""
    from kamcore.adapters.sql import OutboxNotifier  # noqa: PLC0415 - needs the extra

    clock = clock_for(args.as_of, args.timezone)
    with open_database(
        args.db, read_only=args.check, read_only_hint=READ_ONLY_HINT
    ) as db:
        uow: UnitOfWork = db.uow
        notifier: Notifier = OutboxNotifier(db.uow)
        if args.check:
            uow = _in_memory_copy(db.uow)
            notifier = RecordingNotifier()
        result = run_renewal_scheduler(
            uow,
            notifier,
            clock,
            lead_days=args.lead_days,
            default_locale=args.locale,
        )
        with uow:
            clients = uow.clients.all()
            waiting = uow.renewal_alerts.find(acted=False, raised_to=result.as_of)
    if args.format == "json":
        say(json_text(renewals_document(result, waiting, check=args.check)))
        return ExitCode.OK
    if args.check:
        say("Check only: nothing was stored.")
    say("\n".join(renewal_run_text(result, clients, args.locale)))
    say()
    say("\n".join(alerts_text(waiting, clients, result.as_of, args.locale)))
    return ExitCode.OK

"""What ``kamcore renewals`` does: run the renewal scheduler as of a date, list
the alerts."""

from __future__ import annotations

import argparse

import attrs

from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.cli._common import ExitCode, clock_for, open_database, say
from kamcore.cli._json_views import json_text, renewals_document
from kamcore.cli._renewal_views import alerts_text, renewal_run_text
from kamcore.i18n import translator
from kamcore.ports import Notifier, UnitOfWork
from kamcore.services import run_renewal_scheduler

__all__ = ["READ_ONLY_HINT", "run"]

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
        _ = translator(args.locale)
        say(_("Check only: nothing was stored."))
    say("\n".join(renewal_run_text(result, clients, args.locale)))
    say()
    say("\n".join(alerts_text(waiting, clients, result.as_of, args.locale)))
    return ExitCode.OK

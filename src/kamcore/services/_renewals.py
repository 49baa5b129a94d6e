"""The renewal scheduler through the ports, alert actions and termination notices.

:func:`run_renewal_scheduler` is the daily job of SPEC §4: as of the clock's
date it processes the term ends that have passed (renew, terminate, lapse),
raises the alerts that are due into the ledger and tells each client's account
manager, all in one unit of work. The rules themselves are pure and live in
:mod:`kamcore.contracts` (:func:`~kamcore.contracts.schedule_renewals`). See
``docs/contracts.md``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence

import attrs

from kamcore.accounts import Client
from kamcore.contracts import (
    DEFAULT_LEAD_DAYS,
    IN_FORCE,
    SCHEDULER,
    Contract,
    DueAlert,
    FirstAction,
    RenewalAlert,
    TermEnd,
    TermEndOutcome,
    schedule_renewals,
)
from kamcore.errors import NotFoundError
from kamcore.kernel import AlertId, ClientId, ContractId
from kamcore.ports import Clock, Notification, Notifier, UnitOfWork
from kamcore.services._renewal_messages import AlertMessages, check_locales

__all__ = [
    "RenewalRun",
    "SkipReason",
    "SkippedContract",
    "receive_termination_notice",
    "record_alert_action",
    "run_renewal_scheduler",
]


class SkipReason(enum.Enum):
    """Why a due alert could not be raised."""

    NO_ACCOUNT_MANAGER = "no_account_manager"
    """The client has no account manager: there is nobody to tell."""
    CLIENT_NOT_FOUND = "client_not_found"
    """The contract's client is not stored."""

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class SkippedContract:
    """A contract whose due alerts were held back, and why.

    Held alerts are not written to the ledger: the first run after the cause
    is fixed raises them, with their original due date.

    Attributes:
        contract: The contract.
        client: Its client.
        reason: Why nothing was raised.
        alerts: The ids of the alerts held back.
    """

    contract: ContractId
    client: ClientId
    reason: SkipReason
    alerts: tuple[AlertId, ...]


@attrs.frozen(kw_only=True)
class RenewalRun:
    """What one run of the scheduler did.

    Attributes:
        as_of: The run date (the clock's business date).
        raised: The alerts added to the ledger, by due date then id.
        term_ends: The term ends processed, by contract then date.
        skipped: Contracts with due alerts that could not be raised, by id.
        sent: The notifications handed to the notifier, one per raised alert.
    """

    as_of: dt.date
    raised: tuple[RenewalAlert, ...] = ()
    term_ends: tuple[TermEnd, ...] = ()
    skipped: tuple[SkippedContract, ...] = ()
    sent: tuple[Notification, ...] = ()

    def _with(self, outcome: TermEndOutcome) -> tuple[ContractId, ...]:
        return tuple(t.contract for t in self.term_ends if t.outcome is outcome)

    @property
    def renewed(self) -> tuple[ContractId, ...]:
        """Contracts renewed automatically (once per term renewed)."""
        return self._with(TermEndOutcome.RENEWED)

    @property
    def lapsed(self) -> tuple[ContractId, ...]:
        """Contracts that lapsed: expired unrenewed."""
        return self._with(TermEndOutcome.LAPSED)

    @property
    def terminated(self) -> tuple[ContractId, ...]:
        """Contracts ended by the client's notice."""
        return self._with(TermEndOutcome.TERMINATED)


def _in_ledger(uow: UnitOfWork, ids: Sequence[AlertId]) -> set[AlertId]:
    """The ids among ``ids`` that the ledger holds, in one read."""
    if not ids:
        return set()
    try:
        uow.renewal_alerts.get_many(ids)
    except NotFoundError as missing:
        # The port reports every missing id at once: the rest are stored.
        absent = set(missing.ids)
        return {i for i in ids if i not in absent}
    return set(ids)


def _clients(uow: UnitOfWork, ids: set[ClientId]) -> dict[ClientId, Client]:
    """The stored clients among ``ids``, by id; missing ones are left out."""
    wanted = sorted(ids)
    try:
        return {c.id: c for c in uow.clients.get_many(wanted)}
    except NotFoundError as missing:
        found = [i for i in wanted if i not in set(missing.ids)]
        return {c.id: c for c in uow.clients.get_many(found)}


def _skipped(
    held: dict[ContractId, list[DueAlert]], reasons: dict[ContractId, SkipReason]
) -> tuple[SkippedContract, ...]:
    return tuple(
        SkippedContract(
            contract=contract,
            client=alerts[0].client,
            reason=reasons[contract],
            alerts=tuple(a.id for a in alerts),
        )
        for contract, alerts in sorted(held.items())
    )


def run_renewal_scheduler(
    uow: UnitOfWork,
    notifier: Notifier,
    clock: Clock,
    *,
    lead_days: int = DEFAULT_LEAD_DAYS,
    locales: Mapping[str, str] | None = None,
    default_locale: str = "en_US",
) -> RenewalRun:
    """Run the renewal scheduler once, as of ``clock.today()``.

    In one unit of work: every in-force contract's passed term ends are
    processed (renewed, terminated or lapsed, see
    :func:`~kamcore.contracts.process_term_ends`), then every alert due and
    not yet in the ledger is added to it (id :func:`~kamcore.contracts.alert_id`)
    for the client's account manager, and one notification per new alert is
    handed to ``notifier`` before the commit. Running it again the same day
    finds everything done: it stores and sends nothing.

    Delivery is at least once: if the notifier or the commit fails, nothing is
    stored, and the next run raises and sends the same alerts again under the
    same de-duplication keys (``"renewal_alert:<alert id>"``).

    Terms that renewed or lapsed before their renewal alerts went out are
    told late, once: one ``LATE`` alert per contract and stretch of such term
    ends (in practice, per contract and run), whose message says how many
    terms ended unannounced, the first and the last, and what became of the
    contract (see :func:`~kamcore.contracts.late_alerts`).

    A contract whose client has no account manager (or is not stored) still
    has its term ends processed, but its alerts are held back and reported in
    :attr:`RenewalRun.skipped`; they are raised on the first run after a
    manager is assigned, with their original due date -- except ``LATE``
    alerts, which only the run processing the term end owes: held back, they
    are reported in that run's :attr:`RenewalRun.skipped` only.

    Args:
        uow: The unit of work.
        notifier: Where the notifications go.
        clock: Gives the run date (business date) and the time stamps.
        lead_days: The portfolio's renewal lead time, 0 to 3660 days; a
            contract's ``renewal_lead_days`` overrides it.
        locales: Each account manager's locale, by manager id.
        default_locale: The locale of managers not in ``locales``.

    Raises:
        ValidationError: a lead time outside 0 to 3660 days or an unknown
            locale (before anything is read).
        ConcurrencyConflictError: another writer changed a contract or the
            ledger meanwhile; nothing is stored.
    """
    chosen = {} if locales is None else locales
    check_locales(chosen, default_locale)
    today, now = clock.today(), clock.now()
    # A plan of no contracts checks the run's arguments before anything is read.
    schedule_renewals([], as_of=today, at=now, lead_days=lead_days)
    with uow:
        contracts = [
            contract
            for status in sorted(IN_FORCE, key=lambda s: s.value)
            for contract in uow.contracts.find(status=status)
        ]
        plan = schedule_renewals(
            contracts, as_of=today, at=now, lead_days=lead_days, recorded_by=SCHEDULER
        )
        for changed in plan.changed:
            uow.contracts.save(changed)
        stored = _in_ledger(uow, [key for a in plan.alerts for key in a.told_by])
        due = sorted(
            (owed for a in plan.alerts for owed in a.owed(stored)),
            key=lambda a: (a.due_on, a.id),
        )
        clients = _clients(uow, {a.client for a in due})
        by_id: dict[ContractId, Contract] = {c.id: c for c in plan.contracts}
        raised: list[RenewalAlert] = []
        messages: list[Notification] = []
        held: dict[ContractId, list[DueAlert]] = {}
        writer = AlertMessages()
        reasons: dict[ContractId, SkipReason] = {}
        for alert in due:
            client = clients.get(alert.client)
            if client is None or client.account_manager is None:
                held.setdefault(alert.contract, []).append(alert)
                reasons[alert.contract] = (
                    SkipReason.CLIENT_NOT_FOUND
                    if client is None
                    else SkipReason.NO_ACCOUNT_MANAGER
                )
                continue
            entry = uow.renewal_alerts.add(
                alert.raise_alert(
                    raised_on=today, raised_at=now, recipient=client.account_manager
                )
            )
            raised.append(entry)
            locale = chosen.get(client.account_manager, default_locale)
            messages.append(
                writer.notification(
                    entry,
                    by_id[alert.contract],
                    client,
                    locale=locale,
                    ended=alert.ends[-1] if alert.ends else None,
                )
            )
        for message in messages:
            notifier.send(message)
        uow.commit()
    return RenewalRun(
        as_of=today,
        raised=tuple(raised),
        term_ends=plan.term_ends,
        skipped=_skipped(held, reasons),
        sent=tuple(messages),
    )


def record_alert_action(
    uow: UnitOfWork,
    clock: Clock,
    *,
    alert: AlertId,
    action: str,
    reference: str | None = None,
) -> RenewalAlert:
    """Record an action taken on an alert; only the first one is time-stamped.

    The first action gets the clock's date and instant, which gives *days to
    first action*. Later actions leave the alert as it is (nothing is saved)
    and return it unchanged.

    Args:
        uow: The unit of work.
        clock: Gives the date and instant of the action.
        alert: The alert's id.
        action: What was done (``"analysis"``, ``"proposal"``, ``"activity"``).
        reference: The id of what was created, if anything.

    Raises:
        NotFoundError: no such alert.
        ValidationError: a blank action or reference.
    """
    first = FirstAction(
        on=clock.today(), at=clock.now(), action=action, reference=reference
    )
    with uow:
        current = uow.renewal_alerts.get(alert)
        acted = current.acted(first)
        if acted is current:
            return current
        stored = uow.renewal_alerts.save(acted)
        uow.commit()
    return stored


def receive_termination_notice(
    uow: UnitOfWork, *, contract: ContractId, received_on: dt.date, reason: str
) -> Contract:
    """Record the client's notice of termination, received on a date.

    The notice is checked against the current term's notice deadline: in time,
    the contract ends at the term end; late, at the end of the next term (see
    :meth:`~kamcore.contracts.Contract.receive_termination_notice`). The
    scheduler terminates the contract once that day has passed.

    Raises:
        NotFoundError: no such contract.
        InvalidTransitionError: the contract is not in force.
        ValidationError: a notice was already received, or the notice is not
            valid.
    """
    with uow:
        current = uow.contracts.get(contract)
        stored = uow.contracts.save(
            current.receive_termination_notice(received_on=received_on, reason=reason)
        )
        uow.commit()
    return stored

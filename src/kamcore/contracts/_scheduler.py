"""The renewal scheduler, pure part: what a run as of a date must do (SPEC §4).

Two questions, answered from the contracts alone:

* **Term ends.** Which in-force contracts reached the end of a term, and what
  became of them: an auto-renewing contract renews (anchored, never drifting);
  one whose termination notice takes effect is terminated; one that is not
  renewed lapses once its grace period has passed.
* **Alerts.** Which alerts are due and not yet in the ledger: a ``RENEWAL``
  alert ``lead`` days before the term end, and, for an auto-renewing contract
  with a notice period and no notice received, a ``NOTICE_DEADLINE`` alert
  ``lead`` days before the notice deadline.

The service :func:`kamcore.services.run_renewal_scheduler` stores the answer
and notifies the account managers. See ``docs/contracts.md``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Container, Iterable
from typing import Final

import attrs

from kamcore.contracts._alerts import AlertKind, RenewalAlert, alert_id
from kamcore.contracts._contract import Contract
from kamcore.contracts._status import ContractStatus, StatusChange, check_transition
from kamcore.contracts._version import ContractVersion
from kamcore.kernel import AlertId, Checks, ClientId, ContractId, ManagerId, is_int

__all__ = [
    "DEFAULT_LEAD_DAYS",
    "SCHEDULER",
    "DueAlert",
    "RenewalPlan",
    "TermEnd",
    "TermEndOutcome",
    "alerts_due",
    "lead_days_for",
    "process_term_ends",
    "schedule_renewals",
]

DEFAULT_LEAD_DAYS: Final = 60
"""The portfolio's renewal lead time, in days, unless a contract sets its own."""

SCHEDULER: Final = ManagerId("renewal-scheduler")
"""Who :func:`process_term_ends` records automatic renewals as, by default."""

_DAY = dt.timedelta(days=1)


class TermEndOutcome(enum.Enum):
    """What became of a contract at the end of a term."""

    RENEWED = "renewed"
    """It renewed itself for one more term (auto-renew, no timely notice)."""
    LAPSED = "lapsed"
    """It ended unrenewed and its grace period passed: *expired unrenewed*."""
    TERMINATED = "terminated"
    """The client's notice of termination took effect."""

    def __str__(self) -> str:
        return self.value


_STATUS_OF = {
    TermEndOutcome.RENEWED: ContractStatus.RENEWED,
    TermEndOutcome.LAPSED: ContractStatus.LAPSED,
    TermEndOutcome.TERMINATED: ContractStatus.TERMINATED,
}


@attrs.frozen(kw_only=True)
class TermEnd:
    """One term end processed.

    Attributes:
        contract: The contract.
        client: Its client.
        outcome: Renewed, lapsed or terminated.
        term_end: The last day of the term that ended.
        on: The day the new status took effect: the first day of the new
            term (renewed), the day after the notice's effective end
            (terminated), the day after the grace period (lapsed).
    """

    contract: ContractId
    client: ClientId
    outcome: TermEndOutcome
    term_end: dt.date
    on: dt.date


@attrs.frozen(kw_only=True)
class DueAlert:
    """An alert that is due and not yet in the ledger.

    Attributes:
        contract: The contract.
        client: Its client.
        kind: Renewal or notice deadline.
        term_end: The end of the term it is about.
        deadline: The term end, or the notice deadline.
        due_on: ``deadline`` less the lead time.
    """

    contract: ContractId
    client: ClientId
    kind: AlertKind
    term_end: dt.date
    deadline: dt.date
    due_on: dt.date

    @property
    def id(self) -> AlertId:
        """Its ledger key, :func:`alert_id` ``(contract, term_end, kind)``."""
        return alert_id(self.contract, self.term_end, self.kind)

    def raise_alert(
        self, *, raised_on: dt.date, raised_at: dt.datetime, recipient: ManagerId
    ) -> RenewalAlert:
        """The ledger entry, raised on a run date for ``recipient``.

        Raises:
            ValidationError: ``raised_on`` is before :attr:`due_on`, or a
                field is not valid.
        """
        return RenewalAlert(
            id=self.id,
            contract=self.contract,
            client=self.client,
            kind=self.kind,
            term_end=self.term_end,
            deadline=self.deadline,
            due_on=self.due_on,
            raised_on=raised_on,
            raised_at=raised_at,
            recipient=recipient,
        )


@attrs.frozen(kw_only=True)
class RenewalPlan:
    """What a run as of :attr:`as_of` does, before anything is stored.

    Attributes:
        as_of: The run date.
        contracts: Every contract given, after its term ends were processed,
            ordered by id.
        term_ends: The term ends processed, by contract id then date.
        alerts: The alerts due and not in the ledger, by due date then id.
    """

    as_of: dt.date
    contracts: tuple[Contract, ...]
    term_ends: tuple[TermEnd, ...]
    alerts: tuple[DueAlert, ...]

    @property
    def changed(self) -> tuple[Contract, ...]:
        """The contracts whose term ends were processed: the ones to save."""
        touched = {event.contract for event in self.term_ends}
        return tuple(c for c in self.contracts if c.id in touched)


def _check_run(as_of: object, lead_days: object, at: object = None) -> None:
    checks = Checks("renewal scheduler")
    checks.date("as_of", as_of)
    if not is_int(lead_days) or lead_days < 0:
        checks.fail("lead_days", "expected a number of days >= 0", lead_days)
    if at is not None:
        checks.instant("at", at)
    checks.raise_if_any()


def lead_days_for(contract: Contract, default: int = DEFAULT_LEAD_DAYS) -> int:
    """The renewal lead time of the contract's binding version, else ``default``."""
    own = contract.binding.renewal_lead_days
    return default if own is None else own


def _days_after(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, stopping at the last day of the calendar."""
    return day + dt.timedelta(days=min(days, (dt.date.max - day).days))


def process_term_ends(
    contract: Contract,
    *,
    as_of: dt.date,
    at: dt.datetime,
    recorded_by: ManagerId = SCHEDULER,
) -> tuple[Contract, tuple[TermEnd, ...]]:
    """The contract as of ``as_of`` once every term end up to then is processed.

    Catches up over as many terms as have ended (a monthly contract left for
    a quarter renews three times, each renewal its own version), reading the
    terms of the contract's binding version (:attr:`Contract.binding`: a
    renewal recorded but not signed does not extend the contract). In order:

    * a termination notice whose effective end has passed: ``terminated``,
      on the day after that end;
    * a term end that has passed, auto-renewing: a new version for the next
      term on the same terms (anchored), ``renewed`` on its first day;
    * a term end plus ``grace_days`` that has passed, not auto-renewing:
      ``lapsed`` on the day after the grace period (*expired unrenewed*),
      even with a renewal case open or a renewal awaiting signature (nothing
      was signed in time).

    The work is linear in the terms caught up: the new versions and status
    changes are collected, and the contract is rebuilt (and checked) once.
    Contracts not in force (drafts, closed ones) are returned unchanged.

    Args:
        contract: The contract.
        as_of: The run date; a term ending on it has not ended yet.
        at: The instant recorded on new versions and status changes.
        recorded_by: Who new versions are recorded as.

    Raises:
        ValidationError: ``as_of`` or ``at`` is not valid.
    """
    _check_run(as_of, 0, at)
    if not contract.in_force:
        return contract, ()
    status = contract.status
    binding = contract.binding
    number = contract.current.number
    notice = contract.termination
    versions: list[ContractVersion] = []
    changes: list[StatusChange] = []
    events: list[TermEnd] = []

    def record(outcome: TermEndOutcome, end: dt.date, on: dt.date, why: str) -> None:
        nonlocal status
        following = _STATUS_OF[outcome]
        check_transition(contract.id, status, following)
        changes.append(StatusChange(status=following, on=on, at=at, reason=why))
        status = following
        events.append(
            TermEnd(
                contract=contract.id,
                client=contract.client,
                outcome=outcome,
                term_end=end,
                on=on,
            )
        )

    while True:
        end = binding.term_end
        if notice is not None and notice.effective_end <= end:
            if as_of > notice.effective_end:
                record(
                    TermEndOutcome.TERMINATED,
                    end,
                    notice.effective_end + _DAY,
                    f"terminated by the client's notice of {notice.received_on}",
                )
            break
        if as_of <= end:
            break
        if not binding.auto_renew:
            grace = binding.grace_days
            if as_of > _days_after(end, grace):
                record(
                    TermEndOutcome.LAPSED,
                    end,
                    end + dt.timedelta(days=grace + 1),
                    f"expired unrenewed: the term ended {end} "
                    f"and the grace period of {grace} days passed",
                )
            break
        # The auto-renewal clause binds whether or not a renewal case is open
        # or a renewal awaits signature: the client gave no notice, so the
        # contract runs on, on the terms signed. A case concluded later
        # amends the term it renewed into instead of adding another one.
        number += 1
        binding = binding.renewal(
            number=number,
            recorded_at=at,
            recorded_by=recorded_by,
            note="renewed automatically for one more term",
        )
        versions.append(binding)
        record(
            TermEndOutcome.RENEWED,
            end,
            end + _DAY,
            f"auto-renewed: no termination in time for the term ending {end}",
        )
    if not events:
        return contract, ()
    caught_up = attrs.evolve(
        contract,
        versions=(*contract.versions, *versions),
        history=(*contract.history, *changes),
        status=status,
    )
    return caught_up, tuple(events)


def alerts_due(
    contract: Contract,
    *,
    as_of: dt.date,
    lead_days: int = DEFAULT_LEAD_DAYS,
    raised: Container[AlertId] = frozenset(),
) -> tuple[DueAlert, ...]:
    """The alerts due for the contract's current term and not in ``raised``.

    An alert is due once ``due_on <= as_of`` (however late: a missed run
    catches up, with the original ``due_on``) and is worth raising while the
    date it warns about is still ahead or in grace:

    * ``RENEWAL``: due ``lead`` days before the term end; raised while the
      contract is in force and the term end plus grace has not passed, unless
      a termination notice ends the contract at that term end;
    * ``NOTICE_DEADLINE``: auto-renewing contracts with a notice period and no
      notice received; due ``lead`` days before the notice deadline; raised up
      to the deadline itself, since after it the client can no longer end the
      contract at this term end.

    Alerts of earlier terms are never raised late: a term that ended (renewed,
    lapsed, terminated) has nothing left to act on. ``lead`` is the
    contract's ``renewal_lead_days``, else ``lead_days``. Call it on a contract
    whose term ends were processed (:func:`process_term_ends`).

    Raises:
        ValidationError: ``as_of`` is not a date or ``lead_days`` is negative.
    """
    _check_run(as_of, lead_days)
    if not contract.in_force:
        return ()
    current = contract.binding
    end = current.term_end
    lead = dt.timedelta(days=lead_days_for(contract, lead_days))
    notice = contract.termination
    found: list[DueAlert] = []

    def due(kind: AlertKind, deadline: dt.date) -> None:
        if deadline - lead <= as_of:
            found.append(
                DueAlert(
                    contract=contract.id,
                    client=contract.client,
                    kind=kind,
                    term_end=end,
                    deadline=deadline,
                    due_on=deadline - lead,
                )
            )

    notice_deadline = current.notice_deadline
    if notice is None and notice_deadline is not None and as_of <= notice_deadline:
        due(AlertKind.NOTICE_DEADLINE, notice_deadline)
    ending = notice is not None and notice.effective_end <= end
    if not ending and as_of <= end + dt.timedelta(days=current.grace_days):
        due(AlertKind.RENEWAL, end)
    return tuple(alert for alert in found if alert.id not in raised)


def schedule_renewals(
    contracts: Iterable[Contract],
    *,
    as_of: dt.date,
    at: dt.datetime,
    lead_days: int = DEFAULT_LEAD_DAYS,
    raised: Container[AlertId] = frozenset(),
    recorded_by: ManagerId = SCHEDULER,
) -> RenewalPlan:
    """One run as of ``as_of``: process term ends, then find the alerts due.

    Pure: nothing is stored. Applying the plan (saving :attr:`RenewalPlan.changed`
    and adding the alerts to the ledger) and running again the same day plans
    nothing more.

    Args:
        contracts: The contracts to consider (those not in force are kept
            as they are).
        as_of: The run date.
        at: The run's instant, recorded on what changes.
        lead_days: The portfolio's lead time (a contract's own overrides it).
        raised: The ids already in the ledger.
        recorded_by: Who automatic renewals are recorded as.

    Raises:
        ValidationError: ``as_of``, ``at`` or ``lead_days`` is not valid.

    Example:
        >>> from dateutil.relativedelta import relativedelta
        >>> from kamcore.contracts import Signature
        >>> from kamcore.kernel import Money
        >>> at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
        >>> contract = Contract.draft(
        ...     id=ContractId("k-1"),
        ...     client=ClientId("acme"),
        ...     title="Supply agreement",
        ...     start=dt.date(2026, 1, 1),
        ...     term=relativedelta(years=1),
        ...     value=Money("50000.00", "EUR"),
        ...     recorded_at=at,
        ...     recorded_by=ManagerId("m-1"),
        ... ).sign(
        ...     Signature(version=1, signed_on=dt.date(2026, 1, 5), signed_by="CFO")
        ... ).move_to(
        ...     ContractStatus.ACTIVE, on=dt.date(2026, 1, 5), at=at, reason="signed"
        ... )
        >>> plan = schedule_renewals([contract], as_of=dt.date(2026, 11, 1), at=at)
        >>> [(a.id, a.due_on) for a in plan.alerts]
        [('k-1/2026-12-31/renewal', datetime.date(2026, 11, 1))]
    """
    _check_run(as_of, lead_days, at)
    processed: list[Contract] = []
    term_ends: list[TermEnd] = []
    alerts: list[DueAlert] = []
    for contract in sorted(contracts, key=lambda c: c.id):
        after, events = process_term_ends(
            contract, as_of=as_of, at=at, recorded_by=recorded_by
        )
        processed.append(after)
        term_ends.extend(events)
        alerts.extend(
            alerts_due(after, as_of=as_of, lead_days=lead_days, raised=raised)
        )
    return RenewalPlan(
        as_of=as_of,
        contracts=tuple(processed),
        term_ends=tuple(term_ends),
        alerts=tuple(sorted(alerts, key=lambda a: (a.due_on, a.id))),
    )

"""The renewal scheduler, pure part: what a run as of a date must do (SPEC §4).

Two questions, answered from the contracts alone:

* **Term ends.** Which in-force contracts reached the end of a term, and what
  became of them: an auto-renewing contract renews (anchored, never drifting);
  one whose termination notice takes effect is terminated; one that is not
  renewed lapses once its grace period has passed.
* **Alerts.** Which alerts are due and not yet in the ledger: a ``RENEWAL``
  alert ``lead`` days before the term end, and, for an auto-renewing contract
  with a notice period and no notice received, a ``NOTICE_DEADLINE`` alert
  ``lead`` days before the notice deadline. Terms that ended (renewed or
  lapsed) before their renewal alerts went out get one ``LATE`` alert per
  stretch instead (:mod:`kamcore.contracts._due_alerts`): the manager hears
  of every term end once, late rather than never.

The service :func:`kamcore.services.run_renewal_scheduler` stores the answer
and notifies the account managers. See ``docs/contracts.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable
from typing import Final

import attrs

from kamcore.contracts._alerts import AlertKind
from kamcore.contracts._contract import Contract
from kamcore.contracts._due_alerts import DueAlert, days_before, late_alerts
from kamcore.contracts._term_ends import (
    SCHEDULER,
    TermEnd,
    days_after,
    process_term_ends,
)
from kamcore.contracts._version import check_days
from kamcore.kernel import AlertId, Checks, ManagerId

__all__ = [
    "DEFAULT_LEAD_DAYS",
    "RenewalPlan",
    "alerts_due",
    "lead_days_for",
    "schedule_renewals",
]

DEFAULT_LEAD_DAYS: Final = 60
"""The portfolio's renewal lead time, in days, unless a contract sets its own."""


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
    check_days(checks, "lead_days", lead_days)
    if at is not None:
        checks.instant("at", at)
    checks.raise_if_any()


def lead_days_for(contract: Contract, default: int = DEFAULT_LEAD_DAYS) -> int:
    """The renewal lead time of the contract's binding version, else ``default``."""
    own = contract.binding.renewal_lead_days
    return default if own is None else own


def alerts_due(
    contract: Contract,
    *,
    as_of: dt.date,
    lead_days: int = DEFAULT_LEAD_DAYS,
    raised: Container[AlertId] = frozenset(),
) -> tuple[DueAlert, ...]:
    """The alerts due for the contract's binding term and not in ``raised``.

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

    These alerts are never raised for earlier terms: a term that ended
    (renewed, lapsed, terminated) has nothing left to act on, and one whose
    renewal alert never went out is owed a ``LATE`` alert instead
    (:func:`late_alerts`, which :func:`schedule_renewals` adds). ``lead`` is
    the binding version's ``renewal_lead_days``, else ``lead_days``. Call it
    on a contract whose term ends were processed (:func:`process_term_ends`).

    Raises:
        ValidationError: ``as_of`` is not a date or ``lead_days`` is not a
            number of days from 0 to 3660.
    """
    _check_run(as_of, lead_days)
    if not contract.in_force:
        return ()
    current = contract.binding
    end = current.term_end
    own = current.renewal_lead_days
    lead = lead_days if own is None else own
    notice = contract.termination
    found: list[DueAlert] = []

    def due(kind: AlertKind, deadline: dt.date) -> None:
        due_on = days_before(deadline, lead)
        if due_on <= as_of:
            found.append(
                DueAlert(
                    contract=contract.id,
                    client=contract.client,
                    kind=kind,
                    term_end=end,
                    deadline=deadline,
                    due_on=due_on,
                    lead_days=lead,
                )
            )

    notice_deadline = current.notice_deadline
    if notice is None and notice_deadline is not None and as_of <= notice_deadline:
        due(AlertKind.NOTICE_DEADLINE, notice_deadline)
    ending = notice is not None and notice.effective_end <= end
    if not ending and as_of <= days_after(end, current.grace_days):
        due(AlertKind.RENEWAL, end)
    return tuple(alert for alert in found if not alert.told(raised))


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

    The alerts are the ``LATE`` ones owed for the term ends just processed
    (:func:`late_alerts`), then those due for each contract's binding term
    (:func:`alerts_due`). Pure: nothing is stored. Applying the plan
    (saving :attr:`RenewalPlan.changed` and adding the alerts to the ledger)
    and running again the same day plans nothing more.

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
        >>> from kamcore.contracts import ContractStatus, Signature
        >>> from kamcore.kernel import ClientId, ContractId, ManagerId, Money
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
        lead = lead_days_for(contract, lead_days)
        after, events = process_term_ends(
            contract, as_of=as_of, at=at, recorded_by=recorded_by
        )
        processed.append(after)
        term_ends.extend(events)
        alerts.extend(late_alerts(events, lead_days=lead, raised=raised))
        alerts.extend(
            alerts_due(after, as_of=as_of, lead_days=lead_days, raised=raised)
        )
    return RenewalPlan(
        as_of=as_of,
        contracts=tuple(processed),
        term_ends=tuple(term_ends),
        alerts=tuple(sorted(alerts, key=lambda a: (a.due_on, a.id))),
    )

"""Term ends: what became of a contract whose term ended (SPEC §4).

The first half of a scheduler run: an auto-renewing contract renews
(anchored, never drifting) on the terms it signed; one whose termination
notice takes effect is terminated; one that is not renewed lapses once its
grace period has passed. :mod:`kamcore.contracts._scheduler` then finds the
alerts due. See ``docs/contracts.md``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs

from kamcore.contracts._contract import Contract
from kamcore.contracts._status import ContractStatus, StatusChange, check_transition
from kamcore.contracts._version import ContractVersion
from kamcore.kernel import Checks, ClientId, ContractId, ManagerId

__all__ = ["SCHEDULER", "TermEnd", "TermEndOutcome", "days_after", "process_term_ends"]

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


def days_after(day: dt.date, days: int) -> dt.date:
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
    checks = Checks("renewal scheduler")
    checks.date("as_of", as_of)
    checks.instant("at", at)
    checks.raise_if_any()
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
            if as_of > days_after(end, grace):
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

"""Alerts due and not yet in the ledger, and the late alerts term ends owe (SPEC §4).

A :class:`DueAlert` is what a scheduler run would add to the ledger: the run
checks the ledger keys it names (:attr:`DueAlert.told_by`) and raises what is
still owed (:meth:`DueAlert.owed`). A stretch of term ends that went by
unannounced is owed one ``LATE`` alert, however many terms it holds
(:func:`late_alerts`): the manager hears once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Container, Iterable

import attrs

from kamcore.contracts._alerts import AlertKind, RenewalAlert, alert_id
from kamcore.contracts._term_ends import TermEnd, TermEndOutcome
from kamcore.errors import ValidationError
from kamcore.kernel import AlertId, ClientId, ContractId, ManagerId

__all__ = ["DueAlert", "days_before", "late_alerts"]


def days_before(day: dt.date, days: int) -> dt.date:
    """``day`` less ``days``, stopping at the first day of the calendar."""
    return day - dt.timedelta(days=min(days, (day - dt.date.min).days))


@attrs.frozen(kw_only=True)
class DueAlert:
    """An alert that is due and not yet in the ledger.

    Attributes:
        contract: The contract.
        client: Its client.
        kind: Renewal, notice deadline, or late (terms that ended before
            their renewal alerts went out).
        term_end: The end of the term it is about; for a late alert, the
            first of the term ends it tells of.
        deadline: The term end, or the notice deadline.
        due_on: ``deadline`` less ``lead_days`` (for a late alert, the day
            the renewal alert of its first term was due).
        lead_days: The lead time ``due_on`` counts back.
        ends: A late alert's term ends, consecutive, in order (none for other
            kinds).

    Raises:
        ValidationError: a late alert without term ends, or another kind
            with some.
    """

    contract: ContractId
    client: ClientId
    kind: AlertKind
    term_end: dt.date
    deadline: dt.date
    due_on: dt.date
    lead_days: int
    ends: tuple[TermEnd, ...] = ()

    def __attrs_post_init__(self) -> None:
        if (self.kind is AlertKind.LATE) is not bool(self.ends):
            raise ValidationError.single(
                "DueAlert",
                "ends",
                "a late alert tells of one term end or more; other kinds of none",
                self.ends,
            )

    @property
    def id(self) -> AlertId:
        """Its ledger key, :func:`alert_id` ``(contract, term_end, kind)``."""
        return alert_id(self.contract, self.term_end, self.kind)

    @property
    def last_term_end(self) -> dt.date:
        """The last term end it tells of (:attr:`term_end` but for late alerts)."""
        return self.ends[-1].term_end if self.ends else self.term_end

    @property
    def terms(self) -> int:
        """How many term ends it tells of."""
        return max(len(self.ends), 1)

    @functools.cached_property
    def told_by(self) -> tuple[AlertId, ...]:
        """The ledger keys that tell (some of) what this alert would.

        Its own id; for a late alert, each of its term ends' renewal and late
        keys: a term whose renewal alert went out, or that a late alert
        already told of, needs no late alert. Built once per alert (a run
        reads the ledger for them, then :meth:`owed` checks them).
        """
        if self.kind is not AlertKind.LATE:
            return (self.id,)
        return tuple(
            key
            for end in self.ends
            for key in (
                alert_id(self.contract, end.term_end, AlertKind.RENEWAL),
                alert_id(self.contract, end.term_end, AlertKind.LATE),
            )
        )

    def owed(self, raised: Container[AlertId]) -> tuple[DueAlert, ...]:
        """What is still owed once the ledger holds ``raised``.

        This alert, or nothing when its id is there; for a late alert, one
        late alert per stretch of its term ends that nobody was told of
        (:func:`late_alerts`): itself when none was.
        """
        keys = self.told_by
        if not any(key in raised for key in keys):
            return (self,)
        if self.kind is not AlertKind.LATE:
            return ()
        return late_alerts(self.ends, lead_days=self.lead_days, raised=raised)

    def told(self, raised: Container[AlertId]) -> bool:
        """Whether ``raised`` (the ledger's ids) tells everything it would."""
        return not self.owed(raised)

    def raise_alert(
        self, *, raised_on: dt.date, raised_at: dt.datetime, recipient: ManagerId
    ) -> RenewalAlert:
        """The ledger entry, raised on a run date for ``recipient``.

        Raises:
            ValidationError: ``raised_on`` is before :attr:`due_on`, or a
                field is not valid.
        """
        late = self.kind is AlertKind.LATE
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
            last_term_end=self.last_term_end if late else None,
            terms=self.terms,
        )


def _told(end: TermEnd, raised: Container[AlertId]) -> bool:
    return (
        alert_id(end.contract, end.term_end, AlertKind.RENEWAL) in raised
        or alert_id(end.contract, end.term_end, AlertKind.LATE) in raised
    )


def late_alerts(
    term_ends: Iterable[TermEnd],
    *,
    lead_days: int,
    raised: Container[AlertId] = frozenset(),
) -> tuple[DueAlert, ...]:
    """The ``LATE`` alerts owed for ``term_ends`` just processed.

    Terms that renewed or lapsed before their renewal alerts went out (no
    run fell between an alert's due date and its term end, or grace) are
    told late rather than never, and once: each stretch of consecutive such
    term ends of a contract is owed one ``LATE`` alert, keyed by its first
    term end and due when that term's renewal alert was (``term_end`` less
    ``lead_days``). A term whose renewal or late alert is in ``raised`` is
    not told again, nor is a term the client ended by notice (the manager
    recorded that notice): either ends a stretch.

    Args:
        term_ends: Term ends in the order they were processed, by contract.
        lead_days: The renewal lead time of their contract.
        raised: The ids already in the ledger.
    """
    found: list[DueAlert] = []
    stretch: list[TermEnd] = []

    def close() -> None:
        if stretch:
            first = stretch[0]
            found.append(
                DueAlert(
                    contract=first.contract,
                    client=first.client,
                    kind=AlertKind.LATE,
                    term_end=first.term_end,
                    deadline=first.term_end,
                    due_on=days_before(first.term_end, lead_days),
                    lead_days=lead_days,
                    ends=tuple(stretch),
                )
            )
            stretch.clear()

    for end in term_ends:
        if stretch and stretch[-1].contract != end.contract:
            close()
        if end.outcome is TermEndOutcome.TERMINATED or _told(end, raised):
            close()
        else:
            stretch.append(end)
    close()
    return tuple(found)

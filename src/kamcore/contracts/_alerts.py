"""Renewal alerts: the ledger entries the renewal scheduler writes.

One alert per (contract, term end, kind): its id is derived from that key, so a
second run of the scheduler finds it already there and raises nothing new
(SPEC §4). A late alert tells of a stretch of term ends that went by
unannounced and is keyed by the first of them.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from kamcore.kernel import AlertId, Checks, ClientId, ContractId, ManagerId, is_int

__all__ = ["AlertKind", "FirstAction", "RenewalAlert", "alert_id"]


class AlertKind(enum.Enum):
    """What an alert warns about."""

    RENEWAL = "renewal"
    """The term ends within the renewal lead time."""
    NOTICE_DEADLINE = "notice_deadline"
    """An auto-renewing contract's notice deadline is within the lead time."""
    LATE = "late"
    """Terms ended before their renewal alerts went out (no scheduler run in
    time): the manager hears late, once for the whole stretch, that the
    contract renewed itself or lapsed."""

    def __str__(self) -> str:
        return self.value


def alert_id(contract: ContractId, term_end: dt.date, kind: AlertKind) -> AlertId:
    """The ledger key of an alert, as an id: ``"k-1/2026-12-31/renewal"``."""
    return AlertId(f"{contract}/{term_end.isoformat()}/{kind.value}")


@attrs.frozen(kw_only=True)
class FirstAction:
    """The first thing done about an alert, time-stamped.

    Attributes:
        on: The business date (the clock's, in the business's timezone).
        at: The instant (timezone-aware).
        action: What was done: ``"analysis"``, ``"proposal"``, ``"activity"``...
        reference: The id of what was created (a case, a proposal, an activity).
    """

    on: dt.date
    at: dt.datetime
    action: str
    reference: str | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("FirstAction")
        checks.date("on", self.on)
        checks.instant("at", self.at)
        checks.text("action", self.action)
        checks.optional_text("reference", self.reference)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class RenewalAlert:
    """One raised alert, kept in the ledger.

    Attributes:
        id: The scheduler derives it from the ledger key with :func:`alert_id`
            ``(contract, term_end, kind)``, so the ledger's unique ids make a
            second alert for one key impossible.
        contract: The contract.
        client: Its client.
        kind: Renewal, notice deadline or late.
        term_end: The end of the term the alert is about; for a late alert,
            the first of the term ends it tells of.
        deadline: The date it warns about: the term end, or the notice deadline.
        due_on: The first day the alert was due (deadline less the lead time).
        raised_on: The scheduler's run date that raised it (on or after
            ``due_on``: later when a run was missed).
        raised_at: The instant it was raised.
        recipient: The account manager it was sent to.
        last_term_end: A late alert's last term end (the stretch runs from
            ``term_end`` to it); ``None`` for other kinds, and for late alerts
            stored before stretches were told at once (one term end each).
        terms: How many term ends it tells of: 1, or for a late alert the
            number of term ends from ``term_end`` to ``last_term_end``.
        first_action: The first action taken on it, once there is one.
        version: Optimistic-locking version.

    Raises:
        ValidationError: naming every offending field; the dates must be in
            order: ``due_on <= deadline <= term_end``, ``due_on <= raised_on``
            and ``term_end <= last_term_end``; only a late alert has a
            ``last_term_end``, and ``terms`` is 1 exactly when it covers one
            term end.
    """

    id: AlertId
    contract: ContractId
    client: ClientId
    kind: AlertKind
    term_end: dt.date
    deadline: dt.date
    due_on: dt.date
    raised_on: dt.date
    raised_at: dt.datetime
    recipient: ManagerId
    last_term_end: dt.date | None = None
    terms: int = 1
    first_action: FirstAction | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("RenewalAlert")
        checks.text("id", self.id)
        checks.text("contract", self.contract)
        checks.text("client", self.client)
        checks.instance("kind", self.kind, AlertKind)
        checks.date("term_end", self.term_end)
        checks.date("deadline", self.deadline)
        checks.date("due_on", self.due_on)
        checks.date("raised_on", self.raised_on)
        checks.instant("raised_at", self.raised_at)
        checks.text("recipient", self.recipient)
        checks.optional_date("last_term_end", self.last_term_end)
        checks.require(
            is_int(self.terms) and self.terms >= 1,
            "terms",
            "expected a whole number of term ends, at least 1",
            self.terms,
        )
        if self.first_action is not None:
            checks.instance("first_action", self.first_action, FirstAction)
        checks.version(self.version)
        checks.raise_if_any()
        checks.require(
            self.deadline <= self.term_end,
            "deadline",
            f"is after the term end it warns about ({self.term_end})",
            self.deadline,
        )
        checks.require(
            self.due_on <= self.deadline,
            "due_on",
            f"is after the deadline it warns about ({self.deadline})",
            self.due_on,
        )
        checks.require(
            self.due_on <= self.raised_on,
            "raised_on",
            f"is before the alert was due ({self.due_on})",
            self.raised_on,
        )
        last = self.last_term_end
        if last is not None:
            checks.require(
                self.kind is AlertKind.LATE,
                "last_term_end",
                f"only a late alert covers several term ends, not a {self.kind} one",
                last,
            )
            checks.require(
                last >= self.term_end,
                "last_term_end",
                f"is before the first term end it covers ({self.term_end})",
                last,
            )
        one = last is None or last == self.term_end
        checks.require(
            (self.terms == 1) is one,
            "terms",
            f"does not match the term ends covered ({self.term_end} to "
            f"{last or self.term_end})",
            self.terms,
        )
        checks.raise_if_any()

    def covers(self, term_end: dt.date) -> bool:
        """Whether the alert tells of the term ending on ``term_end``."""
        last = self.term_end if self.last_term_end is None else self.last_term_end
        return self.term_end <= term_end <= last

    @property
    def days_to_first_action(self) -> int | None:
        """Days from raising to the first action; ``None`` while none was taken."""
        if self.first_action is None:
            return None
        return (self.first_action.on - self.raised_on).days

    def age_on(self, day: dt.date) -> int:
        """Days since it was raised, as of ``day``."""
        return (day - self.raised_on).days

    def acted(self, action: FirstAction) -> RenewalAlert:
        """The alert with its first action recorded; later actions change nothing.

        Returns ``self`` unchanged when a first action is already recorded, so
        recording every action through this is safe.
        """
        if self.first_action is not None:
            return self
        return attrs.evolve(self, first_action=action)

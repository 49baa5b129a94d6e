"""A reminder control that records what it was asked to hold, for tests and demos.

Implements :class:`kamcore.ports.ReminderControl`. A host connects its own
dunning system behind the same port.
"""

from __future__ import annotations

import datetime as dt
import threading

import attrs

from kamcore.kernel import ClientId, InvoiceId, ManagerId

__all__ = ["HeldReminder", "RecordingReminderControl"]


@attrs.frozen(kw_only=True)
class HeldReminder:
    """One hold, as asked.

    Attributes:
        invoice: The invoice held.
        client: Its client.
        manager: The manager who intervenes.
        since: The date of the check that held it.
        reason: Why.
    """

    invoice: InvoiceId
    client: ClientId
    manager: ManagerId
    since: dt.date
    reason: str


class RecordingReminderControl:
    """Keeps every hold asked for, in order; :attr:`held` lists held invoices.

    Example:
        >>> control = RecordingReminderControl()
        >>> control.hold(InvoiceId("i-1"), client=ClientId("acme"),
        ...              manager=ManagerId("anna"), since=dt.date(2026, 11, 23),
        ...              reason="key account: the manager calls")
        >>> sorted(control.held)
        ['i-1']
    """

    def __init__(self) -> None:
        self.holds: list[HeldReminder] = []
        self._lock = threading.Lock()

    def hold(
        self,
        invoice: InvoiceId,
        /,
        *,
        client: ClientId,
        manager: ManagerId,
        since: dt.date,
        reason: str,
    ) -> None:
        """Record the hold."""
        with self._lock:
            self.holds.append(
                HeldReminder(
                    invoice=invoice,
                    client=client,
                    manager=manager,
                    since=since,
                    reason=reason,
                )
            )

    @property
    def held(self) -> frozenset[InvoiceId]:
        """Every invoice held at least once."""
        return frozenset(hold.invoice for hold in self.holds)

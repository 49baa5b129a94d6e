"""The dunning port: holding back a host's automated payment reminders.

In key account management the account manager, not an automated reminder,
intervenes when a key account is late (seed: "don't let the client receive an
automated reminder"). kamcore does not send reminders; the host's billing or
dunning system does, and kamcore tells it which ones to hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from kamcore.kernel import ClientId, InvoiceId, ManagerId

__all__ = ["ReminderControl"]


class ReminderControl(Protocol):
    """Holds the automated reminders of an invoice.

    Holding an invoice that is already held is not an error: the daily check
    holds every overdue key-account invoice each day it runs.
    """

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
        """Keep the automated reminders of ``invoice`` from going out.

        Args:
            invoice: The overdue invoice.
            client: Its client.
            manager: The account manager who intervenes instead.
            since: The business date of the check that held it.
            reason: Why, for the dunning system's log.
        """
        ...

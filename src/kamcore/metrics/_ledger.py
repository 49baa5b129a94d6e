"""The id-keyed ledgers of a portfolio state: what each event contributed.

Keeping each event's contribution under its id is what makes the state
idempotent and mergeable: an event seen again is recognised, and a later
version takes the earlier one's contribution out before adding its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from kamcore.accounts import Invoice, InvoiceStatus, Order, OrderStatus
from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, CreditNoteId, InvoiceId
from kamcore.metrics._months import month_key

__all__ = [
    "CreditEntry",
    "InvoiceEntry",
    "OrderEntry",
    "invoice_entries",
    "order_entry",
    "require",
    "supersedes",
]

_ZERO = Decimal(0)

# (version, client, currency, month, amount): what an invoice adds.
InvoiceEntry = tuple[int, ClientId, str, int, Decimal]
# (client, currency, month, amount): what a credit note takes away.
CreditEntry = tuple[ClientId, str, int, Decimal]
# (version, client, currency, month, amount; None when cancelled).
OrderEntry = tuple[int, ClientId, str, int, Decimal | None]
_Entry = TypeVar("_Entry", InvoiceEntry, OrderEntry)


def supersedes(old: _Entry | None, new: _Entry, entity: str, key: object) -> bool:
    """Whether ``new`` replaces ``old`` (the higher version wins).

    Raises:
        ValidationError: same version, different content.
    """
    if old is None or new[0] > old[0]:
        return True
    if new[0] < old[0] or new == old:
        return False
    raise ValidationError.single(
        "PortfolioState",
        f"{entity}.version",
        f"{entity} {key!r} was sent twice as version {new[0]} with different "
        f"content; a changed {entity} needs a higher version",
        new[0],
    )


def require(value: object, kind: type, what: str) -> None:
    """Raise unless ``value`` is a ``kind``."""
    if not isinstance(value, kind):
        raise ValidationError.single(
            "PortfolioState",
            what,
            f"expected {kind.__name__}, got {type(value).__name__}",
            value,
        )


def invoice_entries(
    invoice: Invoice,
) -> tuple[InvoiceEntry, list[tuple[tuple[InvoiceId, CreditNoteId], CreditEntry]]]:
    """What ``invoice`` adds (its total in its issue month, nothing when
    cancelled), and what each of its credit notes takes away, by key."""
    client, currency = invoice.client, invoice.currency
    cancelled = invoice.status is InvoiceStatus.CANCELLED
    amount = _ZERO if cancelled else invoice.total.amount
    entry = (invoice.version, client, currency, month_key(invoice.issue_date), amount)
    notes = [
        (
            (invoice.id, n.id),
            (client, currency, month_key(n.issued_on), n.amount.amount),
        )
        for n in invoice.credit_notes
    ]
    return entry, notes


def order_entry(order: Order) -> OrderEntry:
    """What ``order`` adds: its total in the month of its date (nothing when
    cancelled)."""
    total = None if order.status is OrderStatus.CANCELLED else order.total.amount
    return (
        order.version,
        order.client,
        order.currency,
        month_key(order.order_date),
        total,
    )

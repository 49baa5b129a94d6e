"""Merging two portfolio states: exactly one pass over both sets of events.

Each account's sums are the sum of what plain records put in (no id, added
up) and what id-keyed events put in (one contribution per id). Merging adds
the other state's record part to this one's, then replays the other state's
events through the same rules as a new event: an event both states hold
counts once, the later version winning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamcore.kernel import EXACT
from kamcore.metrics._ledger import supersedes
from kamcore.metrics._sums import COUNTS, INVOICED, ORDERED, MonthlySums

if TYPE_CHECKING:
    from kamcore.metrics._state import PortfolioState

__all__ = ["merge_into"]


def _record_part(state: PortfolioState) -> MonthlySums:
    """The state's sums less what its id-keyed events put in: the part that
    came from plain records (and the accounts seen with nothing to sum)."""
    rest = state._sums.copy()
    for _version, client, _currency, month, amount in state._invoices.values():
        rest.add_amount(INVOICED, client, month, EXACT.minus(amount), "invoice")
    for client, _currency, month, amount in state._credits.values():
        rest.add_amount(INVOICED, client, month, amount, "credit note")
    for _version, client, _currency, month, total in state._orders.values():
        if total is not None:
            rest.add_amount(ORDERED, client, month, EXACT.minus(total), "order")
            rest.add_units(COUNTS, rest.rows[client], month, -1)
    return rest


def merge_into(merged: PortfolioState, other: PortfolioState) -> None:
    """Add ``other``'s events to ``merged`` (a fresh copy, thrown away if this
    raises)."""
    merged._sums.absorb(_record_part(other))
    for invoice_id, invoice in other._invoices.items():
        if supersedes(merged._invoices.get(invoice_id), invoice, "invoice", invoice_id):
            merged._put_invoice(invoice_id, invoice)
    for note_key, note in other._credits.items():
        if merged._new_credit(note_key, note):
            merged._put_credit(note_key, note)
    for order_id, order in other._orders.items():
        if supersedes(merged._orders.get(order_id), order, "order", order_id):
            merged._put_order(order_id, order)
    for facts in other._contracts.values():
        merged._put_contract(facts)
    for alert in other._alerts.values():
        merged._put_alert(alert)

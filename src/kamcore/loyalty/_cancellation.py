"""A cancelled invoice withdrawn from the ledger: what it earned is reversed,
what it redeemed goes back to the lots it came from.

Both are dated the invoice's ``cancelled_on`` (or its issue date, if that is
later), whenever the invoice is posted, so the ledger reads the same whether the
invoice was posted while live or only after its cancellation.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kamcore.accounts import CreditNote, Invoice, InvoiceStatus
from kamcore.kernel import CreditNoteId
from kamcore.loyalty._ledger import EntryKind, LotDraw, SourceRef
from kamcore.loyalty._membership import Membership, ReservationStatus
from kamcore.loyalty._programme import Programme
from kamcore.loyalty._reversal import reverse_credit_note
from kamcore.loyalty._room import net_draws
from kamcore.loyalty._writer import Writer

__all__ = ["cancellation_note", "withdraw"]

# Before redeemed points went back to their lots, a cancellation gave them
# back as one adjustment (a new lot) under this key: such a ledger already
# holds them.
_LEGACY_KEY = "adjust:cancelled:invoice:{}"


def cancellation_note(invoice: Invoice, on: dt.date) -> CreditNote:
    """The credit note that stands for an invoice's cancellation in the ledger.

    Its id is ``"<invoice id>/cancelled"``; it credits the whole (money) total,
    on ``on`` or, if that is earlier, on the issue date.
    """
    return CreditNote(
        id=CreditNoteId(f"{invoice.id}/cancelled"),
        issued_on=max(on, invoice.issue_date),
        amount=invoice.total,
        reason="invoice cancelled",
    )


def withdraw(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    basis: Invoice,
    *,
    at: dt.datetime,
) -> Membership:
    """Withdraw a cancelled invoice: reverse what it earned (``basis``: the
    invoice as the earn rules saw it), return what it redeemed, release the
    reservation it committed. Each step is idempotent."""
    on = invoice.cancelled_on or invoice.issue_date
    current = membership
    earned = any(
        e.kind is EntryKind.EARN
        and e.source.kind == "invoice"
        and e.source.id == invoice.id
        for e in current.entries
    )
    if earned and invoice.total.is_positive():
        note = cancellation_note(invoice, on)
        issued = attrs.evolve(
            basis, status=InvoiceStatus.ISSUED, cancelled_on=None, credit_notes=(note,)
        )
        current = reverse_credit_note(current, programme, issued, note, at=at)
    current = _return_redeemed(
        current, programme, invoice, on=max(on, invoice.issue_date), at=at
    )
    return _release_committed(current, invoice)


def _return_redeemed(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    *,
    on: dt.date,
    at: dt.datetime,
) -> Membership:
    """Give the points redeemed on ``invoice`` back to the lots they are drawn
    from (where corrections moved the redemption, the lots it moved to), an
    entry per lot; points returned to a lot already past its expiry date
    expire at once, on the same day."""
    redeemed = membership.entry(f"redeem:invoice:{invoice.id}")
    if redeemed is None or membership.entry(_LEGACY_KEY.format(invoice.id)):
        return membership
    expiries = {lot.number: lot.expires_on for lot in membership.lots()}
    writer = Writer(membership, programme, at)
    source = SourceRef(kind="invoice", id=invoice.id)
    for lot, points in net_draws(membership, redeemed).items():
        key = f"return:invoice:{invoice.id}:lot:{lot}"
        if points <= 0 or membership.entry(key) is not None:
            continue
        draw = LotDraw(lot=lot, points=points)
        back = (draw,)
        writer.add(
            key=key,
            kind=EntryKind.RETURN,
            points=draw.points,
            on=on,
            source=source,
            returns=back,
            note=f"redeemed on invoice {invoice.id}, cancelled",
        )
        expires_on = expiries[draw.lot]
        if expires_on is not None and expires_on <= on:
            writer.add(
                key=f"expire:{key}",
                kind=EntryKind.EXPIRE,
                points=draw.points.copy_negate(),
                on=on,
                source=SourceRef(kind="expiry", id=f"lot-{draw.lot}"),
                draws=back,
                note=f"returned to lot {draw.lot} after its expiry on {expires_on}",
            )
    return writer.done()


def _release_committed(membership: Membership, invoice: Invoice) -> Membership:
    """The reservation committed on the cancelled invoice, released."""
    changed = tuple(
        attrs.evolve(r, status=ReservationStatus.RELEASED)
        if r.status is ReservationStatus.COMMITTED and r.invoice == invoice.id
        else r
        for r in membership.reservations
    )
    if changed == membership.reservations:
        return membership
    return attrs.evolve(membership, reservations=changed)

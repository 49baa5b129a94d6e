"""Redemption at invoicing through the ports (the end of seed workflow 4).

Points are reserved on a proposal (:func:`reserve_points`), released when it
ends without an invoice (:func:`release_held_points`, called by every service
that rejects, declines, expires or loses a proposal, in its own unit of work;
:func:`release_points` by hand), and committed when the invoice is issued
(:func:`redeem_at_invoicing`), which adds the points-redemption deduction line
to the invoice and the ``redeem`` entry to the ledger in one unit of work. A
refused redemption stores nothing. The rules are in
:mod:`kamcore.loyalty` (:func:`~kamcore.loyalty.redeem_on_invoice`); see
``docs/loyalty.md``.
"""

from __future__ import annotations

from decimal import Decimal

from kamcore.accounts import Invoice
from kamcore.errors import NotFoundError
from kamcore.kernel import InvoiceId, ProposalId
from kamcore.loyalty import (
    Membership,
    Reservation,
    ReservationStatus,
    redeem_on_invoice,
    release_reservation,
    reservation_on,
    reserve_on_proposal,
)
from kamcore.ports import Clock, UnitOfWork
from kamcore.proposals import Proposal
from kamcore.services._loyalty import membership_of

__all__ = [
    "redeem_at_invoicing",
    "release_held_points",
    "release_points",
    "reserve_points",
]


def _reservation(membership: Membership, proposal: ProposalId) -> Reservation:
    reservation = reservation_on(membership, proposal)
    if reservation is None:  # the domain call just made or found it
        raise NotFoundError("Reservation", [proposal])
    return reservation


def reserve_points(
    uow: UnitOfWork, clock: Clock, *, proposal: ProposalId, points: Decimal
) -> Reservation:
    """Hold ``points`` of the proposal's client on ``proposal``.

    The rate is the programme's redemption rate today, locked: the points
    keep that value when committed, whatever the rate then. The points must
    be redeemable today (balance less other reservations), and worth no more
    than the programme's maximum share of the proposal's total. Reserving
    the same points on the same proposal again changes nothing.

    Returns:
        The reservation held.

    Raises:
        NotFoundError: the proposal, its client, the client's membership or
            the programme does not exist.
        PolicyViolationError: the proposal is rejected, expired or withdrawn;
            the points are worth more than the maximum share, or more than
            are redeemable.
        ValidationError: points not positive or finer than the programme's
            point places; the proposal already holds other points.
        InvalidTransitionError: the proposal's reservation was committed.
    """
    today = clock.today()
    with uow:
        offer = uow.proposals.get(proposal)
        membership = membership_of(uow, uow.clients.get(offer.client))
        programme = uow.programmes.get(membership.programme)
        reserved = reserve_on_proposal(
            membership, programme, offer, points=points, on=today
        )
        if reserved is not membership:
            uow.memberships.save(reserved)
            uow.commit()
    return _reservation(reserved, proposal)


def release_points(uow: UnitOfWork, *, proposal: ProposalId) -> Reservation:
    """Give back the points held on ``proposal`` (lost, withdrawn, cancelled).

    Releasing a released reservation changes nothing.

    Returns:
        The released reservation.

    Raises:
        NotFoundError: the proposal, its client or membership does not exist,
            or nothing was reserved on it.
        InvalidTransitionError: the points were already committed on an
            invoice.
    """
    with uow:
        offer = uow.proposals.get(proposal)
        membership = membership_of(uow, uow.clients.get(offer.client))
        released = release_reservation(membership, proposal=proposal)
        if released is not membership:
            uow.memberships.save(released)
            uow.commit()
    return _reservation(released, proposal)


def release_held_points(uow: UnitOfWork, proposal: Proposal) -> Reservation | None:
    """Release the points held on ``proposal``, in the active unit of work.

    For the services that end a proposal without an invoice -- rejected,
    declined, expired, its opportunity lost -- so the points come back in the
    same unit of work as the decision. Nothing happens (and ``None`` is
    returned) when the client is not a member or nothing is held on the
    proposal; releasing is idempotent.

    Returns:
        The released reservation, or ``None`` when nothing was held.

    Raises:
        NotFoundError: the client or its membership is not stored.
    """
    client = uow.clients.get(proposal.client)
    if client.membership is None:
        return None
    membership = uow.memberships.get(client.membership)
    held = reservation_on(membership, proposal.id)
    if held is None or held.status is not ReservationStatus.HELD:
        return None
    released = release_reservation(membership, proposal=proposal.id)
    uow.memberships.save(released)
    return _reservation(released, proposal.id)


def redeem_at_invoicing(
    uow: UnitOfWork,
    clock: Clock,
    *,
    invoice: InvoiceId,
    proposal: ProposalId | None = None,
    points: Decimal | None = None,
) -> tuple[Invoice, Membership]:
    """Deduct points from an invoice: its deduction line and the ledger entry.

    Give ``proposal`` to commit the points reserved on it (at the locked
    rate), or ``points`` to redeem directly at the programme's current rate.
    In one unit of work, the invoice gets its
    :class:`~kamcore.accounts.PointsRedemption` line and the client's
    membership the ``redeem`` entry (and the reservation, if any, is marked
    committed with the invoice's id). A refused redemption stores nothing.
    Doing the same redemption again changes nothing.

    Call it when the invoice is issued, before :func:`post_invoice`: the
    invoice then earns points on the amount after the deduction.

    Returns:
        The stored invoice and membership.

    Raises:
        NotFoundError: the invoice, its client, the membership or the
            programme does not exist, or nothing was reserved on ``proposal``.
        PolicyViolationError: worth more than the programme's maximum share
            of the invoice's lines total; more points than are redeemable on
            the issue date; the invoice's points were already posted.
        ValidationError: neither or both of ``proposal`` and ``points``; the
            invoice already paid or credited, or in another currency.
        InvalidTransitionError: the invoice is cancelled; the reservation was
            released or committed on another invoice.
        ConcurrencyConflictError: another writer changed the invoice or the
            membership; nothing is stored.
    """
    now = clock.now()
    with uow:
        stored = uow.invoices.get(invoice)
        membership = membership_of(uow, uow.clients.get(stored.client))
        programme = uow.programmes.get(membership.programme)
        redeemed, deducted = redeem_on_invoice(
            membership, programme, stored, at=now, proposal=proposal, points=points
        )
        if deducted is stored:
            return stored, membership
        saved_invoice = uow.invoices.save(deducted)
        saved_membership = uow.memberships.save(redeemed)
        uow.commit()
    return saved_invoice, saved_membership

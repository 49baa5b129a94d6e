"""Redemption at invoicing (seed workflow 4): reserve, release, commit.

Points can be set aside on a proposal, at the redemption rate of that day
(*locked*: a later change of the programme's rate does not touch them), then
either released (the proposal is lost or cancelled) or committed when the
invoice is issued. Committing, or redeeming directly without a reservation,
does two things that belong together and are returned together: the invoice
gets a :class:`~kamcore.accounts.PointsRedemption` deduction line, and the
ledger a ``redeem`` entry drawing on the oldest usable lots. A refused
redemption changes neither.

Two limits apply, both checked before anything is built:

* **the programme's maximum share**: everything redeemed on an invoice may be
  worth at most ``max_redemption_share`` of its lines total (checked against
  the proposal's total at reservation, and against the invoice at commit);
* **the points redeemable** on the date: the balance less the points held by
  other reservations (see :func:`redeemable_points`).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal

import attrs

from kamcore.accounts import Invoice, PointsRedemption
from kamcore.errors import (
    InvalidTransitionError,
    NotFoundError,
    PolicyViolationError,
    ValidationError,
)
from kamcore.kernel import EXACT, ROUNDING, Checks, Money, ProposalId
from kamcore.loyalty._ledger import EntryKind, SourceRef
from kamcore.loyalty._membership import Membership, Reservation, ReservationStatus
from kamcore.loyalty._posting import redeem_points
from kamcore.loyalty._programme import Programme
from kamcore.proposals import Proposal, ProposalStatus

__all__ = [
    "max_redemption",
    "redeem_on_invoice",
    "redeemable_points",
    "release_reservation",
    "reservation_on",
    "reserve_on_proposal",
]

_ZERO = Decimal(0)
_CLOSED_PROPOSALS = frozenset(
    {ProposalStatus.REJECTED, ProposalStatus.EXPIRED, ProposalStatus.WITHDRAWN}
)


def _check_points(programme: Programme, points: Decimal, subject: str) -> Decimal:
    checks = Checks(subject)
    checks.decimal("points", points, strictly_positive=True)
    checks.raise_if_any()
    step = programme.point_quantum
    checks.require(
        points == points.quantize(step, ROUND_FLOOR, ROUNDING),
        "points",
        f"must be in steps of {step}",
        points,
    )
    checks.raise_if_any()
    return points


def max_redemption(programme: Programme, lines_total: Money) -> Money:
    """The most points may pay on a document whose lines total ``lines_total``.

    ``max_redemption_share`` of the lines total, rounded *down* to the minor
    unit: a deduction line is a whole number of cents, and rounding up would
    let it pass the share (20 % of 999.99 EUR is 199.998 EUR: at most 199.99).
    """
    return programme.max_redemption_share.of(lines_total).rounded(rounding=ROUND_DOWN)


def redeemable_points(
    membership: Membership,
    on: dt.date,
    *,
    excluding: Reservation | None = None,
) -> Decimal:
    """The points that may be redeemed or reserved on ``on``.

    The balance less every held reservation (but ``excluding``, the one being
    committed), where the balance is the smallest of: the balance on ``on``;
    the balance with every entry written so far (a redemption dated later has
    already taken its points); and what the lots usable on ``on`` still hold
    (points past their expiry date do not count even before the expiry run
    has written them off). Never below zero.
    """
    everything = {lot.number: lot for lot in membership.lots()}
    usable = _ZERO
    for lot in membership.lots(on):
        if everything[lot.number].usable_on(on):
            usable = EXACT.add(usable, everything[lot.number].remaining)
    balance = min(membership.balance(on), membership.balance(), usable)
    held = membership.held()
    if excluding is not None and excluding.status is ReservationStatus.HELD:
        held = EXACT.subtract(held, excluding.points)
    return max(EXACT.subtract(balance, held), _ZERO)


def reservation_on(membership: Membership, proposal: ProposalId) -> Reservation | None:
    """The reservation on ``proposal``: the held or committed one if there is
    one, else the last released one, else ``None``."""
    found = [r for r in membership.reservations if r.proposal == proposal]
    live = [r for r in found if r.status is not ReservationStatus.RELEASED]
    if live:
        return live[-1]
    return found[-1] if found else None


def _replace(
    membership: Membership, old: Reservation, new: Reservation
) -> tuple[Reservation, ...]:
    index = membership.reservations.index(old)
    return (
        *membership.reservations[:index],
        new,
        *membership.reservations[index + 1 :],
    )


def _refuse_share(
    programme: Programme, subject: str, value: Money, lines_total: Money
) -> None:
    limit = max_redemption(programme, lines_total)
    if value > limit:
        share = programme.max_redemption_share
        raise PolicyViolationError(
            "loyalty redemption",
            f"{subject} is worth {value}, more than the programme's maximum "
            f"share of {share} of {lines_total} (at most {limit})",
            value,
        )


def _refuse_balance(
    membership: Membership,
    points: Decimal,
    on: dt.date,
    excluding: Reservation | None = None,
) -> None:
    available = redeemable_points(membership, on, excluding=excluding)
    if points > available:
        held = membership.held()
        if excluding is not None and excluding.status is ReservationStatus.HELD:
            held = EXACT.subtract(held, excluding.points)
        raise PolicyViolationError(
            "loyalty redemption",
            f"{points} points asked, {available} available on {on} "
            f"(balance {membership.balance(on)}, {held} held on proposals)",
            points,
        )


def reserve_on_proposal(
    membership: Membership,
    programme: Programme,
    proposal: Proposal,
    *,
    points: Decimal,
    on: dt.date,
) -> Membership:
    """Hold ``points`` on ``proposal`` at today's redemption rate, locked.

    Reserving the same points on the same proposal again changes nothing.

    Args:
        membership: The member's membership.
        programme: Its programme (gives the rate locked).
        proposal: The member's proposal the points will pay part of.
        points: How many (positive, in the programme's point steps).
        on: The reservation date: the balance and lots are read as of it.

    Raises:
        ValidationError: the proposal is another client's or in another
            currency, the points are not positive or finer than the point
            places, or the proposal already holds other points (release them
            first).
        InvalidTransitionError: the proposal's reservation was committed.
        PolicyViolationError: the proposal is rejected, expired or withdrawn;
            the points are worth more than the maximum share of the proposal's
            total; or more than the points redeemable on ``on``.
    """
    wanted = _check_points(programme, points, "reserve_on_proposal")
    _check_document(membership, programme, proposal.client, proposal.currency)
    existing = reservation_on(membership, proposal.id)
    if existing is not None and existing.status is ReservationStatus.COMMITTED:
        raise InvalidTransitionError(
            "Reservation", proposal.id, existing.status, ReservationStatus.HELD
        )
    if existing is not None and existing.status is ReservationStatus.HELD:
        if existing.points == wanted:
            return membership
        raise ValidationError.single(
            "reserve_on_proposal",
            "proposal",
            f"already holds {existing.points} points on {proposal.id!r}; "
            "release them first",
            proposal.id,
        )
    if proposal.status in _CLOSED_PROPOSALS:
        raise PolicyViolationError(
            "loyalty reservation",
            f"proposal {proposal.id!r} is {proposal.status}: nothing will be "
            "invoiced on it",
            proposal.status,
        )
    rate = programme.redemption_rate
    value = (rate * wanted).rounded()
    _refuse_share(programme, f"{wanted} points at {rate}", value, proposal.total)
    _refuse_balance(membership, wanted, on)
    reservation = Reservation(
        proposal=proposal.id, points=wanted, rate=rate, reserved_on=on
    )
    return attrs.evolve(
        membership, reservations=(*membership.reservations, reservation)
    )


def release_reservation(membership: Membership, *, proposal: ProposalId) -> Membership:
    """Give back the points held on ``proposal`` (it was lost or cancelled).

    Releasing a released reservation changes nothing.

    Raises:
        NotFoundError: nothing was ever reserved on the proposal.
        InvalidTransitionError: the reservation was already committed on an
            invoice.
    """
    existing = reservation_on(membership, proposal)
    if existing is None:
        raise NotFoundError("Reservation", [proposal])
    if existing.status is ReservationStatus.RELEASED:
        return membership
    if existing.status is ReservationStatus.COMMITTED:
        raise InvalidTransitionError(
            "Reservation", proposal, existing.status, ReservationStatus.RELEASED
        )
    released = attrs.evolve(existing, status=ReservationStatus.RELEASED)
    return attrs.evolve(
        membership, reservations=_replace(membership, existing, released)
    )


def _check_document(
    membership: Membership, programme: Programme, client: str, currency: str
) -> None:
    checks = Checks("loyalty redemption")
    checks.require(
        client == membership.client,
        "client",
        f"is not the member {membership.client!r}",
        client,
    )
    checks.require(
        currency == programme.currency,
        "currency",
        f"must be the programme currency {programme.currency}",
        currency,
    )
    checks.raise_if_any()


def redeem_on_invoice(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    *,
    at: dt.datetime,
    proposal: ProposalId | None = None,
    points: Decimal | None = None,
) -> tuple[Membership, Invoice]:
    """Redeem points on an invoice: its deduction line and the ledger entry.

    Give ``proposal`` to commit the points reserved on it (at the rate locked
    then), or ``points`` to redeem directly at the programme's current rate.
    The invoice gets a :class:`~kamcore.accounts.PointsRedemption` line; the
    membership a ``redeem`` entry dated on the invoice's issue date (key
    ``redeem:invoice:<id>``), and a committed reservation records the
    invoice. Redeeming the same thing on the same invoice again returns both
    unchanged.

    Points are redeemed at invoicing: before the invoice is paid, credited, or
    posted to the ledger (its points are then earned on the amount after the
    deduction, see :func:`earning_basis`).

    Returns:
        The membership and the invoice, both changed, or both unchanged.

    Raises:
        ValidationError: neither or both of ``proposal`` and ``points``; the
            invoice is another client's, in another currency, already paid or
            credited, or already carries another redemption of the membership.
        NotFoundError: nothing was reserved on ``proposal``.
        InvalidTransitionError: the reservation was released or committed on
            another invoice; the invoice is cancelled.
        PolicyViolationError: the redemption is worth more than the
            programme's maximum share of the invoice's lines total; more
            points than are redeemable on the issue date; or the invoice's
            points were already posted.
    """
    _check_document(membership, programme, invoice.client, invoice.currency)
    key = f"redeem:invoice:{invoice.id}"
    done = [r for r in invoice.redemptions if r.membership == membership.id]
    if done or membership.entry(key) is not None:
        return _already_redeemed(membership, invoice, done, proposal, points)
    posted = [
        e
        for e in membership.entries
        if e.kind in (EntryKind.EARN, EntryKind.PENDING)
        and e.source.kind == "invoice"
        and e.source.id == invoice.id
    ]
    if posted:
        raise PolicyViolationError(
            "loyalty redemption",
            f"invoice {invoice.id!r} has already earned points: points are "
            "redeemed at invoicing, before the invoice's points are posted",
            invoice.id,
        )
    reservation: Reservation | None = None
    if proposal is not None and points is None:
        reservation = _held(membership, proposal, invoice)
        wanted, rate = reservation.points, reservation.rate
    elif points is not None and proposal is None:
        wanted = _check_points(programme, points, "redeem_on_invoice")
        rate = programme.redemption_rate
    else:
        raise ValidationError.single(
            "redeem_on_invoice",
            "proposal",
            "give either the proposal whose reservation to commit, or the points",
            proposal,
        )
    redemption = PointsRedemption(
        membership=membership.id, points=wanted, rate=rate, proposal=proposal
    )
    _refuse_share(
        programme,
        f"{wanted} points at {rate} on invoice {invoice.id}",
        invoice.redeemed + redemption.amount,
        invoice.lines_total,
    )
    _refuse_balance(membership, wanted, invoice.issue_date, excluding=reservation)
    deducted = invoice.with_redemption(redemption)
    redeemed = redeem_points(
        membership,
        programme,
        points=wanted,
        on=invoice.issue_date,
        source=SourceRef(kind="invoice", id=invoice.id),
        at=at,
        from_reservation=reservation is not None,
    )
    if reservation is not None:
        committed = attrs.evolve(
            reservation, status=ReservationStatus.COMMITTED, invoice=invoice.id
        )
        redeemed = attrs.evolve(
            redeemed, reservations=_replace(redeemed, reservation, committed)
        )
    return redeemed, deducted


def _held(
    membership: Membership, proposal: ProposalId, invoice: Invoice
) -> Reservation:
    reservation = reservation_on(membership, proposal)
    if reservation is None:
        raise NotFoundError("Reservation", [proposal])
    if reservation.status is not ReservationStatus.HELD:
        raise InvalidTransitionError(
            "Reservation",
            proposal,
            reservation.status,
            f"committed on invoice {invoice.id}",
        )
    return reservation


def _already_redeemed(
    membership: Membership,
    invoice: Invoice,
    done: list[PointsRedemption],
    proposal: ProposalId | None,
    points: Decimal | None,
) -> tuple[Membership, Invoice]:
    """The same redemption again: unchanged. Anything else: refused."""
    entry = membership.entry(f"redeem:invoice:{invoice.id}")
    if done and entry is not None:
        [line] = done
        same = (
            line.proposal == proposal
            if proposal is not None
            else line.proposal is None and line.points == points
        )
        if same and entry.points == line.points.copy_negate():
            return membership, invoice
    raise ValidationError.single(
        "redeem_on_invoice",
        "invoice",
        f"membership {membership.id!r} already redeemed points on invoice "
        f"{invoice.id!r}",
        invoice.id,
    )

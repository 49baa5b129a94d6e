"""Loyalty memberships through the ports: enrol, override, report.

Seed workflow 4, "client with loyalty programme": the client is enrolled
(:func:`enrol`), accumulates points on each purchase and is told of its tier
(:mod:`kamcore.services._loyalty_runs`), the account manager monitors the tier
(:func:`tier_report`, :func:`what_to_spend`) and may set it by hand
(:func:`override_tier`, :func:`end_tier_override`), and points are deducted at invoicing
(:mod:`kamcore.services._loyalty_redemption`). Each call is one unit of work:
everything or nothing. See ``docs/loyalty.md``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kamcore.accounts import Client
from kamcore.errors import (
    CurrencyMismatchError,
    InvalidTransitionError,
    NotFoundError,
    PolicyViolationError,
    ValidationError,
)
from kamcore.kernel import ClientId, ManagerId, MembershipId, Money, ProgrammeId
from kamcore.loyalty import (
    Membership,
    MembershipReport,
    TierOverride,
    membership_report,
    reconcile,
    spend_needed,
)
from kamcore.ports import Clock, IdSource, UnitOfWork

__all__ = [
    "end_tier_override",
    "enrol",
    "membership_of",
    "override_tier",
    "tier_report",
    "what_to_spend",
]


def membership_of(uow: UnitOfWork, client: Client) -> Membership:
    """The client's membership, read in the active unit of work.

    Raises:
        NotFoundError: the client is not enrolled (``entity`` is
            ``"Loyalty membership of client"``, ``ids`` the client's id), or
            its membership is not stored.
    """
    if client.membership is None:
        raise NotFoundError("Loyalty membership of client", [client.id])
    return uow.memberships.get(client.membership)


def enrol(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    *,
    client: ClientId,
    programme: ProgrammeId,
    enrolled_on: dt.date | None = None,
) -> Membership:
    """Enrol ``client`` in ``programme`` and record it on the client record.

    The membership starts on ``enrolled_on`` (the clock's date by default),
    which anchors rolling qualification periods. Enrolling a member in the
    programme it already belongs to returns its membership unchanged.

    Raises:
        NotFoundError: the client or the programme does not exist.
        CurrencyMismatchError: the programme is not in the client's currency.
        ValidationError: the client is already a member of another programme.
    """
    start = clock.today() if enrolled_on is None else enrolled_on
    with uow:
        owner = uow.clients.get(client)
        chosen = uow.programmes.get(programme)
        if owner.membership is not None:
            current = uow.memberships.get(owner.membership)
            if current.programme == chosen.id:
                return current
            raise ValidationError.single(
                "enrol",
                "client.membership",
                f"client {client!r} is already a member of programme "
                f"{current.programme!r} ({current.id})",
                owner.membership,
            )
        if chosen.currency != owner.currency:
            raise CurrencyMismatchError(
                owner.currency, chosen.currency, f"enrol in programme {programme}"
            )
        membership = uow.memberships.add(
            Membership(
                id=ids.new_id(MembershipId),
                client=owner.id,
                programme=chosen.id,
                enrolled_on=start,
            )
        )
        uow.clients.save(attrs.evolve(owner, membership=membership.id))
        uow.commit()
    return membership


def override_tier(
    uow: UnitOfWork,
    clock: Clock,
    *,
    client: ClientId,
    tier: str,
    reason: str,
    by: ManagerId,
    ends_on: dt.date,
    starts_on: dt.date | None = None,
) -> Membership:
    """Set the client's tier by hand, with a reason, until ``ends_on``.

    The override applies from ``starts_on`` (the clock's date by default, and
    never earlier: an override does not rewrite the past) to ``ends_on``
    inclusive, whatever the spend. It is appended to the membership's
    history of overrides, set on the clock's date: on the days it covers it
    wins over any set before, which still answer for the days before it
    starts. The tier earned by spend is still tracked beside it (see
    :class:`~kamcore.loyalty.TierStanding`). Points already earned on the
    days it covers (an invoice of its first day posted before it) are
    corrected to its tier's multiplier (:func:`~kamcore.loyalty.reconcile`).
    Only the client's account manager may set it.

    Raises:
        NotFoundError: the client, its membership or the programme does not
            exist.
        PolicyViolationError: ``by`` is not the client's account manager.
        ValidationError: an unknown tier, a blank reason, ``ends_on`` before
            ``starts_on``, or ``starts_on`` before the clock's date.
    """
    today = clock.today()
    start = today if starts_on is None else starts_on
    with uow:
        owner = _managed_client(uow, client, by)
        membership = membership_of(uow, owner)
        programme = uow.programmes.get(membership.programme)
        programme.tier(tier)
        override = TierOverride(
            tier=tier,
            reason=reason,
            by=by,
            starts_on=start,
            ends_on=ends_on,
            set_on=today,
        )
        overridden = membership.with_override(override)
        stored = uow.memberships.save(reconcile(overridden, programme, at=clock.now()))
        uow.commit()
    return stored


def end_tier_override(
    uow: UnitOfWork,
    clock: Clock,
    *,
    client: ClientId,
    by: ManagerId,
    reason: str,
) -> Membership:
    """End the override in effect today: the earned tier applies again.

    Nothing is deleted: a record with ``tier=None`` is appended to the
    membership's overrides, set on and starting on the clock's date and
    ending on the last day of the override it ends. From today to that day
    the tier is the one earned by spend, whatever override was set before
    (an override scheduled in those days is ended too; set a new one to
    bring it back). Days already past keep the override they had; points
    already earned on the days it ends are corrected to the earned tier's
    multiplier. Only the client's account manager may end it.

    Raises:
        NotFoundError: the client, its membership or the programme does not
            exist.
        PolicyViolationError: ``by`` is not the client's account manager.
        InvalidTransitionError: no override is in effect today.
        ValidationError: a blank reason.

    .. versionadded:: Unreleased
    """
    today = clock.today()
    with uow:
        owner = _managed_client(uow, client, by)
        membership = membership_of(uow, owner)
        current = membership.override_on(today)
        if current is None:
            raise InvalidTransitionError(
                "Membership",
                membership.id,
                f"no tier override in effect on {today}",
                "tier override ended",
            )
        ending = TierOverride(
            tier=None,
            reason=reason,
            by=by,
            starts_on=today,
            ends_on=current.ends_on,
            set_on=today,
        )
        programme = uow.programmes.get(membership.programme)
        ended = membership.with_override(ending)
        stored = uow.memberships.save(reconcile(ended, programme, at=clock.now()))
        uow.commit()
    return stored


def _managed_client(uow: UnitOfWork, client: ClientId, by: ManagerId) -> Client:
    """The client, if ``by`` is its account manager.

    Raises:
        PolicyViolationError: ``by`` is not the client's account manager.
    """
    owner = uow.clients.get(client)
    if owner.account_manager != by:
        raise PolicyViolationError(
            "tier override",
            f"{by!r} is not the account manager of client {client!r} "
            f"({owner.account_manager!r})",
            by,
        )
    return owner


def tier_report(
    uow: UnitOfWork,
    clock: Clock,
    *,
    client: ClientId,
    as_of: dt.date | None = None,
) -> MembershipReport:
    """Where the client's membership stands on ``as_of`` (the clock's date by
    default): tier, points, what is expiring, and the spend each tier needs
    by the end of the period (:func:`~kamcore.loyalty.membership_report`).

    A past date answers from the entries dated up to it.

    Raises:
        NotFoundError: the client, its membership or the programme does not
            exist.
    """
    day = clock.today() if as_of is None else as_of
    with uow:
        membership = membership_of(uow, uow.clients.get(client))
        programme = uow.programmes.get(membership.programme)
        return membership_report(membership, programme, as_of=day)


def what_to_spend(
    uow: UnitOfWork,
    clock: Clock,
    *,
    client: ClientId,
    tier: str,
    as_of: dt.date | None = None,
) -> Money:
    """What the client must still spend by the end of the current period to
    keep or reach ``tier`` for the next one (zero: already secured).

    As of ``as_of`` (the clock's date by default); see
    :func:`~kamcore.loyalty.spend_needed`.

    Raises:
        NotFoundError: the client, its membership or the programme does not
            exist.
        ValidationError: no tier has that code.
    """
    day = clock.today() if as_of is None else as_of
    with uow:
        membership = membership_of(uow, uow.clients.get(client))
        programme = uow.programmes.get(membership.programme)
        return spend_needed(membership, programme, tier, as_of=day)

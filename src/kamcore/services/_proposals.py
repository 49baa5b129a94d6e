"""Proposals through the ports: priced offers, negotiated, decided, converted.

Seed workflow 2 ends "send proposal -> negotiate -> convert to order". Each call
is one unit of work: it stores everything or nothing, and every step is
time-stamped by the clock. Lines are priced by the pricing engine at an explicit
pricing date, so every line keeps its resolved price and its explanation; the
catalogue is read once per call, inside the same unit of work.

Converting an accepted proposal to an order takes the accepted revision's lines
*as accepted*: the order does not re-price them, even if the price lists have
changed since. What the client accepted is what it is charged; re-pricing is
always an explicit call (:func:`kamcore.pricing.reprice_order`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from kamcore.accounts import Order
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import (
    Checks,
    ClientId,
    ContractId,
    ManagerId,
    OpportunityId,
    OrderId,
    ProposalId,
)
from kamcore.opportunities import Opportunity, Outcome
from kamcore.ports import Clock, IdSource, UnitOfWork
from kamcore.pricing import (
    DocumentKind,
    LineRequest,
    PricedDocument,
    PricingIndex,
    PricingOptions,
    PricingPolicy,
    price_document,
)
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.services._loyalty_redemption import release_held_points

__all__ = [
    "catalogue_index",
    "convert_proposal_to_order",
    "create_proposal",
    "decide_proposal",
    "revise_proposal",
    "send_proposal",
]


def catalogue_index(
    uow: UnitOfWork, options: PricingOptions | None = None
) -> PricingIndex:
    """The pricing index of the stored catalogue, read in the active unit of work.

    For services that already hold the ``with uow:`` block (unlike
    :func:`~kamcore.services.load_pricing_index`, which opens its own).

    Raises:
        PricingConfigurationError: the stored catalogue has conflicts.
    """
    return PricingIndex(
        uow.price_lists.all(),
        client_groups=uow.client_groups.all(),
        discount_groups=uow.discount_groups.all(),
        products=uow.products.all(),
        options=options,
    )


def create_proposal(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    *,
    client: ClientId,
    purpose: ProposalPurpose,
    lines: Sequence[LineRequest],
    pricing_date: dt.date,
    author: ManagerId,
    valid_until: dt.date | None = None,
    opportunity: OpportunityId | None = None,
    contract: ContractId | None = None,
    note: str = "first offer",
    policy: PricingPolicy | None = None,
    options: PricingOptions | None = None,
) -> tuple[Proposal, PricedDocument]:
    """Price ``lines`` for ``client`` at ``pricing_date`` and store a draft.

    The proposal is in the client's currency, with one revision. A linked
    opportunity gets the proposal's id (a ``proposal`` change by ``author``).

    Returns:
        The stored proposal and the priced document (with the policy findings).

    Raises:
        NotFoundError: the client, opportunity or contract does not exist.
        ValidationError: the opportunity or contract is another client's,
            ``valid_until`` is before ``pricing_date``, or a line is malformed.
        InvalidTransitionError: the opportunity is closed.
        PriceNotFoundError: from pricing; nothing is stored.
        PricingConfigurationError: from pricing; nothing is stored.
        CurrencyMismatchError: from pricing; nothing is stored.
        PolicyViolationError: from pricing; nothing is stored.
    """
    with uow:
        now = clock.now()
        owner = uow.clients.get(client)
        document = price_document(
            catalogue_index(uow, options),
            owner,
            lines,
            pricing_date=pricing_date,
            kind=DocumentKind.PROPOSAL,
            policy=policy or PricingPolicy(),
            explain=True,
        )
        _check_valid_until("create_proposal", valid_until, pricing_date)
        proposal_id = ids.new_id(ProposalId)
        if contract is not None:
            _same_client("contract", uow.contracts.get(contract).client, client)
        if opportunity is not None:
            deal = uow.opportunities.get(opportunity)
            _same_client("opportunity", deal.client, client)
            uow.opportunities.save(deal.link_proposal(proposal_id, at=now, by=author))
        stored = uow.proposals.add(
            Proposal(
                id=proposal_id,
                client=client,
                purpose=purpose,
                currency=document.currency,
                revisions=(
                    ProposalRevision(
                        number=1,
                        lines=document.lines,
                        pricing_date=pricing_date,
                        note=note,
                        recorded_at=now,
                        recorded_by=author,
                    ),
                ),
                valid_until=valid_until,
                contract=contract,
                opportunity=opportunity,
            )
        )
        uow.commit()
    return stored, document


def send_proposal(
    uow: UnitOfWork, clock: Clock, *, proposal: ProposalId, note: str = ""
) -> Proposal:
    """Send the current revision to the client (``draft`` or ``negotiating``
    -> ``sent``).

    Raises:
        NotFoundError: the proposal does not exist.
        InvalidTransitionError: it cannot be sent from its status, or its
            ``valid_until`` is before today.
    """
    with uow:
        current = uow.proposals.get(proposal)
        _require_valid(current, clock.today(), ProposalStatus.SENT)
        stored = uow.proposals.save(
            current.move_to(ProposalStatus.SENT, at=clock.now(), note=note)
        )
        uow.commit()
    return stored


def revise_proposal(
    uow: UnitOfWork,
    clock: Clock,
    *,
    proposal: ProposalId,
    lines: Sequence[LineRequest],
    pricing_date: dt.date,
    author: ManagerId,
    note: str,
    valid_until: dt.date | None = None,
    policy: PricingPolicy | None = None,
    options: PricingOptions | None = None,
) -> tuple[Proposal, PricedDocument]:
    """Price a new revision and add it on top of the others.

    Every earlier revision is kept. A sent proposal moves to ``negotiating``
    (send it again with :func:`send_proposal`); a draft stays a draft.

    Args:
        uow: The unit of work.
        clock: Time-stamps the revision.
        proposal: The proposal to revise.
        lines: The revised lines, priced afresh at ``pricing_date``.
        pricing_date: The date prices resolve at.
        author: Who records the revision.
        note: What changed.
        valid_until: A new last day to accept; the old one when ``None``.
        policy: Ad-hoc, floor and margin rules.
        options: Unit-price rounding.

    Returns:
        The stored proposal and the priced revision.

    Raises:
        NotFoundError: the proposal or its client does not exist.
        InvalidTransitionError: the proposal is decided or converted.
        ValidationError: a blank note, ``valid_until`` before ``pricing_date``.
        PriceNotFoundError: from pricing; nothing is stored.
        PricingConfigurationError: from pricing; nothing is stored.
        CurrencyMismatchError: from pricing; nothing is stored.
        PolicyViolationError: from pricing; nothing is stored.
    """
    with uow:
        current = uow.proposals.get(proposal)
        document = price_document(
            catalogue_index(uow, options),
            uow.clients.get(current.client),
            lines,
            pricing_date=pricing_date,
            kind=DocumentKind.PROPOSAL,
            currency=current.currency,
            policy=policy or PricingPolicy(),
            explain=True,
        )
        until = current.valid_until if valid_until is None else valid_until
        _check_valid_until("revise_proposal", until, pricing_date)
        revised = current.revise(
            lines=document.lines,
            pricing_date=pricing_date,
            note=note,
            recorded_at=clock.now(),
            recorded_by=author,
        )
        stored = uow.proposals.save(attrs.evolve(revised, valid_until=until))
        uow.commit()
    return stored, document


def decide_proposal(
    uow: UnitOfWork,
    clock: Clock,
    *,
    proposal: ProposalId,
    accepted: bool,
    note: str = "",
) -> Proposal:
    """Record the client's decision on the current revision.

    A rejection leaves a linked opportunity open: another proposal may follow;
    close it with :func:`~kamcore.services.close_opportunity` if the deal is
    lost. Loyalty points reserved on a rejected proposal are released in the
    same unit of work (see ``docs/loyalty.md``).

    Raises:
        NotFoundError: the proposal does not exist; rejected, its client or
            the client's membership is not stored.
        InvalidTransitionError: it was never sent, is already decided, or is
            accepted after its ``valid_until``.
    """
    status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.REJECTED
    with uow:
        current = uow.proposals.get(proposal)
        if accepted:
            _require_valid(current, clock.today(), status)
        stored = uow.proposals.save(current.move_to(status, at=clock.now(), note=note))
        if not accepted:
            release_held_points(uow, stored)
        uow.commit()
    return stored


def convert_proposal_to_order(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    *,
    proposal: ProposalId,
    order_date: dt.date,
    author: ManagerId | None = None,
) -> Order:
    """Turn an accepted proposal into an order, with its lines as accepted.

    The order gets the accepted (current) revision's lines, prices and
    explanations unchanged: nothing is re-priced. The proposal moves to
    ``converted`` and records the order; a linked opportunity still open is
    marked won (by ``author``, or its owner), one already won stays as it is.

    Returns:
        The stored order.

    Raises:
        NotFoundError: the proposal or its opportunity does not exist.
        InvalidTransitionError: the proposal is not accepted, or its
            opportunity was lost.
        ValidationError: a bad order date.
    """
    with uow:
        now = clock.now()
        current = uow.proposals.get(proposal)
        order_id = ids.new_id(OrderId)
        converted = current.move_to(
            ProposalStatus.CONVERTED, at=now, note=f"order {order_id}"
        )
        order = uow.orders.add(
            Order(
                id=order_id,
                client=current.client,
                order_date=order_date,
                currency=current.currency,
                lines=current.current.lines,
            )
        )
        uow.proposals.save(attrs.evolve(converted, order=order.id))
        if current.opportunity is not None:
            deal = uow.opportunities.get(current.opportunity)
            if deal.outcome is not Outcome.WON:
                uow.opportunities.save(_won(deal, current, order, now, author))
        uow.commit()
    return order


def _won(
    deal: Opportunity,
    proposal: Proposal,
    order: Order,
    at: dt.datetime,
    author: ManagerId | None,
) -> Opportunity:
    return deal.close(
        Outcome.WON,
        at=at,
        by=deal.owner if author is None else author,
        reason=f"proposal {proposal.id} converted to order {order.id}",
    )


def _require_valid(
    proposal: Proposal, today: dt.date, requested: ProposalStatus
) -> None:
    if proposal.valid_until is not None and proposal.valid_until < today:
        raise InvalidTransitionError(
            "Proposal",
            proposal.id,
            f"{proposal.status} (valid until {proposal.valid_until})",
            requested,
        )


def _check_valid_until(
    subject: str, valid_until: dt.date | None, pricing_date: dt.date
) -> None:
    checks = Checks(subject)
    checks.optional_date("valid_until", valid_until)
    checks.raise_if_any()
    if valid_until is not None and valid_until < pricing_date:
        raise ValidationError.single(
            subject,
            "valid_until",
            f"is before the pricing date {pricing_date}",
            valid_until,
        )


def _same_client(path: str, owner: ClientId, client: ClientId) -> None:
    if owner != client:
        raise ValidationError.single(
            "create_proposal",
            path,
            f"belongs to client {owner}, not {client}",
            owner,
        )

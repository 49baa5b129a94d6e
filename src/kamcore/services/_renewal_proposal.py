"""The renewal case through the ports (seed workflow 1): the proposal stages.

propose (priced by the pricing engine with a named strategy) -> send ->
negotiate (revisions) -> accept or decline. :mod:`kamcore.services._renewal_case`
opens and analyses the case; :mod:`kamcore.services._renewal_close` carries it
on: amend the contract, sign, archive. Every call is one unit of work:
everything or nothing, each step time-stamped by the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from kamcore.accounts import LineItem, OrderStatus
from kamcore.contracts import CaseStage, Contract, RenewalCase, RenewalPricing
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import EXACT, ManagerId, ProductId, ProposalId, RenewalCaseId
from kamcore.ports import Clock, IdSource, UnitOfWork
from kamcore.pricing import (
    DocumentKind,
    LineRequest,
    PricingIndex,
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

__all__ = ["decide_renewal", "propose_renewal", "send_renewal_proposal"]


def propose_renewal(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    index: PricingIndex,
    *,
    case: RenewalCaseId,
    pricing: RenewalPricing,
    by: ManagerId,
    lines: Sequence[LineRequest] | None = None,
    valid_until: dt.date | None = None,
    note: str | None = None,
    policy: PricingPolicy | None = None,
) -> Proposal:
    """Price the renewal for the new term and record it as a proposal.

    First proposal of an analysed case: the case moves to ``proposed``. In
    negotiation (a sent proposal the client answered), it records a new
    revision of the same proposal instead, every earlier one kept, and the
    case moves to ``negotiating``.

    Prices come from the pricing engine: at the current term's last day for
    every strategy but ``current_list``, which resolves at the new term's
    first day; then the strategy moves each year's unit price (compounded,
    see :class:`~kamcore.contracts.RenewalPricing`) and the step is added to
    the line's explanation. A multi-year strategy gives one line per product
    and year. Without ``lines``, the quantities are what the client ordered
    in the last 12 months, per product.

    Raises:
        NotFoundError: no such case, contract or client.
        InvalidTransitionError: the case is not analysed and not in negotiation.
        ValidationError: no lines given and no orders to take them from.
        PriceNotFoundError: from the pricing engine; nothing is stored.
        PricingConfigurationError: from the pricing engine; nothing is stored.
        PolicyViolationError: from the pricing engine; nothing is stored.
    """
    now = clock.now()
    with uow:
        current = uow.renewal_cases.get(case)
        contract = uow.contracts.get(current.contract)
        client = uow.clients.get(current.client)
        requests = (
            tuple(lines)
            if lines is not None
            else _ordered_last_year(uow, current, clock.today())
        )
        ends = contract.binding.term_end
        new_term = ends + dt.timedelta(days=1)
        pricing_date = new_term if pricing.resolves_at_new_term else ends
        document = price_document(
            index,
            client,
            requests,
            pricing_date=pricing_date,
            kind=DocumentKind.PROPOSAL,
            policy=policy or PricingPolicy(),
            explain=True,
        )
        priced = pricing.apply_to(document.lines)
        text = note or f"renewal of {contract.title}: {pricing.describe()}"
        if current.proposal is None:
            proposal = _new_proposal(
                ids=ids,
                case=current,
                contract=contract,
                lines=priced,
                pricing_date=pricing_date,
                note=text,
                now=now,
                by=by,
                valid_until=valid_until,
            )
            stored_proposal = uow.proposals.add(proposal)
            stage = CaseStage.PROPOSED
        else:
            existing = uow.proposals.get(current.proposal)
            revised = existing.revise(
                lines=priced,
                pricing_date=pricing_date,
                note=text,
                recorded_at=now,
                recorded_by=by,
            )
            stored_proposal = uow.proposals.save(revised)
            stage = CaseStage.NEGOTIATING
        moved = current.advance(
            stage,
            at=now,
            by=by,
            note=text,
            reference=stored_proposal.id,
            pricing=pricing,
            proposal=stored_proposal.id,
        )
        uow.renewal_cases.save(moved)
        uow.commit()
    return stored_proposal


def _new_proposal(
    *,
    ids: IdSource,
    case: RenewalCase,
    contract: Contract,
    lines: tuple[LineItem, ...],
    pricing_date: dt.date,
    note: str,
    now: dt.datetime,
    by: ManagerId,
    valid_until: dt.date | None,
) -> Proposal:
    revision = ProposalRevision(
        number=1,
        lines=lines,
        pricing_date=pricing_date,
        note=note,
        recorded_at=now,
        recorded_by=by,
    )
    return Proposal(
        id=ids.new_id(ProposalId),
        client=case.client,
        purpose=ProposalPurpose.RENEWAL,
        currency=contract.current.value.currency,
        revisions=(revision,),
        valid_until=contract.binding.term_end if valid_until is None else valid_until,
        contract=contract.id,
    )


def _ordered_last_year(
    uow: UnitOfWork, case: RenewalCase, today: dt.date
) -> tuple[LineRequest, ...]:
    """One request per product the client ordered in the last 12 months."""
    quantities: defaultdict[ProductId, Decimal] = defaultdict(Decimal)
    orders = uow.orders.find(
        client=case.client,
        placed_from=today - relativedelta(years=1, days=-1),
        placed_to=today,
    )
    for order in orders:
        if order.status_on(today) is OrderStatus.CANCELLED:
            continue
        for line in order.lines:
            quantities[line.product] = EXACT.add(
                quantities[line.product], line.quantity
            )
    if not quantities:
        raise ValidationError.single(
            "propose_renewal",
            "lines",
            "the client ordered nothing in the last 12 months: pass the lines",
            None,
        )
    return tuple(
        LineRequest(product=product, quantity=quantities[product])
        for product in sorted(quantities)
    )


def send_renewal_proposal(
    uow: UnitOfWork,
    clock: Clock,
    *,
    case: RenewalCaseId,
    by: ManagerId,
    note: str = "",
) -> RenewalCase:
    """Send the current revision of the case's proposal to the client.

    The proposal moves to ``sent``, the case to ``sent``.

    Raises:
        NotFoundError: no such case.
        InvalidTransitionError: nothing proposed yet, or already decided.
    """
    now = clock.now()
    with uow:
        current = uow.renewal_cases.get(case)
        proposal = _proposal_of(uow, current)
        moved = current.advance(
            CaseStage.SENT, at=now, by=by, note=note, reference=proposal.id
        )
        uow.proposals.save(proposal.move_to(ProposalStatus.SENT, at=now, note=note))
        stored = uow.renewal_cases.save(moved)
        uow.commit()
    return stored


def decide_renewal(
    uow: UnitOfWork,
    clock: Clock,
    *,
    case: RenewalCaseId,
    accepted: bool,
    by: ManagerId,
    note: str = "",
) -> RenewalCase:
    """Record the client's answer to the proposal on the table.

    Accepted: the proposal and the case move to ``accepted`` (next:
    :func:`amend_renewed_contract`). Declined: the proposal is ``rejected``
    (loyalty points reserved on it are released), the case ``declined``, and
    the contract stays in ``renewal_in_progress`` until its term ends and it
    lapses (or is terminated).

    Raises:
        NotFoundError: no such case; declined, the proposal's client or its
            membership is not stored.
        InvalidTransitionError: the proposal was not sent.
    """
    now = clock.now()
    stage = CaseStage.ACCEPTED if accepted else CaseStage.DECLINED
    status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.REJECTED
    with uow:
        current = uow.renewal_cases.get(case)
        proposal = _proposal_of(uow, current)
        decided = uow.proposals.save(proposal.move_to(status, at=now, note=note))
        if not accepted:
            release_held_points(uow, decided)
        stored = uow.renewal_cases.save(
            current.advance(stage, at=now, by=by, note=note, reference=proposal.id)
        )
        uow.commit()
    return stored


def _proposal_of(uow: UnitOfWork, case: RenewalCase) -> Proposal:
    if case.proposal is None:
        raise InvalidTransitionError("RenewalCase", case.id, case.stage, "a proposal")
    return uow.proposals.get(case.proposal)

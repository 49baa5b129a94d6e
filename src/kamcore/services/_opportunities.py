"""The opportunity pipeline through the ports: the daily review, the post-meeting
update and upsell detection (seed workflow 2).

Each call is one unit of work: it stores everything or nothing. Changes are
time-stamped by the clock's ``now()``; "today" is the clock's ``today()``.
"""

from __future__ import annotations

import datetime as dt

from kamcore.accounts import Activity, ActivityKind
from kamcore.errors import ValidationError
from kamcore.kernel import (
    ActivityId,
    ClientId,
    ContractId,
    ManagerId,
    Money,
    OpportunityId,
    Percentage,
    ProductId,
)
from kamcore.opportunities import (
    DEFAULT_STAGE_PROBABILITIES,
    Opportunity,
    OpportunityKind,
    OpportunityReview,
    Outcome,
    Stage,
    StageProbabilities,
    review_opportunities,
)
from kamcore.ports import Clock, IdSource, UnitOfWork
from kamcore.services._loyalty_redemption import release_held_points

__all__ = [
    "close_opportunity",
    "create_opportunity",
    "open_opportunity_review",
    "record_meeting",
    "update_opportunity",
]


def create_opportunity(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    *,
    client: ClientId,
    kind: OpportunityKind,
    title: str,
    owner: ManagerId,
    value: Money,
    close_date: dt.date,
    stage: Stage = Stage.QUALIFICATION,
    probabilities: StageProbabilities = DEFAULT_STAGE_PROBABILITIES,
    notes: str = "",
    product: ProductId | None = None,
    contract: ContractId | None = None,
) -> Opportunity:
    """Store a new open opportunity at ``stage``, with the stage's probability.

    Raises:
        NotFoundError: the client does not exist.
        ValidationError: naming every offending field.
    """
    with uow:
        uow.clients.get(client)
        stored = uow.opportunities.add(
            Opportunity.create(
                id=ids.new_id(OpportunityId),
                client=client,
                kind=kind,
                title=title,
                owner=owner,
                value=value,
                close_date=close_date,
                at=clock.now(),
                stage=stage,
                probabilities=probabilities,
                notes=notes,
                product=product,
                contract=contract,
            )
        )
        uow.commit()
    return stored


def update_opportunity(
    uow: UnitOfWork,
    clock: Clock,
    *,
    opportunity: OpportunityId,
    by: ManagerId,
    stage: Stage | None = None,
    probability: Percentage | None = None,
    clear_override: bool = False,
    value: Money | None = None,
    close_date: dt.date | None = None,
    notes: str | None = None,
    reason: str = "",
    probabilities: StageProbabilities = DEFAULT_STAGE_PROBABILITIES,
) -> Opportunity:
    """The daily update: stage, probability, value, close date or notes.

    ``None`` leaves a field as it is. The stage moves first (its default
    probability follows), then the override is cleared or set (``probability``
    needs a ``reason``), then the other fields. One change is recorded per
    field that changes.

    Raises:
        NotFoundError: the opportunity does not exist.
        InvalidTransitionError: it is closed.
        CurrencyMismatchError: ``value`` is in another currency.
        ValidationError: ``probability`` and ``clear_override`` together, an
            override without a reason, a bad value.
    """
    if probability is not None and clear_override:
        raise ValidationError.single(
            "update_opportunity",
            "clear_override",
            "cannot both set and clear the probability override",
            clear_override,
        )
    with uow:
        now = clock.now()
        deal = uow.opportunities.get(opportunity)
        updated = deal
        if stage is not None:
            updated = updated.move_to_stage(
                stage, at=now, by=by, probabilities=probabilities, reason=reason
            )
        if clear_override:
            updated = updated.clear_override(at=now, by=by, reason=reason)
        if probability is not None:
            updated = updated.override_probability(
                probability, at=now, by=by, reason=reason
            )
        updated = updated.update(
            at=now,
            by=by,
            value=value,
            close_date=close_date,
            notes=notes,
            reason=reason,
        )
        stored = uow.opportunities.save(updated) if updated != deal else deal
        uow.commit()
    return stored


def close_opportunity(
    uow: UnitOfWork,
    clock: Clock,
    *,
    opportunity: OpportunityId,
    outcome: Outcome,
    by: ManagerId,
    reason: str = "",
) -> Opportunity:
    """Mark an opportunity won or lost; it refuses every change after this.

    A lost deal releases the loyalty points reserved on its proposals, in the
    same unit of work (no invoice will be issued on them; see
    ``docs/loyalty.md``).

    Raises:
        NotFoundError: the opportunity does not exist; lost, the client of one
            of its proposals, or that client's membership, is not stored.
        InvalidTransitionError: it is already closed.
        ValidationError: ``outcome`` is not won or lost.
    """
    with uow:
        deal = uow.opportunities.get(opportunity)
        stored = uow.opportunities.save(
            deal.close(outcome, at=clock.now(), by=by, reason=reason)
        )
        if stored.outcome is Outcome.LOST:
            for proposal in uow.proposals.find(opportunity=stored.id):
                release_held_points(uow, proposal)
        uow.commit()
    return stored


def record_meeting(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    *,
    opportunity: OpportunityId,
    author: ManagerId,
    summary: str,
    value: Money | None = None,
    close_date: dt.date | None = None,
    notes: str | None = None,
    stage: Stage | None = None,
    probabilities: StageProbabilities = DEFAULT_STAGE_PROBABILITIES,
) -> tuple[Opportunity, Activity]:
    """The post-meeting update: the opportunity's changes and a meeting activity,
    stored together or not at all.

    The activity (kind ``meeting``, at the clock's ``now()``) is linked to the
    opportunity and its contract; each opportunity change gives the activity id
    as its reason (``"meeting activity-000007"``). With no field to change, only
    the activity is stored, which a closed opportunity also accepts.

    Returns:
        The opportunity (as stored) and the stored activity.

    Raises:
        NotFoundError: the opportunity does not exist.
        InvalidTransitionError: a change to a closed opportunity.
        CurrencyMismatchError: ``value`` is in another currency.
        ValidationError: a blank summary, a bad value or date.
        DuplicateError: the activity id is taken; nothing is stored.
    """
    with uow:
        now = clock.now()
        deal = uow.opportunities.get(opportunity)
        activity_id = ids.new_id(ActivityId)
        reason = f"meeting {activity_id}"
        updated = deal
        if stage is not None:
            updated = updated.move_to_stage(
                stage, at=now, by=author, probabilities=probabilities, reason=reason
            )
        if (value, close_date, notes) != (None, None, None):
            updated = updated.update(
                at=now,
                by=author,
                value=value,
                close_date=close_date,
                notes=notes,
                reason=reason,
            )
        stored = uow.opportunities.save(updated) if updated != deal else deal
        activity = uow.activities.add(
            Activity(
                id=activity_id,
                client=deal.client,
                kind=ActivityKind.MEETING,
                occurred_at=now,
                summary=summary,
                author=author,
                opportunity=deal.id,
                contract=deal.contract,
            )
        )
        uow.commit()
    return stored, activity


def open_opportunity_review(
    uow: UnitOfWork,
    clock: Clock,
    *,
    owner: ManagerId | None = None,
    kind: OpportunityKind | None = None,
    stale_after_days: int = 14,
    closing_within_days: int | None = 7,
) -> OpportunityReview:
    """The daily review of the open opportunities (of ``owner``, if given).

    See :func:`~kamcore.opportunities.review_opportunities` for what needs
    attention: a close date passed, closing within ``closing_within_days``,
    or no change for ``stale_after_days``.

    Raises:
        ValidationError: a bad threshold.
    """
    with uow:
        deals = uow.opportunities.find(owner=owner, kind=kind, outcome=Outcome.OPEN)
    return review_opportunities(
        deals,
        today=clock.today(),
        now=clock.now(),
        stale_after_days=stale_after_days,
        closing_within_days=closing_within_days,
    )

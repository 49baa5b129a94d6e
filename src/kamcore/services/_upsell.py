"""Upsell detection through the ports (seed workflow 2): suggestions become
UPSELL opportunities, never two open ones for the same client and product.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kamcore.accounts import ClientStatus
from kamcore.errors import ValidationError
from kamcore.kernel import (
    Checks,
    ManagerId,
    OpportunityId,
    is_int,
)
from kamcore.opportunities import (
    DEFAULT_UPSELL_CRITERIA,
    Opportunity,
    OpportunityKind,
    Outcome,
    UpsellCriteria,
    UpsellSuggestion,
    detect_upsell,
)
from kamcore.ports import Clock, IdSource, UnitOfWork
from kamcore.pricing import PricingOptions
from kamcore.services._proposals import catalogue_index

__all__ = ["UpsellRun", "suggest_upsell"]


@attrs.frozen(kw_only=True)
class UpsellRun:
    """What one upsell detection run found and did.

    Attributes:
        suggestions: Every suggestion, by client then product.
        created: The upsell opportunities created, in the same order.
        skipped: The suggestions that already had an open upsell opportunity
            for the same client and product.
    """

    suggestions: tuple[UpsellSuggestion, ...]
    created: tuple[Opportunity, ...]
    skipped: tuple[UpsellSuggestion, ...]

    def rows(self) -> list[dict[str, str | int]]:
        """One plain row per suggestion, with the opportunity created, if any."""
        made = {(o.client, o.product): o.id for o in self.created}
        return [
            {**s.row(), "opportunity": made.get((s.client, s.product), "")}
            for s in self.suggestions
        ]


def suggest_upsell(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    *,
    criteria: UpsellCriteria = DEFAULT_UPSELL_CRITERIA,
    manager: ManagerId | None = None,
    default_owner: ManagerId | None = None,
    close_in_days: int = 90,
    options: PricingOptions | None = None,
) -> UpsellRun:
    """Detect repeat buying as of today and open one upsell opportunity per
    client and product, unless one is already open.

    Runs :func:`~kamcore.opportunities.detect_upsell` on the stored orders of
    the window ending today, priced against the stored catalogue. Closed
    clients are left out. Each new opportunity is an ``upsell`` at
    ``qualification``, owned by the client's account manager (else
    ``default_owner``), valued at what the client spent on the product in the
    window, expected to close ``close_in_days`` after today, with the pricing
    hint and its reason in its notes. Re-running the same day creates nothing
    new.

    Args:
        uow: The unit of work.
        ids: Ids for the new opportunities.
        clock: Today and the creation instant.
        criteria: Counts, window and hint thresholds.
        manager: Only the clients this account manager manages.
        default_owner: Owner when a client has no account manager.
        close_in_days: Expected close date, in days after today (>= 1).
        options: Unit-price rounding for the hint's prices.

    Raises:
        ValidationError: a client without an account manager and no
            ``default_owner``, or a bad ``close_in_days``; nothing is stored.
        PricingConfigurationError: the stored catalogue has conflicts.
    """
    checks = Checks("suggest_upsell")
    checks.require(
        is_int(close_in_days) and close_in_days >= 1,
        "close_in_days",
        "must be an integer >= 1",
        close_in_days,
    )
    checks.raise_if_any()
    with uow:
        today, now = clock.today(), clock.now()
        window = criteria.window_ending(today)
        orders = uow.orders.find(placed_from=window.start, placed_to=window.end)
        clients = {
            c.id: c
            for c in uow.clients.get_many(sorted({o.client for o in orders}))
            if c.status is not ClientStatus.CLOSED
            and (manager is None or c.account_manager == manager)
        }
        suggestions = detect_upsell(
            (o for o in orders if o.client in clients),
            clients=clients.values(),
            index=catalogue_index(uow, options),
            as_of=today,
            criteria=criteria,
        )
        created: list[Opportunity] = []
        skipped: list[UpsellSuggestion] = []
        for suggestion in suggestions:
            if _already_open(uow, suggestion):
                skipped.append(suggestion)
                continue
            owner = clients[suggestion.client].account_manager or default_owner
            if owner is None:
                raise ValidationError.single(
                    "suggest_upsell",
                    "default_owner",
                    f"client {suggestion.client} has no account manager: "
                    "give a default owner",
                    default_owner,
                )
            opportunity = _upsell_opportunity(
                suggestion,
                ids.new_id(OpportunityId),
                owner,
                now,
                today + dt.timedelta(days=close_in_days),
            )
            created.append(uow.opportunities.add(opportunity))
        uow.commit()
    return UpsellRun(
        suggestions=tuple(suggestions), created=tuple(created), skipped=tuple(skipped)
    )


def _already_open(uow: UnitOfWork, suggestion: UpsellSuggestion) -> bool:
    return any(
        deal.product == suggestion.product
        for deal in uow.opportunities.find(
            client=suggestion.client, kind=OpportunityKind.UPSELL, outcome=Outcome.OPEN
        )
    )


def _upsell_opportunity(
    suggestion: UpsellSuggestion,
    opportunity_id: OpportunityId,
    owner: ManagerId,
    now: dt.datetime,
    close_date: dt.date,
) -> Opportunity:
    assert suggestion.window.start is not None  # noqa: S101 - windows are closed
    return Opportunity.create(
        id=opportunity_id,
        client=suggestion.client,
        kind=OpportunityKind.UPSELL,
        title=(
            f"Upsell {suggestion.product}: {suggestion.order_count} orders since "
            f"{suggestion.window.start.isoformat()}"
        ),
        owner=owner,
        value=suggestion.spent,
        close_date=close_date,
        at=now,
        notes=f"{suggestion.hint}: {suggestion.reason}",
        product=suggestion.product,
    )

"""The weighted pipeline and the daily open-opportunity review.

Weighted pipeline = Σ value x probability over open opportunities (SPEC §4), in
one currency. Each opportunity's weighted value is kept exact; the total is the
exact sum, rounded once, to the currency's minor unit with ``ROUND_HALF_UP``,
in :attr:`WeightedPipeline.total`. Rounding nothing before that keeps the
total independent of the order the opportunities come in.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import (
    Checks,
    ClientId,
    ManagerId,
    Money,
    OpportunityId,
    Percentage,
    is_int,
    validate_currency,
)
from kamcore.opportunities._opportunity import Opportunity, OpportunityKind
from kamcore.opportunities._stages import Stage

__all__ = [
    "Attention",
    "OpportunityReview",
    "PipelineRow",
    "ReviewItem",
    "WeightedPipeline",
    "review_opportunities",
    "weighted_pipeline",
]

Row = dict[str, str | int | bool]


@attrs.frozen(kw_only=True)
class PipelineRow:
    """One open opportunity's share of the weighted pipeline.

    Attributes:
        opportunity: The opportunity.
        client: Its client.
        owner: Its account manager.
        title: What the deal is.
        stage: Its stage.
        probability: The probability used (the override's, else the stage's).
        overridden: Whether the probability was set by hand.
        value: Its value.
        weighted: ``value x probability``, exact (not rounded).
        close_date: When it is expected to close.
    """

    opportunity: OpportunityId
    client: ClientId
    owner: ManagerId
    title: str
    stage: Stage
    probability: Percentage
    overridden: bool
    value: Money
    weighted: Money
    close_date: dt.date

    @classmethod
    def of(cls, opportunity: Opportunity) -> PipelineRow:
        """The row of ``opportunity``."""
        return cls(
            opportunity=opportunity.id,
            client=opportunity.client,
            owner=opportunity.owner,
            title=opportunity.title,
            stage=opportunity.stage,
            probability=opportunity.probability,
            overridden=opportunity.override is not None,
            value=opportunity.value,
            weighted=opportunity.probability.of(opportunity.value),
            close_date=opportunity.close_date,
        )

    def row(self) -> Row:
        """The row as plain, JSON-friendly values (amounts as strings, exact)."""
        return {
            "opportunity": self.opportunity,
            "client": self.client,
            "owner": self.owner,
            "title": self.title,
            "stage": self.stage.value,
            "probability": str(self.probability.value),
            "overridden": self.overridden,
            "currency": self.value.currency,
            "value": str(self.value.amount),
            "weighted": str(self.weighted.amount),
            "close_date": self.close_date.isoformat(),
        }


@attrs.frozen(kw_only=True)
class WeightedPipeline:
    """Σ value x probability over open opportunities, with its breakdown.

    Attributes:
        currency: The one currency of every row.
        rows: One row per open opportunity, by close date then id.
    """

    currency: str
    rows: tuple[PipelineRow, ...]

    @property
    def exact_total(self) -> Money:
        """The sum of the rows' exact weighted values."""
        return Money.sum((row.weighted for row in self.rows), self.currency)

    @property
    def total(self) -> Money:
        """The weighted pipeline: :attr:`exact_total` rounded once, to the
        currency's minor unit, ``ROUND_HALF_UP``."""
        return self.exact_total.rounded()

    @property
    def value(self) -> Money:
        """The unweighted sum of the open opportunities' values."""
        return Money.sum((row.value for row in self.rows), self.currency)

    def to_rows(self) -> list[Row]:
        """One plain row per opportunity, for a DataFrame."""
        return [row.row() for row in self.rows]


def weighted_pipeline(
    opportunities: Iterable[Opportunity], *, currency: str | None = None
) -> WeightedPipeline:
    """The weighted pipeline of the open opportunities among ``opportunities``.

    Won and lost opportunities are left out. The currency is ``currency`` when
    given, else the one of the open opportunities.

    Args:
        opportunities: Any opportunities.
        currency: The pipeline's currency; required when there may be no open
            opportunity to take it from.

    Returns:
        The pipeline; rows by close date, then id.

    Raises:
        CurrencyMismatchError: two open opportunities, or one and ``currency``,
            are in different currencies (kamcore does no conversion).
        ValidationError: an unknown currency, the same id twice, or no currency
            and no open opportunity.

    Example:
        >>> weighted_pipeline([], currency="EUR").total
        Money('0.00', 'EUR')
    """
    if currency is not None:
        validate_currency(currency, subject="weighted_pipeline")
    rows: list[PipelineRow] = []
    seen: set[OpportunityId] = set()
    for opportunity in opportunities:
        if opportunity.id in seen:
            raise ValidationError.single(
                "weighted_pipeline",
                "opportunities",
                "an opportunity appears twice",
                opportunity.id,
            )
        seen.add(opportunity.id)
        if not opportunity.is_open:
            continue
        code = opportunity.value.currency
        if currency is None:
            currency = code
        elif code != currency:
            raise CurrencyMismatchError(
                currency, code, f"weigh opportunity {opportunity.id} in a pipeline of"
            )
        rows.append(PipelineRow.of(opportunity))
    if currency is None:
        raise ValidationError.single(
            "weighted_pipeline",
            "currency",
            "needed when there is no open opportunity to take it from",
        )
    rows.sort(key=lambda row: (row.close_date, row.opportunity))
    return WeightedPipeline(currency=currency, rows=tuple(rows))


# -- the daily review -----------------------------------------------------------


class Attention(enum.Enum):
    """Why an open opportunity needs the account manager today."""

    CLOSE_DATE_PASSED = "close_date_passed"
    """Its expected close date is before today: win it, lose it or move it."""
    CLOSING_SOON = "closing_soon"
    """It is expected to close within the review's horizon."""
    NO_RECENT_CHANGE = "no_recent_change"
    """Nothing about it changed for the review's number of days."""

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class ReviewItem:
    """One open opportunity in the daily review.

    Attributes:
        opportunity: The opportunity, as stored.
        days_since_change: Whole days since its last change (or creation).
        days_to_close: Days from today to its close date (negative once passed).
        attention: What needs doing, in :class:`Attention` order; empty when
            nothing does.
    """

    opportunity: Opportunity
    days_since_change: int
    days_to_close: int
    attention: tuple[Attention, ...]

    @property
    def needs_attention(self) -> bool:
        """Whether anything about it needs doing today."""
        return bool(self.attention)

    def row(self) -> Row:
        """The item as plain values (amounts as strings)."""
        deal = self.opportunity
        return {
            "opportunity": deal.id,
            "client": deal.client,
            "owner": deal.owner,
            "kind": deal.kind.value,
            "title": deal.title,
            "stage": deal.stage.value,
            "probability": str(deal.probability.value),
            "currency": deal.value.currency,
            "value": str(deal.value.amount),
            "close_date": deal.close_date.isoformat(),
            "days_to_close": self.days_to_close,
            "days_since_change": self.days_since_change,
            "attention": ",".join(a.value for a in self.attention),
        }


@attrs.frozen(kw_only=True)
class OpportunityReview:
    """The open-opportunity review as of one day.

    Attributes:
        as_of: The day of the review.
        items: Every open opportunity, by close date then id.
    """

    as_of: dt.date
    items: tuple[ReviewItem, ...]

    @property
    def needing_attention(self) -> tuple[ReviewItem, ...]:
        """The items with something to do."""
        return tuple(item for item in self.items if item.needs_attention)

    def rows(self) -> list[Row]:
        """One plain row per item, for a DataFrame."""
        return [item.row() for item in self.items]


def review_opportunities(
    opportunities: Iterable[Opportunity],
    *,
    today: dt.date,
    now: dt.datetime,
    stale_after_days: int = 14,
    closing_within_days: int | None = 7,
    kind: OpportunityKind | None = None,
) -> OpportunityReview:
    """The daily review of the open opportunities among ``opportunities``.

    An opportunity needs attention when its close date is before ``today``
    (:attr:`Attention.CLOSE_DATE_PASSED`), when it closes between today and
    ``closing_within_days`` days later, both included
    (:attr:`Attention.CLOSING_SOON`), or when its last change (or creation) is
    ``stale_after_days`` whole days or more before ``now``
    (:attr:`Attention.NO_RECENT_CHANGE`).

    Args:
        opportunities: Any opportunities; won and lost ones are left out.
        today: The business date of the review (the clock's ``today()``).
        now: The instant of the review (the clock's ``now()``).
        stale_after_days: Days without a change that make a deal stale (>= 1).
        closing_within_days: The horizon for "closing soon" in days (>= 0;
            ``None``: no such check).
        kind: Only opportunities of this kind.

    Raises:
        ValidationError: a bad date, a naive instant or a negative horizon.
    """
    checks = Checks("review_opportunities")
    checks.date("today", today)
    checks.instant("now", now)
    checks.require(
        is_int(stale_after_days) and stale_after_days >= 1,
        "stale_after_days",
        "must be an integer >= 1",
        stale_after_days,
    )
    checks.require(
        closing_within_days is None
        or (is_int(closing_within_days) and closing_within_days >= 0),
        "closing_within_days",
        "must be an integer >= 0",
        closing_within_days,
    )
    checks.raise_if_any()
    items: list[ReviewItem] = []
    for deal in opportunities:
        if not deal.is_open or (kind is not None and deal.kind is not kind):
            continue
        idle = (now - deal.last_changed_at).days
        to_close = (deal.close_date - today).days
        attention = []
        if to_close < 0:
            attention.append(Attention.CLOSE_DATE_PASSED)
        elif closing_within_days is not None and to_close <= closing_within_days:
            attention.append(Attention.CLOSING_SOON)
        if idle >= stale_after_days:
            attention.append(Attention.NO_RECENT_CHANGE)
        items.append(
            ReviewItem(
                opportunity=deal,
                days_since_change=idle,
                days_to_close=to_close,
                attention=tuple(attention),
            )
        )
    items.sort(key=lambda item: (item.opportunity.close_date, item.opportunity.id))
    return OpportunityReview(as_of=today, items=tuple(items))

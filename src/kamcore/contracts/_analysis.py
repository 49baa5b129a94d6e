"""Renewal analysis (workflow 1): what the account's history says about the renewal.

Three facts, each over a stated window, and a recommended price adjustment with
the reason for every part of it:

* **order volume trend**: orders (not cancelled as of the analysis date: one
  cancelled later counts, it was open then) in the 12 months up to the
  analysis date against the 12 months before, as a percentage change rounded
  to 0.01 point, ``ROUND_HALF_UP``; ``None`` with a reason when the earlier
  window has no orders;
* **on-time payment ratio**: of the invoices issued in the last 12 months and
  due on or before the analysis date (those cancelled by then left out), the share
  settled on or before their due date, rounded the same way; ``None`` when no
  invoice was due;
* **open tickets**: tickets open at the instant given (a service passes the
  clock's now).

The recommendation starts from the policy's base uplift and applies each rule
whose condition holds (see :class:`AdjustmentPolicy`); it never goes below zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Invoice, InvoiceStatus, Order, OrderStatus, Ticket
from kamcore.errors import CurrencyMismatchError
from kamcore.kernel import EXACT, ROUNDING, Checks, DateRange, Money, Percentage

__all__ = ["AdjustmentPolicy", "RenewalAnalysis", "analyse_renewal"]

_HUNDREDTH = Decimal("0.01")
_YEAR = relativedelta(years=1)
# Percentages are immutable values, so module constants are safe defaults.
_BASE_UPLIFT = Percentage(3)
_GROWTH = Percentage(10)
_ONE_POINT = Percentage(1)
_DECLINE = Percentage(-20)
_ON_TIME = Percentage(80)


@attrs.frozen(kw_only=True)
class AdjustmentPolicy:
    """How the analysis turns history into a recommended price adjustment.

    Each rule moves the recommendation by a stated number of points; which
    rules fired, and why, is in :attr:`RenewalAnalysis.reasons`.

    Attributes:
        base_uplift: Where every recommendation starts (default 3 %).
        growth_threshold: Volume growth at or above this earns a concession.
        growth_concession: Points taken off for growing accounts (default 1).
        decline_threshold: Volume decline at or beyond this (a negative
            change) holds prices: the recommendation becomes 0 %.
        on_time_threshold: An on-time ratio below this adds a risk premium.
        late_payment_premium: Points added for late payers (default 1).
        open_ticket_limit: This many open tickets or more hold prices: fix
            the service before asking for more money.
    """

    base_uplift: Percentage = _BASE_UPLIFT
    growth_threshold: Percentage = _GROWTH
    growth_concession: Percentage = _ONE_POINT
    decline_threshold: Percentage = _DECLINE
    on_time_threshold: Percentage = _ON_TIME
    late_payment_premium: Percentage = _ONE_POINT
    open_ticket_limit: int = 3

    def __attrs_post_init__(self) -> None:
        checks = Checks("AdjustmentPolicy")
        for name in (
            "base_uplift",
            "growth_threshold",
            "growth_concession",
            "decline_threshold",
            "on_time_threshold",
            "late_payment_premium",
        ):
            checks.instance(name, getattr(self, name), Percentage)
        if checks.instance("open_ticket_limit", self.open_ticket_limit, int):
            checks.require(
                self.open_ticket_limit >= 1,
                "open_ticket_limit",
                "must be at least 1",
                self.open_ticket_limit,
            )
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class RenewalAnalysis:
    """The history behind a renewal, and the adjustment it recommends.

    Attributes:
        as_of: The analysis date.
        window: The last 12 months, ``as_of`` included.
        previous_window: The 12 months before.
        order_volume: Orders in :attr:`window` (sum of order totals).
        previous_volume: Orders in :attr:`previous_window`.
        volume_change: Percentage change, 0.01-point precision; ``None`` when
            the previous volume is zero.
        invoices_due: Invoices of the window due by ``as_of``.
        paid_on_time: Of those, settled on or before their due date.
        on_time_ratio: ``paid_on_time / invoices_due``; ``None`` when none due.
        open_tickets: Tickets open at the end of ``as_of``.
        recommended_adjustment: The price adjustment to propose.
        reasons: Why, one sentence per rule that fired (and per missing fact).
    """

    as_of: dt.date
    window: DateRange
    previous_window: DateRange
    order_volume: Money
    previous_volume: Money
    volume_change: Percentage | None
    invoices_due: int
    paid_on_time: int
    on_time_ratio: Percentage | None
    open_tickets: int
    recommended_adjustment: Percentage
    reasons: tuple[str, ...]


def _ratio_percent(part: Decimal, whole: Decimal) -> Percentage:
    """``part / whole`` in percent, rounded once to 0.01 point, ROUND_HALF_UP."""
    share = ROUNDING.divide(part.scaleb(2, EXACT), whole)
    return Percentage(share.quantize(_HUNDREDTH, ROUND_HALF_UP, ROUNDING))


def _volume(
    orders: Iterable[Order], window: DateRange, currency: str, as_of: dt.date
) -> Money:
    total = Money.zero(currency)
    for order in orders:
        # Cancelled as of the analysis date: an order cancelled later counts.
        if order.status_on(as_of) is OrderStatus.CANCELLED or not window.contains(
            order.order_date
        ):
            continue
        if order.currency != currency:
            raise CurrencyMismatchError(currency, order.currency, "renewal analysis")
        total += order.total
    return total


def analyse_renewal(
    *,
    as_of: dt.date,
    currency: str,
    orders: Iterable[Order],
    invoices: Iterable[Invoice],
    tickets: Iterable[Ticket],
    open_at: dt.datetime,
    policy: AdjustmentPolicy | None = None,
) -> RenewalAnalysis:
    """Analyse one client's history as of ``as_of`` and recommend an adjustment.

    Args:
        as_of: The analysis date.
        currency: The client's currency; every order must be in it.
        orders: The client's orders (any dates; the windows select).
        invoices: The client's invoices (any dates).
        tickets: The client's tickets.
        open_at: The instant at which open tickets are counted (a service
            passes the clock's now).
        policy: The adjustment rules; :class:`AdjustmentPolicy` defaults.

    Raises:
        CurrencyMismatchError: an order in another currency.
    """
    policy = policy or AdjustmentPolicy()
    orders = list(orders)
    window = DateRange(as_of - _YEAR + relativedelta(days=1), as_of)
    previous = DateRange(as_of - 2 * _YEAR + relativedelta(days=1), as_of - _YEAR)
    volume = _volume(orders, window, currency, as_of)
    previous_volume = _volume(orders, previous, currency, as_of)
    change = (
        None
        if previous_volume.is_zero()
        else _ratio_percent((volume - previous_volume).amount, previous_volume.amount)
    )
    due = [
        invoice
        for invoice in invoices
        if invoice.status_on(as_of) is not InvoiceStatus.CANCELLED
        and window.contains(invoice.issue_date)
        and invoice.due_date <= as_of
    ]
    on_time = sum(
        1
        for invoice in due
        if (settled := invoice.settled_on()) is not None and settled <= invoice.due_date
    )
    ratio = _ratio_percent(Decimal(on_time), Decimal(len(due))) if due else None
    open_tickets = sum(1 for ticket in tickets if ticket.is_open_at(open_at))
    adjustment, reasons = _recommend(policy, change, ratio, open_tickets)
    return RenewalAnalysis(
        as_of=as_of,
        window=window,
        previous_window=previous,
        order_volume=volume,
        previous_volume=previous_volume,
        volume_change=change,
        invoices_due=len(due),
        paid_on_time=on_time,
        on_time_ratio=ratio,
        open_tickets=open_tickets,
        recommended_adjustment=adjustment,
        reasons=tuple(reasons),
    )


def _recommend(
    policy: AdjustmentPolicy,
    change: Percentage | None,
    ratio: Percentage | None,
    open_tickets: int,
) -> tuple[Percentage, list[str]]:
    points = policy.base_uplift.value
    reasons = [f"base uplift {policy.base_uplift}"]
    hold = False
    if change is None:
        reasons.append("no orders in the previous 12 months: no volume trend")
    elif change >= policy.growth_threshold:
        points = EXACT.subtract(points, policy.growth_concession.value)
        reasons.append(
            f"order volume grew {change} (>= {policy.growth_threshold}): "
            f"-{policy.growth_concession} to keep a growing account"
        )
    elif change <= policy.decline_threshold:
        hold = True
        reasons.append(
            f"order volume fell {change} (<= {policy.decline_threshold}): "
            "hold prices, the account is at risk"
        )
    if ratio is None:
        reasons.append("no invoice fell due in the last 12 months: no payment record")
    elif ratio < policy.on_time_threshold:
        points = EXACT.add(points, policy.late_payment_premium.value)
        reasons.append(
            f"{ratio} of invoices paid on time (< {policy.on_time_threshold}): "
            f"+{policy.late_payment_premium} for the payment risk"
        )
    if open_tickets >= policy.open_ticket_limit:
        hold = True
        reasons.append(
            f"{open_tickets} open tickets (>= {policy.open_ticket_limit}): "
            "hold prices until the service issues are solved"
        )
    if hold:
        return Percentage(0), reasons
    return Percentage(max(points, Decimal(0))), reasons

"""Upsell detection (seed workflow 2): clients that keep buying a product.

From order history, find each client that ordered a product at least
``min_orders`` times within a window ending on a date, and say whether a
dedicated price list or a volume discount is warranted, from the quantities
bought and the prices the client pays today. See ``docs/opportunities.md``.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client, Order, OrderStatus
from kamcore.errors import NotFoundError, ValidationError
from kamcore.kernel import (
    EXACT,
    Checks,
    ClientId,
    DateRange,
    Money,
    OrderId,
    ProductId,
    is_int,
    validate_term,
)
from kamcore.pricing import (
    PriceListKind,
    PriceNotFoundError,
    PricingIndex,
    ResolvedPrice,
)

__all__ = [
    "DEFAULT_UPSELL_CRITERIA",
    "PricingHint",
    "UpsellCriteria",
    "UpsellSuggestion",
    "detect_upsell",
]

_DAY = dt.timedelta(days=1)


class PricingHint(enum.Enum):
    """What the account manager should check on the client's pricing."""

    DEDICATED_PRICE_LIST = "dedicated_price_list"
    """Steady demand at list prices: negotiate a dedicated price list."""
    VOLUME_DISCOUNT = "volume_discount"
    """Small orders whose total volume would earn a lower price."""
    NONE = "none"
    """Nothing to change (already dedicated, or not enough demand)."""

    def __str__(self) -> str:
        return self.value


def _window(value: relativedelta) -> relativedelta:
    return validate_term(value, subject="UpsellCriteria")


@attrs.frozen(kw_only=True)
class UpsellCriteria:
    """When repeated buying is an upsell, and when a pricing hint applies.

    Attributes:
        min_orders: How many distinct orders with the product in the window make
            a repeat buyer (at least 2; default 3).
        window: How far back from the as-of date orders count (default 6
            months). The window ends on the as-of date and starts on
            ``(as_of + 1 day) - window``: as of 30 June, 6 months run from
            1 January, both days included.
        dedicated_list_min_orders: From how many orders in the window steady
            demand at list prices warrants a dedicated price list (default 6,
            about monthly over 6 months).
        dedicated_list_min_spend: Optional spend thresholds for the dedicated
            list hint, at most one per currency: a client whose spend on the
            product in the window is in a currency listed here must also have
            spent at least that much. Other currencies are judged on orders
            alone.
        quantity_places: Decimal places of the average quantity per order
            (rounded once, ``ROUND_HALF_UP``; default 3).

    Raises:
        ValidationError: naming every offending field.
    """

    min_orders: int = 3
    window: relativedelta = attrs.field(
        factory=lambda: relativedelta(months=6), converter=_window
    )
    dedicated_list_min_orders: int = 6
    dedicated_list_min_spend: tuple[Money, ...] = ()
    quantity_places: int = 3

    def __attrs_post_init__(self) -> None:
        checks = Checks("UpsellCriteria")
        for name, low in (
            ("min_orders", 2),
            ("dedicated_list_min_orders", 1),
            ("quantity_places", 0),
        ):
            value = getattr(self, name)
            checks.require(
                is_int(value) and low <= value <= 1000,
                name,
                f"must be an integer from {low} to 1000",
                value,
            )
        checks.each("dedicated_list_min_spend", self.dedicated_list_min_spend, Money)
        checks.raise_if_any()
        codes = [amount.currency for amount in self.dedicated_list_min_spend]
        for index, code in enumerate(codes):
            checks.require(
                codes.index(code) == index,
                f"dedicated_list_min_spend[{index}]",
                "one threshold per currency",
                code,
            )
        checks.raise_if_any()

    def window_ending(self, as_of: dt.date) -> DateRange:
        """The window of orders that count as of ``as_of``, both ends included.

        Example:
            >>> UpsellCriteria().window_ending(dt.date(2026, 6, 30))
            DateRange(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30))
        """
        checks = Checks("UpsellCriteria.window_ending")
        checks.date("as_of", as_of)
        checks.raise_if_any()
        return DateRange((as_of + _DAY) - self.window, as_of)

    def spend_threshold(self, currency: str) -> Money | None:
        """The dedicated-list spend threshold in ``currency``, if there is one."""
        return next(
            (m for m in self.dedicated_list_min_spend if m.currency == currency), None
        )


DEFAULT_UPSELL_CRITERIA: Final = UpsellCriteria()
"""3 orders in 6 months; a dedicated list from 6 orders; averages to 3 places."""


@attrs.frozen(kw_only=True)
class UpsellSuggestion:
    """A client that keeps buying a product, with the evidence and a hint.

    Attributes:
        client: The client.
        product: The product.
        window: The window the orders were counted in.
        orders: The orders with the product, by date then id.
        order_dates: Their dates, in the same order.
        total_quantity: Units of the product over those orders.
        average_quantity: Units per order, rounded to the criteria's places.
        spent: What the client paid for the product in those orders (the sum
            of the line totals).
        current_unit_price: What the client would pay per unit today for an
            average order; ``None`` when no list prices the product.
        price_source: The list item that price comes from.
        volume_unit_price: The unit price today for the window's whole
            quantity in one order; ``None`` when no list prices the product.
        hint: Dedicated price list, volume discount, or neither.
        reason: Why, with the figures, for the account manager.
    """

    client: ClientId
    product: ProductId
    window: DateRange
    orders: tuple[OrderId, ...]
    order_dates: tuple[dt.date, ...]
    total_quantity: Decimal
    average_quantity: Decimal
    spent: Money
    current_unit_price: Money | None
    price_source: str | None
    volume_unit_price: Money | None
    hint: PricingHint
    reason: str

    @property
    def order_count(self) -> int:
        """How many distinct orders had the product."""
        return len(self.orders)

    def row(self) -> dict[str, str | int]:
        """The suggestion as plain values (amounts as strings)."""

        def amount(money: Money | None) -> str:
            return "" if money is None else str(money.amount)

        assert self.window.start is not None  # noqa: S101 - windows are closed
        assert self.window.end is not None  # noqa: S101
        return {
            "client": self.client,
            "product": self.product,
            "window_start": self.window.start.isoformat(),
            "window_end": self.window.end.isoformat(),
            "order_count": self.order_count,
            "first_order": self.order_dates[0].isoformat(),
            "last_order": self.order_dates[-1].isoformat(),
            "total_quantity": str(self.total_quantity),
            "average_quantity": str(self.average_quantity),
            "currency": self.spent.currency,
            "spent": str(self.spent.amount),
            "current_unit_price": amount(self.current_unit_price),
            "volume_unit_price": amount(self.volume_unit_price),
            "hint": self.hint.value,
            "reason": self.reason,
        }


@attrs.define
class _Bought:
    """What one client bought of one product in the window, order by order."""

    orders: dict[OrderId, tuple[dt.date, Decimal]] = attrs.Factory(dict)
    spent: Money | None = None

    def add(self, order: Order, quantity: Decimal, total: Money) -> None:
        day, before = self.orders.get(order.id, (order.order_date, Decimal(0)))
        self.orders[order.id] = (day, EXACT.add(before, quantity))
        self.spent = total if self.spent is None else self.spent + total


def detect_upsell(
    orders: Iterable[Order],
    *,
    clients: Iterable[Client],
    index: PricingIndex,
    as_of: dt.date,
    criteria: UpsellCriteria = DEFAULT_UPSELL_CRITERIA,
) -> list[UpsellSuggestion]:
    """Clients that ordered a product at least ``criteria.min_orders`` times
    in the window ending ``as_of``, with a pricing hint each.

    Orders cancelled on or before ``as_of`` (``closed_on``) and orders outside
    the window do not count (one cancelled later does: it was open then); several lines
    of one product in one order count as one order. The hint is worked out
    from the client's prices on ``as_of``, in this order:

    1. no list prices the product: no hint;
    2. the price for an average order comes from the client's dedicated list:
       no hint (it already has one);
    3. the window's whole quantity in one order would price lower per unit
       (a quantity break or a volume discount rule the orders stay below):
       a volume discount is warranted;
    4. at least ``dedicated_list_min_orders`` orders (and the spend threshold
       in the spend's currency, if any): a dedicated price list is warranted;
    5. otherwise no hint.

    Args:
        orders: Any orders; the same id twice is an error.
        clients: The clients of those orders (others are ignored).
        index: The price lists, as of now.
        as_of: The last day of the window, and the pricing date of the hint.
        criteria: The counts, window and thresholds.

    Returns:
        One suggestion per client and product, by client then product.

    Raises:
        NotFoundError: a repeat buyer is not among ``clients`` (every missing
            id named).
        CurrencyMismatchError: a client's orders of one product are in two
            currencies.
        PricingConfigurationError: a price is ambiguous.
        ValidationError: a bad date or the same order twice.
    """
    window = criteria.window_ending(as_of)
    bought: dict[tuple[ClientId, ProductId], _Bought] = {}
    seen: set[OrderId] = set()
    for order in orders:
        if order.id in seen:
            raise ValidationError.single(
                "detect_upsell", "orders", "an order appears twice", order.id
            )
        seen.add(order.id)
        if order.status_on(as_of) is OrderStatus.CANCELLED or not window.contains(
            order.order_date
        ):
            continue
        for line in order.lines:
            key = (order.client, line.product)
            bought.setdefault(key, _Bought()).add(order, line.quantity, line.total)
    repeated = sorted(
        k for k, b in bought.items() if len(b.orders) >= criteria.min_orders
    )
    by_id = {client.id: client for client in clients}
    missing = sorted({client for client, _ in repeated if client not in by_id})
    if missing:
        raise NotFoundError("Client", missing)
    return [
        _suggest(
            by_id[client],
            product,
            bought[client, product],
            window=window,
            index=index,
            criteria=criteria,
        )
        for client, product in repeated
    ]


def _suggest(
    client: Client,
    product: ProductId,
    bought: _Bought,
    *,
    window: DateRange,
    index: PricingIndex,
    criteria: UpsellCriteria,
) -> UpsellSuggestion:
    # Both set: the window is closed, and a product is only bought with a line.
    assert window.end is not None  # noqa: S101
    assert bought.spent is not None  # noqa: S101
    ordered = sorted(bought.orders.items(), key=lambda item: (item[1][0], item[0]))
    total = Decimal(0)
    for _, (_, quantity) in ordered:
        total = EXACT.add(total, quantity)
    average = _mean(total, len(ordered), criteria.quantity_places)
    current = _price(index, client, product, average, window.end)
    volume = _price(index, client, product, total, window.end)
    hint, reason = _hint(
        client=client,
        product=product,
        spent=bought.spent,
        count=len(ordered),
        total=total,
        average=average,
        current=current,
        volume=volume,
        criteria=criteria,
    )
    return UpsellSuggestion(
        client=client.id,
        product=product,
        window=window,
        orders=tuple(order for order, _ in ordered),
        order_dates=tuple(day for _, (day, _) in ordered),
        total_quantity=total,
        average_quantity=average,
        spent=bought.spent,
        current_unit_price=None if current is None else current.unit_price,
        price_source=None if current is None else current.source,
        volume_unit_price=None if volume is None else volume.unit_price,
        hint=hint,
        reason=reason,
    )


def _hint(
    *,
    client: Client,
    product: ProductId,
    spent: Money,
    count: int,
    total: Decimal,
    average: Decimal,
    current: ResolvedPrice | None,
    volume: ResolvedPrice | None,
    criteria: UpsellCriteria,
) -> tuple[PricingHint, str]:
    if current is None or volume is None:
        return PricingHint.NONE, f"no price list prices {product} for {client.id}"
    at = f"{current.unit_price} per unit ({current.source})"
    if current.source_kind is PriceListKind.CLIENT:
        return PricingHint.NONE, f"already on the client's dedicated list at {at}"
    if volume.unit_price < current.unit_price:
        discount = "" if volume.discount is None else f", {volume.discount} off"
        return PricingHint.VOLUME_DISCOUNT, (
            f"{count} orders of {average} units on average pay {at}; the "
            f"{total} units of the window in one order would pay "
            f"{volume.unit_price} ({volume.source}{discount}): a volume discount "
            "for the client's cumulative volume is warranted"
        )
    threshold = criteria.spend_threshold(spent.currency)
    enough_orders = count >= criteria.dedicated_list_min_orders
    if enough_orders and (threshold is None or spent >= threshold):
        spend = "" if threshold is None else f" (at least {threshold})"
        return PricingHint.DEDICATED_PRICE_LIST, (
            f"{count} orders (at least {criteria.dedicated_list_min_orders}) for "
            f"{spent}{spend}, all at {at}: steady demand warrants a dedicated "
            "price list"
        )
    short = (
        f"{count} orders, below {criteria.dedicated_list_min_orders}"
        if not enough_orders
        else f"{spent} spent, below {threshold}"
    )
    return PricingHint.NONE, (
        f"no quantity break or volume discount lowers {at} for the window's "
        f"{total} units, and {short} for a dedicated price list"
    )


def _price(
    index: PricingIndex,
    client: Client,
    product: ProductId,
    quantity: Decimal,
    on: dt.date,
) -> ResolvedPrice | None:
    try:
        return index.resolve(client, product, quantity, on)
    except PriceNotFoundError:
        return None


def _mean(total: Decimal, count: int, places: int) -> Decimal:
    """``total / count`` rounded once to ``places``, ``ROUND_HALF_UP`` (both
    positive), computed exactly with fractions first."""
    scaled = Fraction(total) / count * 10**places
    whole = math.floor(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-places, EXACT)

"""Orders placed by a client."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from kamcore.accounts._lines import LineItem, check_lines, lines_total
from kamcore.errors import InvalidTransitionError
from kamcore.kernel import Checks, ClientId, Money, OrderId, validate_currency

__all__ = ["Order", "OrderStatus"]


class OrderStatus(enum.Enum):
    """Lifecycle of an order: open -> fulfilled, or open -> cancelled."""

    OPEN = "open"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


_ORDER_TRANSITIONS = {
    OrderStatus.OPEN: frozenset({OrderStatus.FULFILLED, OrderStatus.CANCELLED}),
    OrderStatus.FULFILLED: frozenset[OrderStatus](),
    OrderStatus.CANCELLED: frozenset[OrderStatus](),
}


@attrs.frozen(kw_only=True)
class Order:
    """A client's order.

    Attributes:
        id: The order's id.
        client: The ordering client.
        order_date: The business date of the order (prices resolve at this date).
        currency: Document currency; every line is priced in it.
        lines: The ordered lines (at least one).
        status: Lifecycle state.
        version: Optimistic-locking version.
    """

    id: OrderId
    client: ClientId
    order_date: dt.date
    currency: str
    lines: tuple[LineItem, ...]
    status: OrderStatus = OrderStatus.OPEN
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Order")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.date("order_date", self.order_date)
        checks.capture(lambda: validate_currency(self.currency, subject="Order"))
        check_lines(checks, self.lines, self.currency)
        checks.instance("status", self.status, OrderStatus)
        checks.version(self.version)
        checks.raise_if_any()

    @property
    def total(self) -> Money:
        """Sum of the rounded line totals."""
        return lines_total(self.lines, self.currency)

    def transition(self, status: OrderStatus) -> Order:
        """Return the order in ``status``.

        Raises:
            InvalidTransitionError: if the lifecycle does not allow it.
        """
        if status not in _ORDER_TRANSITIONS[self.status]:
            raise InvalidTransitionError(
                "Order", self.id, self.status.value, status.value
            )
        return attrs.evolve(self, status=status)

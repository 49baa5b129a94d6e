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
        closed_on: The business date it was fulfilled or cancelled: set
            exactly when ``status`` is not open, never before ``order_date``.
            Before that day the order was open (see :meth:`status_on`).
        version: Optimistic-locking version.

    .. versionchanged:: Unreleased
       ``closed_on``: closing an order is dated.
    """

    id: OrderId
    client: ClientId
    order_date: dt.date
    currency: str
    lines: tuple[LineItem, ...]
    status: OrderStatus = OrderStatus.OPEN
    closed_on: dt.date | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Order")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.date("order_date", self.order_date)
        checks.capture(lambda: validate_currency(self.currency, subject="Order"))
        check_lines(checks, self.lines, self.currency)
        checks.instance("status", self.status, OrderStatus)
        checks.optional_date("closed_on", self.closed_on)
        checks.version(self.version)
        checks.raise_if_any()
        day = self.closed_on
        if self.status is OrderStatus.OPEN:
            checks.require(
                day is None, "closed_on", "must be empty on an open order", day
            )
        elif day is None:
            checks.fail("closed_on", f"is required on a {self.status.value} order", day)
        elif day < self.order_date:
            checks.fail("closed_on", f"is before the order date {self.order_date}", day)
        checks.raise_if_any()

    @property
    def total(self) -> Money:
        """Sum of the rounded line totals."""
        return lines_total(self.lines, self.currency)

    def status_on(self, day: dt.date) -> OrderStatus:
        """The order's status as it was on ``day``.

        Open until :attr:`closed_on`, fulfilled or cancelled from that day
        on. (An order asked about before its ``order_date`` answers open: it
        had not been closed then either.)

        .. versionadded:: Unreleased
        """
        if self.closed_on is not None and day >= self.closed_on:
            return self.status
        return OrderStatus.OPEN

    def transition(self, status: OrderStatus, *, on: dt.date) -> Order:
        """Return the order in ``status``, closed ``on`` a date.

        Args:
            status: Fulfilled or cancelled (the only moves from open).
            on: The business date it was fulfilled or cancelled
                (:attr:`closed_on`), not before the order date.

        Raises:
            InvalidTransitionError: if the lifecycle does not allow it.
            ValidationError: if ``on`` is not a date or is before the order date.

        .. versionchanged:: Unreleased
           ``on`` is required.
        """
        if status not in _ORDER_TRANSITIONS[self.status]:
            raise InvalidTransitionError(
                "Order", self.id, self.status.value, status.value
            )
        return attrs.evolve(self, status=status, closed_on=on)

"""Document lines shared by orders and invoices."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from kamcore.kernel import Checks, Money, ProductId

__all__ = ["LineItem", "check_lines", "lines_total"]


@attrs.frozen(kw_only=True)
class LineItem:
    """One line of an order or invoice: a quantity of a product at a unit price.

    The unit price may carry more decimals than the currency (e.g. 4); the line
    total is rounded once, to the currency's minor unit, ``ROUND_HALF_UP``.

    Attributes:
        product: The product sold.
        quantity: How many units (a positive Decimal; fractional units allowed).
        unit_price: Price of one unit.
        description: Free text printed on the document.

    Example:
        >>> LineItem(product=ProductId("p1"), quantity=Decimal("3"),
        ...          unit_price=Money("13.7350", "EUR")).total
        Money('41.21', 'EUR')
    """

    product: ProductId
    quantity: Decimal
    unit_price: Money
    description: str = ""

    def __attrs_post_init__(self) -> None:
        checks = Checks("LineItem")
        checks.text("product", self.product)
        checks.decimal("quantity", self.quantity, strictly_positive=True)
        if checks.instance("unit_price", self.unit_price, Money):
            checks.require(
                not self.unit_price.is_negative(),
                "unit_price",
                "must not be negative",
                self.unit_price,
            )
        checks.instance("description", self.description, str)
        checks.raise_if_any()

    @property
    def total(self) -> Money:
        """``unit_price * quantity`` rounded to the currency's minor unit."""
        return (self.unit_price * self.quantity).rounded()


def check_lines(checks: Checks, lines: object, currency: str) -> None:
    """Lines are a non-empty tuple of LineItems, all priced in ``currency``."""
    checks.each("lines", lines, LineItem)
    if not isinstance(lines, tuple):
        return
    checks.require(len(lines) > 0, "lines", "needs at least one line", lines)
    for index, line in enumerate(lines):
        if isinstance(line, LineItem) and line.unit_price.currency != currency:
            checks.fail(
                f"lines[{index}].unit_price.currency",
                f"must be the document currency {currency}",
                line.unit_price.currency,
            )


def lines_total(lines: Iterable[LineItem], currency: str) -> Money:
    """Sum of the rounded line totals: the document total reconciles exactly."""
    return Money.sum((line.total for line in lines), currency)

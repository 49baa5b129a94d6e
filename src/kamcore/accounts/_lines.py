"""Document lines shared by orders and invoices."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from kamcore.accounts._line_pricing import (
    AdHocDiscount,
    PriceExplanation,
    PricingStep,
)
from kamcore.kernel import (
    EXACT,
    MAX_MAGNITUDE_DIGITS,
    Checks,
    Money,
    ProductId,
    trusted_money,
)

__all__ = ["LineItem", "check_lines", "lines_total", "trusted_line"]


@attrs.frozen(kw_only=True)
class LineItem:
    """One line of an order or invoice: a quantity of a product at a unit price.

    The unit price may carry more decimals than the currency (e.g. 4); the line's
    gross total is rounded once, to the currency's minor unit, ``ROUND_HALF_UP``.
    An ad-hoc discount is kept beside the price, never folded into it: the line
    total is the gross total less the discount's (rounded) value.

    Attributes:
        product: The product sold.
        quantity: How many units (a positive Decimal; fractional units allowed).
        unit_price: Price of one unit.
        description: Free text printed on the document.
        ad_hoc: An ad-hoc discount granted on this line, with reason and grantor.
        explanation: How the unit price was resolved, frozen when it was priced.

    Example:
        >>> LineItem(product=ProductId("p1"), quantity=Decimal("3"),
        ...          unit_price=Money("13.7350", "EUR")).total
        Money('41.21', 'EUR')
    """

    product: ProductId
    quantity: Decimal
    unit_price: Money
    description: str = ""
    ad_hoc: AdHocDiscount | None = None
    explanation: PriceExplanation | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("LineItem")
        checks.text("product", self.product)
        checks.decimal("quantity", self.quantity, strictly_positive=True)
        if checks.unit_price("unit_price", self.unit_price):
            checks.require(
                not self.unit_price.is_negative(),
                "unit_price",
                "must not be negative",
                self.unit_price,
            )
        checks.instance("description", self.description, str)
        if self.explanation is not None:
            checks.instance("explanation", self.explanation, PriceExplanation)
        if self.ad_hoc is not None and checks.instance(
            "ad_hoc", self.ad_hoc, AdHocDiscount
        ):
            checks.raise_if_any()
            amount = self.ad_hoc.amount
            if amount is not None and amount.currency != self.unit_price.currency:
                checks.fail(
                    "ad_hoc.amount.currency",
                    f"must be the line currency {self.unit_price.currency}",
                    amount.currency,
                )
            elif self.ad_hoc.value_on(self.gross_total) > self.gross_total:
                checks.fail(
                    "ad_hoc.amount",
                    f"is more than the line total {self.gross_total}",
                    amount,
                )
        checks.raise_if_any()

    @property
    def gross_total(self) -> Money:
        """``unit_price * quantity`` rounded to the currency's minor unit."""
        price = self.unit_price
        try:
            exact = EXACT.multiply(price.amount, self.quantity)
        except ArithmeticError:  # more digits than exact arithmetic keeps
            exact = None
        if exact is None or (exact and exact.adjusted() >= MAX_MAGNITUDE_DIGITS):
            # Out of Money's bounds: the checked way names the problem.
            return (price * self.quantity).rounded()
        # Rounded at once: the exact product may have more places than a
        # Money keeps, never its size (checked just above).
        return trusted_money(exact, price.currency).rounded()

    @property
    def ad_hoc_value(self) -> Money:
        """The ad-hoc discount's value on this line (zero without one)."""
        if self.ad_hoc is None:
            return Money.zero(self.unit_price.currency)
        return self.ad_hoc.value_on(self.gross_total)

    @property
    def total(self) -> Money:
        """What the line charges: the gross total less any ad-hoc discount."""
        if self.ad_hoc is None:
            return self.gross_total
        return self.gross_total - self.ad_hoc_value

    def total_steps(self) -> tuple[PricingStep, ...]:
        """The steps from the unit price to the line total, each with its
        rounding: the gross total, the ad-hoc discount (if any), the total.

        Document pricing appends them to the line's explanation, after the
        unit price's own steps.

        Example:
            >>> line = LineItem(product=ProductId("p1"), quantity=Decimal("3"),
            ...                 unit_price=Money("13.7350", "EUR"))
            >>> for step in line.total_steps():
            ...     print(step)
            gross total 3 x 13.7350 EUR: 41.21 EUR (rounded: 2 places, ROUND_HALF_UP)
            line total: 41.21 EUR
        """
        gross = self.gross_total
        rounding = f"{gross.precision} places, ROUND_HALF_UP"
        steps = [
            PricingStep(
                label=f"gross total {self.quantity} x {self.unit_price}",
                amount=gross,
                rounding=rounding,
            )
        ]
        ad_hoc = self.ad_hoc
        if ad_hoc is None:
            steps.append(PricingStep(label="line total", amount=self.total))
            return tuple(steps)
        value = self.ad_hoc_value
        why = f"({ad_hoc.reason}, granted by {ad_hoc.granted_by})"
        if ad_hoc.percentage is not None:
            steps.append(
                PricingStep(
                    label=f"ad-hoc discount {ad_hoc.percentage} of {gross} {why}",
                    amount=value,
                    rounding=rounding,
                )
            )
        else:
            steps.append(
                PricingStep(
                    label=f"ad-hoc discount of {ad_hoc.amount} {why}", amount=value
                )
            )
        steps.append(
            PricingStep(label=f"line total {gross} - {value}", amount=self.total)
        )
        return tuple(steps)


_new = object.__new__
_set = object.__setattr__


def trusted_line(
    product: ProductId,
    quantity: Decimal,
    unit_price: Money,
    description: str = "",
) -> LineItem:
    """A line without ad-hoc discount or explanation, built from values already
    known to be valid, skipping :class:`LineItem`'s checks.

    For hot paths, as :func:`~kamcore.kernel.trusted_money` is: document
    pricing, where the product, quantity and description come from a checked
    :class:`~kamcore.pricing.LineRequest` and the unit price from the pricing
    index (non-negative, rounded to at most ``MAX_UNIT_PLACES`` places). A
    line with an ad-hoc discount is always built the checked way: its value
    must be checked against the line. Never call it with outside input.
    """
    line: LineItem = _new(LineItem)
    _set(line, "product", product)
    _set(line, "quantity", quantity)
    _set(line, "unit_price", unit_price)
    _set(line, "description", description)
    _set(line, "ad_hoc", None)
    _set(line, "explanation", None)
    return line


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

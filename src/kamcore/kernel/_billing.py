"""Billed amounts and unit prices: how many decimal places each may carry.

SPEC §1: a billed amount (a payment, a credit note, an explicit line amount, a
metric record) is a whole number of its currency's minor units; one handed in
with digits below the minor unit is refused, never rounded or kept. Unit
prices may carry more decimals, up to :data:`MAX_UNIT_PLACES`. Trailing
zeros are not digits: ``12.3400`` is a whole number of cents.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from kamcore.kernel._contexts import ROUNDING
from kamcore.kernel._currency import currency_precision
from kamcore.kernel._money import Money

__all__ = ["MAX_UNIT_PLACES", "billed_problem", "unit_price_problem"]

MAX_UNIT_PLACES = 10
"""The most decimal places a unit price (or a unit cost) keeps: the most
:class:`~kamcore.pricing.PricingOptions` may round unit prices to."""


def _within(amount: Decimal, places: int) -> bool:
    """Whether ``amount`` (finite, below ``10**30``) has no non-zero digit
    below ``places`` decimal places."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -places:
        return True
    quantum = Decimal(1).scaleb(-places)
    return amount.quantize(quantum, rounding=ROUND_DOWN, context=ROUNDING) == amount


def billed_problem(amount: Decimal, currency: str) -> str | None:
    """Why ``amount`` cannot be billed in ``currency``, or ``None`` if it can.

    Args:
        amount: A finite ``Decimal`` below ``10**30`` in absolute value.
        currency: An ISO 4217 code Babel knows.

    Returns:
        ``None`` for a whole number of minor units (``12.30`` or ``12.3000``
        EUR); otherwise what is wrong and how to convert the amount exactly.

    Example:
        >>> billed_problem(Decimal("12.30"), "EUR") is None
        True
    """
    places = currency_precision(currency)
    if _within(amount, places):
        return None
    example = Decimal(10).scaleb(-places)
    return (
        f"{amount} {currency} has digits below the minor unit of {currency} "
        f"({places} decimal places); kamcore never rounds a billed amount "
        "silently: round it explicitly with Money(...).rounded(), or build the "
        f"Decimal from a string such as '{example}', not from a float"
    )


def unit_price_problem(price: Money) -> str | None:
    """Why ``price`` cannot be a unit price, or ``None`` if it can: it may
    carry at most :data:`MAX_UNIT_PLACES` decimal places."""
    if _within(price.amount, MAX_UNIT_PLACES):
        return None
    return (
        f"{price} has digits beyond {MAX_UNIT_PLACES} decimal places, the most a "
        "unit price keeps; round it explicitly with Money(...).rounded(places=4), "
        "or build the Decimal from a string such as '13.7350', not from a float"
    )

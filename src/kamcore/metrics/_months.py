"""Month keys, metric windows and the exact divisions the metrics round once.

Metric state bins amounts by calendar month. A month is a plain ``int``,
``year * 12 + month - 1``: cheap to compute, to hash and to compare, and
consecutive months are consecutive integers, so a window is a ``range``.

Windows are whole calendar months and end with the last *complete* month
before the as-of date: as of 2026-11-16 the trailing 12 months are
November 2025 to October 2026. Day D itself is not over on D (the renewal
scheduler reads dates the same way), so even as of November 30 the month of
November is still running and not counted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kamcore.errors import ValidationError
from kamcore.kernel import EXACT, ROUNDING

__all__ = [
    "canonical",
    "month_key",
    "month_label",
    "month_start",
    "percent_change",
    "quotient",
    "trailing_months",
]

_HUNDRED = 100


def month_key(day: dt.date) -> int:
    """The month of ``day`` as an int: ``year * 12 + month - 1``.

    Example:
        >>> month_key(dt.date(2026, 3, 15)) - month_key(dt.date(2025, 12, 1))
        3
    """
    return day.year * 12 + day.month - 1


def month_start(key: int) -> dt.date:
    """The first day of month ``key``.

    Example:
        >>> month_start(month_key(dt.date(2026, 3, 15)))
        datetime.date(2026, 3, 1)
    """
    year, month = divmod(key, 12)
    return dt.date(year, month + 1, 1)


def month_label(key: int) -> str:
    """``"2026-03"`` for month ``key`` (ISO year and month)."""
    year, month = divmod(key, 12)
    return f"{year:04d}-{month + 1:02d}"


def trailing_months(as_of: dt.date, months: int = 12, *, skip: int = 0) -> range:
    """The ``months`` complete months before the month of ``as_of``.

    ``skip`` moves the window that many months further back: the 12 months
    before the trailing 12 are ``trailing_months(as_of, 12, skip=12)``.

    Example:
        >>> [month_label(m) for m in trailing_months(dt.date(2026, 3, 9), 2)]
        ['2026-01', '2026-02']
    """
    last = month_key(as_of) - 1 - skip
    return range(last - months + 1, last + 1)


def _ratio(value: Decimal) -> tuple[int, int]:
    numerator, denominator = value.as_integer_ratio()
    return numerator, denominator


def quotient(
    numerator: Decimal | int, denominator: Decimal | int, places: int
) -> Decimal:
    """``numerator / denominator`` rounded once, ``ROUND_HALF_UP``, to ``places``.

    Computed on exact integers, so the result is the exactly rounded quotient
    (no intermediate rounding at some working precision first). Half-way
    cases round away from zero, like :data:`decimal.ROUND_HALF_UP`.

    Raises:
        ValidationError: when ``denominator`` is zero.

    Example:
        >>> quotient(Decimal(10), 3, 2), quotient(Decimal("-0.125"), 1, 2)
        (Decimal('3.33'), Decimal('-0.13'))
    """
    top_n, top_d = _ratio(Decimal(numerator))
    bottom_n, bottom_d = _ratio(Decimal(denominator))
    if bottom_n == 0:
        raise ValidationError.single(
            "quotient", "denominator", "cannot divide by zero", denominator
        )
    scaled_top = top_n * bottom_d * 10**places
    scaled_bottom = top_d * bottom_n
    negative = (scaled_top < 0) != (scaled_bottom < 0)
    whole, rest = divmod(abs(scaled_top), abs(scaled_bottom))
    if 2 * rest >= abs(scaled_bottom):
        whole += 1
    return Decimal(-whole if negative else whole).scaleb(-places, EXACT)


def percent_change(current: Decimal, base: Decimal, places: int = 2) -> Decimal:
    """``(current - base) / base`` in percent points, rounded once to ``places``.

    Example:
        >>> percent_change(Decimal("30.00"), Decimal("50.00"))
        Decimal('-40.00')
    """
    return quotient(
        EXACT.multiply(EXACT.subtract(current, base), _HUNDRED), base, places
    )


def canonical(amount: Decimal, places: int) -> Decimal:
    """``amount`` written with ``places`` decimals when that is exact, else with
    no trailing zeros.

    Sums of the same figures can carry different exponents depending on the
    order they were added and replaced in (``1.000 + 2.00`` is ``3.000``); this
    gives every equal amount one spelling, so rows and reports do not depend on
    how the state was built.

    Example:
        >>> canonical(Decimal("3.000"), 2), canonical(Decimal("2.1250"), 2)
        (Decimal('3.00'), Decimal('2.125'))
    """
    quantum = Decimal(1).scaleb(-places)
    fixed = amount.quantize(quantum, context=ROUNDING)
    if fixed == amount:
        return fixed
    return amount.normalize(ROUNDING)

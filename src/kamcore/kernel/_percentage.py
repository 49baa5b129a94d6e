"""Percentages and rates as exact ``Decimal`` value types."""

from __future__ import annotations

import decimal
import functools
from decimal import Decimal

import attrs
from babel import numbers as babel_numbers

from kamcore.errors import ValidationError
from kamcore.kernel._contexts import EXACT, ROUNDING, exactly
from kamcore.kernel._locale import validate_locale
from kamcore.kernel._money import Money
from kamcore.kernel._numbers import bounded_decimal, to_decimal

__all__ = ["Percentage", "Rate"]


def _percent(value: Decimal | int | str) -> Decimal:
    return bounded_decimal(value, subject="Percentage", path="value")


def _rate(value: Decimal | int | str) -> Decimal:
    return bounded_decimal(value, subject="Rate", path="value")


def _not_comparable(subject: str, other: object) -> ValidationError:
    return ValidationError.single(
        subject,
        "other",
        f"cannot compare {subject} with {type(other).__name__}",
        other,
    )


@functools.total_ordering
@attrs.frozen(order=False, repr=False)
class Percentage:
    """A percentage in percent points: ``Percentage("8")`` is 8 %.

    Any value below ``10**30`` in absolute value with at most 30 decimal places
    is allowed (uplifts above 100 %, negative index changes); the rules that
    use a percentage bound it (a discount refuses 120 %).

    Example:
        >>> Percentage("8").of(Money("41.20", "EUR"))
        Money('3.2960', 'EUR')
        >>> Percentage("8").fraction
        Decimal('0.08')
    """

    value: Decimal = attrs.field(converter=_percent)

    @classmethod
    def from_fraction(cls, fraction: Decimal | int | str) -> Percentage:
        """Build from a fraction: ``from_fraction("0.08")`` is 8 %."""
        exact = bounded_decimal(fraction, subject="Percentage", path="fraction")
        return cls(exact.scaleb(2, EXACT))

    @property
    def fraction(self) -> Decimal:
        """The percentage as a fraction of one (8 % is ``0.08``), exact."""
        return self.value.scaleb(-2, EXACT)

    def of(self, amount: Money) -> Money:
        """This percentage of ``amount``, exact (not rounded)."""
        if not isinstance(amount, Money):
            raise ValidationError.single(
                "Percentage",
                "amount",
                f"expected Money, got {type(amount).__name__}",
                amount,
            )
        return amount * self.fraction

    def format(self, locale: str) -> str:
        """Format for a reader in ``locale`` with Babel (``'8,5 %'`` in fr_FR),
        every digit shown.

        Raises:
            ValidationError: for a locale Babel does not know.
        """
        validate_locale(locale, subject="Percentage.format", path="locale")
        with decimal.localcontext(ROUNDING):
            return babel_numbers.format_percent(
                self.fraction, locale=locale, decimal_quantization=False
            )

    def __lt__(self, other: Percentage) -> bool:
        if not isinstance(other, Percentage):
            raise _not_comparable("Percentage", other)
        return self.value < other.value

    def __str__(self) -> str:
        return f"{self.value}%"

    def __repr__(self) -> str:
        return f"Percentage('{self.value}')"


@functools.total_ordering
@attrs.frozen(order=False, repr=False)
class Rate:
    """A dimensionless exact factor: a multiplier (``1.5``), points per unit (``0.1``).

    Below ``10**30`` in absolute value, with at most 30 decimal places.

    Example:
        >>> Rate("1.5").apply(Decimal("10"))
        Decimal('15.0')
    """

    value: Decimal = attrs.field(converter=_rate)

    def apply(self, quantity: Decimal) -> Decimal:
        """Multiply ``quantity`` by this rate, exactly.

        Raises:
            ValidationError: ``quantity`` is not an exact finite number, or the
                product needs rounding or is out of range.
        """
        exact = to_decimal(quantity, subject="Rate.apply", path="quantity")
        return exactly(
            EXACT.multiply, exact, self.value, subject="Rate.apply", path="quantity"
        )

    def __lt__(self, other: Rate) -> bool:
        if not isinstance(other, Rate):
            raise _not_comparable("Rate", other)
        return self.value < other.value

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"Rate('{self.value}')"

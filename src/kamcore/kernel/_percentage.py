"""Percentages and rates as exact ``Decimal`` value types."""

from __future__ import annotations

from decimal import Decimal

import attrs
from babel import numbers as babel_numbers

from kamcore.kernel._checks import to_decimal
from kamcore.kernel._money import EXACT, Money, exactly

__all__ = ["Percentage", "Rate"]


def _percent(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, subject="Percentage", path="value")


def _rate(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, subject="Rate", path="value")


@attrs.frozen(order=True, repr=False)
class Percentage:
    """A percentage in percent points: ``Percentage("8")`` is 8 %.

    Any finite value is allowed (uplifts above 100 %, negative index changes);
    the rules that use a percentage bound it (a discount refuses 120 %).

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
        return cls(
            to_decimal(fraction, subject="Percentage", path="fraction").scaleb(2, EXACT)
        )

    @property
    def fraction(self) -> Decimal:
        """The percentage as a fraction of one (8 % is ``0.08``), exact."""
        return self.value.scaleb(-2, EXACT)

    def of(self, amount: Money) -> Money:
        """This percentage of ``amount``, exact (not rounded)."""
        return amount * self.fraction

    def format(self, locale: str) -> str:
        """Format for a reader in ``locale`` with Babel (``'8,5 %'`` in fr_FR)."""
        return babel_numbers.format_percent(
            self.fraction, locale=locale, decimal_quantization=False
        )

    def __str__(self) -> str:
        return f"{self.value}%"

    def __repr__(self) -> str:
        return f"Percentage('{self.value}')"


@attrs.frozen(order=True, repr=False)
class Rate:
    """A dimensionless exact factor: a multiplier (``1.5``), points per unit (``0.1``).

    Example:
        >>> Rate("1.5").apply(Decimal("10"))
        Decimal('15.0')
    """

    value: Decimal = attrs.field(converter=_rate)

    def apply(self, quantity: Decimal) -> Decimal:
        """Multiply ``quantity`` by this rate, exactly."""
        return exactly(EXACT.multiply, quantity, self.value)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"Rate('{self.value}')"

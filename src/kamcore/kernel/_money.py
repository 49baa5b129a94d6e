"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Rules (SPEC §1):

* amounts are ``Decimal``; floats are refused, never converted;
* the currency code must be one Babel knows (``EUR``, ``JPY``, ``KWD``...);
* arithmetic across currencies raises :class:`~kamcore.errors.CurrencyMismatchError`;
* arithmetic is exact: it never rounds. Rounding is an explicit call,
  :meth:`Money.rounded`, to the currency's minor unit (EUR 2, JPY 0, KWD 3)
  with ``ROUND_HALF_UP`` unless told otherwise.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs
from babel import numbers as babel_numbers

from kamcore.errors import CurrencyMismatchError, FieldError, ValidationError
from kamcore.kernel._checks import is_int, to_decimal

__all__ = [
    "EXACT",
    "ROUNDING",
    "Money",
    "currency_precision",
    "exactly",
    "trusted_money",
    "validate_currency",
]

# Arithmetic runs in a context wide enough for any realistic amount and traps
# Inexact: if a result ever needed rounding to fit, we raise instead of rounding
# silently inside arithmetic.
EXACT = decimal.Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)
"""The context kamcore computes in: never the caller's ambient decimal context,
whose precision a host may have lowered; inexact results raise."""

ROUNDING = decimal.Context(
    prec=80,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.Overflow],
)
"""The context for an explicit, documented rounding (quantize): wide enough that
only the requested quantum rounds."""

ROUNDING_MODES = frozenset(
    {
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
        decimal.ROUND_05UP,
    }
)


@functools.lru_cache(maxsize=512)
def _known_currency(code: str) -> bool:
    return babel_numbers.is_currency(code)


def validate_currency(
    code: object, *, subject: str = "Money", path: str = "currency"
) -> str:
    """Return ``code`` if it is an ISO 4217 code Babel knows, else raise.

    Raises:
        ValidationError: naming the field and the value; a lower-case code gets a
            "did you mean" hint rather than a silent upper-casing.
    """
    if not isinstance(code, str):
        raise ValidationError.single(
            subject, path, f"expected a currency code, got {type(code).__name__}", code
        )
    if not _known_currency(code):
        hint = ""
        if _known_currency(code.strip().upper()):
            hint = f" (did you mean {code.strip().upper()!r}?)"
        raise ValidationError.single(
            subject, path, f"unknown ISO 4217 currency code {code!r}{hint}", code
        )
    return code


@functools.lru_cache(maxsize=512)
def currency_precision(code: str) -> int:
    """Decimal places of ``code``'s minor unit, as Babel gives it (EUR 2, JPY 0)."""
    return babel_numbers.get_currency_precision(validate_currency(code))


MAX_MAGNITUDE_DIGITS = 30
"""Amounts must stay below 10**30 in absolute value.

No business sum comes near it, and the bound keeps every computation inside
the exact 60-digit context, so nothing can fail deep inside arithmetic.
"""


def _amount(value: Decimal | int | str) -> Decimal:
    amount = to_decimal(value, subject="Money", path="amount")
    if amount != 0 and amount.adjusted() >= MAX_MAGNITUDE_DIGITS:
        raise ValidationError.single(
            "Money",
            "amount",
            f"must be below 10**{MAX_MAGNITUDE_DIGITS} in absolute value",
            amount,
        )
    return amount


def _check_rounding(rounding: str) -> None:
    if rounding not in ROUNDING_MODES:
        raise ValidationError.single(
            "Money", "rounding", f"unknown rounding mode {rounding!r}", rounding
        )


@functools.total_ordering
@attrs.frozen(order=False, repr=False)
class Money:
    """An exact amount of one currency.

    Args:
        amount: A ``Decimal``, an ``int`` or a decimal string; floats are refused.
        currency: An ISO 4217 code Babel knows.

    Raises:
        ValidationError: for a float, a non-finite amount or an unknown currency.

    Example:
        >>> Money("19.99", "EUR") * 3
        Money('59.97', 'EUR')
        >>> Money("10.00", "EUR") * Decimal("0.335")
        Money('3.35000', 'EUR')
        >>> (Money("10.00", "EUR") * Decimal("0.335")).rounded()
        Money('3.35', 'EUR')
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``."""
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor_units(cls, units: object, currency: str) -> Money:
        """Build from an integer count of minor units (cents for EUR)."""
        if not is_int(units):
            raise ValidationError.single(
                "Money", "units", "expected an integer count of minor units", units
            )
        scaled = Decimal(units).scaleb(-currency_precision(currency), EXACT)
        return cls(scaled, currency)

    @classmethod
    def sum(cls, amounts: Iterable[Money], currency: str) -> Money:
        """Add ``amounts`` exactly; an empty iterable gives zero in ``currency``."""
        total = cls.zero(currency)
        for amount in amounts:
            total = total + amount
        return total

    # -- inspection ---------------------------------------------------------
    @property
    def precision(self) -> int:
        """Decimal places of this currency's minor unit."""
        return currency_precision(self.currency)

    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return self.amount == 0

    def is_negative(self) -> bool:
        """Whether the amount is below zero."""
        return self.amount < 0

    def is_positive(self) -> bool:
        """Whether the amount is above zero."""
        return self.amount > 0

    def is_rounded(self) -> bool:
        """Whether the amount has no digits below the currency's minor unit."""
        return self.rounded(rounding=decimal.ROUND_DOWN).amount == self.amount

    def to_minor_units(self) -> int:
        """The amount as an integer count of minor units.

        Raises:
            ValidationError: if the amount has digits below the minor unit; round
                it first, explicitly.
        """
        if not self.is_rounded():
            raise ValidationError.single(
                "Money",
                "amount",
                f"{self.amount} {self.currency} is not a whole number of minor "
                "units; round it first",
                self.amount,
            )
        return int(self.amount.scaleb(self.precision, EXACT))

    # -- rounding -----------------------------------------------------------
    def rounded(
        self, *, places: int | None = None, rounding: str = ROUND_HALF_UP
    ) -> Money:
        """Round to ``places`` decimals (default: the currency's minor unit).

        This is the only place Money rounds. ``rounding`` is any ``decimal``
        rounding mode; the default is ``ROUND_HALF_UP``.
        """
        _check_rounding(rounding)
        digits: object = self.precision if places is None else places
        if not is_int(digits) or digits < 0:
            raise ValidationError.single(
                "Money", "places", "must be a non-negative integer", places
            )
        quantum = Decimal(1).scaleb(-digits)
        # Wide enough for the integer digits (bounded) plus the requested places.
        context = decimal.Context(
            prec=MAX_MAGNITUDE_DIGITS + digits + 2, rounding=rounding
        )
        return Money(self.amount.quantize(quantum, context=context), self.currency)

    # -- arithmetic (exact) -------------------------------------------------
    def _same_currency(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "add")
        return Money(exactly(EXACT.add, self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "subtract")
        return Money(exactly(EXACT.subtract, self.amount, other.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise ValidationError.single(
                "Money", "factor", "floats are refused: multiply by a Decimal", factor
            )
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        return Money(exactly(EXACT.multiply, self.amount, factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(self.amount.copy_negate(), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(self.amount.copy_abs(), self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount < other.amount

    # -- allocation ---------------------------------------------------------
    def allocate(self, ratios: Sequence[Decimal | int]) -> tuple[Money, ...]:
        """Split into parts proportional to ``ratios`` that sum *exactly* to self.

        Each part is a whole number of minor units. Units left over after the
        proportional floor go one each to the parts with the largest remainders
        (the earliest part wins a tie), so the result is deterministic.

        Raises:
            ValidationError: if self is not rounded to the minor unit, or the
                ratios are empty, negative, floats or all zero.

        Example:
            >>> [str(p) for p in Money("100.00", "EUR").allocate([1, 1, 1])]
            ['33.34 EUR', '33.33 EUR', '33.33 EUR']
        """
        weights = [
            to_decimal(r, subject="Money.allocate", path=f"ratios[{i}]")
            for i, r in enumerate(ratios)
        ]
        if not weights:
            raise ValidationError.single(
                "Money.allocate", "ratios", "needs at least one ratio", list(ratios)
            )
        problems = [(f"ratios[{i}]", w) for i, w in enumerate(weights) if w < 0]
        if problems:
            raise ValidationError(
                "Money.allocate",
                [FieldError(path, "must not be negative", w) for path, w in problems],
            )
        weight_sum = sum(weights, Decimal(0))
        if weight_sum == 0:
            raise ValidationError.single(
                "Money.allocate",
                "ratios",
                "at least one ratio must be positive",
                list(ratios),
            )
        total_units = self.to_minor_units()
        sign = -1 if total_units < 0 else 1
        units = abs(total_units)
        # Fractions keep the proportional shares exact, so ties between
        # remainders are real ties and are broken by position alone.
        shares: list[int] = []
        remainders: list[Fraction] = []
        for weight in weights:
            exact = Fraction(units) * Fraction(weight) / Fraction(weight_sum)
            whole = int(exact)
            shares.append(whole)
            remainders.append(exact - whole)
        leftover = units - sum(shares)
        order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
        for index in order[:leftover]:
            shares[index] += 1
        return tuple(
            Money.from_minor_units(sign * share, self.currency) for share in shares
        )

    def split(self, parts: object) -> tuple[Money, ...]:
        """Split into ``parts`` near-equal parts that sum exactly to self."""
        if not is_int(parts) or parts < 1:
            raise ValidationError.single(
                "Money.split", "parts", "must be a positive integer", parts
            )
        return self.allocate([1] * parts)

    # -- display ------------------------------------------------------------
    def format(self, locale: str) -> str:
        """Format for a reader in ``locale`` with Babel (``'1.234,50 €'`` in de_DE)."""
        return babel_numbers.format_currency(
            self.amount, self.currency, locale=locale, decimal_quantization=False
        )

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"


def exactly(
    operation: Callable[[Decimal, Decimal | int], Decimal],
    left: Decimal,
    right: Decimal | int,
) -> Decimal:
    """Run an exact context operation, turning a would-round into an error."""
    try:
        return operation(left, right)
    except decimal.Inexact:
        raise ValidationError.single(
            "Money",
            "amount",
            "result needs more than 60 significant digits; kamcore will not round "
            "it silently",
            left,
        ) from None


_new = object.__new__
# Money is an attrs slots class: writing its slots through their descriptors is
# the cheapest way to fill a new instance (it bypasses the frozen __setattr__).
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__


def trusted_money(amount: Decimal, currency: str) -> Money:
    """Build Money from values already known to be valid, skipping validation.

    For hot paths (pricing thousands of lines, summing a portfolio), where
    ``amount`` is a finite ``Decimal`` that came out of exact arithmetic on
    validated Money, below ``10**MAX_MAGNITUDE_DIGITS``, and ``currency`` was
    already validated: it saves the per-object checks, which cost more than the
    pricing itself. Never call it with outside input; ``Money(amount,
    currency)`` is the checked way.
    """
    money: Money = _new(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    return money

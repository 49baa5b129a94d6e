"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Rules (SPEC §1):

* amounts are ``Decimal``; floats are refused, never converted;
* the currency code must be one Babel knows (``EUR``, ``JPY``, ``KWD``...);
* arithmetic across currencies raises :class:`~kamcore.errors.CurrencyMismatchError`;
* arithmetic is exact: it never rounds. Rounding is an explicit call,
  :meth:`Money.rounded`, to the currency's minor unit (EUR 2, JPY 0, KWD 3)
  with ``ROUND_HALF_UP`` unless told otherwise;
* every method raises only kamcore errors, whatever it is given, and answers
  promptly: amounts, places and part counts are bounded.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Never, NoReturn

import attrs
from babel import numbers as babel_numbers

from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel._allocation import (
    allocate_units,
    check_parts,
    ratio_weights,
    split_units,
)
from kamcore.kernel._contexts import EXACT, ROUNDING, exactly
from kamcore.kernel._currency import (
    check_rounding,
    currency_precision,
    validate_currency,
)
from kamcore.kernel._locale import validate_locale
from kamcore.kernel._numbers import (
    MAX_DECIMAL_PLACES,
    MAX_MAGNITUDE_DIGITS,
    bounded_decimal,
    is_int,
)

__all__ = ["Money", "trusted_money"]


def _places(places: object) -> int:
    if not is_int(places) or not 0 <= places <= MAX_DECIMAL_PLACES:
        raise ValidationError.single(
            "Money",
            "places",
            f"must be an integer from 0 to {MAX_DECIMAL_PLACES}",
            places,
        )
    return places


def _amount(value: Decimal | int | str) -> Decimal:
    return bounded_decimal(value, subject="Money", path="amount")


def _factor_problem(factor: object) -> str | None:
    """What is wrong with ``factor`` as a multiplier of Money, if anything."""
    if isinstance(factor, float):
        return "floats are refused: multiply by a Decimal"
    if isinstance(factor, Money):
        return "multiply Money by a Decimal or an int, not by Money"
    if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
        return f"expected a Decimal or an int, got {type(factor).__name__}"
    if isinstance(factor, Decimal) and not factor.is_finite():
        return f"{factor!r} is not a finite number"
    return None


@functools.lru_cache(maxsize=256)
def _rounding_to(digits: int, rounding: str) -> tuple[Decimal, decimal.Context]:
    """The quantum of ``digits`` places and a context wide enough to round any
    bounded amount to it (integer digits plus the places)."""
    context = decimal.Context(prec=MAX_MAGNITUDE_DIGITS + digits + 2, rounding=rounding)
    return Decimal(1).scaleb(-digits), context


@functools.lru_cache(maxsize=512)
def _zero(currency: str) -> Money:
    """Zero in ``currency``, one shared (immutable) value per currency."""
    return Money(Decimal(0), currency)


def _not_money(other: object, message: str) -> ValidationError:
    return ValidationError.single(
        "Money", "other", message.format(type(other).__name__), other
    )


@functools.total_ordering
@attrs.frozen(order=False, repr=False)
class Money:
    """An exact amount of one currency.

    Args:
        amount: A ``Decimal``, an ``int`` or a decimal string (plain ASCII
            digits: ``"-12.50"``, ``"1E+3"``); floats are refused. Below
            ``10**30`` in absolute value, with at most 30 decimal places.
        currency: An ISO 4217 code Babel knows.

    Raises:
        ValidationError: for a float, text outside the decimal-string rule, a
            non-finite amount, an amount out of bounds or an unknown currency.

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
        if cls is Money:
            return _zero(currency)
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor_units(cls, units: object, currency: str) -> Money:
        """Build from an integer count of minor units (cents for EUR).

        Raises:
            ValidationError: ``units`` is not an integer, or not below
                ``10**(30 + places)``; the currency is unknown.
        """
        places = currency_precision(currency)
        if not is_int(units):
            raise ValidationError.single(
                "Money", "units", "expected an integer count of minor units", units
            )
        limit = MAX_MAGNITUDE_DIGITS + places
        if abs(units) >= 10**limit:
            raise ValidationError.single(
                "Money",
                "units",
                f"must be below 10**{limit} minor units of {currency} in "
                "absolute value",
                units,
            )
        return cls(Decimal(units).scaleb(-places, EXACT), currency)

    @classmethod
    def sum(cls, amounts: Iterable[Money], currency: str) -> Money:
        """Add ``amounts`` exactly; an empty iterable gives zero in ``currency``.

        Raises:
            ValidationError: ``amounts`` is not iterable or holds something
                that is not Money (named by its position).
            CurrencyMismatchError: an amount in another currency.
        """
        total = cls.zero(currency)
        if not isinstance(amounts, Iterable):
            raise ValidationError.single(
                "Money.sum",
                "amounts",
                f"expected an iterable of Money, got {type(amounts).__name__}",
                amounts,
            )
        # Added as Decimals, each partial sum checked as ``total + amount``
        # checks it; one Money at the end.
        running = total.amount
        for index, amount in enumerate(amounts):
            if not isinstance(amount, Money):
                raise ValidationError.single(
                    "Money.sum",
                    f"amounts[{index}]",
                    f"expected Money, got {type(amount).__name__}",
                    amount,
                )
            if amount.currency != currency:
                raise CurrencyMismatchError(currency, amount.currency, "add")
            running = exactly(EXACT.add, running, amount.amount)
            if running and running.adjusted() >= MAX_MAGNITUDE_DIGITS:
                return Money(running, currency)  # raises, naming the bound
        return total._sum(running)

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

    def is_rounded(self, *, places: int | None = None) -> bool:
        """Whether the amount has no non-zero digit below ``places`` decimal
        places (default: the currency's minor unit)."""
        return self.rounded(places=places, rounding=decimal.ROUND_DOWN) == self

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

        Raises:
            ValidationError: ``places`` is not an integer from 0 to 30, or
                ``rounding`` is not a rounding mode.
        """
        check_rounding(rounding)
        digits = self.precision if places is None else _places(places)
        quantum, context = _rounding_to(digits, rounding)
        # At most ``digits`` places: only the size can be out of bounds (a
        # rounding up at the very top), and _sum checks it.
        return self._sum(self.amount.quantize(quantum, context=context))

    # -- arithmetic (exact) -------------------------------------------------
    def _same_currency(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation)

    def _sum(self, amount: Decimal) -> Money:
        # A sum or difference keeps the finer exponent of its operands, so it
        # has at most 30 decimal places already: only its size is checked.
        if amount and amount.adjusted() >= MAX_MAGNITUDE_DIGITS:
            return Money(amount, self.currency)  # raises, naming the bound
        return trusted_money(amount, self.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            raise _not_money(
                other,
                "cannot add {} to Money; add amounts with Money.sum(amounts, currency)",
            )
        self._same_currency(other, "add")
        return self._sum(exactly(EXACT.add, self.amount, other.amount))

    def __radd__(self, other: Never) -> NoReturn:
        raise _not_money(
            other,
            "cannot add Money to {}; add amounts with Money.sum(amounts, currency)",
        )

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            raise _not_money(other, "cannot subtract {} from Money")
        self._same_currency(other, "subtract")
        return self._sum(exactly(EXACT.subtract, self.amount, other.amount))

    def __rsub__(self, other: Never) -> NoReturn:
        raise _not_money(other, "cannot subtract Money from {}")

    def __mul__(self, factor: Decimal | int) -> Money:
        problem = _factor_problem(factor)
        if problem is not None:
            raise ValidationError.single("Money", "factor", problem, factor)
        product = exactly(EXACT.multiply, self.amount, factor, path="factor")
        return Money(product, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Never) -> NoReturn:
        raise ValidationError.single(
            "Money",
            "divisor",
            "Money is never divided (the quotient may not be exact): use "
            "split(parts) or allocate(ratios)",
            divisor,
        )

    def __neg__(self) -> Money:
        return trusted_money(self.amount.copy_negate(), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return trusted_money(self.amount.copy_abs(), self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            raise _not_money(other, "cannot compare Money with {}")
        self._same_currency(other, "compare")
        return self.amount < other.amount

    # -- allocation ---------------------------------------------------------
    def allocate(self, ratios: Sequence[Decimal | int]) -> tuple[Money, ...]:
        """Split into parts proportional to ``ratios`` that sum *exactly* to self.

        Each part is a whole number of minor units. Units left over after the
        proportional floor go one each to the parts with the largest remainders
        (the earliest part wins a tie), so the result is deterministic.

        Args:
            ratios: A list (or tuple) of 1 to :data:`MAX_PARTS` non-negative
                exact numbers, each below ``10**30`` with at most 30 decimal
                places, at least one of them positive.

        Raises:
            ValidationError: if self is not rounded to the minor unit, or the
                ratios break the rules above.

        Example:
            >>> [str(p) for p in Money("100.00", "EUR").allocate([1, 1, 1])]
            ['33.34 EUR', '33.33 EUR', '33.33 EUR']
        """
        weights = ratio_weights(ratios)
        units = self.to_minor_units()
        return self._parts(allocate_units(abs(units), weights), units)

    def split(self, parts: object) -> tuple[Money, ...]:
        """Split into ``parts`` near-equal parts that sum exactly to self: what
        :meth:`allocate` gives for equal ratios.

        Raises:
            ValidationError: ``parts`` is not an integer from 1 to
                :data:`MAX_PARTS`, or self is not rounded to the minor unit.
        """
        count = check_parts(parts)
        units = self.to_minor_units()
        return self._parts(split_units(abs(units), count), units)

    def _parts(self, shares: list[int], units: int) -> tuple[Money, ...]:
        """Money for each share, negative when ``units`` is; equal shares share
        one (immutable) object."""
        sign = -1 if units < 0 else 1
        places = -self.precision
        made: dict[int, Money] = {}
        parts: list[Money] = []
        for share in shares:
            part = made.get(share)
            if part is None:
                amount = Decimal(sign * share).scaleb(places, EXACT)
                part = made[share] = trusted_money(amount, self.currency)
            parts.append(part)
        return tuple(parts)

    # -- display ------------------------------------------------------------
    def format(self, locale: str) -> str:
        """Format for a reader in ``locale`` with Babel (``'1.234,50 €'`` in de_DE).

        Every digit is shown, at any magnitude (a wide decimal context, not the
        caller's); zero has no sign.

        Raises:
            ValidationError: for a locale Babel does not know.
        """
        validate_locale(locale, subject="Money.format", path="locale")
        amount = self.amount if self.amount else self.amount.copy_abs()
        with decimal.localcontext(ROUNDING):
            return babel_numbers.format_currency(
                amount, self.currency, locale=locale, decimal_quantization=False
            )

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"


_new = object.__new__
# Money is an attrs slots class: writing its slots through their descriptors is
# the cheapest way to fill a new instance (it bypasses the frozen __setattr__).
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__


def trusted_money(amount: Decimal, currency: str) -> Money:
    """Build Money from values already known to be valid, skipping validation.

    For hot paths (pricing thousands of lines, summing a portfolio), where
    ``amount`` is a finite ``Decimal`` that came out of exact arithmetic on
    validated Money, below ``10**MAX_MAGNITUDE_DIGITS`` with at most
    ``MAX_DECIMAL_PLACES`` decimal places, and ``currency`` was already
    validated: it saves the per-object checks, which cost more than the
    pricing itself. Never call it with outside input; ``Money(amount,
    currency)`` is the checked way.
    """
    money: Money = _new(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    return money

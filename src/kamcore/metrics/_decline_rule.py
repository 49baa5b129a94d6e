"""When a month-on-month fall alarms, and how one account's comparison reads.

The rule (:class:`DeclineRule`) and the line (:class:`DeclineLine`) of the
Monday decline figure; :mod:`kamcore.metrics._decline` computes the figure.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

import attrs

from kamcore.errors import ValidationError
from kamcore.kernel import (
    EXACT,
    Checks,
    ClientId,
    FrozenMap,
    Money,
    Percentage,
    currency_precision,
)
from kamcore.metrics._account import ZERO
from kamcore.metrics._format import Row, money_of, percentage_of, text
from kamcore.metrics._months import percent_change

__all__ = [
    "DEFAULT_MINIMUM_BASE",
    "Basis",
    "DeclineLine",
    "DeclineRule",
    "alarms_exactly",
    "decline_line",
    "default_minimum_base",
    "kept_share",
]


class Basis(enum.Enum):
    """What a month-on-month decline is measured on."""

    ORDERS = "orders"
    """Order totals (the Monday routine's measure)."""
    INVOICED = "invoiced"
    """Net invoiced."""

    def __str__(self) -> str:
        return self.value


DEFAULT_MINIMUM_BASE: Mapping[str, Decimal] = FrozenMap(
    {
        # About 1,000 euros in each currency: whole units, rounded to a figure
        # a person would state. Not an exchange rate: a threshold of concern.
        "AUD": Decimal(1500),
        "CAD": Decimal(1500),
        "CHF": Decimal(1000),
        "CNY": Decimal(8000),
        "CZK": Decimal(25000),
        "DKK": Decimal(7500),
        "EUR": Decimal(1000),
        "GBP": Decimal(1000),
        "HUF": Decimal(400000),
        "JPY": Decimal(150000),
        "NOK": Decimal(10000),
        "PLN": Decimal(4000),
        "SEK": Decimal(10000),
        "USD": Decimal(1000),
    }
)
"""The default smallest previous month that counts, per currency: about
1,000 € in each. A currency not in the table defaults to 1,000 of its units."""

_FALLBACK_MINIMUM = Decimal(1000)


def default_minimum_base(currency: str) -> Decimal:
    """The default minimum base in ``currency``: :data:`DEFAULT_MINIMUM_BASE`,
    or 1,000 units of a currency not in the table."""
    return DEFAULT_MINIMUM_BASE.get(currency, _FALLBACK_MINIMUM)


def _minimums(value: Money | Iterable[Money]) -> tuple[Money, ...]:
    items = (value,) if isinstance(value, Money) else tuple(value)
    return tuple(sorted(items, key=lambda m: getattr(m, "currency", "")))


@attrs.frozen
class DeclineRule:
    """When a month-on-month decline raises an alarm.

    Attributes:
        threshold: The decline that must be *exceeded* (20 % by default): a
            fall of exactly 20 % raises nothing.
        minimum_base: The smallest previous month that counts, per currency
            (a ``Money`` or several, one per currency), overriding the default
            for that currency: a drop from 50 € to 30 € alarms nobody. A
            currency not given here has its default,
            :func:`default_minimum_base` (1,000 € for EUR); give
            ``Money(0, currency)`` to count every base.

    Raises:
        ValidationError: a negative threshold or minimum, a minimum that is not
            Money or has more decimals than its currency's minor unit, or two
            minimums in one currency.
    """

    threshold: Percentage = attrs.field(factory=lambda: Percentage(20))
    minimum_base: tuple[Money, ...] = attrs.field(default=(), converter=_minimums)

    def __attrs_post_init__(self) -> None:
        checks = Checks("DeclineRule")
        if checks.instance("threshold", self.threshold, Percentage):
            checks.require(
                self.threshold.value >= 0,
                "threshold",
                "must not be negative",
                self.threshold,
            )
        checks.each("minimum_base", self.minimum_base, Money)
        checks.raise_if_any()
        for minimum in self.minimum_base:
            if minimum.is_negative():
                raise ValidationError.single(
                    "DeclineRule", "minimum_base", "must not be negative", minimum
                )
            places = currency_precision(minimum.currency)
            if -minimum.amount.as_tuple().exponent > places:  # type: ignore[operator]  # finite: Money refuses NaN and infinity
                raise ValidationError.single(
                    "DeclineRule",
                    "minimum_base",
                    f"{minimum.amount} {minimum.currency} has more decimals than "
                    f"the currency's {places}",
                    minimum,
                )
        codes = [m.currency for m in self.minimum_base]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise ValidationError.single(
                "DeclineRule",
                "minimum_base",
                f"one minimum per currency, {', '.join(twice)} given twice",
                codes,
            )

    def minimum_for(self, currency: str) -> Decimal:
        """The minimum base in ``currency``: the one given, or the default."""
        for minimum in self.minimum_base:
            if minimum.currency == currency:
                return minimum.amount
        return default_minimum_base(currency)

    def minimum_money(self, currency: str) -> Money:
        """:meth:`minimum_for` as Money, to show it."""
        return Money(self.minimum_for(currency), currency)

    def alarms(self, previous: Decimal, last: Decimal, currency: str) -> bool:
        """Whether a fall from ``previous`` to ``last`` exceeds the threshold
        from a base of at least the minimum (compared exactly, unrounded)."""
        minimum = self.minimum_for(currency)
        return alarms_exactly(previous, last, minimum, kept_share(self))


def kept_share(rule: DeclineRule) -> Decimal:
    """The share of the previous month that the last one must stay at or
    above, exactly: ``1 - threshold / 100`` (0.80 for 20 %)."""
    return EXACT.subtract(100, rule.threshold.value).scaleb(-2, EXACT)


def alarms_exactly(
    previous: Decimal, last: Decimal, minimum: Decimal, share: Decimal
) -> bool:
    """Whether a fall from ``previous`` to ``last`` exceeds the threshold
    from a base of at least ``minimum``, compared exactly.

    The fall exceeds ``t`` percent when ``(previous - last) * 100 > t *
    previous``, that is when ``last < previous * (1 - t / 100)``:
    ``share`` is ``1 - t / 100`` (:func:`kept_share`), and
    one exact product decides.
    """
    if previous <= ZERO or previous < minimum:
        return False
    return last < EXACT.multiply(previous, share)


class DeclineLine(NamedTuple):
    """One account's last complete month against the month before.

    Attributes:
        client: The account.
        previous: The month before the last complete month.
        last: The last complete month.
        change: ``(last - previous) / previous`` in percent, rounded once to
            0.01 point ``ROUND_HALF_UP``; ``None`` without a previous month.
        alarm: Whether the fall exceeds the rule's threshold from its minimum
            base.
        reason: Why there is no change, or why a fall raises no alarm.
    """

    client: ClientId
    previous: Money
    last: Money
    change: Percentage | None
    alarm: bool
    reason: str | None

    def row(self) -> Row:
        """The line as a plain row."""
        return {
            "client": self.client,
            "currency": self.last.currency,
            "previous": text(self.previous),
            "last": text(self.last),
            "change": text(self.change),
            "alarm": self.alarm,
            "reason": self.reason,
        }


def decline_line(  # noqa: PLR0917 - the figures of one line
    client: ClientId,
    previous: Decimal,
    last: Decimal,
    currency: str,
    rule: DeclineRule,
    alarm: bool,
) -> DeclineLine:
    """The line of ``client`` for two months' sums, with the ``alarm`` that
    ``rule`` decided for them."""
    minimum = rule.minimum_for(currency)
    change: Percentage | None = None
    reason: str | None = "nothing in the previous month"
    if previous > 0:
        change = percentage_of(percent_change(last, previous))
        reason = (
            f"previous month below the minimum base of {minimum} {currency}"
            if previous < minimum and last < previous
            else None
        )
    return DeclineLine(
        client=client,
        previous=money_of(previous, currency),
        last=money_of(last, currency),
        change=change,
        alarm=alarm,
        reason=reason,
    )

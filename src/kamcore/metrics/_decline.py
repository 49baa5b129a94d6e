"""Month-on-month declines: the second figure of the Monday health check.

Accounts whose orders fell more than 20 % against the previous month, from a
minimum base, so that a drop from 50 € to 30 € alarms nobody.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar, NamedTuple

import attrs

from kamcore.accounts import Client
from kamcore.errors import ValidationError
from kamcore.kernel import Checks, ClientId, Money, Percentage
from kamcore.kernel._money import EXACT
from kamcore.metrics._account import ZERO
from kamcore.metrics._args import check_date
from kamcore.metrics._cover import covered_ids, other_currency
from kamcore.metrics._format import (
    Row,
    checked_locale,
    money_of,
    money_text,
    months_text,
    percent_text,
    percentage_of,
    text,
)
from kamcore.metrics._kept import kept_lines
from kamcore.metrics._months import percent_change, trailing_months
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = [
    "Basis",
    "DeclineLine",
    "DeclineRule",
    "OrderDecline",
    "order_decline",
]


class Basis(enum.Enum):
    """What a month-on-month decline is measured on."""

    ORDERS = "orders"
    """Order totals (the Monday routine's measure)."""
    INVOICED = "invoiced"
    """Net invoiced."""

    def __str__(self) -> str:
        return self.value


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
            (a ``Money`` or several, one per currency): a drop from 50 € to
            30 € alarms nobody when the minimum is 1,000 €. A currency without
            a minimum has none (every base counts).

    Raises:
        ValidationError: a negative threshold or minimum, a minimum that is not
            Money, or two minimums in one currency.
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
        codes = [m.currency for m in self.minimum_base]
        if len(set(codes)) != len(codes):
            raise ValidationError.single(
                "DeclineRule", "minimum_base", "one minimum per currency", codes
            )

    def minimum_for(self, currency: str) -> Decimal:
        """The minimum base in ``currency`` (zero when none is set)."""
        for minimum in self.minimum_base:
            if minimum.currency == currency:
                return minimum.amount
        return ZERO

    def alarms(self, previous: Decimal, last: Decimal, currency: str) -> bool:
        """Whether a fall from ``previous`` to ``last`` exceeds the threshold
        from a base of at least the minimum (compared exactly, unrounded)."""
        if previous <= 0 or previous < self.minimum_for(currency):
            return False
        fall = EXACT.multiply(EXACT.subtract(previous, last), 100)
        return fall > EXACT.multiply(self.threshold.value, previous)


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


def _decline_line(
    client: ClientId, previous: Decimal, last: Decimal, currency: str, rule: DeclineRule
) -> DeclineLine:
    alarm = rule.alarms(previous, last, currency)
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


@attrs.frozen(kw_only=True)
class OrderDecline:
    """Month-on-month declines of a selection's accounts.

    Attributes:
        as_of: The date it was computed as of.
        basis: Order totals or net invoiced.
        rule: The threshold and minimum bases applied.
        previous_month: The month before the last complete month (month key).
        last_month: The last complete month before the as-of date.
        lines: One line per covered account, by id.
        covered: The accounts compared.
        excluded: The selection's other accounts, each with its reason.
    """

    DEFINITION: ClassVar[str] = (
        "Accounts whose orders in the last complete month fell more than the "
        "threshold against the month before, from a minimum base."
    )

    as_of: dt.date
    basis: Basis
    rule: DeclineRule
    previous_month: int
    last_month: int
    lines: tuple[DeclineLine, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def definition(self) -> str:
        """What the figure shows, in one line."""
        return self.DEFINITION

    @property
    def alarms(self) -> tuple[DeclineLine, ...]:
        """The lines that raise an alarm: accounts to call this week."""
        return tuple(line for line in self.lines if line.alarm)

    def rows(self) -> list[Row]:
        """One row per covered account."""
        return [line.row() for line in self.lines]

    def report(self, locale: str) -> str:
        """The alarms in words, formatted for ``locale``."""
        checked_locale(locale)
        months = range(self.previous_month, self.last_month + 1)
        minimums = ", ".join(money_text(m, locale) for m in self.rule.minimum_base)
        lines = [
            f"{str(self.basis).capitalize()} down more than "
            f"{percent_text(self.rule.threshold, locale)}, "
            f"{months_text(months, locale)}"
            + (f" (minimum base {minimums})" if minimums else "")
            + f": {len(self.alarms)}"
        ]
        lines.extend(
            f"  {line.client}: {money_text(line.previous, locale)} -> "
            f"{money_text(line.last, locale)} ({percent_text(line.change, locale)})"
            for line in self.alarms
        )
        return "\n".join(lines)


def order_decline(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    rule: DeclineRule | None = None,
    basis: Basis = Basis.ORDERS,
) -> OrderDecline:
    """The last complete month against the month before, per account.

    As of Monday 2026-11-16, October 2026 is compared with September 2026 (a
    running month is never compared with a complete one). An account alarms
    when its fall exceeds ``rule.threshold`` (default 20 %) from a previous
    month of at least ``rule.minimum_base`` in its currency.

    Raises:
        ValidationError: ``as_of`` is not a date.
    """
    check_date(as_of, subject="order_decline")
    rule = DeclineRule() if rule is None else rule
    window = trailing_months(as_of, 2)
    previous_month, last_month = window[0], window[1]
    by_orders = basis is Basis.ORDERS
    # A str key: its hash is computed once, not on every account's lookup
    # (hashing the rule itself would run its Python-level __hash__ each time).
    memo_key = f"decline {basis.value} {previous_month} {rule!r}"

    def entry(client: Client) -> DeclineLine | Exclusion:
        account = state.account(client.id)
        if account is None:
            return _decline_line(client.id, ZERO, ZERO, client.currency, rule)
        if account.currency != client.currency:
            return other_currency(client, account.currency)
        line: DeclineLine | None = account.recall(memo_key)
        if line is None:
            cells = account.ordered if by_orders else account.invoiced
            line = _decline_line(
                client.id,
                cells.get(previous_month, ZERO),
                cells.get(last_month, ZERO),
                client.currency,
                rule,
            )
            account.keep(memo_key, line, months=window, orders=by_orders)
        return line

    kept, changed = kept_lines(
        state,
        ("decline", memo_key, id(selection)),
        selection,
        months=(previous_month, last_month),
        orders=by_orders,
        make=entry,
    )
    extra = kept.extra
    entries = kept.entries
    if (
        extra is not None
        and changed
        and all(
            type(old) is type(entries[c]) is DeclineLine for c, old in changed.items()
        )
    ):
        lines_list, index = extra[0], extra[1]
        for client in changed:
            lines_list[index[client]] = entries[client]
        kept.extra = (lines_list, index, tuple(lines_list), *extra[3:])
    elif extra is None or changed is None or changed:
        lines_list = [e for e in entries.values() if isinstance(e, DeclineLine)]
        left_out = [e for e in entries.values() if isinstance(e, Exclusion)]
        excluded = sorted([*selection.excluded, *left_out], key=lambda e: e.client)
        kept.extra = (
            lines_list,
            {line.client: n for n, line in enumerate(lines_list)},
            tuple(lines_list),
            tuple(excluded),
            covered_ids(selection, left_out),
        )
    _list, _index, lines, excluded_all, covered = kept.extra
    return OrderDecline(
        as_of=as_of,
        basis=basis,
        rule=rule,
        previous_month=previous_month,
        last_month=last_month,
        lines=lines,
        covered=covered,
        excluded=excluded_all,
    )

"""Average value per account over the trailing 12 months (SPEC §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import ClassVar

import attrs

from kamcore.errors import ValidationError
from kamcore.i18n import N_, translator
from kamcore.kernel import ClientId, Money, currency_precision, trusted_money
from kamcore.metrics._args import check_date
from kamcore.metrics._cover import AccountTotal, cover, money_column
from kamcore.metrics._format import (
    Row,
    checked_locale,
    date_text,
    money_of,
    money_text,
    months_text,
    stored_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._lazy import DeferredLines, defer_lines
from kamcore.metrics._line_memo import reused_lines
from kamcore.metrics._months import month_label, quotient, trailing_months
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._sums import INVOICED, as_decimal

__all__ = ["AverageValue", "average_value"]


@attrs.frozen(kw_only=True)
class AverageValue(DeferredLines, FrameExport):
    """Average value per account over the trailing 12 months.

    Attributes:
        as_of: The date it was computed as of.
        months: The 12 complete months (month keys).
        currency: The result's one currency.
        value: ``numerator / denominator`` rounded once to the currency's
            minor unit, ``ROUND_HALF_UP``; ``None`` without accounts.
        reason: Why there is no value.
        numerator: Net invoiced of the covered accounts, exact.
        denominator: The number of covered key accounts (with or without
            invoices).
        accounts: Each covered account's net invoiced, by id.
        covered: The accounts counted.
        excluded: The selection's other accounts, each with its reason.
    """

    DEFERRED: ClassVar[str] = "accounts"

    DEFINITION: ClassVar[str] = (
        "Net invoiced over the last 12 complete months divided by the number of "
        "key accounts (one currency)."
    )

    as_of: dt.date
    months: range
    currency: str
    value: Money | None
    reason: str | None
    numerator: Money
    denominator: int
    accounts: tuple[AccountTotal, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]
    _pending: Callable[[], tuple[AccountTotal, ...]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    @property
    def definition(self) -> str:
        """What the metric measures, in one line."""
        return self.DEFINITION

    def rows(self) -> list[Row]:
        """One row per covered account: its net invoiced."""
        return [
            {"client": a.client, "currency": self.currency, "total": text(a.total)}
            for a in self.accounts
        ]

    def summary_row(self) -> Row:
        """The figure, its parts and the population, as one row."""
        return {
            "metric": "average_value_per_account",
            "as_of": self.as_of.isoformat(),
            "months_from": month_label(self.months[0]),
            "months_to": month_label(self.months[-1]),
            "currency": self.currency,
            "value": text(self.value),
            "reason": self.reason,
            "numerator": text(self.numerator),
            "denominator": self.denominator,
            "covered": len(self.covered),
            "excluded": len(self.excluded),
        }

    def report(self, locale: str) -> str:
        """The result in words, formatted for ``locale``, in its language."""
        checked_locale(locale)
        _ = translator(locale)
        values = {
            "months": months_text(self.months, locale),
            "day": date_text(self.as_of, locale),
        }
        if self.value is None:
            # The reason kamcore gives names the currency: the message is the
            # template, filled here for the reader.
            if self.reason == _NO_ACCOUNT.format(currency=self.currency):
                reason = _(_NO_ACCOUNT, currency=self.currency)
            else:
                reason = stored_text(self.reason, _)
            # Translators: {months} is "Nov 2025 to Oct 2026", {day} the date
            # it is computed as of, {reason} why there is no average.
            return _(
                "Average value per account, {months} (as of {day}): n/a ({reason})",
                reason=reason,
                **values,
            )
        # Translators: {months} is "Nov 2025 to Oct 2026", {day} the date it is
        # computed as of; the average {average} is the net invoiced {total}
        # over {n} accounts.
        return _.ngettext(
            "Average value per account, {months} (as of {day}): "
            "{average} ({total} over {n} account)",
            "Average value per account, {months} (as of {day}): "
            "{average} ({total} over {n} accounts)",
            self.denominator,
            average=money_text(self.value, locale),
            total=money_text(self.numerator, locale),
            **values,
        )


# Translators: why there is no average value: no key account in the currency
# of the result ("EUR").
_NO_ACCOUNT = N_("no key account in {currency}")
"""The reason an average value has none."""


def _result_currency(selection: ResolvedSelection, currency: str | None) -> str:
    if currency is not None:
        return Money.zero(currency).currency
    found = sorted(set(selection.currencies))
    if len(found) != 1:
        raise ValidationError.single(
            "average_value",
            "currency",
            "the accounts are in several currencies (or none): say which one"
            if found
            else "no account to take the currency from: say which one",
            found,
        )
    return found[0]


def average_value(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    currency: str | None = None,
) -> AverageValue:
    """Net invoiced over the trailing 12 months per key account of ``selection``.

    One currency per result: ``currency``, or the accounts' own when they all
    share one. Accounts in another currency are excluded with that reason;
    accounts without invoices count in the denominator with zero.

    Raises:
        ValidationError: ``currency`` is omitted and the accounts do not share
            one, or ``as_of`` is not a date.
    """
    check_date(as_of, subject="average_value")
    chosen = _result_currency(selection, currency)
    months = trailing_months(as_of, 12)
    found = cover(state, selection, chosen)
    totals = found.sums.window(INVOICED, found.rows, months)
    count = len(found.clients)
    # Summed as Python ints: thousands of accounts may pass 64 bits.
    total = as_decimal(sum(totals.tolist()), currency_precision(chosen))
    value = (
        trusted_money(quotient(total, count, currency_precision(chosen)), chosen)
        if count
        else None
    )
    average = AverageValue(
        as_of=as_of,
        months=months,
        currency=chosen,
        value=value,
        reason=None if count else _NO_ACCOUNT.format(currency=chosen),
        numerator=money_of(total, chosen),
        denominator=count,
        accounts=(),
        covered=found.covered,
        excluded=found.excluded,
    )
    clients = found.clients

    def build(positions: Sequence[int]) -> list[AccountTotal]:
        picked = list(positions)
        moneys = money_column(totals[picked], [chosen] * len(picked))
        return [
            AccountTotal(clients[n].id, money)
            for n, money in zip(picked, moneys, strict=True)
        ]

    def accounts() -> tuple[AccountTotal, ...]:
        kind = ("average", chosen, months.start)
        return tuple(
            reused_lines(state, kind, selection, found.covered, (totals,), build)
        )

    return defer_lines(average, accounts)

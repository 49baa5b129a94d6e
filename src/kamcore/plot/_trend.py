"""A portfolio's net invoiced, month by month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import dates as babel_dates
from matplotlib.figure import Figure

from kamcore.errors import ValidationError
from kamcore.kernel import EXACT, validate_currency
from kamcore.metrics import (
    PortfolioState,
    ResolvedSelection,
    month_start,
    trailing_months,
)
from kamcore.plot._canvas import CALM, checked_locale, drawn, money_axis, new_figure

__all__ = ["monthly_sums", "monthly_trend"]

_SUBJECT = "monthly_trend"


def _currency(selection: ResolvedSelection, currency: str | None) -> str:
    if currency is not None:
        return validate_currency(currency, subject=_SUBJECT, path="currency")
    held = sorted({client.currency for client in selection.clients})
    if len(held) != 1:
        raise ValidationError.single(
            _SUBJECT,
            "currency",
            "name the currency to show: the accounts are in "
            + (", ".join(held) if held else "no currency (none covered)"),
            currency,
        )
    return held[0]


def monthly_sums(
    state: PortfolioState, selection: ResolvedSelection, months: range, currency: str
) -> list[Decimal]:
    """Net invoiced of the covered accounts in ``currency``, per month of
    ``months``, exact (accounts in another currency are left out)."""
    totals = [Decimal(0)] * len(months)
    for client in selection.clients:
        account = state.account(client.id)
        if account is None or account.currency != currency:
            continue
        if client.currency != currency:
            continue
        invoiced = account.invoiced
        for n, month in enumerate(months):
            amount = invoiced.get(month)
            if amount is not None:
                totals[n] = EXACT.add(totals[n], amount)
    return totals


def _check(as_of: object, months: object) -> None:
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise ValidationError.single(_SUBJECT, "as_of", "expected a date", as_of)
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValidationError.single(
            _SUBJECT, "months", "must be an integer >= 1", months
        )


def monthly_trend(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    months: int = 12,
    currency: str | None = None,
    locale: str = "en_GB",
) -> Figure:
    """Bars of the selection's net invoiced per month, over the last
    ``months`` complete months before ``as_of``.

    One bar per month, its height the exact sum of the covered accounts in
    ``currency`` (by default their one shared currency), money on the axis.

    Raises:
        ValidationError: ``as_of`` is not a date; ``months`` is below 1; the
            accounts are in several currencies and none is named; the
            currency or the locale is unknown.
    """
    _check(as_of, months)
    checked_locale(locale, _SUBJECT)
    code = _currency(selection, currency)
    window = trailing_months(as_of, months)
    sums = monthly_sums(state, selection, window, code)
    labels = [
        babel_dates.format_skeleton("MMMyy", month_start(month), locale=locale)
        for month in window
    ]
    figure = new_figure(max(4.0, 0.5 * months + 2), 3.2)
    axes = figure.add_subplot()
    axes.bar(range(months), [drawn(total) for total in sums], color=CALM)
    axes.set_xticks(range(months), labels, rotation=45, ha="right")
    money_axis(axes, code, locale)
    axes.set_ylabel(f"Net invoiced ({code})")
    axes.set_title(f"Net invoiced per month, {selection.description}")
    axes.axhline(0, color="black", linewidth=0.8)
    return figure

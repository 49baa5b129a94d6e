"""The renewal calendar: contracts whose term ends within the next days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel import dates as babel_dates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kamcore.kernel import ClientId
from kamcore.metrics import ExpiringContract, ExpiringContracts
from kamcore.plot._canvas import (
    ALARM,
    CALM,
    checked_locale,
    new_figure,
    nothing_to_show,
)

__all__ = ["renewal_calendar"]

_SUBJECT = "renewal_calendar"


def renewal_calendar(
    expiring: ExpiringContracts,
    *,
    names: Mapping[ClientId, str] | None = None,
    locale: str = "en_GB",
) -> Figure:
    """One bar per contract, from the as-of date to the end of its term,
    over the next ``expiring.within_days`` days.

    The axis reads in dates (formatted for ``locale``); a bar's length is its
    ``days_left`` exactly (below zero: the term ended, the grace period is
    running, drawn red). Rows are labelled with the contract, its title and
    its client (by ``names`` where given), bars with the term's value.

    Raises:
        ValidationError: the locale is unknown.
    """
    checked_locale(locale, _SUBJECT)
    as_of = expiring.as_of
    lines = expiring.lines
    figure = new_figure(7.2, 1.4 + 0.4 * max(len(lines), 2))
    axes = figure.add_subplot()
    horizon = babel_dates.format_date(
        as_of + dt.timedelta(days=expiring.within_days), "medium", locale=locale
    )
    figure.suptitle(
        f"Contracts ending within {expiring.within_days} days of "
        f"{babel_dates.format_date(as_of, 'medium', locale=locale)} "
        f"(by {horizon})"
    )
    if not lines:
        nothing_to_show(axes, "No contract ends in this window")
        return figure
    spots = range(len(lines))
    axes.barh(
        spots,
        [line.days_left for line in lines],
        color=[ALARM if line.days_left < 0 else CALM for line in lines],
    )
    axes.set_yticks(spots, [_label(line, names or {}) for line in lines])
    axes.invert_yaxis()  # the soonest on top
    for spot, line in zip(spots, lines, strict=True):
        # Right of the bar, or of the as-of line for a term already ended.
        axes.annotate(
            line.value.format(locale),
            (max(line.days_left, 0), spot),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    first = min(0, *(line.days_left for line in lines))
    axes.set_xlim(first - 1, expiring.within_days * 1.2 + 1)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda days, _: _day(as_of, days, locale))
    )
    axes.axvline(0, color="black", linewidth=0.8)
    axes.axvline(expiring.within_days, color="black", linestyle="--", linewidth=0.8)
    axes.set_xlabel("Term ends")
    return figure


def _label(line: ExpiringContract, names: Mapping[ClientId, str]) -> str:
    renews = ", renews itself" if line.auto_renew else ""
    return (
        f"{line.contract} {line.title} ({names.get(line.client, line.client)}{renews})"
    )


def _day(as_of: dt.date, days: float, locale: str) -> str:
    return babel_dates.format_skeleton(
        "MMMd", as_of + dt.timedelta(days=round(days)), locale=locale
    )

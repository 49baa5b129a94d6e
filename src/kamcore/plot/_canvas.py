"""What every chart shares: a figure on the Agg canvas, money on an axis.

Amounts stay exact ``Decimal`` until they are drawn: a bar's height is the
float of the exact figure, and every amount a person reads (tick labels, the
label on a bar) is the exact ``Money`` formatted with Babel for the locale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kamcore.errors import ValidationError
from kamcore.kernel import Money, currency_precision, validate_locale

__all__ = [
    "ALARM",
    "CALM",
    "DPI",
    "MUTED",
    "by_currency",
    "checked_locale",
    "checked_top",
    "drawn",
    "label_bars",
    "money_axis",
    "new_figure",
    "nothing_to_show",
    "tick_money",
]

T = TypeVar("T")

DPI = 80
"""Dots per inch of every chart: small PNGs for docs and reports."""

ALARM = "#c0392b"
CALM = "#2e86c1"
MUTED = "#aab7b8"


def checked_locale(locale: object, subject: str) -> str:
    """``locale`` if Babel knows it (the error names the chart)."""
    return validate_locale(locale, subject=subject, path="locale")


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches on its own Agg canvas (no
    pyplot, no global state)."""
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def drawn(amount: Decimal | Money) -> float:
    """The float to draw for an exact amount: drawing only, never arithmetic."""
    return float(amount.amount if isinstance(amount, Money) else amount)


def tick_money(value: float, currency: str, locale: str) -> str:
    """A tick value as money: rounded to the currency's minor unit, formatted
    by Babel for ``locale``."""
    places = currency_precision(currency)
    exact = Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    return Money(exact, currency).format(locale)


def money_axis(axes: Axes, currency: str, locale: str, *, axis: str = "y") -> None:
    """Show ``axes``' ``axis`` ticks as money in ``currency``."""
    formatter = FuncFormatter(lambda value, _: tick_money(value, currency, locale))
    target = axes.yaxis if axis == "y" else axes.xaxis
    # Money labels are wide: fewer of them side by side.
    target.set_major_locator(MaxNLocator(nbins=6 if axis == "y" else 4))
    target.set_major_formatter(formatter)


def nothing_to_show(axes: Axes, what: str) -> None:
    """Say on ``axes`` that there is nothing to draw, instead of an empty frame."""
    axes.text(0.5, 0.5, what, ha="center", va="center", transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def by_currency(lines: Iterable[T], currency: Callable[[T], str]) -> dict[str, list[T]]:
    """``lines`` grouped by currency code, codes sorted, order kept within."""
    grouped: dict[str, list[T]] = {}
    for line in lines:
        grouped.setdefault(currency(line), []).append(line)
    return dict(sorted(grouped.items()))


def checked_top(top: object, subject: str) -> int | None:
    """``top`` if it is ``None`` or an integer of at least 1."""
    if top is not None and (
        isinstance(top, bool) or not isinstance(top, int) or top < 1
    ):
        raise ValidationError.single(subject, "top", "must be an integer >= 1", top)
    return top


def label_bars(axes: Axes, bars: BarContainer, texts: Sequence[str]) -> None:
    """Write ``texts`` on ``bars``, one each (the exact figures, formatted)."""
    axes.bar_label(bars, labels=list(texts), padding=2, fontsize="small")

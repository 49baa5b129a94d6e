"""The ranking of accounts by net invoiced, as horizontal bars."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.gridspec import SubplotSpec

from kamcore.metrics import AccountRanking, RankedAccount
from kamcore.plot._canvas import (
    CALM,
    by_currency,
    checked_locale,
    checked_top,
    drawn,
    label_bars,
    money_axis,
    new_figure,
    nothing_to_show,
)

__all__ = ["ranking_chart"]

_SUBJECT = "ranking_chart"


def ranking_chart(
    ranking: AccountRanking, *, top: int | None = None, locale: str = "en_GB"
) -> Figure:
    """Horizontal bars of ``ranking``, the largest account on top.

    One panel per currency (amounts in two currencies are never drawn on one
    axis); each bar is an account, labelled with its name, its length the
    exact total, its end labelled with the total formatted for ``locale``.
    ``top`` keeps the first ``top`` accounts of each currency (the ranking's
    own cut, if any, applies first).

    Raises:
        ValidationError: ``top`` is not an integer of at least 1, or the
            locale is unknown.
    """
    cut = checked_top(top, _SUBJECT)
    checked_locale(locale, _SUBJECT)
    panels = by_currency(ranking.ranked(), lambda line: line.total.currency)
    if cut is not None:
        panels = {code: lines[:cut] for code, lines in panels.items()}
    rows = sum(len(lines) for lines in panels.values())
    figure = new_figure(6.4, 1.2 + 0.35 * max(rows, 2) + 0.6 * len(panels))
    if not panels:
        nothing_to_show(figure.add_subplot(), "No account to rank")
        figure.suptitle(_title(ranking, locale))
        return figure
    heights = [len(lines) + 1 for lines in panels.values()]
    grid = figure.add_gridspec(len(panels), 1, height_ratios=heights)
    for n, (code, lines) in enumerate(panels.items()):
        _panel(figure, grid[n], code, lines, locale)
    figure.suptitle(_title(ranking, locale))
    return figure


def _title(ranking: AccountRanking, locale: str) -> str:
    # The ranking's report names its window the same way.
    return ranking.report(locale).splitlines()[0].rstrip(":")


def _panel(
    figure: Figure,
    cell: SubplotSpec,
    code: str,
    lines: list[RankedAccount],
    locale: str,
) -> None:
    axes = figure.add_subplot(cell)
    positions = range(len(lines))
    bars = axes.barh(positions, [drawn(line.total) for line in lines], color=CALM)
    axes.set_yticks(positions, [f"{line.rank}. {line.name}" for line in lines])
    axes.invert_yaxis()  # rank 1 on top
    label_bars(axes, bars, [line.total.format(locale) for line in lines])
    money_axis(axes, code, locale, axis="x")
    axes.set_xlabel(f"Net invoiced ({code})")
    axes.margins(x=0.25)

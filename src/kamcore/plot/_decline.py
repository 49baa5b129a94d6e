"""The Monday decline check: each account's month before against its last
month, the alarms in red."""

from __future__ import annotations

from collections.abc import Mapping

from babel import dates as babel_dates
from matplotlib.figure import Figure
from matplotlib.gridspec import SubplotSpec
from matplotlib.patches import Patch

from kamcore.kernel import ClientId
from kamcore.metrics import Basis, DeclineLine, OrderDecline, month_start
from kamcore.plot._canvas import (
    ALARM,
    CALM,
    MUTED,
    by_currency,
    checked_locale,
    drawn,
    label_bars,
    money_axis,
    new_figure,
    nothing_to_show,
)

__all__ = ["decline_chart"]

_SUBJECT = "decline_chart"
_WIDTH = 0.4


def decline_chart(
    decline: OrderDecline,
    *,
    names: Mapping[ClientId, str] | None = None,
    locale: str = "en_GB",
) -> Figure:
    """Paired bars per account: the month before (grey) and the last
    complete month (blue, red when it alarms), labelled with the change.

    One panel per currency; accounts by their ``names`` where given (by id
    otherwise). Bar heights are the exact monthly figures; the label on the
    last month is the change rounded as the report shows it ("n/a" without
    a previous month). When nothing is recorded on the basis, the figure
    shows the decline's note instead of empty bars.

    Raises:
        ValidationError: the locale is unknown.
    """
    checked_locale(locale, _SUBJECT)
    months = [
        babel_dates.format_skeleton("yMMM", month_start(month), locale=locale)
        for month in (decline.previous_month, decline.last_month)
    ]
    what = "Orders" if decline.basis is Basis.ORDERS else "Net invoiced"
    title = (
        f"{what}, {months[0]} against {months[1]}: "
        f"a fall of more than {decline.rule.threshold.format(locale)} alarms"
    )
    panels = by_currency(decline.lines, lambda line: line.last.currency)
    rows = max((len(lines) for lines in panels.values()), default=1)
    figure = new_figure(max(7.2, 1.2 * rows + 2), 2.6 * max(len(panels), 1) + 0.4)
    figure.suptitle(title)
    if not panels or not decline.recorded:
        note = decline.note or "No account to compare"
        nothing_to_show(figure.add_subplot(), note)
        return figure
    grid = figure.add_gridspec(len(panels), 1)
    for n, (code, lines) in enumerate(panels.items()):
        _panel(figure, grid[n], code, lines, names or {}, months, locale)
    return figure


def _panel(  # noqa: PLR0917 - one panel's figures and labels
    figure: Figure,
    cell: SubplotSpec,
    code: str,
    lines: list[DeclineLine],
    names: Mapping[ClientId, str],
    months: list[str],
    locale: str,
) -> None:
    axes = figure.add_subplot(cell)
    spots = range(len(lines))
    axes.bar(
        [x - _WIDTH / 2 for x in spots],
        [drawn(line.previous) for line in lines],
        _WIDTH,
        color=MUTED,
    )
    last = axes.bar(
        [x + _WIDTH / 2 for x in spots],
        [drawn(line.last) for line in lines],
        _WIDTH,
        color=[ALARM if line.alarm else CALM for line in lines],
    )
    label_bars(
        axes,
        last,
        [
            "n/a" if line.change is None else line.change.format(locale)
            for line in lines
        ],
    )
    axes.set_xticks(spots, [names.get(line.client, line.client) for line in lines])
    money_axis(axes, code, locale)
    axes.set_ylabel(code)
    axes.margins(y=0.15)
    axes.legend(
        handles=[
            Patch(color=MUTED, label=months[0]),
            Patch(color=CALM, label=months[1]),
            Patch(color=ALARM, label=f"{months[1]}, alarm"),
        ],
        loc="upper right",
        fontsize="small",
    )

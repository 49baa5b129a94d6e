"""Each chart built from the small fixed portfolio of chart_samples.py:
what is drawn (bar sizes equal the exact figures, labels, titles), not pixels."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import attrs
import pytest

pytest.importorskip("matplotlib")

import numpy
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from kamcore.errors import ValidationError
from kamcore.metrics import (
    PortfolioState,
    account_ranking,
    order_decline,
)
from kamcore.plot import (
    DPI,
    decline_chart,
    loyalty_standing,
    monthly_sums,
    monthly_trend,
    ranking_chart,
    renewal_calendar,
)
from plot.chart_samples import (
    AS_OF,
    NAMES,
    build_state,
    expiring,
    membership,
    selection,
)

RED, BLUE, GREY = "#c0392b", "#2e86c1", "#aab7b8"


def _bars(axes: Axes) -> list[Rectangle]:
    return [p for p in axes.patches if isinstance(p, Rectangle)]


def _heights(axes: Axes) -> list[float]:
    return [bar.get_height() for bar in _bars(axes)]


def _widths(axes: Axes) -> list[float]:
    return [bar.get_width() for bar in _bars(axes)]


def _texts(axes: Axes) -> list[str]:
    return [text.get_text() for text in axes.texts]


def _ticks(labels: Sequence[Text]) -> list[str]:
    return [label.get_text() for label in labels]


def _exact(*amounts: str) -> list[float]:
    """The floats drawn for exact amounts."""
    return [float(Decimal(a)) for a in amounts]


# -- monthly trend ------------------------------------------------------------
def test_the_trend_draws_the_exact_net_invoiced_of_each_month() -> None:
    figure = monthly_trend(build_state(), selection("acme", "bolt"), as_of=AS_OF)
    (axes,) = figure.axes
    # Nov 2025 .. Oct 2026; July holds the credit note; November is running.
    assert _heights(axes) == _exact(
        "0", "0", "2000.00", "0", "0", "0", "0", "3000.00", "-250.00", "0", "0",
        "5500.00",
    )  # fmt: skip
    assert _ticks(axes.get_xticklabels())[::5] == [
        "Nov \u201925",
        "Apr \u201926",
        "Sept \u201926",
    ]
    assert axes.get_title() == "Net invoiced per month, group dach"
    assert axes.get_ylabel() == "Net invoiced (EUR)"
    assert axes.yaxis.get_major_formatter()(2000.0, 0) == "€2,000.00"


def test_the_trend_sums_are_exact_decimals() -> None:
    months = range(2026 * 12 + 5, 2026 * 12 + 10)  # Jun .. Oct 2026
    sums = monthly_sums(build_state(), selection("acme", "bolt"), months, "EUR")
    assert sums == [
        Decimal("3000.00"),
        Decimal("-250.00"),
        Decimal(0),
        Decimal(0),
        Decimal("5500.00"),
    ]


def test_the_trend_in_one_currency_of_several() -> None:
    figure = monthly_trend(
        build_state(),
        selection("acme", "euro"),
        as_of=AS_OF,
        months=8,
        currency="USD",
        locale="de_DE",
    )
    (axes,) = figure.axes
    assert _heights(axes) == _exact("900.50", "0", "0", "0", "0", "0", "0", "0")
    assert axes.get_ylabel() == "Net invoiced (USD)"
    assert axes.yaxis.get_major_formatter()(1500.0, 0) == "1.500,00\xa0$"


def test_the_trend_needs_a_currency_when_the_accounts_have_several() -> None:
    with pytest.raises(ValidationError) as caught:
        monthly_trend(build_state(), selection("acme", "euro"), as_of=AS_OF)
    error = caught.value.errors[0]
    assert (error.path, error.message) == (
        "currency",
        "name the currency to show: the accounts are in EUR, USD",
    )


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"months": 0}, "months"),
        ({"locale": "xx_YY"}, "locale"),
        ({"currency": "EURO"}, "currency"),
    ],
)
def test_the_trend_refuses_bad_arguments_by_name(
    arguments: dict[str, object], path: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        monthly_trend(build_state(), selection("acme"), as_of=AS_OF, **arguments)  # type: ignore[arg-type]  # bad on purpose
    assert [e.path for e in caught.value.errors] == [path]


# -- ranking --------------------------------------------------------------------
def test_the_ranking_is_one_panel_of_bars_per_currency() -> None:
    ranking = account_ranking(
        build_state(), selection("acme", "bolt", "euro"), as_of=AS_OF
    )
    figure = ranking_chart(ranking)
    eur, usd = figure.axes
    assert _widths(eur) == _exact("6250.00", "4000.00")
    assert _ticks(eur.get_yticklabels()) == ["1. Acme GmbH", "2. Bolt AG"]
    assert _texts(eur) == ["€6,250.00", "€4,000.00"]
    assert eur.get_xlabel() == "Net invoiced (EUR)"
    assert eur.yaxis_inverted()  # rank 1 on top
    assert _widths(usd) == _exact("900.50")
    assert _texts(usd) == ["US$900.50"]
    assert figure.get_suptitle() == "Accounts by net invoiced, Nov 2025 to Oct 2026"


def test_the_ranking_chart_keeps_the_top_accounts_of_each_currency() -> None:
    ranking = account_ranking(
        build_state(), selection("acme", "bolt", "euro"), as_of=AS_OF
    )
    eur, usd = ranking_chart(ranking, top=1).axes
    assert (_texts(eur), _texts(usd)) == (["€6,250.00"], ["US$900.50"])


def test_a_ranking_cut_with_top_is_titled_so() -> None:
    ranking = account_ranking(
        build_state(), selection("acme", "bolt"), as_of=AS_OF, top=1
    )
    figure = ranking_chart(ranking)
    assert _ticks(figure.axes[0].get_yticklabels()) == ["1. Acme GmbH"]
    assert figure.get_suptitle().startswith("Top 1 accounts by net invoiced")


def test_an_empty_ranking_says_so() -> None:
    ranking = account_ranking(build_state(), selection(), as_of=AS_OF)
    (axes,) = ranking_chart(ranking).axes
    assert (_bars(axes), _texts(axes)) == ([], ["No account to rank"])


@pytest.mark.parametrize("top", [0, True, 2.5])
def test_the_ranking_chart_refuses_a_bad_top(top: object) -> None:
    ranking = account_ranking(build_state(), selection("acme"), as_of=AS_OF)
    with pytest.raises(ValidationError) as caught:
        ranking_chart(ranking, top=top)  # type: ignore[arg-type]  # bad on purpose
    error = caught.value.errors[0]
    assert (error.path, error.message, error.value) == (
        "top",
        "must be an integer >= 1",
        top,
    )


# -- decline --------------------------------------------------------------------
def test_the_decline_chart_pairs_the_two_months_and_marks_the_alarms() -> None:
    decline = order_decline(
        build_state(), selection("acme", "bolt", "euro"), as_of=AS_OF
    )
    figure = decline_chart(decline, names=NAMES)
    eur, usd = figure.axes
    # Previous months first, then last months.
    assert _heights(eur) == _exact("10000.00", "5000.00", "7000.00", "5000.00")
    assert [to_hex(bar.get_facecolor()) for bar in _bars(eur)] == [
        GREY,
        GREY,
        RED,  # acme: -30 % from a base above 1,000 EUR
        BLUE,
    ]
    assert _texts(eur) == ["-30%", "0%"]
    assert _ticks(eur.get_xticklabels()) == ["Acme GmbH", "Bolt AG"]
    assert _heights(usd) == _exact("2000.00", "1000.00")
    assert (_texts(usd), usd.get_ylabel()) == (["-50%"], "USD")
    assert figure.get_suptitle() == (
        "Orders, Sept 2026 against Oct 2026: a fall of more than 20% alarms"
    )


def test_a_decline_with_nothing_recorded_shows_its_note() -> None:
    decline = order_decline(PortfolioState(), selection("acme"), as_of=AS_OF)
    figure = decline_chart(decline)
    assert figure.axes[0].texts[-1].get_text() == (
        "no orders recorded: decline is measured on orders"
    )
    assert _bars(figure.axes[0]) == []


# -- renewal calendar -------------------------------------------------------------
def test_the_renewal_calendar_draws_the_days_left_of_each_contract() -> None:
    figure = renewal_calendar(expiring(), names=NAMES)
    (axes,) = figure.axes
    assert _widths(axes) == [-3, 55]
    assert [to_hex(bar.get_facecolor()) for bar in _bars(axes)] == [RED, BLUE]
    assert _ticks(axes.get_yticklabels()) == [
        "k-acme Valve supply (Acme GmbH)",
        "k-euro Service (Euro Inc, renews itself)",
    ]
    assert _texts(axes) == ["€24,000.00", "US$12,000.00"]
    assert axes.xaxis.get_major_formatter()(15.0, 0) == "1 Dec"
    assert figure.get_suptitle() == (
        "Contracts ending within 60 days of 16 Nov 2026 (by 15 Jan 2027)"
    )


def test_an_empty_calendar_says_so() -> None:
    figure = renewal_calendar(attrs.evolve(expiring(), lines=()))
    assert _texts(figure.axes[0]) == ["No contract ends in this window"]


# -- loyalty standing -------------------------------------------------------------
def test_the_loyalty_standing_draws_spend_against_the_tiers_and_the_points() -> None:
    figure = loyalty_standing(membership(), name="Acme GmbH")
    spend, points = figure.axes
    assert _widths(spend) == _exact("6224.00")
    assert [numpy.asarray(line.get_xdata())[0] for line in spend.lines] == _exact(
        "5000", "10000"
    )
    assert _texts(spend) == ["€6,224.00", "Silver", "Gold"]
    assert spend.get_xlabel() == "Qualifying spend, 1 Jan 2026 to 31 Dec 2026"
    assert _widths(points) == [6224.0, 5224.0, 500.0, 1000.0]
    assert _ticks(points.get_yticklabels()) == [
        "Balance",
        "Redeemable",
        "Pending",
        "Held",
    ]
    assert _texts(points) == ["6,224", "5,224", "500", "1,000"]
    assert points.get_xlabel() == "Points (redeemable worth €52.24)"
    assert figure.get_suptitle() == "Acme GmbH: Silver, as of 16 Nov 2026"


def test_the_loyalty_standing_refuses_an_empty_name() -> None:
    with pytest.raises(ValidationError) as caught:
        loyalty_standing(membership(), name=" ")
    assert [(e.path, e.value) for e in caught.value.errors] == [("name", " ")]


# -- the figures themselves ---------------------------------------------------------
def test_a_chart_saves_as_a_png_of_its_size_at_the_charts_dpi() -> None:
    figure = renewal_calendar(expiring())
    out = io.BytesIO()
    figure.savefig(out, format="png")
    data = out.getvalue()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = (int.from_bytes(data[16:20]), int.from_bytes(data[20:24]))
    assert (width, height) == (round(7.2 * DPI), round(2.2 * DPI))


def test_charts_are_figures_on_their_own_agg_canvas() -> None:
    figure = monthly_trend(build_state(), selection("acme"), as_of=AS_OF)
    assert isinstance(figure, Figure)
    assert isinstance(figure.canvas, FigureCanvasAgg)

"""A membership's standing: qualifying spend against the tiers, and points."""

from __future__ import annotations

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kamcore.errors import ValidationError
from kamcore.loyalty import MembershipReport
from kamcore.plot._canvas import (
    CALM,
    MUTED,
    checked_locale,
    drawn,
    label_bars,
    money_axis,
    new_figure,
)

__all__ = ["POINT_KINDS", "loyalty_standing"]

_SUBJECT = "loyalty_standing"

POINT_KINDS = ("balance", "redeemable", "pending", "held")
"""The points drawn, top to bottom: attributes of the membership report."""


def loyalty_standing(
    report: MembershipReport, *, name: str | None = None, locale: str = "en_GB"
) -> Figure:
    """Where a membership stands: its qualifying spend in the period against
    the threshold of every tier (top panel), and its points (bottom panel).

    The spend bar is the exact spend, each tier a vertical line at its
    threshold, labelled with its name; the points bars are the report's
    balance, redeemable, pending and held points, labelled with the number.
    The title names the member (``name``, else the membership id) and the
    tier in effect.

    Raises:
        ValidationError: ``name`` is empty, or the locale is unknown.
    """
    checked_locale(locale, _SUBJECT)
    _check_name(name)
    standing = report.standing
    figure = new_figure(6.4, 4.4)
    spend_axes, points_axes = figure.subplots(2, 1, height_ratios=[1, 2])
    override = ", set by an account manager" if standing.overridden else ""
    figure.suptitle(
        f"{name or report.membership}: {standing.tier.name}{override}, "
        f"as of {babel_dates.format_date(report.as_of, 'medium', locale=locale)}"
    )
    _spend(spend_axes, report, locale)
    _points(points_axes, report, locale)
    return figure


def _check_name(name: object) -> None:
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValidationError.single(_SUBJECT, "name", "must be a non-empty text", name)


def _spend(axes: Axes, report: MembershipReport, locale: str) -> None:
    standing = report.standing
    spend = standing.spend
    bars = axes.barh([0], [drawn(spend)], color=CALM)
    label_bars(axes, bars, [spend.format(locale)])
    top = drawn(spend)
    for target in report.targets:
        threshold = drawn(target.tier.threshold)
        top = max(top, threshold)
        axes.axvline(threshold, color="black", linestyle="--", linewidth=1)
        axes.annotate(
            target.tier.name,
            (threshold, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2),
            ha="center",
            va="bottom",
            textcoords="offset points",
            fontsize="small",
        )
    axes.set_xlim(0, top * 1.25 or 1)
    axes.set_yticks([])
    money_axis(axes, spend.currency, locale, axis="x")
    period = standing.period
    if period.start is not None and period.end is not None:
        days = [
            babel_dates.format_date(day, "medium", locale=locale)
            for day in (period.start, period.end)
        ]
        axes.set_xlabel(f"Qualifying spend, {days[0]} to {days[1]}")
    else:
        axes.set_xlabel("Qualifying spend")


def _points(axes: Axes, report: MembershipReport, locale: str) -> None:
    points = [getattr(report, kind) for kind in POINT_KINDS]
    spots = range(len(POINT_KINDS))
    bars = axes.barh(
        spots, [drawn(p) for p in points], color=[CALM, CALM, MUTED, MUTED]
    )
    axes.set_yticks(spots, [kind.capitalize() for kind in POINT_KINDS])
    axes.invert_yaxis()
    label_bars(
        axes,
        bars,
        [
            babel_numbers.format_decimal(p, locale=locale, decimal_quantization=False)
            for p in points
        ],
    )
    axes.margins(x=0.2)
    axes.set_xlabel(
        f"Points (redeemable worth {report.redeemable_value.format(locale)})"
    )

"""Inline SVG charts for the HTML report: horizontal bars, drawn by hand.

Each bar has its label above it and its value, already written for the
reader's locale, beside it; positions are computed from the exact figures
(``Decimal``), rounded to a tenth of a pixel. Labels and values are text
from data: :func:`~kamcore.cli._html.el` escapes them. No ``xmlns``: the
HTML parser puts an inline ``<svg>`` in the SVG namespace by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from kamcore.cli._html import Markup, el, join

__all__ = ["Bar", "Progress", "bar_chart", "progress_chart"]

WIDTH = 860
"""The charts' width in CSS pixels (they scale down with the page)."""
_VALUE_ROOM = 300  # room right of the longest bar for its value
_ROW = 40  # label line, bar, gap
_BAR = 14


class Bar(NamedTuple):
    """One bar: ``label`` above it, ``text`` (``value`` for the reader) beside."""

    label: str
    value: Decimal
    text: str


class Progress(NamedTuple):
    """One bar filled to ``done`` of ``total``, with ``text`` beside it."""

    label: str
    done: Decimal
    total: Decimal
    text: str


def _px(value: Decimal | float) -> str:
    rounded = round(float(value), 1)
    return f"{rounded:g}"


def _svg(rows: Sequence[Markup], *, title: str, chart_id: str) -> Markup:
    height = _ROW * len(rows) + 4
    return el(
        "svg",
        {
            "class": "chart",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": WIDTH,
            "height": height,
            "role": "img",
            "aria-labelledby": f"{chart_id}-title",
        },
        el("title", {"id": f"{chart_id}-title"}, title),
        *rows,
    )


def _row(number: int, label: str, shapes: Sequence[Markup]) -> Markup:
    top = _ROW * number
    return el(
        "g",
        {"transform": f"translate(0 {top})"},
        el("text", {"class": "label", "x": 0, "y": 13}, label),
        *shapes,
    )


def bar_chart(bars: Sequence[Bar], *, title: str, chart_id: str) -> Markup:
    """Horizontal bars on one scale, from a zero line (negative values go
    left of it).

    ``chart_id`` names the chart in the page (the code's own word, not
    data); ``title`` is its accessible name.
    """
    low = min([Decimal(0), *(bar.value for bar in bars)])
    high = max([Decimal(0), *(bar.value for bar in bars)])
    span = high - low or Decimal(1)
    room = Decimal(WIDTH - _VALUE_ROOM)
    zero = room * -low / span
    rows = []
    for number, bar in enumerate(bars):
        end = zero + room * bar.value / span
        left, right = min(zero, end), max(zero, end)
        shapes = [
            el(
                "rect",
                {
                    "class": "bar negative" if bar.value < 0 else "bar",
                    "x": _px(left),
                    "y": 18,
                    "width": _px(max(right - left, Decimal("0.5"))),
                    "height": _BAR,
                },
            ),
            el(
                "text",
                {"class": "value", "x": _px(max(right, zero) + 6), "y": 30},
                bar.text,
            ),
        ]
        if low < 0:  # the zero line, beside the bar (not across the label)
            axis = {"class": "axis", "x1": _px(zero), "x2": _px(zero)}
            shapes.append(el("line", {**axis, "y1": 16, "y2": 18 + _BAR + 2}))
        rows.append(_row(number, bar.label, shapes))
    return _svg(rows, title=title, chart_id=chart_id)


def progress_chart(rows: Sequence[Progress], *, title: str, chart_id: str) -> Markup:
    """One track per row, filled to ``done / total`` (full when ``total`` is
    not positive or ``done`` reaches it)."""
    room = Decimal(WIDTH - _VALUE_ROOM)
    drawn = []
    for number, row in enumerate(rows):
        share = (
            Decimal(1)
            if row.total <= 0
            else min(max(row.done / row.total, Decimal(0)), Decimal(1))
        )
        track = el(
            "rect",
            {"class": "track", "x": 0, "y": 18, "width": _px(room), "height": _BAR},
        )
        fill = el(
            "rect",
            {
                "class": "bar",
                "x": 0,
                "y": 18,
                "width": _px(room * share),
                "height": _BAR,
            },
        )
        value = el("text", {"class": "value", "x": _px(room + 6), "y": 30}, row.text)
        drawn.append(_row(number, row.label, [join([track, fill]), value]))
    return _svg(drawn, title=title, chart_id=chart_id)

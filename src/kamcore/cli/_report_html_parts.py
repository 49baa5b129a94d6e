"""The pieces every section of the HTML report is made of: figures written
for the reader's locale, tables, and the page's style."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from kamcore.cli._html import Markup, el
from kamcore.i18n import Translator, translator
from kamcore.kernel import DateRange, Money, Percentage, validate_locale
from kamcore.metrics import month_start

__all__ = ["STYLE", "Cell", "Column", "Writer", "table"]


@attrs.frozen
class Writer:
    """The reader's language and formats: sentences through the translator,
    numbers, amounts and dates through Babel.

    Attributes:
        locale: The reader's locale (``"de_DE"``).
        translate: Its translator (``_ = writer.translate``).
    """

    locale: str
    translate: Translator

    @classmethod
    def of(cls, locale: str) -> Writer:
        """The writer for ``locale``.

        Raises:
            ValidationError: Babel does not know ``locale``.
        """
        locale = validate_locale(locale)
        return cls(locale, translator(locale))

    def money(self, value: Money) -> str:
        """``'85.508,10 €'`` in de_DE."""
        return value.format(self.locale)

    def number(self, value: Decimal | int) -> str:
        """A count or a figure, every digit kept (``'92.974'`` in de_DE)."""
        return format_decimal(value, locale=self.locale, decimal_quantization=False)

    def percent(self, value: Percentage | None) -> str:
        """``'14,98 %'`` in de_DE; *n/a* without a value."""
        if value is None:
            return self.translate.pgettext("no figure", "n/a")
        return value.format(self.locale)

    def day(self, value: dt.date) -> str:
        """A medium date (``'23.11.2026'`` in de_DE)."""
        return format_date(value, "medium", locale=self.locale)

    def month(self, key: int) -> str:
        """A month (``'Okt. 2026'`` in de_DE) from its month key."""
        return format_skeleton("yMMM", month_start(key), locale=self.locale)

    def months(self, months: range) -> str:
        """A window of months: ``'Nov 2025 to Oct 2026'``."""
        first, last = self.month(months[0]), self.month(months[-1])
        if first == last:
            return first
        return self.translate.pgettext(
            "period", "{start} to {end}", start=first, end=last
        )

    def period(self, period: DateRange) -> str:
        """A period of days: ``'24 Nov 2025 to 23 Nov 2026'``."""
        start = "…" if period.start is None else self.day(period.start)
        end = "…" if period.end is None else self.day(period.end)
        return self.translate.pgettext(
            "period", "{start} to {end}", start=start, end=end
        )


Cell = str
"""A table cell: plain text (escaped) or :class:`~kamcore.cli._html.Markup`."""


@attrs.frozen
class Column:
    """A table column.

    Attributes:
        heading: Its heading.
        figures: Whether it holds figures (aligned to the end, digits lined up).
    """

    heading: str
    figures: bool = attrs.field(default=False, kw_only=True)


def table(
    w: Writer,
    name: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    marked: Sequence[bool] = (),
) -> Markup:
    """The table ``name`` (its ``id``: the code's own word) with a heading
    row, or a paragraph saying *none* without rows.

    ``marked[n]`` highlights row ``n`` (an account that needs attention).
    """
    if not rows:
        none = w.translate.pgettext("empty list", "none")
        return el("p", {"class": "empty", "id": name}, none)
    head = el(
        "tr",
        None,
        *(
            el("th", {"scope": "col", "class": "num" if c.figures else None}, c.heading)
            for c in columns
        ),
    )
    body = [
        el(
            "tr",
            {"class": "marked" if n < len(marked) and marked[n] else None},
            *(
                el("td", {"class": "num" if column.figures else None}, cell)
                for column, cell in zip(columns, row, strict=True)
            ),
        )
        for n, row in enumerate(rows)
    ]
    return el("table", {"id": name}, el("thead", None, head), el("tbody", None, *body))


STYLE = """
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --rule: #d9e2ec;
  --accent: #2f6f9f; --warn: #b44d12; --bad: #b42318; --paper: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 1.25rem 3rem;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Liberation Sans",
  "DejaVu Sans", sans-serif; color: var(--ink); background: var(--paper); }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1.25rem; }
h1 { font-size: 1.6rem; margin: 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; padding-bottom: 0.2rem;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; margin: 1.25rem 0 0.4rem; }
p { margin: 0.3rem 0; }
.subtitle, .note, .empty, figcaption { color: var(--muted); }
.figures { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0; }
.figures div { flex: 1 1 9rem; border: 1px solid var(--rule);
  border-radius: 6px; padding: 0.5rem 0.75rem; }
.figures dt { color: var(--muted); font-size: 0.85rem; }
.figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.figures .alarm dd { color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem;
  font-size: 0.9rem; }
th, td { text-align: start; padding: 0.3rem 0.5rem;
  border-bottom: 1px solid var(--rule); vertical-align: top; }
th { font-weight: 600; background: #f5f7fa; }
.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.marked td { background: #fff4e5; }
.id { color: var(--muted); font-size: 0.85em; }
.flag { color: var(--warn); }
figure { margin: 0.5rem 0 1rem; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { font: 12px system-ui, "Liberation Sans", "DejaVu Sans",
  sans-serif; fill: var(--ink); }
svg.chart .value { fill: var(--muted); }
svg.chart .bar { fill: var(--accent); }
svg.chart .negative { fill: var(--bad); }
svg.chart .track { fill: #e4e9ef; }
svg.chart .axis { stroke: var(--muted); }
@media print { body { max-width: none; } h2 { break-after: avoid; } }
"""
"""The page's only style: no font or image is loaded from anywhere."""

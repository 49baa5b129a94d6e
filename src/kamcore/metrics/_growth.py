"""Revenue growth per account, year on year or over any two windows (SPEC §6).

It reads net invoiced sums (invoices less credit notes) over whole calendar
months: by default the trailing 12 months, the 12 complete months before the
month of the as-of date (see :func:`trailing_months`), against the 12 before
them; or any current window against an earlier one of the same length (H1
against H1, a quarter against the one before).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from kamcore.errors import ValidationError
from kamcore.i18n import NC_, translator
from kamcore.kernel import ClientId, Money, Percentage
from kamcore.metrics._args import check_date
from kamcore.metrics._cover import Cover, cover, money_column
from kamcore.metrics._format import (
    Row,
    checked_locale,
    client_text,
    date_text,
    money_text,
    months_text,
    percent_text,
    percentage_of,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._lazy import DeferredLines, defer_lines
from kamcore.metrics._line_memo import reused_lines
from kamcore.metrics._month_windows import MonthWindow, compared_windows
from kamcore.metrics._months import (
    month_label,
    percent_change,
    trailing_months,
)
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._sums import INVOICED, Matrix

__all__ = [
    "GrowthLine",
    "GrowthReason",
    "RevenueGrowth",
    "revenue_growth",
]


class GrowthReason(enum.Enum):
    """Why an account has no growth figure."""

    NEW_ACCOUNT = "new_account"
    """Nothing net invoiced before the current window."""
    ZERO_BASE = "zero_base"
    """Invoiced before, but the previous window nets to zero."""
    NEGATIVE_BASE = "negative_base"
    """Credit notes exceed invoices in the base window."""
    NO_INVOICING = "no_invoicing"
    """Nothing net invoiced in either window."""

    def __str__(self) -> str:
        return self.value


class GrowthLine(NamedTuple):
    """One account's revenue growth.

    Attributes:
        client: The account.
        current: Net invoiced over the current window (the last 12 months).
        base: Net invoiced over the previous window (the 12 months before).
        value: ``(current - base) / base`` in percent, rounded once to 0.01
            point ``ROUND_HALF_UP``; ``None`` when the base is not positive.
        reason: Why there is no value.
    """

    client: ClientId
    current: Money
    base: Money
    value: Percentage | None
    reason: GrowthReason | None

    @property
    def numerator(self) -> Money:
        """``current - base``, exact."""
        return self.current - self.base

    @property
    def denominator(self) -> Money:
        """The base."""
        return self.base

    def row(self) -> Row:
        """The line as a plain row."""
        return {
            "client": self.client,
            "currency": self.current.currency,
            "current": text(self.current),
            "base": text(self.base),
            "growth": text(self.value),
            "reason": None if self.reason is None else self.reason.value,
        }


def _reason(
    current: int, base: int, first: int | None, start: int
) -> GrowthReason | None:
    """Why an account with these sums (minor units) has no growth figure."""
    if base > 0:
        return None
    if base < 0:
        return GrowthReason.NEGATIVE_BASE
    if not current:
        return GrowthReason.NO_INVOICING
    if first is None or first >= start:
        return GrowthReason.NEW_ACCOUNT
    return GrowthReason.ZERO_BASE


def _build(  # noqa: PLR0917 - the figures of the lines
    found: Cover,
    current: Matrix,
    base: Matrix,
    start: int,
    firsts: npt.NDArray[np.int64],
    positions: Sequence[int],
) -> list[GrowthLine]:
    """The lines of the covered accounts at ``positions``, from their window
    sums (minor units) and first invoiced months (``-1`` when not needed)."""
    picked = list(positions)
    currencies = [found.clients[n].currency for n in picked]
    currents = money_column(current[picked], currencies)
    bases = money_column(base[picked], currencies)
    lines: list[GrowthLine] = []
    for at, n in enumerate(picked):
        now, before, first = int(current[n]), int(base[n]), int(firsts[n])
        reason = _reason(now, before, None if first < 0 else first, start)
        value = (
            percentage_of(percent_change(currents[at].amount, bases[at].amount))
            if reason is None
            else None
        )
        lines.append(
            GrowthLine(found.clients[n].id, currents[at], bases[at], value, reason)
        )
    return lines


@attrs.frozen(kw_only=True)
class RevenueGrowth(DeferredLines, FrameExport):
    """Revenue growth per account, year on year or over two chosen windows.

    Attributes:
        as_of: The date it was computed as of.
        current_months: The current window (month keys): by default the last
            12 complete months.
        base_months: The previous window, as long: by default the 12 months
            before them.
        lines: One line per covered account, by id; each carries its value,
            numerator and denominator.
        covered: The accounts with a line.
        excluded: The selection's other accounts, each with its reason.
    """

    DEFINITION: ClassVar[str] = (
        "Per account: net invoiced (invoices less credit notes) over the last 12 "
        "complete months against the 12 months before, in percent."
    )

    as_of: dt.date
    current_months: range
    base_months: range
    lines: tuple[GrowthLine, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]
    _pending: Callable[[], tuple[GrowthLine, ...]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    @property
    def definition(self) -> str:
        """What the metric measures, in one line."""
        return self.DEFINITION

    def rows(self) -> list[Row]:
        """One row per account."""
        return [line.row() for line in self.lines]

    def summary_row(self) -> Row:
        """The windows and how many accounts grew, shrank or had no base."""
        values = [line.value for line in self.lines]
        return {
            "metric": "revenue_growth_yoy",
            "as_of": self.as_of.isoformat(),
            "current_from": month_label(self.current_months[0]),
            "current_to": month_label(self.current_months[-1]),
            "base_from": month_label(self.base_months[0]),
            "base_to": month_label(self.base_months[-1]),
            "growing": sum(1 for v in values if v is not None and v.value > 0),
            "declining": sum(1 for v in values if v is not None and v.value < 0),
            "without_base": sum(1 for v in values if v is None),
            "covered": len(self.covered),
            "excluded": len(self.excluded),
        }

    def report(self, locale: str, names: Mapping[ClientId, str] | None = None) -> str:
        """The result in words, formatted for ``locale``, in its language;
        accounts by their ``names`` where given (by id otherwise)."""
        checked_locale(locale)
        _ = translator(locale)
        lines = [
            # Translators: {current} and {base} are the two windows of months
            # compared (such as Nov 2025 to Oct 2026, then Nov 2024 to Oct
            # 2025); {day} is the date it is computed as of.
            _(
                "Revenue growth per account, {current} against {base} (as of {day}):",
                current=months_text(self.current_months, locale),
                base=months_text(self.base_months, locale),
                day=date_text(self.as_of, locale),
            )
        ]
        for line in self.lines:
            values = {
                "client": client_text(line.client, names),
                "current": money_text(line.current, locale),
                "base": money_text(line.base, locale),
            }
            if line.reason is None:
                # Translators: an account's net invoiced in the current window
                # against the previous one, and the growth in percent.
                said = _(
                    "{client}: {current} against {base}: {growth}",
                    growth=percent_text(line.value, locale),
                    **values,
                )
            else:
                # Translators: an account's net invoiced in the current window
                # against the previous one, and why there is no growth figure.
                said = _(
                    "{client}: {current} against {base}: n/a ({reason})",
                    reason=_(_REASON_NAMES[line.reason]),
                    **values,
                )
            lines.append("  " + said)
        return "\n".join(lines)


#: Why an account has no growth figure, as a report says it (the reason's
#: code stays in the rows).
_REASON_NAMES = {
    GrowthReason.NEW_ACCOUNT: NC_("no growth figure", "new account"),
    GrowthReason.ZERO_BASE: NC_("no growth figure", "zero base"),
    GrowthReason.NEGATIVE_BASE: NC_("no growth figure", "negative base"),
    GrowthReason.NO_INVOICING: NC_("no growth figure", "no invoicing"),
}


def revenue_growth(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    current: MonthWindow | None = None,
    previous: MonthWindow | None = None,
) -> RevenueGrowth:
    """Growth of net invoiced for each account of ``selection``.

    By default the last 12 complete months against the 12 before them (year
    on year). ``current`` and ``previous``, given together, compare any two
    windows instead: each a ``(first, last)`` pair of dates naming its first
    and last month (any day of a month names it), e.g. H1 2026 against H1
    2025 is ``current=(dt.date(2026, 1, 1), dt.date(2026, 6, 1))``,
    ``previous=(dt.date(2025, 1, 1), dt.date(2025, 6, 1))``. When the base is
    zero or negative the line has no value and says why (a new account, a
    zero base, a negative base, no invoicing at all). Each line is in its
    account's currency; an account whose sums are held in another currency
    than its client record's is excluded.

    Raises:
        ValidationError: ``as_of`` is not a date; only one of ``current`` and
            ``previous`` is given; a window is not a pair of dates in order;
            the two windows differ in length; ``previous`` does not end
            before ``current`` starts; ``current`` reaches past the last
            complete month before ``as_of``; ``previous`` starts before the
            state's first invoiced month. The error names the argument.
    """
    check_date(as_of, subject="revenue_growth")
    if current is None and previous is None:
        current_months = trailing_months(as_of, 12)
        base_months = trailing_months(as_of, 12, skip=12)
    elif current is None or previous is None:
        missing = "current" if current is None else "previous"
        raise ValidationError.single(
            "revenue_growth",
            missing,
            "give both current and previous, or neither",
            None,
        )
    else:
        current_months, base_months = compared_windows(
            state, current, previous, as_of=as_of, subject="revenue_growth"
        )
    found = cover(state, selection, None)
    current_sums = found.sums.window(INVOICED, found.rows, current_months)
    base_sums = found.sums.window(INVOICED, found.rows, base_months)
    growth = RevenueGrowth(
        as_of=as_of,
        current_months=current_months,
        base_months=base_months,
        lines=(),
        covered=found.covered,
        excluded=found.excluded,
    )
    # The first invoiced months a line may need, read now: the state moves on.
    zero_base = (base_sums == 0) & (current_sums != 0)
    firsts = np.full(len(found.clients), -1, np.int64)
    firsts[zero_base] = found.sums.first_months(INVOICED, found.rows[zero_base])
    start = current_months.start

    def lines() -> tuple[GrowthLine, ...]:
        kind = ("growth", start, current_months.stop, base_months.start)
        inputs = (current_sums, base_sums, firsts)
        return tuple(
            reused_lines(
                state,
                kind,
                selection,
                found.covered,
                inputs,
                lambda at: _build(found, current_sums, base_sums, start, firsts, at),
            )
        )

    return defer_lines(growth, lines)

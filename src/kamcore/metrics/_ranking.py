"""Accounts sorted by total invoiced: the first figure of the Monday health check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar, NamedTuple

import attrs
import numpy as np

from kamcore.i18n import translator
from kamcore.kernel import ClientId, Money
from kamcore.metrics._args import check_count, check_date
from kamcore.metrics._cover import AccountTotal, cover, money_column
from kamcore.metrics._format import (
    Row,
    checked_locale,
    money_text,
    months_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._lazy import DeferredLines, defer_lines
from kamcore.metrics._line_memo import reused_lines
from kamcore.metrics._months import trailing_months
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._sums import INVOICED, Matrix

__all__ = ["AccountRanking", "RankedAccount", "account_ranking"]


class RankedAccount(NamedTuple):
    """One account of the ranking, with its rank.

    Attributes:
        rank: 1 for the largest, within the account's currency.
        client: The account.
        name: Its name.
        total: Its net invoiced over the window.
    """

    rank: int
    client: ClientId
    name: str
    total: Money

    def row(self) -> Row:
        """The account as a plain row."""
        return {
            "rank": self.rank,
            "client": self.client,
            "name": self.name,
            "currency": self.total.currency,
            "total": text(self.total),
        }


@attrs.frozen(kw_only=True)
class AccountRanking(DeferredLines, FrameExport):
    """The accounts of a selection sorted by total invoiced.

    Attributes:
        as_of: The date it was computed as of.
        months: The window (the trailing complete months).
        lines: By currency code, then total descending, then id: amounts in
            two currencies are never ranked against each other. With ``top``,
            only the first ``top`` of each currency.
        names: The covered accounts' names, by id.
        covered: The ranked accounts, by id.
        excluded: The selection's other accounts, each with its reason.
        top: How many accounts of each currency the lines keep (``None``:
            all of them). The others are covered, ranked below, not shown.
    """

    DEFINITION: ClassVar[str] = (
        "Accounts sorted by net invoiced over the last complete months, "
        "largest first, per currency."
    )

    as_of: dt.date
    months: range
    lines: tuple[AccountTotal, ...]
    names: Mapping[ClientId, str] = attrs.field(eq=False, repr=False)
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]
    top: int | None = None
    _pending: Callable[[], tuple[AccountTotal, ...]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    @property
    def definition(self) -> str:
        """What the figure shows, in one line."""
        return self.DEFINITION

    def ranked(self) -> list[RankedAccount]:
        """The lines with their rank (per currency) and name."""
        ranked: list[RankedAccount] = []
        rank, currency = 0, ""
        for client, total in self.lines:
            rank = rank + 1 if total.currency == currency else 1
            currency = total.currency
            ranked.append(RankedAccount(rank, client, self.names[client], total))
        return ranked

    def rows(self) -> list[Row]:
        """One row per ranked account."""
        return [line.row() for line in self.ranked()]

    def report(self, locale: str) -> str:
        """The ranking in words, formatted for ``locale``, in its language."""
        checked_locale(locale)
        _ = translator(locale)
        months = months_text(self.months, locale)
        if self.top is None:
            # Translators: {months} is a window of months, "Nov 2025 to Oct 2026".
            lines = [_("Accounts by net invoiced, {months}:", months=months)]
        else:
            lines = [
                # Translators: the English heading keeps "Top 1 accounts" in the
                # singular too; give each plural form your language needs.
                _.ngettext(
                    "Top {n} accounts by net invoiced, {months}:",
                    "Top {n} accounts by net invoiced, {months}:",
                    self.top,
                    months=months,
                )
            ]
        several = len({line.total.currency for line in self.lines}) > 1
        for line in self.ranked():
            if several and line.rank == 1:
                # Translators: a currency code heading its accounts, "EUR:".
                lines.append(" " + _("{currency}:", currency=line.total.currency))
            lines.append(
                "  "
                # Translators: one account of a ranking: its rank, name, id and
                # net invoiced, "1. Acme (acme): €12,000.00".
                + _(
                    "{rank}. {name} ({client}): {total}",
                    rank=line.rank,
                    name=line.name,
                    client=line.client,
                    total=money_text(line.total, locale),
                )
            )
        return "\n".join(lines)


def ranked_order(currencies: list[str], totals: Matrix) -> list[int]:
    """The positions of ``totals`` by currency code, then total descending,
    then position (the selection's order: by id)."""
    codes = sorted(set(currencies))
    if len(codes) == 1 and totals.dtype != object:  # one stable sort: ties by id
        return np.argsort(-totals, kind="stable").tolist()  # type: ignore[no-any-return]
    if len(codes) == 1:
        by_code = np.zeros(len(currencies), np.int64)
    else:
        index = {code: n for n, code in enumerate(codes)}
        by_code = np.array([index[code] for code in currencies], np.int64)
    if totals.dtype == object:  # Python ints: sorted by Python
        values = totals.tolist()
        keys = by_code.tolist()
        return sorted(range(len(values)), key=lambda n: (keys[n], -values[n], n))
    positions = np.arange(len(totals))
    return np.lexsort((positions, -totals, by_code)).tolist()  # type: ignore[no-any-return]


def _first(order: list[int], currencies: list[str], top: int | None) -> list[int]:
    """The first ``top`` positions of each currency (``order`` comes by
    currency)."""
    if top is None:
        return order
    kept: list[int] = []
    count, currency = 0, ""
    for n in order:
        count = count + 1 if currencies[n] == currency else 1
        currency = currencies[n]
        if count <= top:
            kept.append(n)
    return kept


def account_ranking(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    months: int = 12,
    top: int | None = None,
) -> AccountRanking:
    """The accounts of ``selection`` by net invoiced over the last ``months``
    complete months (12 by default), largest first; with ``top``, only the
    first ``top`` accounts of each currency.

    The order is worked out on the state's integer sums at once; the lines
    (one ``Money`` per account) are built when first read.

    Raises:
        ValidationError: ``as_of`` is not a date, or ``months`` or ``top``
            is below 1.
    """
    check_date(as_of, subject="account_ranking")
    check_count(months, subject="account_ranking", path="months", minimum=1)
    if top is not None:
        check_count(top, subject="account_ranking", path="top", minimum=1)
    window = trailing_months(as_of, months)
    found = cover(state, selection, None)
    totals = found.sums.window(INVOICED, found.rows, window)
    currencies = found.currencies
    shown = _first(ranked_order(currencies, totals), currencies, top)
    clients = found.clients

    def build(positions: Sequence[int]) -> list[AccountTotal]:
        picked = list(positions)
        moneys = money_column(totals[picked], [currencies[n] for n in picked])
        return [
            AccountTotal(clients[n].id, money)
            for n, money in zip(picked, moneys, strict=True)
        ]

    def lines() -> tuple[AccountTotal, ...]:
        kind = ("ranking", window.start, window.stop)
        every = reused_lines(state, kind, selection, found.covered, (totals,), build)
        return tuple(every[n] for n in shown)

    ranking = AccountRanking(
        as_of=as_of,
        months=window,
        lines=(),
        names=selection.names,
        covered=found.covered,
        excluded=found.excluded,
        top=top,
    )
    return defer_lines(ranking, lines)

"""Accounts sorted by total invoiced: the first figure of the Monday health check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any, ClassVar, NamedTuple

import attrs

from kamcore.kernel import ClientId, Money
from kamcore.kernel._money import EXACT
from kamcore.metrics._args import check_count, check_date
from kamcore.metrics._cover import AccountTotal, covered_ids, total_line
from kamcore.metrics._format import (
    Row,
    checked_locale,
    money_text,
    months_text,
    text,
)
from kamcore.metrics._kept import kept_lines
from kamcore.metrics._months import trailing_months
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState

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
class AccountRanking:
    """The accounts of a selection sorted by total invoiced.

    Attributes:
        as_of: The date it was computed as of.
        months: The window (the trailing complete months).
        lines: By currency code, then total descending, then id: amounts in
            two currencies are never ranked against each other.
        names: The covered accounts' names, by id.
        covered: The ranked accounts, by id.
        excluded: The selection's other accounts, each with its reason.
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
        """The ranking in words, formatted for ``locale``."""
        checked_locale(locale)
        lines = [f"Accounts by net invoiced, {months_text(self.months, locale)}:"]
        several = len({line.total.currency for line in self.lines}) > 1
        for line in self.ranked():
            if several and line.rank == 1:
                lines.append(f" {line.total.currency}:")
            lines.append(
                f"  {line.rank}. {line.name} ({line.client}): "
                f"{money_text(line.total, locale)}"
            )
        return "\n".join(lines)


def _order_key(line: AccountTotal) -> tuple[str, Decimal, ClientId]:
    # Currency, then total descending, then id: a total order, so a nearly
    # sorted list (last week's order) sorts again in close to linear time.
    return (line.total.currency, EXACT.minus(line.total.amount), line.client)


_Ordered = list[tuple[tuple[str, Decimal, ClientId], AccountTotal]]


_line = itemgetter(1)


def _ordering(
    entries: dict[ClientId, Any], before: _Ordered | None, changed: dict[ClientId, Any]
) -> _Ordered:
    if before is None:
        return sorted(
            (_order_key(e), e) for e in entries.values() if isinstance(e, AccountTotal)
        )
    ordered = [
        (_order_key(entries[pair[1].client]), entries[pair[1].client])
        if pair[1].client in changed
        else pair
        for pair in before
    ]
    ordered.sort()
    return ordered


def account_ranking(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    months: int = 12,
) -> AccountRanking:
    """The accounts of ``selection`` by net invoiced over the last ``months``
    complete months (12 by default), largest first.

    The lines are kept on the state for this selection and window: computed
    again after new invoices, only the accounts they touched are redone.

    Raises:
        ValidationError: ``as_of`` is not a date, or ``months`` is below 1.
    """
    check_date(as_of, subject="account_ranking")
    check_count(months, subject="account_ranking", path="months", minimum=1)
    window = trailing_months(as_of, months)
    kept, changed = kept_lines(
        state,
        ("ranking", window.start, window.stop, id(selection)),
        selection,
        months=window,
        orders=False,
        make=lambda client: total_line(state, client, window),
    )
    extra = kept.extra
    if changed is None or changed or extra is None:
        entries = kept.entries
        moved = changed is None or extra is None
        moved = moved or any(
            type(old) is not type(entries[client])
            for client, old in (changed or {}).items()
        )
        ordered = _ordering(entries, None if moved else extra[0], changed or {})
        if moved:
            left_out = [e for e in entries.values() if isinstance(e, Exclusion)]
            excluded = sorted([*selection.excluded, *left_out], key=lambda e: e.client)
            extra = (ordered, (), tuple(excluded), covered_ids(selection, left_out))
        kept.extra = (ordered, tuple(map(_line, ordered)), *extra[2:])
    _ordered, lines, excluded_all, covered = kept.extra
    return AccountRanking(
        as_of=as_of,
        months=window,
        lines=lines,
        names=selection.names,
        covered=covered,
        excluded=excluded_all,
    )

"""Accounts sorted by total invoiced: the first figure of the Monday health check."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import ClassVar, NamedTuple, cast

import attrs

from kamcore.accounts import Client
from kamcore.kernel import EXACT, ClientId, Money
from kamcore.metrics._account import ZERO, AccountState, window_sum
from kamcore.metrics._args import check_count, check_date
from kamcore.metrics._changes import Added
from kamcore.metrics._cover import AccountTotal, covered_ids, other_currency
from kamcore.metrics._format import (
    Row,
    checked_locale,
    money_of,
    money_text,
    months_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._kept import kept_report
from kamcore.metrics._lazy import DeferredLines, defer_lines
from kamcore.metrics._months import trailing_months
from kamcore.metrics._rank_order import RankOrder
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
        """The ranking in words, formatted for ``locale``."""
        checked_locale(locale)
        first = "Accounts" if self.top is None else f"Top {self.top} accounts"
        lines = [f"{first} by net invoiced, {months_text(self.months, locale)}:"]
        several = len({line.total.currency for line in self.lines}) > 1
        for line in self.ranked():
            if several and line.rank == 1:
                lines.append(f" {line.total.currency}:")
            lines.append(
                f"  {line.rank}. {line.name} ({line.client}): "
                f"{money_text(line.total, locale)}"
            )
        return "\n".join(lines)


class _Total:
    """One account's total over the window, where it stands in the order,
    and its line once built. Never changed once made (but for its key, which
    no result reads): a result reads the totals it was computed from."""

    __slots__ = ("_line", "client", "currency", "key", "position", "total")

    def __init__(
        self, client: ClientId, total: Decimal, currency: str, position: int, key: int
    ) -> None:
        self.client = client
        self.total = total
        self.currency = currency
        self.position = position
        self.key = key
        self._line: AccountTotal | None = None

    def line(self) -> AccountTotal:
        line = self._line
        if line is None:
            total = money_of(self.total, self.currency)
            line = self._line = AccountTotal(self.client, total)
        return line


_Entry = _Total | Exclusion
_add = EXACT.add


class _Lines:
    """A ranking's lines as they were at one moment, built on first read."""

    __slots__ = ("_entries", "_keys", "_lines")

    def __init__(self, keys: list[Sequence[int]], entries: list[_Entry]) -> None:
        self._keys = keys
        self._entries: list[_Entry] | None = entries
        self._lines: tuple[AccountTotal, ...] | None = None

    def get(self) -> tuple[AccountTotal, ...]:
        lines = self._lines
        if lines is None:
            # Ranked positions always hold a total, never an exclusion.
            totals = cast("list[_Total]", self._entries)
            size = len(totals)
            lines = tuple(
                totals[key % size].line() for keys in self._keys for key in keys
            )
            self._lines, self._entries = lines, None
        return lines


class _KeptRanking:
    """What a ranking keeps between two computations (see
    :mod:`kamcore.metrics._kept`): each account's total, by id, and their
    order, one :class:`RankOrder` per currency."""

    def __init__(
        self, state: PortfolioState, selection: ResolvedSelection, months: range
    ) -> None:
        self._selection = selection
        self._months = months
        self._build(state)

    def _entry(
        self, account: AccountState | None, client: Client, position: int
    ) -> _Entry:
        if account is not None and account.currency != client.currency:
            return other_currency(client, account.currency)
        # The ranking keeps its totals up to date itself: no window to keep.
        total = ZERO if account is None else window_sum(account, self._months)
        currency = client.currency
        order = self._orders.get(currency)
        if order is None:
            order = self._orders[currency] = RankOrder(len(self._selection.by_id))
        key = order.key(total, position)
        if key is None:  # more decimals than the order's scale: redo it
            self._widen.add(currency)
            key = 0
        return _Total(client.id, total, currency, position, key)

    def _build(self, state: PortfolioState) -> None:
        selection = self._selection
        chosen = selection.by_id
        get = state._accounts.get  # the package's own state
        self._orders: dict[str, RankOrder] = {}
        self._widen: set[str] = set()
        # By id: a position is the rank of its id, which breaks ties.
        entries = {
            client: self._entry(get(client), chosen[client], n)
            for n, client in enumerate(sorted(chosen))
        }
        added: defaultdict[str, list[int]] = defaultdict(list)
        for entry in entries.values():
            if isinstance(entry, _Total):
                added[entry.currency].append(entry.key)
        for currency, keys in added.items():
            self._orders[currency].replace((), keys)
        self._entries = entries
        self._positions = {client: n for n, client in enumerate(entries)}
        self._rekey()
        # Amounts in two currencies are never ranked against each other.
        self._orders = dict(sorted(self._orders.items()))
        left_out = [e for e in entries.values() if isinstance(e, Exclusion)]
        excluded = sorted([*selection.excluded, *left_out], key=lambda e: e.client)
        self._excluded = tuple(excluded)
        self._covered = covered_ids(selection, left_out)
        self._lines: _Lines | None = None

    def _rekey(self) -> None:
        """Give every total of the currencies to widen a key at a wider scale."""
        for currency in self._widen:
            order = self._orders[currency]
            totals = [
                e
                for e in self._entries.values()
                if isinstance(e, _Total) and e.currency == currency
            ]
            order.widen(t.total for t in totals)
            keys = []
            for total in totals:
                key = order.key(total.total, total.position)
                assert key is not None  # noqa: S101 - the scale holds it now
                total.key = key  # no result reads a key: safe to change
                keys.append(key)
            order.replace((), keys)
        self._widen.clear()

    def refresh(
        self, state: PortfolioState, changed: Mapping[ClientId, Added | None]
    ) -> None:
        entries, orders = self._entries, self._orders
        start, stop = self._months.start, self._months.stop
        moves: defaultdict[str, tuple[list[int], list[int]]] = defaultdict(
            lambda: ([], [])
        )
        for client, added in changed.items():
            old = entries.get(client)
            if old is None:
                continue  # not in the selection
            if added is None or not isinstance(old, _Total):
                new = self._afresh(state, client)
                if type(new) is not type(old):  # in or out of the ranking
                    self._build(state)
                    return
                if not isinstance(new, _Total) or not isinstance(old, _Total):
                    continue  # excluded before and after
            else:
                # One exact addition per changed month of the window, as the
                # state's window sum moved; the key moves by as much.
                total, currency = old.total, old.currency
                key: int | None = old.key
                order = orders[currency]
                for month, amount in added.items():
                    if start <= month < stop:
                        total = _add(total, amount)
                        key = order.moved(key, amount) if key is not None else None
                if total is old.total:
                    continue
                if key is None:  # more decimals than the order's scale
                    self._widen.add(currency)
                    key = 0
                new = _Total(client, total, currency, old.position, key)
            entries[client] = new
            gone, put = moves[new.currency]
            gone.append(old.key)
            put.append(new.key)
        if moves:
            self._move(moves)

    def _move(self, moves: Mapping[str, tuple[list[int], list[int]]]) -> None:
        """Take the keys gone out of each currency's order and put the new
        ones in (an order to widen gets every key again instead)."""
        for currency, (gone, put) in moves.items():
            if currency not in self._widen:
                self._orders[currency].replace(gone, put)
        self._rekey()
        self._lines = None

    def _afresh(self, state: PortfolioState, client: ClientId) -> _Entry:
        """``client``'s entry worked out from ``state``: for a new account, or
        an excluded one (rare)."""
        account = state._accounts.get(client)  # the package's own state
        chosen = self._selection.by_id[client]
        return self._entry(account, chosen, self._positions[client])

    def result(self, as_of: dt.date, top: int | None) -> AccountRanking:
        lines = self._lines
        if lines is None:  # changed since the last result
            keys = [order.keys() for order in self._orders.values()]
            lines = self._lines = _Lines(keys, list(self._entries.values()))
        ranking = AccountRanking(
            as_of=as_of,
            months=self._months,
            lines=(),
            names=self._selection.names,
            covered=self._covered,
            excluded=self._excluded,
            top=top,
        )
        get = lines.get
        return defer_lines(ranking, get if top is None else lambda: _first(get(), top))


def _first(lines: tuple[AccountTotal, ...], top: int) -> tuple[AccountTotal, ...]:
    """The first ``top`` lines of each currency (lines come by currency)."""
    kept: list[AccountTotal] = []
    count, currency = 0, ""
    for line in lines:
        count = count + 1 if line.total.currency == currency else 1
        currency = line.total.currency
        if count <= top:
            kept.append(line)
    return tuple(kept)


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

    The ranking is kept on the state for this selection and window: computed
    again after new invoices, only the accounts they touched move in it, and
    the lines are built when first read.

    Raises:
        ValidationError: ``as_of`` is not a date, or ``months`` or ``top``
            is below 1.
    """
    check_date(as_of, subject="account_ranking")
    check_count(months, subject="account_ranking", path="months", minimum=1)
    if top is not None:
        check_count(top, subject="account_ranking", path="top", minimum=1)
    window = trailing_months(as_of, months)
    kept = kept_report(
        state,
        ("ranking", window.start, window.stop, id(selection)),
        selection,
        months=window,
        orders=False,
        build=lambda: _KeptRanking(state, selection, window),
    )
    return kept.result(as_of, top)

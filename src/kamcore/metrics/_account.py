"""One account's metric state: exact monthly sums in the account's currency."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import reduce
from itertools import repeat
from types import MappingProxyType
from typing import Any, TypeVar

from kamcore.errors import CurrencyMismatchError
from kamcore.kernel import EXACT, ClientId

__all__ = ["AccountState"]

ZERO = Decimal(0)
T = TypeVar("T")
_add = EXACT.add


def bump(cells: dict[int, Decimal], month: int, delta: Decimal) -> None:
    """Add ``delta`` to ``cells[month]`` exactly; a cell that reaches zero goes.

    Keeping only non-zero cells gives every state one shape whatever the
    order its events came in (an invoice replaced by its cancelled version
    leaves nothing behind, as if it had never been seen).
    """
    total = _add(cells.get(month, ZERO), delta)
    if total:
        cells[month] = total
    else:
        cells.pop(month, None)


def window_sum(account: AccountState, months: range) -> Decimal:
    """``account``'s net invoiced over ``months``, exact, without keeping the
    sum (a kept window sum is used when there is one).

    For readers that keep their own sums up to date from the changes (see
    :mod:`kamcore.metrics._kept`): a window kept on the account as well
    would have to be moved by every change, for nobody.
    """
    windows = account._windows
    total = None if windows is None else windows.get((months.start, months.stop))
    if total is None:
        found = map(account._invoiced.get, months, repeat(ZERO))
        total = reduce(EXACT.add, found, ZERO)
    return total


class AccountState:
    """Monthly sums of one account (month keys: see :func:`month_key`).

    * :attr:`invoiced`: net invoiced per month: invoices by their issue month,
      less credit notes by the month they were issued in;
    * :attr:`ordered` and :attr:`order_counts`: orders (not cancelled) per
      month of their order date, total and count.

    Sums are exact ``Decimal``\\ s in the account's one :attr:`currency`; a
    month whose sum is zero has no entry. A :class:`PortfolioState` holds one
    per account and updates it; read it, do not change it.

    Window sums are kept once computed and moved by each change to one of
    their months (one addition, not a new sum over the window); result lines
    derived from the sums are memoised with the months they read (:meth:`keep`)
    and forgotten when one of those months changes. A day of invoices in the
    running month therefore leaves last month's report lines untouched.
    """

    __slots__ = (
        "_invoiced",
        "_memo",
        "_order_counts",
        "_ordered",
        "_windows",
        "client",
        "currency",
    )

    __hash__ = None  # type: ignore[assignment]  # mutable: equal states, no hash

    def __init__(self, client: ClientId, currency: str) -> None:
        self.client = client
        self.currency = currency
        self._invoiced: dict[int, Decimal] = {}
        self._ordered: dict[int, Decimal] = {}
        self._order_counts: dict[int, int] = {}
        # None until something is kept: a change to an account then reads
        # nothing more than its sums (see add_invoiced).
        self._windows: dict[tuple[int, int], Decimal] | None = None
        self._memo: dict[str, tuple[range, bool, Any]] | None = None

    # -- reading ------------------------------------------------------------
    @property
    def invoiced(self) -> Mapping[int, Decimal]:
        """Net invoiced per month (read-only view)."""
        return MappingProxyType(self._invoiced)

    @property
    def ordered(self) -> Mapping[int, Decimal]:
        """Order totals per month (read-only view)."""
        return MappingProxyType(self._ordered)

    @property
    def order_counts(self) -> Mapping[int, int]:
        """Number of orders per month (read-only view)."""
        return MappingProxyType(self._order_counts)

    def invoiced_in(self, months: range) -> Decimal:
        """Net invoiced over ``months`` (a range of month keys), exact."""
        key = (months.start, months.stop)
        windows = self._windows
        if windows is None:
            windows = self._windows = {}
        total = windows.get(key)
        if total is None:
            # One C-level pass: no bytecode per month.
            found = map(self._invoiced.get, months, repeat(ZERO))
            total = windows[key] = reduce(EXACT.add, found, ZERO)
        return total

    def recall(self, key: str) -> Any:
        """The value kept under ``key`` (see :meth:`keep`), or ``None``."""
        memo = self._memo
        entry = None if memo is None else memo.get(key)
        return None if entry is None else entry[2]

    def keep(self, key: str, value: T, *, months: range, orders: bool = False) -> T:
        """Keep ``value``, derived from ``months`` of orders (``orders``) or of
        net invoiced, until one of those months changes; return it.

        ``key`` names everything else the value depends on.
        """
        if self._memo is None:
            self._memo = {}
        self._memo[key] = (months, orders, value)
        return value

    def ordered_in(self, months: range) -> Decimal:
        """Order totals over ``months``, exact."""
        add = EXACT.add
        total = ZERO
        for month, amount in self._ordered.items():
            if month in months:
                total = add(total, amount)
        return total

    def orders_in(self, months: range) -> int:
        """Number of orders over ``months``."""
        return sum(n for month, n in self._order_counts.items() if month in months)

    def first_invoiced_month(self) -> int | None:
        """The earliest month with a non-zero net invoiced sum, if any."""
        return min(self._invoiced, default=None)

    # -- changing (by PortfolioState) ------------------------------------------
    def check_currency(self, currency: str, what: str) -> None:
        """Raise unless ``currency`` is the account's."""
        if currency != self.currency:
            raise CurrencyMismatchError(
                self.currency, currency, f"add {what} to account {self.client!r} in"
            )

    def add_invoiced(self, month: int, delta: Decimal) -> None:
        """Add ``delta`` to the net invoiced of ``month``."""
        cells = self._invoiced  # bump(), inlined: the warm path's hot loop
        total = _add(cells.get(month, ZERO), delta)
        if total:
            cells[month] = total
        else:
            cells.pop(month, None)
        windows = self._windows
        if windows is not None:
            # Each kept window sum moves by one addition (a value replaced in
            # place: the dictionary does not change size while it is walked).
            for (start, stop), total in windows.items():
                if start <= month < stop:
                    windows[start, stop] = _add(total, delta)
        if self._memo is not None:
            self._forget(month, orders=False)

    def _forget(self, month: int, *, orders: bool) -> None:
        memo = self._memo
        if memo is None:
            return
        for key in [k for k, e in memo.items() if e[1] is orders and month in e[0]]:
            del memo[key]

    def add_order(self, month: int, amount: Decimal, count: int) -> None:
        """Add an order (``count`` 1) or take one away (``count`` -1)."""
        bump(self._ordered, month, amount)
        orders = self._order_counts.get(month, 0) + count
        if orders:
            self._order_counts[month] = orders
        else:
            self._order_counts.pop(month, None)
        self._forget(month, orders=True)

    def absorb(self, other: AccountState) -> None:
        """Add ``other``'s sums to this account's (same client and currency)."""
        self.check_currency(other.currency, f"amounts in {other.currency}")
        for month, amount in other._invoiced.items():
            bump(self._invoiced, month, amount)
        for month, amount in other._ordered.items():
            bump(self._ordered, month, amount)
        for month, count in other._order_counts.items():
            orders = self._order_counts.get(month, 0) + count
            if orders:
                self._order_counts[month] = orders
            else:
                self._order_counts.pop(month, None)
        self._windows = self._memo = None

    def copy(self) -> AccountState:
        """An independent copy."""
        twin = AccountState(self.client, self.currency)
        twin._invoiced = dict(self._invoiced)
        twin._ordered = dict(self._ordered)
        twin._order_counts = dict(self._order_counts)
        return twin

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AccountState):
            return NotImplemented
        return (
            self.client == other.client
            and self.currency == other.currency
            and self._invoiced == other._invoiced
            and self._ordered == other._ordered
            and self._order_counts == other._order_counts
        )

    def __repr__(self) -> str:
        return (
            f"AccountState({self.client!r}, {self.currency!r}, "
            f"{len(self._invoiced)} invoiced months, {len(self._ordered)} order months)"
        )

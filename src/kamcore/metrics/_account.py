"""One account's metric state, as read from a portfolio state."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

from kamcore.kernel import EXACT, ClientId
from kamcore.metrics._sums import COUNTS, INVOICED, ORDERED, MonthlySums, as_decimal

__all__ = ["AccountState", "AccountsView"]

ZERO = Decimal(0)


class AccountState:
    """Monthly sums of one account (month keys: see :func:`month_key`), as
    they were when read from its :class:`PortfolioState`.

    * :attr:`invoiced`: net invoiced per month: invoices by their issue month,
      less credit notes by the month they were issued in;
    * :attr:`ordered` and :attr:`order_counts`: orders (not cancelled) per
      month of their order date, total and count.

    Sums are exact ``Decimal``\\ s in the account's one :attr:`currency`, with
    its minor unit's decimals; a month whose sum is zero has no entry. The
    state keeps them as integer matrices (see ``docs/metrics.md``); this is a
    copy of one row, which later events do not change.
    """

    __slots__ = ("_invoiced", "_order_counts", "_ordered", "client", "currency")

    __hash__ = None  # type: ignore[assignment]  # equal states, no hash

    def __init__(
        self,
        client: ClientId,
        currency: str,
        invoiced: Mapping[int, Decimal] | None = None,
        ordered: Mapping[int, Decimal] | None = None,
        order_counts: Mapping[int, int] | None = None,
    ) -> None:
        self.client = client
        self.currency = currency
        self._invoiced = dict(invoiced or {})
        self._ordered = dict(ordered or {})
        self._order_counts = dict(order_counts or {})

    @classmethod
    def of(cls, sums: MonthlySums, row: int) -> AccountState:
        """The account of ``row`` in ``sums``."""
        places = sums.places[row]
        invoiced, ordered = (
            {m: as_decimal(u, places) for m, u in sums.cells(kind, row).items()}
            for kind in (INVOICED, ORDERED)
        )
        return cls(
            sums.clients[row],
            sums.currencies[row],
            invoiced,
            ordered,
            sums.cells(COUNTS, row),
        )

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
        return _sum(self._invoiced, months)

    def ordered_in(self, months: range) -> Decimal:
        """Order totals over ``months``, exact."""
        return _sum(self._ordered, months)

    def orders_in(self, months: range) -> int:
        """Number of orders over ``months``."""
        return sum(n for month, n in self._order_counts.items() if month in months)

    def first_invoiced_month(self) -> int | None:
        """The earliest month with a non-zero net invoiced sum, if any."""
        return min(self._invoiced, default=None)

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


def _sum(cells: dict[int, Decimal], months: range) -> Decimal:
    add = EXACT.add
    total = ZERO
    for month, amount in cells.items():
        if month in months:
            total = add(total, amount)
    return total


class AccountsView(Mapping[ClientId, AccountState]):
    """Every account of a state, by id, each read when looked up."""

    __slots__ = ("_sums",)

    def __init__(self, sums: MonthlySums) -> None:
        self._sums = sums

    def __getitem__(self, client: ClientId) -> AccountState:
        return AccountState.of(self._sums, self._sums.rows[client])

    def __iter__(self) -> Iterator[ClientId]:
        return iter(list(self._sums.clients))

    def __len__(self) -> int:
        return len(self._sums.clients)

    def __contains__(self, client: object) -> bool:
        return client in self._sums.rows

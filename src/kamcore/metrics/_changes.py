"""The change log a portfolio state keeps for its kept reports.

While reports are kept (see :mod:`kamcore.metrics._kept`), every change to
an account's sums is logged as a :class:`Change`: which accounts, and what
was added to which of their months, of orders or of net invoiced. A kept
report reads the changes since it last looked, and brings the accounts
whose months it reads up to date from what was added to them: one exact
addition per changed month, without reading the state again.

One event logs one change of one account and month; a batch of invoice
records logs one change for the whole batch, so that a day of records in the
running month is recognised as irrelevant to last month's report in one
step, whatever the number of accounts it touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

from kamcore.kernel import EXACT, ClientId

__all__ = [
    "Added",
    "Change",
    "account_change",
    "changed_sums",
    "new_accounts",
]

Added = Mapping[int, Decimal]
"""What was added to an account, by month."""


class Change(NamedTuple):
    """What was added to the sums of some accounts.

    Attributes:
        accounts: Each account, with what was added to it, by month.
        months: Every month of ``accounts``; ``None`` for accounts seen for
            the first time: every line of theirs is worked out afresh.
        orders: Order totals (``True``) or net invoiced (``False``).
    """

    accounts: Mapping[ClientId, Added]
    months: frozenset[int] | None
    orders: bool


def account_change(
    client: ClientId, month: int, amount: Decimal, *, orders: bool
) -> Change:
    """``amount`` added to one account in one month."""
    return Change({client: {month: amount}}, frozenset((month,)), orders=orders)


def new_accounts(clients: Iterable[ClientId]) -> Change:
    """Accounts seen for the first time."""
    return Change(dict.fromkeys(clients, _NOTHING), None, orders=False)


def changed_sums(
    changes: Iterable[Change], months: range, *, orders: bool
) -> dict[ClientId, Added | None]:
    """What was added to each account with a change in one of ``months`` (of
    orders when ``orders``, of net invoiced otherwise), over all
    ``changes``; ``None`` for an account to work out afresh (a new one).

    An account's months may include some outside ``months``: the reader
    keeps the ones it reads.
    """
    sums: dict[ClientId, Added | None] = {}
    for change in changes:
        if change.months is None:
            sums.update(dict.fromkeys(change.accounts))
            continue
        if change.orders is not orders:
            continue
        inside = [month in months for month in change.months]
        if not any(inside):
            continue
        if all(inside) and not sums:  # the usual case: one batch, shared as is
            sums.update(change.accounts)
            continue
        for client, added in change.accounts.items():
            if not any(month in months for month in added):
                continue
            if client not in sums:
                sums[client] = added
                continue
            known = sums[client]
            if known is not None:
                sums[client] = _together(known, added)
    return sums


def _together(first: Added, then: Added) -> Added:
    together = dict(first)
    for month, amount in then.items():
        together[month] = EXACT.add(together.get(month, _ZERO), amount)
    return together


_ZERO = Decimal(0)
_NOTHING: Added = MappingProxyType({})

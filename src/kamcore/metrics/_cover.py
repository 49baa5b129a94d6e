"""Walking a selection's accounts: currency checks and memoised window totals.

Shared by the metrics that read per-account sums. An account is left out of
a result (``other_currency``) when its sums are held in another currency than
its client record's, or when the result is in one currency and the account
is in another.

These loops run once per account of a selection on every report, so they
read the state directly and keep each account's result line in the account's
memo, which any change to the account empties: a
report recomputed after a day of new invoices rebuilds only the lines of the
accounts that day touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kamcore.accounts import Client
from kamcore.kernel import ClientId, Money
from kamcore.metrics._account import ZERO, AccountState
from kamcore.metrics._format import money_of
from kamcore.metrics._selection import Exclusion, ExclusionReason, ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = [
    "AccountTotal",
    "covered_ids",
    "in_currency",
    "other_currency",
    "total_line",
    "window_totals",
]


class AccountTotal(NamedTuple):
    """An account's net invoiced over a window.

    Attributes:
        client: The account.
        total: Its net invoiced, exact, in its currency.
    """

    client: ClientId
    total: Money


def _exclusion(client: Client, held: str, currency: str | None) -> Exclusion | None:
    if held != client.currency:
        detail = f"invoiced in {held}, account currency {client.currency}"
    elif currency is not None and held != currency:
        detail = f"account in {held}, result in {currency}"
    else:
        return None
    return Exclusion(client.id, ExclusionReason.OTHER_CURRENCY, detail)


def other_currency(client: Client, held: str) -> Exclusion:
    """The exclusion of ``client`` whose sums are held in ``held``, another
    currency than its record's."""
    return Exclusion(
        client.id,
        ExclusionReason.OTHER_CURRENCY,
        f"invoiced in {held}, account currency {client.currency}",
    )


def in_currency(
    state: PortfolioState, selection: ResolvedSelection, currency: str | None
) -> Iterator[tuple[Client, AccountState | None, Exclusion | None]]:
    """Each covered client with its state (``None`` when nothing was seen for
    it), or with the reason it is left out. ``currency`` ``None``: each
    account in its own currency."""
    get = state._accounts.get  # the package's own state: no per-call wrapper
    for client in selection.clients:
        account = get(client.id)
        held = client.currency if account is None else account.currency
        if held == client.currency and (currency is None or held == currency):
            yield client, account, None
        else:
            yield client, account, _exclusion(client, held, currency)


def covered_ids(
    selection: ResolvedSelection, left_out: list[Exclusion]
) -> tuple[ClientId, ...]:
    """The selection's ids less the accounts ``left_out``, in order."""
    if not left_out:
        return selection.ids
    gone = {e.client for e in left_out}
    return tuple(i for i in selection.ids if i not in gone)


def total_line(
    state: PortfolioState,
    client: Client,
    months: range,
    currency: str | None = None,
) -> AccountTotal | Exclusion:
    """``client``'s net invoiced over ``months``, or why it is left out (see
    :func:`in_currency`). The line is memoised on the account state."""
    account = state._accounts.get(client.id)  # the package's own state
    code = client.currency
    if account is None:
        if currency is None or code == currency:
            return AccountTotal(client.id, money_of(ZERO, code))
        held = code
    else:
        held = account.currency
        if held == code and (currency is None or held == currency):
            key = f"total {months.start} {months.stop}"
            line: AccountTotal | None = account.recall(key)
            if line is None:
                total = money_of(account.invoiced_in(months), code)
                line = account.keep(key, AccountTotal(client.id, total), months=months)
            return line
    exclusion = _exclusion(client, held, currency)
    assert exclusion is not None  # noqa: S101 - the currencies differ here
    return exclusion


def window_totals(
    state: PortfolioState,
    selection: ResolvedSelection,
    months: range,
    currency: str | None = None,
) -> tuple[list[AccountTotal], list[Exclusion]]:
    """Each covered account's net invoiced over ``months``, by id, and the
    accounts left out (see :func:`in_currency`)."""
    found: list[AccountTotal] = []
    excluded: list[Exclusion] = []
    for client in selection.clients:
        line = total_line(state, client, months, currency)
        (excluded if isinstance(line, Exclusion) else found).append(line)  # type: ignore[arg-type]  # one of the two
    return found, excluded

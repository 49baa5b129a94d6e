"""Which accounts of a selection a metric covers, and where their sums are.

Shared by the metrics that read per-account sums. An account is left out of
a result (``other_currency``) when its sums are held in another currency than
its client record's, or when the result is in one currency and the account
is in another. The covered accounts come with their rows in the state's
matrices (:mod:`kamcore.metrics._sums`), so that a metric is array
arithmetic over them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from kamcore.accounts import Client
from kamcore.kernel import ClientId, Money, currency_precision, trusted_money
from kamcore.metrics._selection import Exclusion, ExclusionReason, ResolvedSelection
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._sums import Matrix, MonthlySums, as_decimal

__all__ = ["AccountTotal", "Cover", "cover", "money_column"]


class AccountTotal(NamedTuple):
    """An account's net invoiced over a window.

    Attributes:
        client: The account.
        total: Its net invoiced, exact, in its currency.
    """

    client: ClientId
    total: Money


def _exclusion(client: Client, held: str, currency: str | None) -> Exclusion:
    """Why ``client``, held in ``held``, is out of a result in ``currency``
    (called when one of the currencies differs)."""
    if held != client.currency:
        detail = f"invoiced in {held}, account currency {client.currency}"
    else:
        detail = f"account in {held}, result in {currency}"
    return Exclusion(client.id, ExclusionReason.OTHER_CURRENCY, detail)


class Cover(NamedTuple):
    """The covered accounts of a selection, in its order.

    Attributes:
        sums: The state's sums (read at once: rows move with later events).
        clients: The covered clients.
        rows: Their rows in ``sums`` (the zero row for an account never seen).
        covered: Their ids.
        excluded: The selection's other accounts, by id, each with its reason.
        currencies: Each covered client's currency.
    """

    sums: MonthlySums
    clients: list[Client]
    rows: npt.NDArray[np.int64]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]
    currencies: list[str]


def cover(
    state: PortfolioState, selection: ResolvedSelection, currency: str | None
) -> Cover:
    """The accounts of ``selection`` a metric in ``currency`` covers (each in
    its own currency for ``None``).

    Kept on the state for the selection until an account is added: an
    account's row and currency never change, so until then the cover is the
    same (the figures are not kept: they are read from the rows each time).
    """
    sums = state._sums  # the package's own state
    memo = state._covers
    key = (id(selection), currency)
    kept = memo.get(key)
    if kept is not None and kept[0] is selection and kept[1] == len(sums.clients):
        found: Cover = kept[2]
        return found
    if currency is None:
        found = _cover(sums, selection)
    else:  # the accounts in their own currency, less those in another
        found = _in_currency(cover(state, selection, None), currency)
    memo[key] = (selection, len(sums.clients), found)
    while len(memo) > _KEPT:
        del memo[next(iter(memo))]
    return found


_KEPT = 16


def _in_currency(found: Cover, currency: str) -> Cover:
    """``found`` less the accounts in another currency than ``currency``."""
    off = np.array(found.currencies, dtype=object) != currency
    if not off.any():
        return found
    left_out = [
        _exclusion(found.clients[n], found.currencies[n], currency)
        for n in np.flatnonzero(off).tolist()
    ]
    return _less(found.sums, found.clients, found.rows, off, found.excluded, left_out)


def _cover(sums: MonthlySums, selection: ResolvedSelection) -> Cover:
    """The accounts of ``selection`` held in their own currency."""
    ids, chosen = selection.ids, selection.clients
    rows = sums.rows_of(ids)
    codes = list(selection.currencies)
    held_in = set(sums.currencies)
    if len(held_in) <= 1 and held_in.issuperset(codes):  # one currency for all
        return Cover(sums, list(chosen), rows, ids, selection.excluded, codes)
    held = np.array([*sums.currencies, ""], dtype=object)[rows]
    off = (rows != len(sums.clients)) & (held != np.array(codes, dtype=object))
    if not off.any():  # the usual case: every account in its own currency
        return Cover(sums, list(chosen), rows, ids, selection.excluded, codes)
    left_out = [
        _exclusion(chosen[n], held[n], None) for n in np.flatnonzero(off).tolist()
    ]
    return _less(sums, list(chosen), rows, off, selection.excluded, left_out)


def _less(  # noqa: PLR0917 - the parts of a cover
    sums: MonthlySums,
    clients: list[Client],
    rows: npt.NDArray[np.int64],
    off: npt.NDArray[np.bool_],
    excluded: tuple[Exclusion, ...],
    left_out: list[Exclusion],
) -> Cover:
    """The cover of ``clients`` less those marked ``off`` (``left_out``)."""
    kept = [
        client for client, gone in zip(clients, off.tolist(), strict=True) if not gone
    ]
    return Cover(
        sums,
        kept,
        rows[~off],
        tuple(client.id for client in kept),
        tuple(sorted([*excluded, *left_out], key=lambda e: e.client)),
        [client.currency for client in kept],
    )


def money_column(units: Matrix, currencies: list[str]) -> list[Money]:
    """Each of ``units`` (minor units) as Money in its currency: exactly the
    currency's decimals, the one spelling of each amount."""
    places: dict[str, int] = {}
    found: list[Money] = []
    for value, code in zip(units.tolist(), currencies, strict=True):
        digits = places.get(code)
        if digits is None:
            digits = places[code] = currency_precision(code)
        found.append(trusted_money(as_decimal(value, digits), code))
    return found

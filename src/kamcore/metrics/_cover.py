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


def _exclusion(client: Client, held: str, currency: str | None) -> Exclusion | None:
    if held != client.currency:
        detail = f"invoiced in {held}, account currency {client.currency}"
    elif currency is not None and held != currency:
        detail = f"account in {held}, result in {currency}"
    else:
        return None
    return Exclusion(client.id, ExclusionReason.OTHER_CURRENCY, detail)


class Cover(NamedTuple):
    """The covered accounts of a selection, in its order.

    Attributes:
        sums: The state's sums (read at once: rows move with later events).
        clients: The covered clients.
        rows: Their rows in ``sums`` (the zero row for an account never seen).
        covered: Their ids.
        excluded: The selection's other accounts, by id, each with its reason.
    """

    sums: MonthlySums
    clients: list[Client]
    rows: npt.NDArray[np.int64]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def currencies(self) -> list[str]:
        """Each covered client's currency."""
        return [client.currency for client in self.clients]


def cover(
    state: PortfolioState, selection: ResolvedSelection, currency: str | None
) -> Cover:
    """The accounts of ``selection`` a metric in ``currency`` covers (each in
    its own currency for ``None``)."""
    sums = state._sums  # the package's own state
    get, held_in, none = sums.rows.get, sums.currencies, len(sums.clients)
    clients: list[Client] = []
    rows: list[int] = []
    left_out: list[Exclusion] = []
    for client in selection.clients:
        row = get(client.id, none)
        held = client.currency if row == none else held_in[row]
        if held == client.currency and (currency is None or held == currency):
            clients.append(client)
            rows.append(row)
        else:
            left_out.append(_exclusion(client, held, currency))  # type: ignore[arg-type]  # the currencies differ
    excluded = sorted([*selection.excluded, *left_out], key=lambda e: e.client)
    covered = selection.ids if not left_out else tuple(client.id for client in clients)
    return Cover(sums, clients, np.array(rows, np.int64), covered, tuple(excluded))


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

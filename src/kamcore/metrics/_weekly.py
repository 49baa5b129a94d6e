"""The Monday portfolio health check, all three figures at once (seed routine).

1. Clients of your group, sorted by total invoiced value;
2. accounts with an order decline of more than 20 % against the previous
   month: schedule a call;
3. contracts expiring within 60 days: start the renewal conversation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from kamcore.i18n import translator
from kamcore.kernel import ClientId
from kamcore.metrics._decline import OrderDecline, order_decline
from kamcore.metrics._decline_rule import Basis, DeclineRule
from kamcore.metrics._expiring import ExpiringContracts, expiring_contracts
from kamcore.metrics._format import Row, checked_locale, date_text
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._ranking import AccountRanking, account_ranking
from kamcore.metrics._selection import (
    AccountSelection,
    ResolvedSelection,
    selection_text,
)
from kamcore.metrics._state import PortfolioState

__all__ = ["HealthCheck", "monday_health_check"]


@attrs.frozen(kw_only=True)
class HealthCheck(FrameExport):
    """The Monday portfolio health check.

    Attributes:
        as_of: The date it was computed as of.
        selection: The selection in words, in English (data).
        ranking: The accounts by net invoiced over the trailing months.
        decline: Month-on-month declines, with the alarms.
        expiring: Contracts expiring within the horizon.
        source: The selection it covers, to name it in the reader's language
            in :meth:`report`; ``None`` for a health check built directly
            (its report then names :attr:`selection`).
    """

    as_of: dt.date
    selection: str
    ranking: AccountRanking
    decline: OrderDecline
    expiring: ExpiringContracts
    source: AccountSelection | None = attrs.field(default=None, eq=False, repr=False)

    def tables(self) -> dict[str, list[Row]]:
        """The three figures as plain rows, one list each (for three DataFrames)."""
        return {
            "ranking": self.ranking.rows(),
            "decline": self.decline.rows(),
            "expiring": self.expiring.rows(),
        }

    def report(self, locale: str, names: Mapping[ClientId, str] | None = None) -> str:
        """The health check in words, formatted for ``locale``, in its
        language; accounts by their ``names`` where given (by id otherwise)."""
        checked_locale(locale)
        _ = translator(locale)
        return "\n\n".join(
            [
                # Translators: {selection} names the accounts covered ("group
                # dach", "all key accounts"); {day} is the date of the check.
                _(
                    "Monday portfolio health check, {selection}, {day}",
                    selection=selection_text(self.selection, self.source, locale),
                    day=date_text(self.as_of, locale),
                ),
                self.ranking.report(locale),
                self.decline.report(locale, names),
                self.expiring.report(locale, names),
            ]
        )


def monday_health_check(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    rule: DeclineRule | None = None,
    basis: Basis = Basis.ORDERS,
    within_days: int = 60,
    months: int = 12,
    top: int | None = None,
) -> HealthCheck:
    """The three Monday figures for ``selection`` as of ``as_of``.

    See :func:`account_ranking` (trailing ``months`` complete months; the
    first ``top`` accounts of each currency, or all of them),
    :func:`order_decline` (``rule``: more than 20 % from the currency's
    default minimum base, :func:`default_minimum_base`; ``basis``: orders) and
    :func:`expiring_contracts` (``within_days``: 60 by default).

    Raises:
        ValidationError: an argument is not valid.
    """
    return HealthCheck(
        as_of=as_of,
        selection=selection.description,
        source=selection.source,
        ranking=account_ranking(state, selection, as_of=as_of, months=months, top=top),
        decline=order_decline(state, selection, as_of=as_of, rule=rule, basis=basis),
        expiring=expiring_contracts(
            state, selection, as_of=as_of, within_days=within_days
        ),
    )

"""Expired unrenewed contracts: contracts that lapsed in a period (SPEC §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

import attrs

from kamcore.i18n import translator
from kamcore.kernel import ClientId, ContractId, DateRange, Money
from kamcore.metrics._facts import Outcome
from kamcore.metrics._format import (
    Row,
    checked_locale,
    client_text,
    date_text,
    iso,
    money_text,
    period_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._retention import closed_period
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = ["ExpiredUnrenewed", "LapsedContract", "expired_unrenewed"]


@attrs.frozen(kw_only=True)
class LapsedContract:
    """A contract that lapsed (expired unrenewed).

    Attributes:
        contract: The contract.
        client: Its client.
        title: Its title.
        term_end: The last day of its last term.
        lapsed_on: The day it lapsed (the day after the grace period).
        value: Its value per term.
    """

    contract: ContractId
    client: ClientId
    title: str
    term_end: dt.date
    lapsed_on: dt.date
    value: Money

    def row(self) -> Row:
        """The contract as a plain row."""
        return {
            "contract": self.contract,
            "client": self.client,
            "title": self.title,
            "term_end": self.term_end.isoformat(),
            "lapsed_on": self.lapsed_on.isoformat(),
            "currency": self.value.currency,
            "value": text(self.value),
        }


@attrs.frozen(kw_only=True)
class ExpiredUnrenewed(FrameExport):
    """Contracts that lapsed in a period.

    Attributes:
        as_of: The date it was computed as of.
        period: The period lapses were looked at in (inclusive).
        value: The number of contracts that lapsed in the period.
        numerator: The same count.
        denominator: Contracts of the covered accounts whose term outcome
            (renewed, lapsed or terminated) took effect in the period.
        contracts: The lapsed contracts, by lapse date then id.
        covered: The accounts looked at.
        excluded: The selection's other accounts, each with its reason.
    """

    DEFINITION: ClassVar[str] = (
        "Contracts that lapsed in the period: their term ended, they were not "
        "renewed and the grace period passed."
    )

    as_of: dt.date
    period: DateRange
    value: int
    numerator: int
    denominator: int
    contracts: tuple[LapsedContract, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def definition(self) -> str:
        """What the metric measures, in one line."""
        return self.DEFINITION

    def rows(self) -> list[Row]:
        """One row per lapsed contract."""
        return [c.row() for c in self.contracts]

    def summary_row(self) -> Row:
        """The figure, its parts and the population, as one row."""
        return {
            "metric": "expired_unrenewed_contracts",
            "as_of": self.as_of.isoformat(),
            "period_start": iso(self.period.start),
            "period_end": iso(self.period.end),
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "covered": len(self.covered),
            "excluded": len(self.excluded),
        }

    def report(self, locale: str, names: Mapping[ClientId, str] | None = None) -> str:
        """The result in words, formatted for ``locale``, in its language;
        accounts by their ``names`` where given (by id otherwise)."""
        checked_locale(locale)
        _ = translator(locale)
        lines = [
            # Translators: {period} is "1 Jan 2026 to 31 Mar 2026", {day} the
            # date it is computed as of; {count} contracts lapsed among the {n}
            # renewals, lapses and terminations that took effect in the period.
            _.ngettext(
                "Expired unrenewed contracts, {period} (as of {day}): "
                "{count} of {n} term outcome in the period",
                "Expired unrenewed contracts, {period} (as of {day}): "
                "{count} of {n} term outcomes in the period",
                self.denominator,
                period=period_text(self.period, locale),
                day=date_text(self.as_of, locale),
                count=self.value,
            )
        ]
        lines.extend(
            "  "
            # Translators: a lapsed contract (id, title, client), the day it
            # lapsed and its value per term.
            + _(
                "{contract} {title} ({client}): lapsed on {day}, {value} per term",
                contract=c.contract,
                title=c.title,
                client=client_text(c.client, names),
                day=date_text(c.lapsed_on, locale),
                value=money_text(c.value, locale),
            )
            for c in self.contracts
        )
        return "\n".join(lines)


def expired_unrenewed(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    period: DateRange,
    as_of: dt.date,
) -> ExpiredUnrenewed:
    """The contracts of ``selection`` that lapsed in ``period``, as of ``as_of``.

    A contract counts when its lapse (the day after its grace period) falls
    in the period and on or before ``as_of``. Terminated contracts are a
    deliberate end, not a lapse: they count in the denominator only.

    Raises:
        ValidationError: ``period`` is open-ended, or ``as_of`` is not a date.
    """
    first, last = closed_period(period, as_of, "expired_unrenewed")
    ids = selection.names
    lapsed: list[LapsedContract] = []
    decided = 0
    for facts in state.contracts.values():
        if facts.client not in ids:
            continue
        for o in facts.outcomes:
            if not (first <= o.on <= last and o.on <= as_of):
                continue
            decided += 1
            if o.outcome is Outcome.LAPSED:
                lapsed.append(
                    LapsedContract(
                        contract=facts.id,
                        client=facts.client,
                        title=facts.title,
                        term_end=o.term_end,
                        lapsed_on=o.on,
                        value=facts.value,
                    )
                )
    lapsed.sort(key=lambda c: (c.lapsed_on, c.contract))
    return ExpiredUnrenewed(
        as_of=as_of,
        period=period,
        value=len(lapsed),
        numerator=len(lapsed),
        denominator=decided,
        contracts=tuple(lapsed),
        covered=selection.ids,
        excluded=selection.excluded,
    )

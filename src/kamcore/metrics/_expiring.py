"""Contracts expiring soon: the third figure of the Monday health check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import ClassVar

import attrs

from kamcore.i18n import Translator, translator
from kamcore.kernel import ClientId, ContractId, Money
from kamcore.metrics._args import check_count, check_date
from kamcore.metrics._facts import ContractFacts
from kamcore.metrics._format import (
    Row,
    checked_locale,
    client_text,
    date_text,
    money_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = ["ExpiringContract", "ExpiringContracts", "expiring_contracts"]


@attrs.frozen(kw_only=True)
class ExpiringContract:
    """A contract in force whose current term ends soon.

    Attributes:
        contract: The contract.
        client: Its client.
        title: Its title.
        term_end: The last day of its current term.
        days_left: Days from the as-of date to the term end (negative: the
            term ended and the contract is still in its grace period).
        auto_renew: Whether it renews itself unless notice is given.
        value: Its value per term.
    """

    contract: ContractId
    client: ClientId
    title: str
    term_end: dt.date
    days_left: int
    auto_renew: bool
    value: Money

    def row(self) -> Row:
        """The contract as a plain row."""
        return {
            "contract": self.contract,
            "client": self.client,
            "title": self.title,
            "term_end": self.term_end.isoformat(),
            "days_left": self.days_left,
            "auto_renew": self.auto_renew,
            "currency": self.value.currency,
            "value": text(self.value),
        }


@attrs.frozen(kw_only=True)
class ExpiringContracts(FrameExport):
    """Contracts of a selection expiring within a number of days.

    Attributes:
        as_of: The date it was computed as of.
        within_days: The horizon.
        lines: By term end, then contract id.
        covered: The accounts looked at.
        excluded: The selection's other accounts, each with its reason.
    """

    DEFINITION: ClassVar[str] = (
        "Contracts in force whose current term ends within the horizon "
        "(or ended and are in their grace period)."
    )

    as_of: dt.date
    within_days: int
    lines: tuple[ExpiringContract, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def definition(self) -> str:
        """What the figure shows, in one line."""
        return self.DEFINITION

    def rows(self) -> list[Row]:
        """One row per expiring contract."""
        return [line.row() for line in self.lines]

    def report(self, locale: str, names: Mapping[ClientId, str] | None = None) -> str:
        """The contracts in words, formatted for ``locale``, in its language;
        accounts by their ``names`` where given (by id otherwise)."""
        checked_locale(locale)
        _ = translator(locale)
        lines = [
            # Translators: {n} is the horizon in days, {count} the number of
            # contracts expiring within it.
            _.ngettext(
                "Contracts expiring within {n} day: {count}",
                "Contracts expiring within {n} days: {count}",
                self.within_days,
                count=len(self.lines),
            )
        ]
        lines.extend("  " + _contract_line(c, names, _) for c in self.lines)
        return "\n".join(lines)


def _contract_line(
    contract: ExpiringContract, names: Mapping[ClientId, str] | None, _: Translator
) -> str:
    """One expiring contract, for the reader of ``_``."""
    values = {
        "contract": contract.contract,
        "title": contract.title,
        "client": client_text(contract.client, names),
        "day": date_text(contract.term_end, _.locale),
        "value": money_text(contract.value, _.locale),
    }
    if contract.days_left >= 0:
        # Translators: a contract (id, title, client) whose term ends on {day},
        # in {n} days; {value} is its value per term.
        return _.ngettext(
            "{contract} {title} ({client}): ends {day}, in {n} day, {value}",
            "{contract} {title} ({client}): ends {day}, in {n} days, {value}",
            contract.days_left,
            **values,
        )
    # Translators: a contract (id, title, client) whose term ended on {day}, {n}
    # days ago, and which is in its grace period; {value} is its value per term.
    return _.ngettext(
        "{contract} {title} ({client}): ends {day}, {n} day ago, in grace, {value}",
        "{contract} {title} ({client}): ends {day}, {n} days ago, in grace, {value}",
        -contract.days_left,
        **values,
    )


def _expiring(
    contracts: Iterable[ContractFacts], as_of: dt.date, within_days: int
) -> list[ExpiringContract]:
    horizon = as_of + dt.timedelta(days=within_days)
    lines: list[ExpiringContract] = []
    for facts in contracts:
        if not facts.in_force_on(as_of):
            continue
        end = facts.term_end_on(as_of)
        if end <= horizon:
            lines.append(
                ExpiringContract(
                    contract=facts.id,
                    client=facts.client,
                    title=facts.title,
                    term_end=end,
                    days_left=(end - as_of).days,
                    auto_renew=facts.auto_renew,
                    value=facts.value,
                )
            )
    lines.sort(key=lambda c: (c.term_end, c.contract))
    return lines


def expiring_contracts(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    within_days: int = 60,
) -> ExpiringContracts:
    """The contracts of ``selection`` in force on ``as_of`` whose current term
    ends within ``within_days`` days (60 by default) — and those whose term
    already ended but which are still in force (grace period, renewal not
    concluded): the most urgent ones.

    Raises:
        ValidationError: ``as_of`` is not a date, or ``within_days`` is negative.
    """
    check_date(as_of, subject="expiring_contracts")
    check_count(
        within_days, subject="expiring_contracts", path="within_days", minimum=0
    )
    # Every contract's line for this date and horizon is memoised on the
    # state until a contract changes, and so are the lines of the selections
    # asked for (a selection is kept with its lines: identity is checked).
    memo = state._contract_memo  # the package's own state
    key = f"expiring {as_of.toordinal()} {within_days}"
    everyone: list[ExpiringContract] | None = memo.get(key)
    if everyone is None:
        everyone = memo[key] = _expiring(state.contracts.values(), as_of, within_days)
    chosen_key = f"{key} {id(selection)}"
    chosen: tuple[ResolvedSelection, tuple[ExpiringContract, ...]] | None
    chosen = memo.get(chosen_key)
    if chosen is None or chosen[0] is not selection:
        names = selection.names
        lines = tuple(line for line in everyone if line.client in names)
        chosen = memo[chosen_key] = (selection, lines)
    return ExpiringContracts(
        as_of=as_of,
        within_days=within_days,
        lines=chosen[1],
        covered=selection.ids,
        excluded=selection.excluded,
    )

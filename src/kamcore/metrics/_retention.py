"""Account retention rate (SPEC §6).

It reads the contract outcomes kept in a :class:`PortfolioState` (see
:mod:`kamcore.metrics._facts` for how they are read from a contract), as of a
date: an outcome that took effect after that date was not known yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

import attrs

from kamcore.i18n import N_, translator
from kamcore.kernel import ClientId, ContractId, DateRange, Percentage
from kamcore.metrics._args import check_date, check_period
from kamcore.metrics._facts import ContractFacts, Outcome
from kamcore.metrics._format import (
    Row,
    checked_locale,
    date_text,
    iso,
    percent_text,
    period_text,
    stored_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._months import quotient
from kamcore.metrics._selection import Exclusion, ExclusionReason, ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = ["RenewalTerm", "RetentionRate", "closed_period", "retention_rate"]


def closed_period(
    period: object, as_of: object, subject: str
) -> tuple[dt.date, dt.date]:
    """The period's two dates (both ends must be given), ``as_of`` checked."""
    check_date(as_of, subject=subject)
    return check_period(period, subject=subject)


@attrs.frozen(kw_only=True)
class RenewalTerm:
    """A contract term that came up for renewal in the period.

    Attributes:
        contract: The contract.
        client: Its client.
        term_end: The term's last day.
        outcome: Renewed, lapsed or terminated; ``None`` while not known on
            the as-of date (the term ended and its grace period or the
            renewal is still running, or it ends after the as-of date).
        on: The day the outcome took effect, if known.
    """

    contract: ContractId
    client: ClientId
    term_end: dt.date
    outcome: Outcome | None
    on: dt.date | None

    def row(self) -> Row:
        """The term as a plain row."""
        return {
            "contract": self.contract,
            "client": self.client,
            "term_end": self.term_end.isoformat(),
            "outcome": None if self.outcome is None else self.outcome.value,
            "on": iso(self.on),
        }


def _terms_in(
    facts: ContractFacts, first: dt.date, last: dt.date, as_of: dt.date
) -> list[RenewalTerm]:
    if facts.active_on is None or facts.active_on > as_of:
        return []
    found = [
        RenewalTerm(
            contract=facts.id,
            client=facts.client,
            term_end=o.term_end,
            outcome=o.outcome if o.on <= as_of else None,
            on=o.on if o.on <= as_of else None,
        )
        for o in facts.outcomes
        if first <= o.term_end <= last
    ]
    closed = bool(facts.outcomes) and facts.outcomes[-1].outcome is not Outcome.RENEWED
    opened = len(facts.outcomes)
    if not closed and opened < len(facts.term_ends):
        end = facts.term_ends[opened]
        if first <= end <= last:
            found.append(
                RenewalTerm(
                    contract=facts.id,
                    client=facts.client,
                    term_end=end,
                    outcome=None,
                    on=None,
                )
            )
    return found


def _contracts_by_client(
    state: PortfolioState, clients: Mapping[ClientId, str]
) -> dict[ClientId, list[ContractFacts]]:
    found: dict[ClientId, list[ContractFacts]] = {}
    for facts in state.contracts.values():
        if facts.client in clients:
            found.setdefault(facts.client, []).append(facts)
    return found


@attrs.frozen(kw_only=True)
class RetentionRate(FrameExport):
    """Account retention rate for a period.

    Attributes:
        as_of: The date it was computed as of.
        period: The period term ends were looked at in (inclusive).
        value: ``numerator / denominator`` in percent, rounded once to 0.01
            point ``ROUND_HALF_UP``; ``None`` (see :attr:`reason`) when no
            account had a known outcome.
        reason: Why there is no value.
        numerator: Accounts retained: at least one of their contracts that
            came up for renewal in the period renewed.
        denominator: Accounts retained or lost (every such contract ended
            unrenewed: lapsed or terminated).
        retained: The retained accounts.
        lost: The lost accounts.
        terms: Every contract term of the selection that came up in the period.
        covered: The accounts counted (retained and lost).
        excluded: The selection's other accounts, each with its reason.
    """

    DEFINITION: ClassVar[str] = (
        "Share of key accounts with a contract that came up for renewal in the "
        "period that renewed (at least one such contract renewed)."
    )

    as_of: dt.date
    period: DateRange
    value: Percentage | None
    reason: str | None
    numerator: int
    denominator: int
    retained: tuple[ClientId, ...]
    lost: tuple[ClientId, ...]
    terms: tuple[RenewalTerm, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def definition(self) -> str:
        """What the metric measures, in one line."""
        return self.DEFINITION

    def rows(self) -> list[Row]:
        """One row per contract term that came up in the period."""
        return [term.row() for term in self.terms]

    def summary_row(self) -> Row:
        """The figure, its parts and the population, as one row."""
        return {
            "metric": "account_retention_rate",
            "as_of": self.as_of.isoformat(),
            "period_start": iso(self.period.start),
            "period_end": iso(self.period.end),
            "value": text(self.value),
            "reason": self.reason,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "covered": len(self.covered),
            "excluded": len(self.excluded),
        }

    def report(self, locale: str) -> str:
        """The result in words, formatted for ``locale``, in its language."""
        checked_locale(locale)
        _ = translator(locale)
        values = {
            "period": period_text(self.period, locale),
            "day": date_text(self.as_of, locale),
        }
        if self.value is None:
            # Translators: {period} is "1 Jan 2026 to 31 Mar 2026", {day} the
            # date the rate is computed as of, {reason} why there is no rate.
            return _(
                "Account retention rate, {period} (as of {day}): n/a ({reason})",
                reason=stored_text(self.reason, _),
                **values,
            )
        # Translators: {period} is "1 Jan 2026 to 31 Mar 2026", {day} the date
        # the rate is computed as of, {rate} a percentage; {numerator} of the {n}
        # accounts with a renewal outcome renewed.
        return _.ngettext(
            "Account retention rate, {period} (as of {day}): {rate} "
            "({numerator} of {n} account renewed)",
            "Account retention rate, {period} (as of {day}): {rate} "
            "({numerator} of {n} accounts renewed)",
            self.denominator,
            rate=percent_text(self.value, locale),
            numerator=self.numerator,
            **values,
        )


_NO_OUTCOME = N_("no key account had a renewal outcome in the period")
"""The reason a retention rate has no value."""


def retention_rate(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    period: DateRange,
    as_of: dt.date,
) -> RetentionRate:
    """The account retention rate of ``selection`` for ``period``, as of ``as_of``.

    An account counts when at least one of its contracts came up for renewal
    (its term ended) in the period and the outcome is known on ``as_of``. It
    is *retained* when one of those contracts renewed — on time or late within
    its grace period, which is still a renewal — and *lost* when all of them
    lapsed or were terminated. An account whose only outcomes are still
    pending (grace period running, renewal not signed yet, term ending after
    ``as_of``) is excluded as ``renewal_pending``; one with no term ending in
    the period as ``no_renewal_due``.

    Raises:
        ValidationError: ``period`` is open-ended, or ``as_of`` is not a date.
    """
    first, last = closed_period(period, as_of, "retention_rate")
    ids = selection.names
    by_client = _contracts_by_client(state, ids)
    retained: list[ClientId] = []
    lost: list[ClientId] = []
    excluded = list(selection.excluded)
    terms: list[RenewalTerm] = []
    for client in selection.ids:
        mine = [
            t
            for f in by_client.get(client, ())
            for t in _terms_in(f, first, last, as_of)
        ]
        terms.extend(mine)
        outcomes = {t.outcome for t in mine}
        if Outcome.RENEWED in outcomes:
            retained.append(client)
        elif None in outcomes:
            pending = ", ".join(sorted({t.contract for t in mine if t.outcome is None}))
            excluded.append(
                Exclusion(
                    client,
                    ExclusionReason.RENEWAL_PENDING,
                    f"outcome not known yet: {pending}",
                )
            )
        elif outcomes:
            lost.append(client)
        else:
            excluded.append(
                Exclusion(
                    client,
                    ExclusionReason.NO_RENEWAL_DUE,
                    "no contract came up for renewal",
                )
            )
    denominator = len(retained) + len(lost)
    value = (
        Percentage(quotient(len(retained) * 100, denominator, 2))
        if denominator
        else None
    )
    terms.sort(key=lambda t: (t.term_end, t.contract))
    excluded.sort(key=lambda e: e.client)
    return RetentionRate(
        as_of=as_of,
        period=period,
        value=value,
        reason=None if denominator else _NO_OUTCOME,
        numerator=len(retained),
        denominator=denominator,
        retained=tuple(retained),
        lost=tuple(lost),
        terms=tuple(terms),
        covered=tuple(sorted(retained + lost)),
        excluded=tuple(excluded),
    )

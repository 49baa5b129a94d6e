"""What the metrics keep of a contract and of a renewal alert.

A contract is reduced to :class:`ContractFacts`: its terms, the outcome of each
term that came up for renewal (:class:`TermOutcome`), when it came into force
and its value. Every outcome carries the day it took effect, so a metric as of
an earlier date can tell what was known then: a term that ended but whose
outcome came later was still *pending* on that date.

How outcomes are read from a :class:`~kamcore.contracts.Contract`:

* a *term* is a run of binding versions with the same first day (an
  amendment within a term keeps it; a renewal starts a new one); its end is
  the last such version's end. A renewal recorded but not signed is not
  binding (:attr:`~kamcore.contracts.Contract.binding`): it is no term, and
  the value and auto-renewal read are the binding version's;
* a term followed by another one *renewed* on the day of the matching
  ``renewed`` status change: the new term's first day for an automatic
  renewal, the signing date for a renewal case, which may be after the term
  end when the contract was renewed late within its grace period. A change
  matches when it is dated no later than the new term's first day or the end
  of the old term's grace period, whichever is later. A new term with no
  matching ``renewed`` change (a renewal recorded but not yet signed) is not a
  renewal yet;
* the open term of a contract that became ``lapsed`` (expired unrenewed) or
  ``terminated`` ends with that outcome, on the day of the status change. A
  termination before the term end (a deliberate early end) counts the day
  before it as the term's last day;
* a contract that never came into force (no ``active`` status change) has no
  outcomes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum

import attrs

from kamcore.contracts import AlertKind, Contract, ContractStatus, RenewalAlert
from kamcore.kernel import AlertId, ClientId, ContractId, Money

__all__ = ["AlertFacts", "ContractFacts", "Outcome", "TermOutcome"]

_DAY = dt.timedelta(days=1)


class Outcome(enum.Enum):
    """What became of a term that came up for renewal."""

    RENEWED = "renewed"
    LAPSED = "lapsed"
    """Ended unrenewed once the grace period passed: *expired unrenewed*."""
    TERMINATED = "terminated"
    """Ended deliberately (the client's notice, or an early end)."""

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class TermOutcome:
    """The outcome of one term.

    Attributes:
        contract: The contract.
        client: Its client.
        term_end: The last day of the term (when it came up for renewal).
        outcome: Renewed, lapsed or terminated.
        on: The day the outcome took effect (see the module docstring).
    """

    contract: ContractId
    client: ClientId
    term_end: dt.date
    outcome: Outcome
    on: dt.date


@attrs.frozen(kw_only=True)
class ContractFacts:
    """A contract as the metrics see it.

    Attributes:
        id: The contract.
        client: Its client.
        title: Its title.
        value: The value per term of the binding version.
        auto_renew: Whether the binding version renews itself.
        active_on: The day it first came into force; ``None`` if it never did.
        term_ends: The last day of each term, oldest first.
        outcomes: The outcome of each term that has one, oldest first.
        version: The contract's stored version (a re-sent contract with a
            higher version replaces this one).
    """

    id: ContractId
    client: ClientId
    title: str
    value: Money
    auto_renew: bool
    active_on: dt.date | None
    term_ends: tuple[dt.date, ...]
    outcomes: tuple[TermOutcome, ...]
    version: int

    @classmethod
    def of(cls, contract: Contract) -> ContractFacts:
        """The facts of ``contract`` (see the module docstring for the rules)."""
        activations = [
            c.on for c in contract.history if c.status is ContractStatus.ACTIVE
        ]
        terms = _terms(contract)
        binding = contract.binding
        return cls(
            id=contract.id,
            client=contract.client,
            title=contract.title,
            value=binding.value,
            auto_renew=binding.auto_renew,
            active_on=activations[0] if activations else None,
            term_ends=tuple(end for _start, end, _grace in terms),
            outcomes=_outcomes(contract, terms) if activations else (),
            version=contract.version,
        )

    def in_force_on(self, day: dt.date) -> bool:
        """Whether it was in force on ``day``, from what is known on that day."""
        if self.active_on is None or self.active_on > day:
            return False
        return not any(
            o.outcome is not Outcome.RENEWED and o.on <= day for o in self.outcomes
        )

    def term_end_on(self, day: dt.date) -> dt.date:
        """The end of the term running on ``day``: the first term whose outcome
        was not known yet on that day."""
        known = sum(1 for o in self.outcomes if o.on <= day)
        return self.term_ends[min(known, len(self.term_ends) - 1)]


def _terms(contract: Contract) -> list[tuple[dt.date, dt.date, int]]:
    terms: list[tuple[dt.date, dt.date, int]] = []
    for version in contract.binding_versions:
        start = version.term_start
        term = (start, version.term_end, version.grace_days)
        if terms and terms[-1][0] == start:
            terms[-1] = term
        else:
            terms.append(term)
    return terms


def _outcomes(
    contract: Contract, terms: list[tuple[dt.date, dt.date, int]]
) -> tuple[TermOutcome, ...]:
    # Sorted once and walked with a cursor: the renewals not matched yet are
    # always those after the cursor, so a contract renewed every day for
    # decades is read in one pass, not one pass per term.
    renewals = sorted(
        c.on for c in contract.history if c.status is ContractStatus.RENEWED
    )
    found: list[TermOutcome] = []
    index = cursor = 0
    while index < len(terms) - 1:
        _start, end, grace = terms[index]
        following = terms[index + 1][0]
        limit = max(following, end + dt.timedelta(days=grace + 1))
        upto = bisect.bisect_right(renewals, limit, cursor)
        if upto == cursor:
            break
        # Renewed on the new term's first day if a change says so, else on
        # the earliest matching change (a late signature).
        match = bisect.bisect_left(renewals, following, cursor, upto)
        if match < upto and renewals[match] == following:
            on = following
        else:
            on = renewals[cursor]
        cursor = upto
        found.append(_outcome(contract, end, Outcome.RENEWED, on))
        index += 1
    closing = [
        c
        for c in contract.history
        if c.status in (ContractStatus.LAPSED, ContractStatus.TERMINATED)
    ]
    if closing:
        change = closing[-1]
        outcome = (
            Outcome.LAPSED
            if change.status is ContractStatus.LAPSED
            else Outcome.TERMINATED
        )
        end = min(terms[index][1], change.on - _DAY)
        found.append(_outcome(contract, end, outcome, change.on))
    return tuple(found)


def _outcome(
    contract: Contract, term_end: dt.date, outcome: Outcome, on: dt.date
) -> TermOutcome:
    return TermOutcome(
        contract=contract.id,
        client=contract.client,
        term_end=term_end,
        outcome=outcome,
        on=on,
    )


@attrs.frozen(kw_only=True)
class AlertFacts:
    """A renewal alert as the metrics see it.

    Attributes:
        id: The alert (its ledger key).
        contract: The contract it is about.
        client: Its client.
        kind: Renewal, notice deadline or late.
        raised_on: The day it was raised.
        first_action_on: The day of the first action taken on it, if any.
        term_end: The end of the term it is about (a late alert's first).
        last_term_end: A late alert's last term end; ``term_end`` otherwise.
        terms: How many term ends it tells of.
    """

    id: AlertId
    contract: ContractId
    client: ClientId
    kind: AlertKind
    raised_on: dt.date
    first_action_on: dt.date | None
    term_end: dt.date
    last_term_end: dt.date
    terms: int = 1

    @classmethod
    def of(cls, alert: RenewalAlert) -> AlertFacts:
        """The facts of ``alert``."""
        first = alert.first_action
        return cls(
            id=alert.id,
            contract=alert.contract,
            client=alert.client,
            kind=alert.kind,
            raised_on=alert.raised_on,
            first_action_on=None if first is None else first.on,
            term_end=alert.term_end,
            last_term_end=alert.last_term_end or alert.term_end,
            terms=alert.terms,
        )

    def same_alert(self, other: AlertFacts) -> bool:
        """Whether both describe one alert (all but the first action agree)."""
        return attrs.evolve(self, first_action_on=None) == attrs.evolve(
            other, first_action_on=None
        )

    def joined(self, other: AlertFacts) -> AlertFacts:
        """The alert with the earlier first action of the two.

        A first action never moves once recorded, so whichever copy knows of
        one (the earliest, if both do) is the more recent news: the result
        does not depend on the order the copies arrive in.
        """
        mine, theirs = self.first_action_on, other.first_action_on
        if theirs is None or (mine is not None and mine <= theirs):
            return self
        return other

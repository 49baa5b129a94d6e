"""Opportunities: upsell, cross-sell, expansion and renewal deals in the pipeline.

Stage, probability and outcome are separate facts (SPEC §4): the stage gives a
default probability, a manual override is recorded with who and why, and the
outcome (open, won, lost) is not a stage. Every change is kept.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from kamcore.kernel import (
    Checks,
    ClientId,
    ContractId,
    ManagerId,
    Money,
    OpportunityId,
    Percentage,
    ProductId,
    ProposalId,
)

__all__ = [
    "Opportunity",
    "OpportunityChange",
    "OpportunityKind",
    "Outcome",
    "ProbabilityOverride",
    "Stage",
]


class OpportunityKind(enum.Enum):
    """What kind of deal it is."""

    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"
    EXPANSION = "expansion"
    RENEWAL = "renewal"


class Stage(enum.Enum):
    """How far the deal has come, in order."""

    QUALIFICATION = "qualification"
    NEEDS_ANALYSIS = "needs_analysis"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CLOSING = "closing"

    def __str__(self) -> str:
        return self.value


class Outcome(enum.Enum):
    """Whether the deal is still open, or how it ended."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class ProbabilityOverride:
    """A probability set by hand instead of the stage's default.

    Attributes:
        probability: The probability to use.
        by: Who set it.
        reason: Why.
        at: When (timezone-aware).
    """

    probability: Percentage
    by: ManagerId
    reason: str
    at: dt.datetime

    def __attrs_post_init__(self) -> None:
        checks = Checks("ProbabilityOverride")
        if checks.instance("probability", self.probability, Percentage):
            checks.require(
                Percentage(0) <= self.probability <= Percentage(100),
                "probability",
                "must be between 0 % and 100 %",
                self.probability,
            )
        checks.text("by", self.by)
        checks.text("reason", self.reason)
        checks.instant("at", self.at)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class OpportunityChange:
    """One change to an opportunity, as it happened.

    Attributes:
        at: When (timezone-aware).
        by: Who made it.
        field: What changed (``"stage"``, ``"value"``, ``"probability"``...).
        before: The previous value, as text.
        after: The new value, as text.
        reason: Why, when one was given.
    """

    at: dt.datetime
    by: ManagerId
    field: str
    before: str
    after: str
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        checks = Checks("OpportunityChange")
        checks.instant("at", self.at)
        checks.text("by", self.by)
        checks.text("field", self.field)
        checks.instance("before", self.before, str)
        checks.instance("after", self.after, str)
        checks.instance("reason", self.reason, str)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class Opportunity:
    """A deal with a client: its stage, probability, value and history.

    Attributes:
        id: The opportunity's id.
        client: The client.
        kind: Upsell, cross-sell, expansion or renewal.
        title: What the deal is, in words.
        owner: The account manager who owns it.
        value: Its expected value.
        close_date: When it is expected to close.
        stage: How far it has come.
        stage_probability: The stage's default probability, taken when the
            stage was set.
        override: A probability set by hand, with who and why.
        outcome: Open, won or lost.
        notes: Free notes (internal: they never reach the client portal).
        product: The product it is about, if one.
        contract: The contract it is about, if one.
        proposal: The proposal made for it, if one.
        created_at: When it was created (timezone-aware).
        changes: Every change, oldest first.
        version: Optimistic-locking version.
    """

    id: OpportunityId
    client: ClientId
    kind: OpportunityKind
    title: str
    owner: ManagerId
    value: Money
    close_date: dt.date
    stage: Stage
    stage_probability: Percentage
    override: ProbabilityOverride | None = None
    outcome: Outcome = Outcome.OPEN
    notes: str = ""
    product: ProductId | None = None
    contract: ContractId | None = None
    proposal: ProposalId | None = None
    created_at: dt.datetime
    changes: tuple[OpportunityChange, ...] = ()
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Opportunity")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.instance("kind", self.kind, OpportunityKind)
        checks.text("title", self.title)
        checks.text("owner", self.owner)
        if checks.instance("value", self.value, Money):
            checks.require(
                not self.value.is_negative(),
                "value",
                "must not be negative",
                self.value,
            )
        checks.date("close_date", self.close_date)
        checks.instance("stage", self.stage, Stage)
        if checks.instance("stage_probability", self.stage_probability, Percentage):
            checks.require(
                Percentage(0) <= self.stage_probability <= Percentage(100),
                "stage_probability",
                "must be between 0 % and 100 %",
                self.stage_probability,
            )
        if self.override is not None:
            checks.instance("override", self.override, ProbabilityOverride)
        checks.instance("outcome", self.outcome, Outcome)
        checks.instance("notes", self.notes, str)
        checks.optional_text("product", self.product)
        checks.optional_text("contract", self.contract)
        checks.optional_text("proposal", self.proposal)
        checks.instant("created_at", self.created_at)
        checks.each("changes", self.changes, OpportunityChange)
        checks.version(self.version)
        checks.raise_if_any()

    @property
    def probability(self) -> Percentage:
        """The override's probability if there is one, else the stage's."""
        if self.override is not None:
            return self.override.probability
        return self.stage_probability

    @property
    def is_open(self) -> bool:
        """Whether the deal is still open (counts in the pipeline)."""
        return self.outcome is Outcome.OPEN

"""Opportunities: upsell, cross-sell, expansion and renewal deals in the pipeline.

Stage, probability and outcome are separate facts (SPEC §4): the stage gives a
default probability, a manual override is recorded with who and why, and the
outcome (open, won, lost) is not a stage. Every change is kept: each method
returns a new value with one :class:`OpportunityChange` per field it changed,
and a closed opportunity refuses any further change.

The domain has no clock: every method takes the instant of the change (``at``)
and who made it (``by``); services pass the clock's ``now()``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from kamcore.errors import CurrencyMismatchError, InvalidTransitionError
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
from kamcore.opportunities._history import (
    ChangeRecorder,
    OpportunityChange,
    ProbabilityOverride,
)
from kamcore.opportunities._stages import (
    DEFAULT_STAGE_PROBABILITIES,
    Stage,
    StageProbabilities,
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


class Outcome(enum.Enum):
    """Whether the deal is still open, or how it ended."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"

    def __str__(self) -> str:
        return self.value


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

    @property
    def last_changed_at(self) -> dt.datetime:
        """When it last changed: its latest change, or its creation."""
        return max((change.at for change in self.changes), default=self.created_at)

    @property
    def closed_at(self) -> dt.datetime | None:
        """When it was won or lost; ``None`` while open."""
        if self.is_open:
            return None
        return next(c.at for c in reversed(self.changes) if c.field == "outcome")

    # -- behaviour -------------------------------------------------------------
    @classmethod
    def create(
        cls,
        *,
        id: OpportunityId,  # noqa: A002 - mirrors the entity's field
        client: ClientId,
        kind: OpportunityKind,
        title: str,
        owner: ManagerId,
        value: Money,
        close_date: dt.date,
        at: dt.datetime,
        stage: Stage = Stage.QUALIFICATION,
        probabilities: StageProbabilities = DEFAULT_STAGE_PROBABILITIES,
        notes: str = "",
        product: ProductId | None = None,
        contract: ContractId | None = None,
    ) -> Opportunity:
        """A new open opportunity at ``stage``, with the stage's probability.

        Creation is not a change: :attr:`changes` starts empty and
        :attr:`created_at` is ``at``.

        Raises:
            ValidationError: naming every offending field.
        """
        _check_stage_arguments("Opportunity.create", stage, probabilities)
        return cls(
            id=id,
            client=client,
            kind=kind,
            title=title,
            owner=owner,
            value=value,
            close_date=close_date,
            stage=stage,
            stage_probability=probabilities.of(stage),
            notes=notes,
            product=product,
            contract=contract,
            created_at=at,
        )

    def move_to_stage(
        self,
        stage: Stage,
        *,
        at: dt.datetime,
        by: ManagerId,
        probabilities: StageProbabilities = DEFAULT_STAGE_PROBABILITIES,
        reason: str = "",
    ) -> Opportunity:
        """The opportunity at ``stage``, with the stage's default probability.

        Any stage may follow any other (deals go back too). An override stays in
        force: the effective :attr:`probability` only follows the stage when
        there is none. Records a ``stage`` change, and a ``stage_probability``
        change when the default differs; moving to the current stage with the
        same default changes nothing.

        Raises:
            InvalidTransitionError: the opportunity is closed.
            ValidationError: for a value that is not a stage or a table.
        """
        self._require_open(f"stage {getattr(stage, 'value', stage)}")
        _check_stage_arguments("Opportunity.move_to_stage", stage, probabilities)
        probability = probabilities.of(stage)
        record = ChangeRecorder(at, by, reason)
        record("stage", self.stage, stage)
        record("stage_probability", self.stage_probability, probability)
        return self._apply(record, stage=stage, stage_probability=probability)

    def override_probability(
        self,
        probability: Percentage,
        *,
        at: dt.datetime,
        by: ManagerId,
        reason: str,
    ) -> Opportunity:
        """The opportunity with a probability set by hand, with who, why, when.

        Replaces any earlier override. Records an ``override`` change.

        Raises:
            InvalidTransitionError: the opportunity is closed.
            ValidationError: a probability outside 0 % to 100 %, a blank reason
                or who, a naive instant.
        """
        self._require_open("probability override")
        override = ProbabilityOverride(
            probability=probability, by=by, reason=reason, at=at
        )
        record = ChangeRecorder(at, by, reason)
        record("override", self._override_text(), str(probability), force=True)
        return self._apply(record, override=override)

    def clear_override(
        self, *, at: dt.datetime, by: ManagerId, reason: str = ""
    ) -> Opportunity:
        """The opportunity back on its stage's probability.

        Records an ``override`` change; without an override it changes nothing.

        Raises:
            InvalidTransitionError: the opportunity is closed.
        """
        self._require_open("override cleared")
        record = ChangeRecorder(at, by, reason)
        record("override", self._override_text(), "")
        return self._apply(record, override=None)

    def update(
        self,
        *,
        at: dt.datetime,
        by: ManagerId,
        value: Money | None = None,
        close_date: dt.date | None = None,
        notes: str | None = None,
        reason: str = "",
    ) -> Opportunity:
        """The opportunity with a revised value, close date or notes.

        ``None`` leaves a field as it is. One change is recorded per field whose
        value actually changes.

        Raises:
            InvalidTransitionError: the opportunity is closed.
            CurrencyMismatchError: ``value`` is in another currency (a deal keeps
                its currency; kamcore does no conversion).
            ValidationError: a negative value, a bad date, notes not text.
        """
        self._require_open("update")
        checks = Checks("Opportunity.update")
        if value is not None and checks.instance("value", value, Money):
            checks.raise_if_any()
            if value.currency != self.value.currency:
                raise CurrencyMismatchError(
                    self.value.currency,
                    value.currency,
                    f"change the value of opportunity {self.id} to",
                )
        checks.optional_date("close_date", close_date)
        if notes is not None:
            checks.instance("notes", notes, str)
        checks.raise_if_any()
        record = ChangeRecorder(at, by, reason)
        fields: dict[str, object] = {}
        for name, new in (("value", value), ("close_date", close_date)):
            if new is not None:
                record(name, getattr(self, name), new)
                fields[name] = new
        if notes is not None:
            record("notes", self.notes, notes)
            fields["notes"] = notes
        return self._apply(record, **fields)

    def link_proposal(
        self, proposal: ProposalId, *, at: dt.datetime, by: ManagerId
    ) -> Opportunity:
        """The opportunity pointing at the proposal made for it.

        Records a ``proposal`` change (a new proposal replaces an older one).

        Raises:
            InvalidTransitionError: the opportunity is closed.
        """
        self._require_open(f"proposal {proposal}")
        record = ChangeRecorder(at, by, "")
        record("proposal", self.proposal, proposal)
        return self._apply(record, proposal=proposal)

    def close(
        self, outcome: Outcome, *, at: dt.datetime, by: ManagerId, reason: str = ""
    ) -> Opportunity:
        """The opportunity won or lost; it refuses every change after this.

        The stage stays where it was: the outcome is a separate fact. Records an
        ``outcome`` change.

        Raises:
            InvalidTransitionError: it is already closed.
            ValidationError: ``outcome`` is not won or lost.
        """
        self._require_open(getattr(outcome, "value", outcome))
        checks = Checks("Opportunity.close")
        checks.require(
            outcome in (Outcome.WON, Outcome.LOST),
            "outcome",
            "must be won or lost",
            outcome,
        )
        checks.raise_if_any()
        record = ChangeRecorder(at, by, reason)
        record("outcome", self.outcome, outcome)
        return self._apply(record, outcome=outcome)

    # -- internals -------------------------------------------------------------
    def _require_open(self, requested: object) -> None:
        if not self.is_open:
            raise InvalidTransitionError(
                "Opportunity", self.id, self.outcome, requested
            )

    def _override_text(self) -> str:
        return "" if self.override is None else str(self.override.probability)

    def _apply(self, record: ChangeRecorder, **fields: Any) -> Opportunity:
        if not record.changes:
            return self
        return attrs.evolve(self, **fields, changes=(*self.changes, *record.changes))


def _check_stage_arguments(subject: str, stage: object, probabilities: object) -> None:
    checks = Checks(subject)
    checks.instance("stage", stage, Stage)
    checks.instance("probabilities", probabilities, StageProbabilities)
    checks.raise_if_any()

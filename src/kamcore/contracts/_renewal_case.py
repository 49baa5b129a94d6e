"""The renewal case (seed workflow 1), a first-class record with a timestamp per step.

alert -> analysis -> proposal -> sent -> negotiation (every revision kept) ->
accepted -> contract amended -> signed -> archived; or declined by the client,
or lapsed when the term (and its grace) ran out with nothing signed.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs

from kamcore.contracts._analysis import RenewalAnalysis
from kamcore.contracts._strategy import RenewalPricing
from kamcore.errors import InvalidTransitionError
from kamcore.kernel import (
    AlertId,
    Checks,
    ClientId,
    ContractId,
    ManagerId,
    ProposalId,
    RenewalCaseId,
    is_int,
)

__all__ = ["CASE_TRANSITIONS", "CaseStage", "CaseStep", "RenewalCase"]


class CaseStage(enum.Enum):
    """The steps of a renewal case, in order, and its two other endings."""

    OPENED = "opened"
    ANALYSED = "analysed"
    PROPOSED = "proposed"
    SENT = "sent"
    NEGOTIATING = "negotiating"
    ACCEPTED = "accepted"
    AMENDED = "amended"
    SIGNED = "signed"
    ARCHIVED = "archived"
    DECLINED = "declined"
    LAPSED = "lapsed"

    def __str__(self) -> str:
        return self.value


_C = CaseStage
_ENDINGS = frozenset({_C.DECLINED, _C.LAPSED})

CASE_TRANSITIONS: Final[dict[CaseStage, frozenset[CaseStage]]] = {
    _C.OPENED: frozenset({_C.ANALYSED}) | _ENDINGS,
    _C.ANALYSED: frozenset({_C.PROPOSED}) | _ENDINGS,
    _C.PROPOSED: frozenset({_C.SENT}) | _ENDINGS,
    _C.SENT: frozenset({_C.NEGOTIATING, _C.ACCEPTED}) | _ENDINGS,
    _C.NEGOTIATING: frozenset({_C.SENT, _C.ACCEPTED}) | _ENDINGS,
    _C.ACCEPTED: frozenset({_C.AMENDED, _C.LAPSED}),
    _C.AMENDED: frozenset({_C.SIGNED, _C.LAPSED}),
    _C.SIGNED: frozenset({_C.ARCHIVED}),
    _C.ARCHIVED: frozenset(),
    _C.DECLINED: frozenset(),
    _C.LAPSED: frozenset(),
}
"""For each stage, the stages a case may move to. Revising a sent proposal moves
the case to ``negotiating``; sending the revision moves it back to ``sent``."""

OPEN_STAGES: Final = frozenset(CaseStage) - {_C.ARCHIVED, _C.DECLINED, _C.LAPSED}
"""Stages of a case still being worked on (a signed case still needs filing)."""


@attrs.frozen(kw_only=True)
class CaseStep:
    """One step of the case, time-stamped.

    Attributes:
        stage: The stage entered.
        at: When (timezone-aware).
        by: Who did it.
        note: What happened, in words.
        reference: The id of what the step produced (a proposal, a contract
            version, an archived document), if any.
    """

    stage: CaseStage
    at: dt.datetime
    by: ManagerId
    note: str = ""
    reference: str | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("CaseStep")
        checks.instance("stage", self.stage, CaseStage)
        checks.instant("at", self.at)
        checks.text("by", self.by)
        checks.instance("note", self.note, str)
        checks.optional_text("reference", self.reference)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class RenewalCase:
    """The renewal of one contract term, step by step.

    Attributes:
        id: The case's id.
        contract: The contract being renewed.
        client: Its client.
        term_end: The end of the term being renewed.
        alert: The renewal alert the case answers, if one was raised.
        stage: Where the case is.
        steps: Every step taken, oldest first (the first is ``opened``).
        analysis: The history analysis, once made.
        pricing: The renewal pricing strategy of the latest proposal.
        proposal: The renewal proposal, once made.
        amended_version: The contract version the renewal created.
        version: Optimistic-locking version.
    """

    id: RenewalCaseId
    contract: ContractId
    client: ClientId
    term_end: dt.date
    alert: AlertId | None = None
    stage: CaseStage = CaseStage.OPENED
    steps: tuple[CaseStep, ...]
    analysis: RenewalAnalysis | None = None
    pricing: RenewalPricing | None = None
    proposal: ProposalId | None = None
    amended_version: int | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("RenewalCase")
        checks.text("id", self.id)
        checks.text("contract", self.contract)
        checks.text("client", self.client)
        checks.date("term_end", self.term_end)
        checks.optional_text("alert", self.alert)
        checks.instance("stage", self.stage, CaseStage)
        checks.each("steps", self.steps, CaseStep)
        if self.analysis is not None:
            checks.instance("analysis", self.analysis, RenewalAnalysis)
        if self.pricing is not None:
            checks.instance("pricing", self.pricing, RenewalPricing)
        checks.optional_text("proposal", self.proposal)
        if self.amended_version is not None and (
            not is_int(self.amended_version) or self.amended_version < 1
        ):
            checks.fail(
                "amended_version", "expected an integer >= 1", self.amended_version
            )
        checks.version(self.version)
        checks.raise_if_any()
        checks.require(
            bool(self.steps) and self.steps[0].stage is CaseStage.OPENED,
            "steps",
            "must start with the opened step",
            self.steps[:1],
        )
        checks.require(
            not self.steps or self.steps[-1].stage is self.stage,
            "stage",
            "must be the stage of the latest step",
            self.stage,
        )
        checks.raise_if_any()

    @property
    def is_open(self) -> bool:
        """Whether the case is still being worked on."""
        return self.stage in OPEN_STAGES

    @property
    def opened_at(self) -> dt.datetime:
        """When the case was opened."""
        return self.steps[0].at

    def reached_at(self, stage: CaseStage) -> dt.datetime | None:
        """When the case first entered ``stage``; ``None`` if it never did."""
        for step in self.steps:
            if step.stage is stage:
                return step.at
        return None

    def advance(
        self,
        stage: CaseStage,
        *,
        at: dt.datetime,
        by: ManagerId,
        note: str = "",
        reference: str | None = None,
        **fields: object,
    ) -> RenewalCase:
        """The case in ``stage``, the step kept, ``fields`` set beside it.

        Raises:
            InvalidTransitionError: the workflow does not allow it.
        """
        if stage not in CASE_TRANSITIONS[self.stage]:
            raise InvalidTransitionError("RenewalCase", self.id, self.stage, stage)
        step = CaseStep(stage=stage, at=at, by=by, note=note, reference=reference)
        return attrs.evolve(
            self,
            stage=stage,
            steps=(*self.steps, step),
            **fields,  # type: ignore[arg-type] # attrs.evolve takes any field; callers pass this class's own fields
        )

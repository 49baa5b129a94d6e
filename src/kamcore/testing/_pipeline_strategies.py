"""Strategies for the pipeline: opportunities and proposals, with their history."""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import strategies as st

from kamcore.accounts import LineItem
from kamcore.kernel import (
    ClientId,
    ContractId,
    ManagerId,
    OpportunityId,
    OrderId,
    ProductId,
    ProposalId,
)
from kamcore.opportunities import (
    Opportunity,
    OpportunityChange,
    OpportunityKind,
    Outcome,
    ProbabilityOverride,
    Stage,
    StageProbabilities,
)
from kamcore.proposals import (
    Proposal,
    ProposalEvent,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.testing._document_strategies import line_items
from kamcore.testing._value_strategies import (
    currencies,
    dates,
    free_text,
    ids,
    instants,
    money,
    names,
    percentages,
)

__all__ = [
    "opportunities",
    "opportunity_changes",
    "probability_overrides",
    "proposal_events",
    "proposal_revisions",
    "proposals",
    "stage_probabilities",
]

_FIELDS = (
    "stage",
    "stage_probability",
    "override",
    "value",
    "close_date",
    "notes",
    "proposal",
    "outcome",
)
_FIELD_NAMES = st.sampled_from(_FIELDS)


@functools.lru_cache(maxsize=256)
def _revision_lines(code: str, explained: bool) -> st.SearchStrategy[list[LineItem]]:
    return st.lists(line_items(code, explained=explained), min_size=1, max_size=2)


@functools.lru_cache(maxsize=256)
def _revisions(code: str, number: int) -> st.SearchStrategy[ProposalRevision]:
    return proposal_revisions(code, number=number)


@functools.lru_cache(maxsize=256)
def _event_lists(revisions: int) -> st.SearchStrategy[list[ProposalEvent]]:
    return st.lists(proposal_events(revisions=revisions), max_size=4)


@functools.lru_cache(maxsize=256)
def _maybe_revision(revisions: int) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(1, revisions)


@st.composite
def stage_probabilities(draw: st.DrawFn) -> StageProbabilities:
    """Stage probability tables, each stage from 0 % to 100 %."""
    values = [draw(percentages()) for _ in Stage]
    return StageProbabilities(
        **{s.value: p for s, p in zip(Stage, values, strict=True)}
    )


@st.composite
def probability_overrides(draw: st.DrawFn) -> ProbabilityOverride:
    """Manual probabilities, with who, why and when."""
    return ProbabilityOverride(
        probability=draw(percentages()),
        by=draw(ids(ManagerId)),
        reason=draw(names),
        at=draw(instants()),
    )


@st.composite
def opportunity_changes(draw: st.DrawFn) -> OpportunityChange:
    """History entries of any recorded field."""
    return OpportunityChange(
        at=draw(instants()),
        by=draw(ids(ManagerId)),
        field=draw(_FIELD_NAMES),
        before=draw(free_text),
        after=draw(free_text),
        reason=draw(free_text),
    )


# Built once: the composites below draw from these on every example.
_CLIENT_IDS = ids(ClientId)
_MANAGERS = ids(ManagerId)
_STAGE_TABLES = stage_probabilities()
_MAYBE_OVERRIDE = st.none() | probability_overrides()
_MAYBE_PRODUCT = st.none() | ids(ProductId)
_MAYBE_CONTRACT = st.none() | ids(ContractId)
_MAYBE_PROPOSAL = st.none() | ids(ProposalId)
_MAYBE_OPPORTUNITY = st.none() | ids(OpportunityId)
_MAYBE_ORDER = st.none() | ids(OrderId)
_CHANGE_LISTS = st.lists(opportunity_changes(), max_size=4)


@st.composite
def opportunities(
    draw: st.DrawFn,
    *,
    currency: str | None = None,
    outcome: Outcome | None = None,
    client: ClientId | None = None,
) -> Opportunity:
    """Opportunities of every kind, stage and outcome, with a history.

    Values are non-negative; the stage probability is the one of a drawn
    table, so it need not be the default. Keyword arguments pin the currency,
    the outcome and the client.
    """
    code = draw(currencies()) if currency is None else currency
    stage = draw(st.sampled_from(Stage))
    return Opportunity(
        id=draw(ids(OpportunityId)),
        client=draw(_CLIENT_IDS) if client is None else client,
        kind=draw(st.sampled_from(OpportunityKind)),
        title=draw(names),
        owner=draw(_MANAGERS),
        value=draw(money(code, min_value=0, max_value=10_000_000)),
        close_date=draw(dates()),
        stage=stage,
        stage_probability=draw(_STAGE_TABLES).of(stage),
        override=draw(_MAYBE_OVERRIDE),
        outcome=draw(st.sampled_from(Outcome)) if outcome is None else outcome,
        notes=draw(free_text),
        product=draw(_MAYBE_PRODUCT),
        contract=draw(_MAYBE_CONTRACT),
        proposal=draw(_MAYBE_PROPOSAL),
        created_at=draw(instants()),
        changes=tuple(draw(_CHANGE_LISTS)),
    )


@st.composite
def proposal_revisions(
    draw: st.DrawFn, currency: str | None = None, *, number: int = 1
) -> ProposalRevision:
    """One revision of one or two lines in ``currency``, numbered ``number``."""
    code = draw(currencies()) if currency is None else currency
    lines: list[LineItem] = draw(_revision_lines(code, draw(st.booleans())))
    return ProposalRevision(
        number=number,
        lines=tuple(lines),
        pricing_date=draw(dates()),
        note=draw(names),
        recorded_at=draw(instants()),
        recorded_by=draw(_MANAGERS),
    )


@st.composite
def proposal_events(draw: st.DrawFn, *, revisions: int = 1) -> ProposalEvent:
    """Status changes, time-stamped, naming one of ``revisions`` revisions (or
    none, as events stored before the revision was recorded)."""
    return ProposalEvent(
        status=draw(st.sampled_from(ProposalStatus)),
        at=draw(instants()),
        note=draw(free_text),
        revision=draw(_maybe_revision(revisions)),
    )


@functools.lru_cache(maxsize=4096)
def _maybe_later(day: dt.date) -> st.SearchStrategy[dt.date | None]:
    """``None``, or a day within a year after ``day``."""
    return st.none() | dates(
        day, min(day + dt.timedelta(days=365), dt.date(2099, 12, 31))
    )


@st.composite
def proposals(
    draw: st.DrawFn,
    *,
    currency: str | None = None,
    status: ProposalStatus | None = None,
    client: ClientId | None = None,
) -> Proposal:
    """Proposals of one or two revisions, numbered 1, 2, ..., in one currency.

    Keyword arguments pin the currency, the status and the client. Every
    optional link (contract, opportunity, order, ``valid_until``) is sometimes
    set.
    """
    code = draw(currencies()) if currency is None else currency
    count = draw(st.integers(1, 2))
    revisions = tuple(draw(_revisions(code, number)) for number in range(1, count + 1))
    return Proposal(
        id=draw(ids(ProposalId)),
        client=draw(_CLIENT_IDS) if client is None else client,
        purpose=draw(st.sampled_from(ProposalPurpose)),
        currency=code,
        revisions=revisions,
        status=draw(st.sampled_from(ProposalStatus)) if status is None else status,
        history=tuple(draw(_event_lists(count))),
        valid_until=draw(_maybe_later(revisions[0].pricing_date)),
        contract=draw(_MAYBE_CONTRACT),
        opportunity=draw(_MAYBE_OPPORTUNITY),
        order=draw(_MAYBE_ORDER),
    )

"""Strategies for the pipeline: opportunities and proposals, with their history."""

from __future__ import annotations

import datetime as dt

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
        field=draw(st.sampled_from(_FIELDS)),
        before=draw(free_text),
        after=draw(free_text),
        reason=draw(free_text),
    )


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
        client=draw(ids(ClientId)) if client is None else client,
        kind=draw(st.sampled_from(OpportunityKind)),
        title=draw(names),
        owner=draw(ids(ManagerId)),
        value=draw(money(code, min_value=0, max_value=10_000_000)),
        close_date=draw(dates()),
        stage=stage,
        stage_probability=draw(stage_probabilities()).of(stage),
        override=draw(st.none() | probability_overrides()),
        outcome=draw(st.sampled_from(Outcome)) if outcome is None else outcome,
        notes=draw(free_text),
        product=draw(st.none() | ids(ProductId)),
        contract=draw(st.none() | ids(ContractId)),
        proposal=draw(st.none() | ids(ProposalId)),
        created_at=draw(instants()),
        changes=tuple(draw(st.lists(opportunity_changes(), max_size=4))),
    )


@st.composite
def proposal_revisions(
    draw: st.DrawFn, currency: str | None = None, *, number: int = 1
) -> ProposalRevision:
    """One revision of one or two lines in ``currency``, numbered ``number``."""
    code = draw(currencies()) if currency is None else currency
    lines: list[LineItem] = draw(
        st.lists(
            line_items(code, explained=draw(st.booleans())), min_size=1, max_size=2
        )
    )
    return ProposalRevision(
        number=number,
        lines=tuple(lines),
        pricing_date=draw(dates()),
        note=draw(names),
        recorded_at=draw(instants()),
        recorded_by=draw(ids(ManagerId)),
    )


@st.composite
def proposal_events(draw: st.DrawFn, *, revisions: int = 1) -> ProposalEvent:
    """Status changes, time-stamped, naming one of ``revisions`` revisions (or
    none, as events stored before the revision was recorded)."""
    return ProposalEvent(
        status=draw(st.sampled_from(ProposalStatus)),
        at=draw(instants()),
        note=draw(free_text),
        revision=draw(st.none() | st.integers(1, revisions)),
    )


def _later(day: dt.date) -> st.SearchStrategy[dt.date]:
    return dates(day, min(day + dt.timedelta(days=365), dt.date(2099, 12, 31)))


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
    revisions = tuple(
        draw(proposal_revisions(code, number=number)) for number in range(1, count + 1)
    )
    return Proposal(
        id=draw(ids(ProposalId)),
        client=draw(ids(ClientId)) if client is None else client,
        purpose=draw(st.sampled_from(ProposalPurpose)),
        currency=code,
        revisions=revisions,
        status=draw(st.sampled_from(ProposalStatus)) if status is None else status,
        history=tuple(draw(st.lists(proposal_events(revisions=count), max_size=4))),
        valid_until=draw(st.none() | _later(revisions[0].pricing_date)),
        contract=draw(st.none() | ids(ContractId)),
        opportunity=draw(st.none() | ids(OpportunityId)),
        order=draw(st.none() | ids(OrderId)),
    )

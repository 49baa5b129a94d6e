"""The records and expected answers of the opportunity and proposal queries.

Like :mod:`kamcore.testing._query_cases` (which appends these to its
``QUERY_CASES``): one small set of records per query, added out of order, on
the edges of every filter -- exactly on a bound, one day outside it, ties on
the sort key broken by id -- and a table of the filters given and exactly the
ids expected, in order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamcore.kernel import (
    ClientId,
    ContractId,
    ManagerId,
    Money,
    OpportunityId,
    Percentage,
    ProposalId,
)
from kamcore.opportunities import Opportunity, OpportunityKind, Outcome, Stage
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.testing._query_case import QueryCase, cases_for
from kamcore.testing._samples import DAY, INSTANT, line

__all__ = ["PIPELINE_QUERY_CASES"]

K, OC, P = OpportunityKind, Outcome, ProposalStatus
MARCH_2 = dt.date(2026, 3, 2)
MARCH_10 = dt.date(2026, 3, 10)
MARCH_31 = dt.date(2026, 3, 31)


def _ids(text: str) -> list[str]:
    return text.split()


def opportunity(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    closes: dt.date,
    client: str = "c-1",
    owner: str = "m-1",
    kind: OpportunityKind = OpportunityKind.UPSELL,
    outcome: Outcome = Outcome.OPEN,
) -> Opportunity:
    """A EUR 1000.00 deal at qualification closing on ``closes``."""
    return Opportunity(
        id=OpportunityId(id),
        client=ClientId(client),
        kind=kind,
        title=f"Deal {id}",
        owner=ManagerId(owner),
        value=Money("1000.00", "EUR"),
        close_date=closes,
        stage=Stage.QUALIFICATION,
        stage_probability=Percentage(10),
        outcome=outcome,
        created_at=INSTANT,
    )


def proposal(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    client: str = "c-1",
    status: ProposalStatus = ProposalStatus.DRAFT,
    contract: str | None = None,
    opportunity: str | None = None,
) -> Proposal:
    """A one-revision EUR proposal, maybe tied to a contract or an opportunity."""
    return Proposal(
        id=ProposalId(id),
        client=ClientId(client),
        purpose=ProposalPurpose.UPSELL,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=(line("100.00"),),
                pricing_date=DAY,
                note="first offer",
                recorded_at=INSTANT,
                recorded_by=ManagerId("m-1"),
            ),
        ),
        status=status,
        contract=None if contract is None else ContractId(contract),
        opportunity=None if opportunity is None else OpportunityId(opportunity),
    )


# -- opportunities: the close date, inclusive bounds ------------------------------

OPPORTUNITIES = (
    opportunity("op-6", closes=MARCH_10, kind=K.RENEWAL),  # tie with op-2
    opportunity("op-5", closes=dt.date(2026, 4, 1), client="c-2"),  # a day after
    opportunity("op-1", closes=MARCH_31, outcome=OC.WON),  # on the upper bound
    opportunity("op-7", closes=MARCH_31),  # tie with op-1
    opportunity("op-2", closes=MARCH_10, owner="m-2", kind=K.EXPANSION),
    opportunity("op-4", closes=MARCH_2, outcome=OC.LOST),  # on the lower bound
    opportunity("op-3", closes=dt.date(2026, 3, 1), owner="m-2"),  # a day before
)

OPPORTUNITY_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, _ids("op-3 op-4 op-2 op-6 op-1 op-7 op-5")),
    (
        {"closing_from": MARCH_2, "closing_to": MARCH_31},
        _ids("op-4 op-2 op-6 op-1 op-7"),
    ),
    ({"closing_from": MARCH_2}, _ids("op-4 op-2 op-6 op-1 op-7 op-5")),
    ({"closing_to": MARCH_31}, _ids("op-3 op-4 op-2 op-6 op-1 op-7")),
    ({"closing_from": MARCH_10, "closing_to": MARCH_10}, _ids("op-2 op-6")),
    ({"client": ClientId("c-2")}, ["op-5"]),
    ({"owner": ManagerId("m-2")}, _ids("op-3 op-2")),
    ({"kind": K.UPSELL}, _ids("op-3 op-4 op-1 op-7 op-5")),
    ({"kind": K.RENEWAL}, ["op-6"]),
    ({"outcome": OC.OPEN}, _ids("op-3 op-2 op-6 op-7 op-5")),
    ({"outcome": OC.WON}, ["op-1"]),
    ({"outcome": OC.LOST}, ["op-4"]),
    (
        {
            "client": ClientId("c-1"),
            "owner": ManagerId("m-1"),
            "kind": K.UPSELL,
            "outcome": OC.OPEN,
            "closing_from": MARCH_2,
            "closing_to": MARCH_31,
        },
        ["op-7"],
    ),
    (
        {
            "owner": ManagerId("m-2"),
            "outcome": OC.OPEN,
            "closing_from": MARCH_2,
            "closing_to": MARCH_31,
        },
        ["op-2"],
    ),
    ({"kind": K.CROSS_SELL}, []),
    ({"client": ClientId("c-9")}, []),
    ({"closing_from": dt.date(2027, 1, 1)}, []),
    ({"closing_to": dt.date(2026, 2, 28)}, []),
]

# -- proposals: by id ---------------------------------------------------------------

PROPOSALS = (
    proposal("pr-4", status=P.SENT, opportunity="op-1"),
    proposal("pr-2", client="c-2", contract="k-1"),
    proposal("pr-10", status=P.ACCEPTED, contract="k-1", opportunity="op-1"),
    proposal("pr-1", status=P.SENT),
    proposal("pr-3", client="c-2", status=P.CONVERTED, opportunity="op-2"),
)
"""Ordered by id as text: ``pr-10`` sorts between ``pr-1`` and ``pr-2``."""

PROPOSAL_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, _ids("pr-1 pr-10 pr-2 pr-3 pr-4")),
    ({"client": ClientId("c-1")}, _ids("pr-1 pr-10 pr-4")),
    ({"status": P.SENT}, _ids("pr-1 pr-4")),
    ({"status": P.DRAFT}, ["pr-2"]),
    ({"contract": ContractId("k-1")}, _ids("pr-10 pr-2")),
    ({"opportunity": OpportunityId("op-1")}, _ids("pr-10 pr-4")),
    ({"client": ClientId("c-2"), "status": P.CONVERTED}, ["pr-3"]),
    (
        {
            "client": ClientId("c-1"),
            "status": P.ACCEPTED,
            "contract": ContractId("k-1"),
            "opportunity": OpportunityId("op-1"),
        },
        ["pr-10"],
    ),
    ({"client": ClientId("c-2"), "opportunity": OpportunityId("op-1")}, []),
    ({"status": P.EXPIRED}, []),
    ({"contract": ContractId("k-9")}, []),
]

PIPELINE_QUERY_CASES: list[QueryCase] = [
    *cases_for("opportunities.find", OPPORTUNITIES, OPPORTUNITY_CASES),
    *cases_for("proposals.find", PROPOSALS, PROPOSAL_CASES),
]
"""Every opportunity and proposal case, for the query conformance test."""

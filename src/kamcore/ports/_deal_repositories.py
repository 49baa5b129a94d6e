"""Repository protocols for contracts, renewal alerts, proposals and opportunities.

The same contract as :mod:`kamcore.ports._repository` (versions, errors,
inclusive date bounds, deterministic order).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from kamcore.contracts import (
    AlertKind,
    CaseStage,
    Contract,
    ContractStatus,
    RenewalAlert,
    RenewalCase,
)
from kamcore.kernel import (
    AlertId,
    ClientId,
    ContractId,
    ManagerId,
    OpportunityId,
    ProposalId,
    RenewalCaseId,
)
from kamcore.opportunities import Opportunity, OpportunityKind, Outcome
from kamcore.ports._repository import Repository
from kamcore.proposals import Proposal, ProposalStatus

__all__ = [
    "ContractRepository",
    "OpportunityRepository",
    "ProposalRepository",
    "RenewalAlertRepository",
    "RenewalCaseRepository",
]


class ContractRepository(Repository[Contract, ContractId], Protocol):
    """Contracts, with every version, signature and status change."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        status: ContractStatus | None = None,
        ending_from: dt.date | None = None,
        ending_to: dt.date | None = None,
    ) -> list[Contract]:
        """Contracts whose current term ends in ``[ending_from, ending_to]``.

        The end is :attr:`~kamcore.contracts.Contract.end` (the current
        version's term end). Ordered by (end, id)."""
        ...


class RenewalAlertRepository(Repository[RenewalAlert, AlertId], Protocol):
    """The renewal alert ledger, one entry per (contract, term end, kind)."""

    def find(
        self,
        *,
        contract: ContractId | None = None,
        recipient: ManagerId | None = None,
        kind: AlertKind | None = None,
        raised_from: dt.date | None = None,
        raised_to: dt.date | None = None,
        acted: bool | None = None,
    ) -> list[RenewalAlert]:
        """Alerts raised in ``[raised_from, raised_to]``; ``acted`` keeps those
        with (``True``) or without (``False``) a first action.

        Ordered by (raised_on, id)."""
        ...


class ProposalRepository(Repository[Proposal, ProposalId], Protocol):
    """Proposals, with every revision."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        status: ProposalStatus | None = None,
        contract: ContractId | None = None,
        opportunity: OpportunityId | None = None,
    ) -> list[Proposal]:
        """Proposals matching every filter given, ordered by id."""
        ...


class OpportunityRepository(Repository[Opportunity, OpportunityId], Protocol):
    """The opportunity pipeline, with every change."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        owner: ManagerId | None = None,
        kind: OpportunityKind | None = None,
        outcome: Outcome | None = None,
        closing_from: dt.date | None = None,
        closing_to: dt.date | None = None,
    ) -> list[Opportunity]:
        """Opportunities expected to close in ``[closing_from, closing_to]``.

        Ordered by (close_date, id)."""
        ...


class RenewalCaseRepository(Repository[RenewalCase, RenewalCaseId], Protocol):
    """Renewal cases, with every step."""

    def find(
        self,
        *,
        contract: ContractId | None = None,
        client: ClientId | None = None,
        stage: CaseStage | None = None,
        open: bool | None = None,  # noqa: A002 - the natural filter name
    ) -> list[RenewalCase]:
        """Cases matching every filter given; ``open`` keeps cases still being
        worked on (``True``) or finished (``False``). Ordered by (term_end, id)."""
        ...

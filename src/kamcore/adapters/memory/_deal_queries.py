"""In-memory repositories for contracts, renewal alerts, proposals, opportunities."""

from __future__ import annotations

import datetime as dt

from kamcore.adapters.memory._queries import _any_or, _check_bounds, _within
from kamcore.adapters.memory._repository import InMemoryRepository
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
    MembershipId,
    OpportunityId,
    ProgrammeId,
    ProposalId,
    RenewalCaseId,
)
from kamcore.loyalty import Membership
from kamcore.opportunities import Opportunity, OpportunityKind, Outcome
from kamcore.proposals import Proposal, ProposalStatus

__all__ = [
    "InMemoryContractRepository",
    "InMemoryMembershipRepository",
    "InMemoryOpportunityRepository",
    "InMemoryProposalRepository",
    "InMemoryRenewalAlertRepository",
    "InMemoryRenewalCaseRepository",
]


class InMemoryContractRepository(InMemoryRepository[Contract, ContractId]):
    """Contracts (:class:`kamcore.ports.ContractRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        status: ContractStatus | None = None,
        ending_from: dt.date | None = None,
        ending_to: dt.date | None = None,
    ) -> list[Contract]:
        """Contracts whose current term ends in ``[ending_from, ending_to]``.

        Ordered by (end, id).

        Raises:
            ValidationError: if a bound is not a date.
        """
        _check_bounds(
            "ContractRepository.find",
            dates={"ending_from": ending_from, "ending_to": ending_to},
        )
        return self._select(
            lambda c: (
                _any_or(client, c.client)
                and _any_or(status, c.status)
                and _within(c.end, ending_from, ending_to)
            ),
            lambda c: (c.end, c.id),
        )


class InMemoryRenewalAlertRepository(InMemoryRepository[RenewalAlert, AlertId]):
    """The alert ledger (:class:`kamcore.ports.RenewalAlertRepository`)."""

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
        """Alerts raised in ``[raised_from, raised_to]``, ordered by (raised_on, id).

        Raises:
            ValidationError: if a bound is not a date.
        """
        _check_bounds(
            "RenewalAlertRepository.find",
            dates={"raised_from": raised_from, "raised_to": raised_to},
        )
        return self._select(
            lambda a: (
                _any_or(contract, a.contract)
                and _any_or(recipient, a.recipient)
                and _any_or(kind, a.kind)
                and _within(a.raised_on, raised_from, raised_to)
                and _any_or(acted, a.first_action is not None)
            ),
            lambda a: (a.raised_on, a.id),
        )


class InMemoryProposalRepository(InMemoryRepository[Proposal, ProposalId]):
    """Proposals (:class:`kamcore.ports.ProposalRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        status: ProposalStatus | None = None,
        contract: ContractId | None = None,
        opportunity: OpportunityId | None = None,
    ) -> list[Proposal]:
        """Proposals matching every filter given, ordered by id."""
        return self._select(
            lambda p: (
                _any_or(client, p.client)
                and _any_or(status, p.status)
                and _any_or(contract, p.contract)
                and _any_or(opportunity, p.opportunity)
            ),
            lambda p: p.id,
        )


class InMemoryOpportunityRepository(InMemoryRepository[Opportunity, OpportunityId]):
    """The pipeline (:class:`kamcore.ports.OpportunityRepository`)."""

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
        """Opportunities closing in ``[closing_from, closing_to]``.

        Ordered by (close_date, id).

        Raises:
            ValidationError: if a bound is not a date.
        """
        _check_bounds(
            "OpportunityRepository.find",
            dates={"closing_from": closing_from, "closing_to": closing_to},
        )
        return self._select(
            lambda o: (
                _any_or(client, o.client)
                and _any_or(owner, o.owner)
                and _any_or(kind, o.kind)
                and _any_or(outcome, o.outcome)
                and _within(o.close_date, closing_from, closing_to)
            ),
            lambda o: (o.close_date, o.id),
        )


class InMemoryRenewalCaseRepository(InMemoryRepository[RenewalCase, RenewalCaseId]):
    """Renewal cases (:class:`kamcore.ports.RenewalCaseRepository`)."""

    def find(
        self,
        *,
        contract: ContractId | None = None,
        client: ClientId | None = None,
        stage: CaseStage | None = None,
        open: bool | None = None,  # noqa: A002 - the port's filter name
    ) -> list[RenewalCase]:
        """Cases matching every filter given, ordered by (term_end, id)."""
        return self._select(
            lambda c: (
                _any_or(contract, c.contract)
                and _any_or(client, c.client)
                and _any_or(stage, c.stage)
                and _any_or(open, c.is_open)
            ),
            lambda c: (c.term_end, c.id),
        )


class InMemoryMembershipRepository(InMemoryRepository[Membership, MembershipId]):
    """Loyalty memberships (:class:`kamcore.ports.MembershipRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        programme: ProgrammeId | None = None,
    ) -> list[Membership]:
        """Memberships matching every filter given, ordered by id."""
        return self._select(
            lambda m: _any_or(client, m.client) and _any_or(programme, m.programme),
            lambda m: m.id,
        )

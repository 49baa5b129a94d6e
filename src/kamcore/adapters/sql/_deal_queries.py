"""SQL repositories for contracts, renewal alerts and cases, proposals,
opportunities and loyalty memberships."""

from __future__ import annotations

import datetime as dt

from kamcore.adapters.sql._repository import SqlRepository, check_bounds, equal, within
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
    "SqlContractRepository",
    "SqlMembershipRepository",
    "SqlOpportunityRepository",
    "SqlProposalRepository",
    "SqlRenewalAlertRepository",
    "SqlRenewalCaseRepository",
]


class SqlContractRepository(SqlRepository[Contract, ContractId]):
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

        Ordered by (end, id). The end is stored as ``term_end`` whenever a
        contract is written.

        Raises:
            ValidationError: if a bound is not a date.
        """
        check_bounds(
            "ContractRepository.find",
            dates={"ending_from": ending_from, "ending_to": ending_to},
        )
        return self._select(
            [
                *equal(self.c.client, client),
                *equal(self.c.status, status),
                *within(self.c.term_end, ending_from, ending_to),
            ],
            [self.c.term_end],
        )


class SqlRenewalAlertRepository(SqlRepository[RenewalAlert, AlertId]):
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
        check_bounds(
            "RenewalAlertRepository.find",
            dates={"raised_from": raised_from, "raised_to": raised_to},
        )
        return self._select(
            [
                *equal(self.c.contract, contract),
                *equal(self.c.recipient, recipient),
                *equal(self.c.kind, kind),
                *within(self.c.raised_on, raised_from, raised_to),
                *equal(self.c.acted, acted),
            ],
            [self.c.raised_on],
        )


class SqlProposalRepository(SqlRepository[Proposal, ProposalId]):
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
            [
                *equal(self.c.client, client),
                *equal(self.c.status, status),
                *equal(self.c.contract, contract),
                *equal(self.c.opportunity, opportunity),
            ]
        )


class SqlOpportunityRepository(SqlRepository[Opportunity, OpportunityId]):
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
        check_bounds(
            "OpportunityRepository.find",
            dates={"closing_from": closing_from, "closing_to": closing_to},
        )
        return self._select(
            [
                *equal(self.c.client, client),
                *equal(self.c.owner, owner),
                *equal(self.c.kind, kind),
                *equal(self.c.outcome, outcome),
                *within(self.c.close_date, closing_from, closing_to),
            ],
            [self.c.close_date],
        )


class SqlRenewalCaseRepository(SqlRepository[RenewalCase, RenewalCaseId]):
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
            [
                *equal(self.c.contract, contract),
                *equal(self.c.client, client),
                *equal(self.c.stage, stage),
                *equal(self.c.is_open, open),
            ],
            [self.c.term_end],
        )


class SqlMembershipRepository(SqlRepository[Membership, MembershipId]):
    """Loyalty memberships (:class:`kamcore.ports.MembershipRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        programme: ProgrammeId | None = None,
    ) -> list[Membership]:
        """Memberships matching every filter given, ordered by id."""
        return self._select(
            [*equal(self.c.client, client), *equal(self.c.programme, programme)]
        )

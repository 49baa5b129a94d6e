"""Repository protocols for loyalty programmes and memberships.

The same contract as :mod:`kamcore.ports._repository`.
"""

from __future__ import annotations

from typing import Protocol

from kamcore.kernel import ClientId, MembershipId, ProgrammeId
from kamcore.loyalty import Membership, Programme
from kamcore.ports._repository import Repository

__all__ = ["MembershipRepository", "ProgrammeRepository"]


class ProgrammeRepository(Repository[Programme, ProgrammeId], Protocol):
    """Loyalty programmes."""


class MembershipRepository(Repository[Membership, MembershipId], Protocol):
    """Memberships, each with its whole points ledger."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        programme: ProgrammeId | None = None,
    ) -> list[Membership]:
        """Memberships matching every filter given, ordered by id."""
        ...

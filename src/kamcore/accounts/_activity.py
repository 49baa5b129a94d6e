"""Activities: the account manager's calls, meetings, emails and notes."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from kamcore.kernel import (
    ActivityId,
    Checks,
    ClientId,
    ContractId,
    ManagerId,
    OpportunityId,
)

__all__ = ["Activity", "ActivityKind"]


class ActivityKind(enum.Enum):
    """What kind of contact an activity records."""

    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    NOTE = "note"


@attrs.frozen(kw_only=True)
class Activity:
    """One recorded contact with a client, optionally tied to a deal or contract.

    Attributes:
        id: The activity's id.
        client: The client it concerns.
        kind: Call, meeting, email or note.
        occurred_at: When it happened (timezone-aware).
        summary: What was said or decided.
        author: The account manager who recorded it.
        opportunity: The opportunity it advances, if any.
        contract: The contract it concerns, if any.
        internal: Internal notes never reach the client portal.
        version: Optimistic-locking version.
    """

    id: ActivityId
    client: ClientId
    kind: ActivityKind
    occurred_at: dt.datetime
    summary: str
    author: ManagerId
    opportunity: OpportunityId | None = None
    contract: ContractId | None = None
    internal: bool = True
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Activity")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.instance("kind", self.kind, ActivityKind)
        checks.instant("occurred_at", self.occurred_at)
        checks.text("summary", self.summary)
        checks.text("author", self.author)
        checks.optional_text("opportunity", self.opportunity)
        checks.optional_text("contract", self.contract)
        checks.instance("internal", self.internal, bool)
        checks.version(self.version)
        checks.raise_if_any()

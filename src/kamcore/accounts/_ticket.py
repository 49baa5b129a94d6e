"""Support tickets raised by or for a client."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import Checks, ClientId, TicketId

__all__ = ["Ticket", "TicketPriority"]


class TicketPriority(enum.Enum):
    """How urgent a ticket is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


@attrs.frozen(kw_only=True)
class Ticket:
    """A support ticket; open until resolved.

    Attributes:
        id: The ticket's id.
        client: The client it concerns.
        subject: One-line description.
        opened_at: When it was opened (timezone-aware).
        priority: Urgency.
        resolved_at: When it was resolved, if it has been.
        version: Optimistic-locking version.
    """

    id: TicketId
    client: ClientId
    subject: str
    opened_at: dt.datetime
    priority: TicketPriority = TicketPriority.NORMAL
    resolved_at: dt.datetime | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Ticket")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.text("subject", self.subject)
        checks.instant("opened_at", self.opened_at)
        checks.instance("priority", self.priority, TicketPriority)
        checks.optional_instant("resolved_at", self.resolved_at)
        checks.version(self.version)
        checks.raise_if_any()
        if self.resolved_at is not None and self.resolved_at < self.opened_at:
            raise ValidationError.single(
                "Ticket",
                "resolved_at",
                f"is before the ticket was opened ({self.opened_at.isoformat()})",
                self.resolved_at,
            )

    def is_open_at(self, instant: dt.datetime) -> bool:
        """Whether the ticket was open at ``instant`` (opened, not yet resolved)."""
        return self.opened_at <= instant and (
            self.resolved_at is None or instant < self.resolved_at
        )

    def resolve(self, at: dt.datetime) -> Ticket:
        """Return the ticket resolved at ``at``.

        Raises:
            InvalidTransitionError: if it is already resolved.
            ValidationError: if ``at`` is naive or before it was opened.
        """
        if self.resolved_at is not None:
            raise InvalidTransitionError("Ticket", self.id, "resolved", "resolved")
        return attrs.evolve(self, resolved_at=at)

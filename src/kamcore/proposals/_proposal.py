"""Proposals: priced offers sent to a client, revised in negotiation.

A proposal is a priced document (SPEC §3: its prices resolve at the proposal
date and stay frozen). Negotiation never overwrites: each revision is kept,
numbered, with its own lines and pricing date.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs

from kamcore.accounts import LineItem, lines_total
from kamcore.errors import InvalidTransitionError
from kamcore.kernel import (
    Checks,
    ClientId,
    ContractId,
    ManagerId,
    Money,
    OpportunityId,
    OrderId,
    ProposalId,
    is_int,
    validate_currency,
)

__all__ = [
    "PROPOSAL_TRANSITIONS",
    "Proposal",
    "ProposalEvent",
    "ProposalPurpose",
    "ProposalRevision",
    "ProposalStatus",
]


class ProposalPurpose(enum.Enum):
    """Why the proposal was made."""

    RENEWAL = "renewal"
    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"
    EXPANSION = "expansion"
    NEW_BUSINESS = "new_business"


class ProposalStatus(enum.Enum):
    """Where a proposal is: drafted, sent, in negotiation, decided, converted."""

    DRAFT = "draft"
    SENT = "sent"
    NEGOTIATING = "negotiating"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    CONVERTED = "converted"

    def __str__(self) -> str:
        return self.value


_P = ProposalStatus

PROPOSAL_TRANSITIONS: Final[dict[ProposalStatus, frozenset[ProposalStatus]]] = {
    _P.DRAFT: frozenset({_P.SENT, _P.WITHDRAWN}),
    _P.SENT: frozenset(
        {_P.NEGOTIATING, _P.ACCEPTED, _P.REJECTED, _P.EXPIRED, _P.WITHDRAWN}
    ),
    _P.NEGOTIATING: frozenset(
        {_P.SENT, _P.ACCEPTED, _P.REJECTED, _P.EXPIRED, _P.WITHDRAWN}
    ),
    _P.ACCEPTED: frozenset({_P.CONVERTED}),
    _P.REJECTED: frozenset(),
    _P.EXPIRED: frozenset(),
    _P.WITHDRAWN: frozenset(),
    _P.CONVERTED: frozenset(),
}
"""For each status, the statuses a proposal may move to. A revision moves a sent
proposal to ``negotiating``; sending the revision moves it back to ``sent``."""


@attrs.frozen(kw_only=True)
class ProposalRevision:
    """One version of the offer.

    Attributes:
        number: 1 for the first offer, then one more per revision.
        lines: The priced lines, each with its resolved price and explanation.
        pricing_date: The date the prices were resolved at.
        note: What changed, or what the offer is.
        recorded_at: When it was recorded (timezone-aware).
        recorded_by: Who recorded it.
    """

    number: int
    lines: tuple[LineItem, ...]
    pricing_date: dt.date
    note: str
    recorded_at: dt.datetime
    recorded_by: ManagerId

    def __attrs_post_init__(self) -> None:
        checks = Checks("ProposalRevision")
        if is_int(self.number):
            checks.require(
                self.number >= 1, "number", "must be at least 1", self.number
            )
        else:
            checks.fail("number", "expected an integer >= 1", self.number)
        checks.each("lines", self.lines, LineItem)
        checks.raise_if_any()
        checks.require(
            len(self.lines) > 0,
            "lines",
            "needs at least one line",
            self.lines,
        )
        checks.date("pricing_date", self.pricing_date)
        checks.text("note", self.note)
        checks.instant("recorded_at", self.recorded_at)
        checks.text("recorded_by", self.recorded_by)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class ProposalEvent:
    """A status change, time-stamped.

    Attributes:
        status: The status entered.
        at: When (timezone-aware).
        note: Why, or what the client said.
        revision: The number of the revision on the table once the change was
            made: for a ``sent`` event, the revision the client received.
            ``None`` for events recorded before kamcore kept it (readers then
            fall back on the time stamps).
    """

    status: ProposalStatus
    at: dt.datetime
    note: str = ""
    revision: int | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("ProposalEvent")
        checks.instance("status", self.status, ProposalStatus)
        checks.instant("at", self.at)
        checks.instance("note", self.note, str)
        if self.revision is not None:
            checks.require(
                is_int(self.revision) and self.revision >= 1,
                "revision",
                "expected an integer >= 1 or null",
                self.revision,
            )
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class Proposal:
    """An offer to one client, in the client's currency, with its revisions.

    Attributes:
        id: The proposal's id.
        client: The client it is made to.
        purpose: Renewal, upsell, cross-sell, expansion or new business.
        currency: Every revision's lines are priced in it.
        revisions: Every revision, oldest first; the last is the current offer.
        status: Where the proposal is.
        history: Every status change, oldest first.
        valid_until: The last day the client may accept it.
        contract: The contract it renews or extends, if any.
        opportunity: The opportunity it advances, if any.
        order: The order it was converted to, once converted.
        version: Optimistic-locking version.

    Raises:
        ValidationError: naming every offending field.
    """

    id: ProposalId
    client: ClientId
    purpose: ProposalPurpose
    currency: str
    revisions: tuple[ProposalRevision, ...]
    status: ProposalStatus = ProposalStatus.DRAFT
    history: tuple[ProposalEvent, ...] = ()
    valid_until: dt.date | None = None
    contract: ContractId | None = None
    opportunity: OpportunityId | None = None
    order: OrderId | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Proposal")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.instance("purpose", self.purpose, ProposalPurpose)
        checks.capture(lambda: validate_currency(self.currency, subject="Proposal"))
        checks.each("revisions", self.revisions, ProposalRevision)
        checks.instance("status", self.status, ProposalStatus)
        checks.each("history", self.history, ProposalEvent)
        checks.optional_date("valid_until", self.valid_until)
        checks.optional_text("contract", self.contract)
        checks.optional_text("opportunity", self.opportunity)
        checks.optional_text("order", self.order)
        checks.version(self.version)
        checks.raise_if_any()
        checks.require(bool(self.revisions), "revisions", "must not be empty", ())
        for index, revision in enumerate(self.revisions):
            checks.require(
                revision.number == index + 1,
                f"revisions[{index}].number",
                f"expected {index + 1}: revisions are numbered 1, 2, ...",
                revision.number,
            )
            for number, line in enumerate(revision.lines):
                checks.require(
                    line.unit_price.currency == self.currency,
                    f"revisions[{index}].lines[{number}].unit_price.currency",
                    f"must be the proposal currency {self.currency}",
                    line.unit_price.currency,
                )
        for index, event in enumerate(self.history):
            checks.require(
                event.revision is None or event.revision <= len(self.revisions),
                f"history[{index}].revision",
                f"there are {len(self.revisions)} revisions",
                event.revision,
            )
        checks.raise_if_any()

    @property
    def current(self) -> ProposalRevision:
        """The latest revision: the offer on the table."""
        return self.revisions[-1]

    @property
    def total(self) -> Money:
        """The current offer's total: the sum of its rounded line totals."""
        return lines_total(self.current.lines, self.currency)

    def move_to(
        self, status: ProposalStatus, *, at: dt.datetime, note: str = ""
    ) -> Proposal:
        """The proposal in ``status``, the change kept in :attr:`history` with
        the number of the current revision (for ``sent``: the one sent).

        Raises:
            InvalidTransitionError: the lifecycle does not allow it.
        """
        if status not in PROPOSAL_TRANSITIONS[self.status]:
            raise InvalidTransitionError("Proposal", self.id, self.status, status)
        event = ProposalEvent(
            status=status, at=at, note=note, revision=self.current.number
        )
        return attrs.evolve(self, status=status, history=(*self.history, event))

    def revise(
        self,
        *,
        lines: tuple[LineItem, ...],
        pricing_date: dt.date,
        note: str,
        recorded_at: dt.datetime,
        recorded_by: ManagerId,
    ) -> Proposal:
        """A new revision on top of the others.

        A draft stays a draft and a proposal in negotiation stays there; a sent
        proposal moves to ``negotiating``. Decided proposals cannot change.

        Raises:
            InvalidTransitionError: the proposal is decided or converted.
            ValidationError: the lines are invalid or in another currency.
        """
        revision = ProposalRevision(
            number=len(self.revisions) + 1,
            lines=lines,
            pricing_date=pricing_date,
            note=note,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
        )
        if self.status not in (
            ProposalStatus.DRAFT,
            ProposalStatus.SENT,
            ProposalStatus.NEGOTIATING,
        ):
            raise InvalidTransitionError("Proposal", self.id, self.status, "revised")
        revised = attrs.evolve(self, revisions=(*self.revisions, revision))
        if self.status is ProposalStatus.SENT:
            revised = revised.move_to(
                ProposalStatus.NEGOTIATING, at=recorded_at, note=note
            )
        return revised

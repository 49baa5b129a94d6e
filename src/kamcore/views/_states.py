"""Where a record stood on the as-of date, from its own dated history.

Aggregates store their *current* state; the views need the state on a past
date. Each function here reads the record's history up to the cut-off and
nothing after it.
"""

from __future__ import annotations

import datetime as dt

from kamcore.accounts import Ticket
from kamcore.contracts import Contract, ContractStatus
from kamcore.opportunities import Opportunity, Outcome
from kamcore.proposals import Proposal, ProposalEvent, ProposalStatus
from kamcore.views._events import AsOf

__all__ = [
    "contract_status_on",
    "opportunity_outcome",
    "proposal_sends",
    "proposal_status",
    "sent_revision",
    "ticket_open",
]


def contract_status_on(contract: Contract, day: dt.date) -> ContractStatus:
    """The status entered by the latest change dated on or before ``day``
    (ties: the later in the history); a draft before any change."""
    status = ContractStatus.DRAFT
    latest: dt.date | None = None
    for change in contract.history:
        if change.on <= day and (latest is None or change.on >= latest):
            status, latest = change.status, change.on
    return status


def _latest(events: list[ProposalEvent]) -> ProposalEvent | None:
    best: ProposalEvent | None = None
    for event in events:
        if best is None or event.at >= best.at:
            best = event
    return best


def proposal_status(proposal: Proposal, as_of: AsOf) -> ProposalStatus:
    """The status of the latest status event in the view (ties: the later in
    the history); a draft before any."""
    latest = _latest([e for e in proposal.history if as_of.includes(e.at)])
    return ProposalStatus.DRAFT if latest is None else latest.status


def proposal_sends(proposal: Proposal, as_of: AsOf) -> list[ProposalEvent]:
    """The events that sent the proposal to the client, in time order."""
    sends = [
        e
        for e in proposal.history
        if e.status is ProposalStatus.SENT and as_of.includes(e.at)
    ]
    return sorted(sends, key=lambda event: event.at)


def sent_revision(proposal: Proposal, as_of: AsOf) -> int:
    """The number of the last revision sent to the client by the date; 0 when
    none was.

    The last sending in the history (events are kept in the order they
    happened) names the revision it sent. A sending stored before kamcore
    recorded that number falls back on the time stamps: the revisions recorded
    at or before it.
    """
    sends = [
        e
        for e in proposal.history
        if e.status is ProposalStatus.SENT and as_of.includes(e.at)
    ]
    if not sends:
        return 0
    last = sends[-1]
    if last.revision is not None:
        return last.revision
    stamped = [r.number for r in proposal.revisions if r.recorded_at <= last.at]
    return max(stamped, default=0)


def opportunity_outcome(opportunity: Opportunity, as_of: AsOf) -> Outcome:
    """Open, won or lost on the as-of date.

    Closing is final, so an open opportunity was open on every date; a closed
    one was open until its (last) ``outcome`` change, or since its creation
    when its history records none.
    """
    if opportunity.is_open:
        return Outcome.OPEN
    closed_at = opportunity.created_at
    for change in opportunity.changes:
        if change.field == "outcome":
            closed_at = change.at
    return opportunity.outcome if as_of.includes(closed_at) else Outcome.OPEN


def ticket_open(ticket: Ticket, as_of: AsOf) -> bool:
    """Whether the ticket was still open at the end of the as-of date."""
    return as_of.includes(ticket.opened_at) and (
        ticket.resolved_at is None or not as_of.includes(ticket.resolved_at)
    )

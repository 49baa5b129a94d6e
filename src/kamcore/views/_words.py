"""What the records' states and kinds are called in the text a person reads.

Each mapping gives an enum member's word as a :class:`~kamcore.i18n.Label`,
translated where it is shown (``_(CONTRACT_STATUS[status])``). The history of
the account 360 writes some values as they are stored (``renewal_in_progress``,
``cross_sell``): its English is the events' summaries, which are data too, so
those mappings keep that spelling; the client portal writes words.
"""

from __future__ import annotations

from decimal import Decimal

from kamcore.accounts import ActivityKind, InvoiceState, OrderStatus, TicketPriority
from kamcore.contracts import ContractStatus
from kamcore.i18n import NC_
from kamcore.loyalty import EntryKind
from kamcore.opportunities import OpportunityKind
from kamcore.proposals import ProposalPurpose, ProposalStatus

__all__ = [
    "ACTIVITY_KIND",
    "CONTRACT_STATUS",
    "ENTRY_KIND",
    "HISTORY_CONTRACT_STATUS",
    "HISTORY_PROPOSAL_PURPOSE",
    "INVOICE_STATE",
    "OPPORTUNITY_FIELD",
    "OPPORTUNITY_KIND",
    "ORDER_STATUS",
    "PROPOSAL_PURPOSE",
    "PROPOSAL_STATUS",
    "TICKET_PRIORITY",
    "points_count",
]


def points_count(points: Decimal) -> int:
    """The count that chooses the plural form of a number of ``points``.

    gettext chooses forms by whole numbers; a fraction of a point reads as
    several ("1.5 points"), so it counts as more than one.
    """
    whole = abs(int(points))
    return whole if whole == abs(points) else whole + 2


# -- words of the client portal and of both views ------------------------------------

CONTRACT_STATUS = {
    ContractStatus.DRAFT: NC_("contract status", "draft"),
    ContractStatus.ACTIVE: NC_("contract status", "active"),
    ContractStatus.RENEWAL_IN_PROGRESS: NC_("contract status", "renewal in progress"),
    ContractStatus.RENEWED: NC_("contract status", "renewed"),
    ContractStatus.LAPSED: NC_("contract status", "lapsed"),
    ContractStatus.TERMINATED: NC_("contract status", "terminated"),
    ContractStatus.ARCHIVED: NC_("contract status", "archived"),
}
PROPOSAL_PURPOSE = {
    ProposalPurpose.RENEWAL: NC_("proposal purpose", "renewal"),
    ProposalPurpose.UPSELL: NC_("proposal purpose", "upsell"),
    ProposalPurpose.CROSS_SELL: NC_("proposal purpose", "cross sell"),
    ProposalPurpose.EXPANSION: NC_("proposal purpose", "expansion"),
    ProposalPurpose.NEW_BUSINESS: NC_("proposal purpose", "new business"),
}
PROPOSAL_STATUS = {
    ProposalStatus.DRAFT: NC_("proposal status", "draft"),
    ProposalStatus.SENT: NC_("proposal status", "sent"),
    ProposalStatus.NEGOTIATING: NC_("proposal status", "negotiating"),
    ProposalStatus.ACCEPTED: NC_("proposal status", "accepted"),
    ProposalStatus.REJECTED: NC_("proposal status", "rejected"),
    ProposalStatus.EXPIRED: NC_("proposal status", "expired"),
    ProposalStatus.WITHDRAWN: NC_("proposal status", "withdrawn"),
    ProposalStatus.CONVERTED: NC_("proposal status", "converted"),
}
INVOICE_STATE = {
    InvoiceState.NOT_YET_ISSUED: NC_("invoice state", "not yet issued"),
    InvoiceState.OPEN: NC_("invoice state", "open"),
    InvoiceState.OVERDUE: NC_("invoice state", "overdue"),
    InvoiceState.PAID: NC_("invoice state", "paid"),
    InvoiceState.CANCELLED: NC_("invoice state", "cancelled"),
}

# -- words of the account 360's history only ------------------------------------------

HISTORY_CONTRACT_STATUS = {
    **CONTRACT_STATUS,
    # Translators: the history shows it as stored, with underscores; translate
    # it as words.
    ContractStatus.RENEWAL_IN_PROGRESS: NC_("contract status", "renewal_in_progress"),
}
HISTORY_PROPOSAL_PURPOSE = {
    **PROPOSAL_PURPOSE,
    # Translators: the history shows it as stored, with an underscore;
    # translate it as words.
    ProposalPurpose.CROSS_SELL: NC_("proposal purpose", "cross_sell"),
    # Translators: the history shows it as stored, with an underscore;
    # translate it as words.
    ProposalPurpose.NEW_BUSINESS: NC_("proposal purpose", "new_business"),
}
ORDER_STATUS = {
    OrderStatus.OPEN: NC_("order status", "open"),
    OrderStatus.FULFILLED: NC_("order status", "fulfilled"),
    OrderStatus.CANCELLED: NC_("order status", "cancelled"),
}
TICKET_PRIORITY = {
    TicketPriority.LOW: NC_("ticket priority", "low"),
    TicketPriority.NORMAL: NC_("ticket priority", "normal"),
    TicketPriority.HIGH: NC_("ticket priority", "high"),
    TicketPriority.URGENT: NC_("ticket priority", "urgent"),
}
ACTIVITY_KIND = {
    ActivityKind.CALL: NC_("activity kind", "call"),
    ActivityKind.MEETING: NC_("activity kind", "meeting"),
    ActivityKind.EMAIL: NC_("activity kind", "email"),
    ActivityKind.NOTE: NC_("activity kind", "note"),
}
OPPORTUNITY_KIND = {
    OpportunityKind.UPSELL: NC_("opportunity kind", "upsell"),
    # Translators: the history shows it as stored, with an underscore;
    # translate it as words.
    OpportunityKind.CROSS_SELL: NC_("opportunity kind", "cross_sell"),
    OpportunityKind.EXPANSION: NC_("opportunity kind", "expansion"),
    OpportunityKind.RENEWAL: NC_("opportunity kind", "renewal"),
}
#: What a loyalty entry comes from, by its source's kind (others as stored).
SOURCE_KIND = {
    "invoice": NC_("loyalty source", "invoice"),
    "credit_note": NC_("loyalty source", "credit note"),
    "expiry": NC_("loyalty source", "expiry"),
    "adjustment": NC_("loyalty source", "adjustment"),
}
#: An opportunity's stages, by their stored code, as a change of stage shows
#: them (the same labels as the weekly routine's pipeline).
OPPORTUNITY_STAGE = {
    "qualification": NC_("opportunity stage", "qualification"),
    "needs_analysis": NC_("opportunity stage", "needs analysis"),
    "proposal": NC_("opportunity stage", "proposal"),
    "negotiation": NC_("opportunity stage", "negotiation"),
    "closing": NC_("opportunity stage", "closing"),
}
#: The fields an opportunity's change names (others are shown as they are).
OPPORTUNITY_FIELD = {
    "stage": NC_("opportunity field", "stage"),
    # Translators: the history shows the fields as stored, with underscores;
    # translate them as words.
    "stage_probability": NC_("opportunity field", "stage_probability"),
    "override": NC_("opportunity field", "override"),
    "value": NC_("opportunity field", "value"),
    # Translators: the history shows the fields as stored, with underscores;
    # translate them as words.
    "close_date": NC_("opportunity field", "close_date"),
    "notes": NC_("opportunity field", "notes"),
    "proposal": NC_("opportunity field", "proposal"),
    "outcome": NC_("opportunity field", "outcome"),
}
ENTRY_KIND = {
    EntryKind.EARN: NC_("loyalty entry", "earn"),
    EntryKind.PENDING: NC_("loyalty entry", "pending"),
    EntryKind.REDEEM: NC_("loyalty entry", "redeem"),
    EntryKind.EXPIRE: NC_("loyalty entry", "expire"),
    EntryKind.REVERSE: NC_("loyalty entry", "reverse"),
    # Translators: the history shows it as stored, with an underscore;
    # translate it as words.
    EntryKind.CLAW_BACK: NC_("loyalty entry", "claw_back"),
    EntryKind.SETTLE: NC_("loyalty entry", "settle"),
    EntryKind.ADJUST: NC_("loyalty entry", "adjust"),
    EntryKind.RETURN: NC_("loyalty entry", "return"),
    EntryKind.CORRECT: NC_("loyalty entry", "correct"),
}

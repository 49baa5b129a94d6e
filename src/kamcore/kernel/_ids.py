"""Typed identifiers.

Each entity's id is a distinct ``NewType`` over ``str``: free at run time,
checked by mypy (a ``ClientId`` cannot be passed where a ``ProductId`` is due),
and serialised as a plain string.
"""

from __future__ import annotations

from typing import NewType

__all__ = [
    "ActivityId",
    "AlertId",
    "CategoryId",
    "ClientGroupId",
    "ClientId",
    "ContractId",
    "CreditNoteId",
    "DiscountGroupId",
    "InvoiceId",
    "ManagerId",
    "MembershipId",
    "OpportunityId",
    "OrderId",
    "PaymentId",
    "PriceListId",
    "ProductId",
    "ProgrammeId",
    "ProposalId",
    "RenewalCaseId",
    "TicketId",
]

ClientId = NewType("ClientId", str)
ClientGroupId = NewType("ClientGroupId", str)
ManagerId = NewType("ManagerId", str)
"""An account manager (a user of the host application)."""
ProductId = NewType("ProductId", str)
CategoryId = NewType("CategoryId", str)
OrderId = NewType("OrderId", str)
InvoiceId = NewType("InvoiceId", str)
PaymentId = NewType("PaymentId", str)
CreditNoteId = NewType("CreditNoteId", str)
TicketId = NewType("TicketId", str)
ActivityId = NewType("ActivityId", str)
PriceListId = NewType("PriceListId", str)
DiscountGroupId = NewType("DiscountGroupId", str)
MembershipId = NewType("MembershipId", str)
ContractId = NewType("ContractId", str)
OpportunityId = NewType("OpportunityId", str)
ProposalId = NewType("ProposalId", str)
AlertId = NewType("AlertId", str)
"""A renewal alert: derived from its ledger key (contract, term end, kind)."""
RenewalCaseId = NewType("RenewalCaseId", str)
ProgrammeId = NewType("ProgrammeId", str)
"""A loyalty programme."""

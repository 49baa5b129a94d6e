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
"""The id of a :class:`~kamcore.accounts.Client`."""
ClientGroupId = NewType("ClientGroupId", str)
"""The id of a :class:`~kamcore.accounts.ClientGroup`."""
ManagerId = NewType("ManagerId", str)
"""An account manager (a user of the host application)."""
ProductId = NewType("ProductId", str)
"""The id of a :class:`~kamcore.accounts.Product`."""
CategoryId = NewType("CategoryId", str)
"""A product category (:attr:`~kamcore.accounts.Product.category`)."""
OrderId = NewType("OrderId", str)
"""The id of a :class:`~kamcore.accounts.Order`."""
InvoiceId = NewType("InvoiceId", str)
"""The id of a :class:`~kamcore.accounts.Invoice`."""
PaymentId = NewType("PaymentId", str)
"""The id of a :class:`~kamcore.accounts.Payment`."""
CreditNoteId = NewType("CreditNoteId", str)
"""The id of a :class:`~kamcore.accounts.CreditNote`."""
TicketId = NewType("TicketId", str)
"""The id of a :class:`~kamcore.accounts.Ticket`."""
ActivityId = NewType("ActivityId", str)
"""The id of a :class:`~kamcore.accounts.Activity`."""
PriceListId = NewType("PriceListId", str)
"""The id of a :class:`~kamcore.pricing.PriceList`."""
DiscountGroupId = NewType("DiscountGroupId", str)
"""The id of a :class:`~kamcore.pricing.DiscountGroup`."""
MembershipId = NewType("MembershipId", str)
"""The id of a :class:`~kamcore.loyalty.Membership`."""
ContractId = NewType("ContractId", str)
"""The id of a :class:`~kamcore.contracts.Contract`."""
OpportunityId = NewType("OpportunityId", str)
"""The id of a :class:`~kamcore.opportunities.Opportunity`."""
ProposalId = NewType("ProposalId", str)
"""The id of a :class:`~kamcore.proposals.Proposal`."""
AlertId = NewType("AlertId", str)
"""A renewal alert: derived from its ledger key (contract, term end, kind)."""
RenewalCaseId = NewType("RenewalCaseId", str)
"""The id of a :class:`~kamcore.contracts.RenewalCase`."""
ProgrammeId = NewType("ProgrammeId", str)
"""A loyalty programme."""

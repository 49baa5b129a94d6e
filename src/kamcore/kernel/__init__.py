"""The shared kernel: money, percentages, calendar arithmetic and typed ids.

Everything here is pure: no clock, no I/O. See ``docs/money-and-dates.md``.
"""

from kamcore.kernel._calendar import (
    NON_TERM_FIELDS,
    TERM_FIELDS,
    DateRange,
    add_months,
    term_end,
    term_start,
    validate_term,
)
from kamcore.kernel._checks import Checks, to_decimal
from kamcore.kernel._ids import (
    ActivityId,
    AlertId,
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    CreditNoteId,
    DiscountGroupId,
    InvoiceId,
    ManagerId,
    MembershipId,
    OpportunityId,
    OrderId,
    PaymentId,
    PriceListId,
    ProductId,
    ProgrammeId,
    ProposalId,
    RenewalCaseId,
    TicketId,
)
from kamcore.kernel._locale import validate_locale
from kamcore.kernel._money import Money, currency_precision, validate_currency
from kamcore.kernel._percentage import Percentage, Rate

__all__ = [
    "NON_TERM_FIELDS",
    "TERM_FIELDS",
    "ActivityId",
    "AlertId",
    "CategoryId",
    "Checks",
    "ClientGroupId",
    "ClientId",
    "ContractId",
    "CreditNoteId",
    "DateRange",
    "DiscountGroupId",
    "InvoiceId",
    "ManagerId",
    "MembershipId",
    "Money",
    "OpportunityId",
    "OrderId",
    "PaymentId",
    "Percentage",
    "PriceListId",
    "ProductId",
    "ProgrammeId",
    "ProposalId",
    "Rate",
    "RenewalCaseId",
    "TicketId",
    "add_months",
    "currency_precision",
    "term_end",
    "term_start",
    "to_decimal",
    "validate_currency",
    "validate_locale",
    "validate_term",
]

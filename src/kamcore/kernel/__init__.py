"""The shared kernel: money, percentages, calendar arithmetic and typed ids.

Everything here is pure: no clock, no I/O. See ``docs/money-and-dates.md``.
"""

from kamcore.kernel._allocation import MAX_PARTS
from kamcore.kernel._billing import MAX_UNIT_PLACES, billed_problem
from kamcore.kernel._calendar import (
    NON_TERM_FIELDS,
    TERM_FIELDS,
    DateRange,
    add_months,
    term_end,
    term_start,
    validate_term,
)
from kamcore.kernel._checks import Checks
from kamcore.kernel._contexts import EXACT, ROUNDING, ROUNDING_MODES, exactly
from kamcore.kernel._currency import currency_precision, validate_currency
from kamcore.kernel._frozen import FrozenMap
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
from kamcore.kernel._money import Money, trusted_money
from kamcore.kernel._numbers import (
    MAX_DECIMAL_PLACES,
    MAX_MAGNITUDE_DIGITS,
    is_int,
    to_decimal,
)
from kamcore.kernel._percentage import Percentage, Rate

__all__ = [
    "EXACT",
    "MAX_DECIMAL_PLACES",
    "MAX_MAGNITUDE_DIGITS",
    "MAX_PARTS",
    "MAX_UNIT_PLACES",
    "NON_TERM_FIELDS",
    "ROUNDING",
    "ROUNDING_MODES",
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
    "FrozenMap",
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
    "billed_problem",
    "currency_precision",
    "exactly",
    "is_int",
    "term_end",
    "term_start",
    "to_decimal",
    "trusted_money",
    "validate_currency",
    "validate_locale",
    "validate_term",
]

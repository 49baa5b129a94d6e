"""Account entities (SPEC §2): the client record and everything that hangs off it."""

from kamcore.accounts._activity import Activity, ActivityKind
from kamcore.accounts._client import Client, ClientGroup, ClientStatus
from kamcore.accounts._invoice import (
    CreditNote,
    Invoice,
    InvoiceState,
    InvoiceStatus,
    Payment,
)
from kamcore.accounts._line_pricing import (
    AdHocDiscount,
    Candidate,
    CandidateOutcome,
    PriceExplanation,
    PricingStep,
)
from kamcore.accounts._lines import LineItem, check_lines, lines_total, trusted_line
from kamcore.accounts._order import Order, OrderStatus
from kamcore.accounts._points import PointsRedemption
from kamcore.accounts._product import Product
from kamcore.accounts._ticket import Ticket, TicketPriority

__all__ = [
    "Activity",
    "ActivityKind",
    "AdHocDiscount",
    "Candidate",
    "CandidateOutcome",
    "Client",
    "ClientGroup",
    "ClientStatus",
    "CreditNote",
    "Invoice",
    "InvoiceState",
    "InvoiceStatus",
    "LineItem",
    "Order",
    "OrderStatus",
    "Payment",
    "PointsRedemption",
    "PriceExplanation",
    "PricingStep",
    "Product",
    "Ticket",
    "TicketPriority",
    "check_lines",
    "lines_total",
    "trusted_line",
]

"""Ports: the protocols through which kamcore reaches the outside world.

This package holds only protocols and the values they exchange. It imports no
adapter; adapters (``kamcore.adapters``) import it. The errors that are part of
the port contract -- :class:`~kamcore.errors.NotFoundError`,
:class:`~kamcore.errors.DuplicateError`,
:class:`~kamcore.errors.ConcurrencyConflictError` and
:class:`~kamcore.errors.TransactionError` -- are re-exported here.
"""

from kamcore.errors import (
    ConcurrencyConflictError,
    DuplicateError,
    NotFoundError,
    TransactionError,
)
from kamcore.ports._archive import DocumentArchive
from kamcore.ports._clock import Clock
from kamcore.ports._deal_repositories import (
    ContractRepository,
    OpportunityRepository,
    ProposalRepository,
    RenewalAlertRepository,
    RenewalCaseRepository,
)
from kamcore.ports._ids import IdSource
from kamcore.ports._loyalty_repositories import (
    MembershipRepository,
    ProgrammeRepository,
)
from kamcore.ports._notifier import Notification, Notifier, Recipient, RecipientKind
from kamcore.ports._reminders import ReminderControl
from kamcore.ports._repository import (
    ActivityRepository,
    Aggregate,
    ClientGroupRepository,
    ClientRepository,
    DiscountGroupRepository,
    InvoiceRepository,
    OrderRepository,
    PriceListRepository,
    ProductRepository,
    Repository,
    TicketRepository,
)
from kamcore.ports._unit_of_work import Transactional, UnitOfWork

__all__ = [
    "ActivityRepository",
    "Aggregate",
    "ClientGroupRepository",
    "ClientRepository",
    "Clock",
    "ConcurrencyConflictError",
    "ContractRepository",
    "DiscountGroupRepository",
    "DocumentArchive",
    "DuplicateError",
    "IdSource",
    "InvoiceRepository",
    "MembershipRepository",
    "NotFoundError",
    "Notification",
    "Notifier",
    "OpportunityRepository",
    "OrderRepository",
    "PriceListRepository",
    "ProductRepository",
    "ProgrammeRepository",
    "ProposalRepository",
    "Recipient",
    "RecipientKind",
    "ReminderControl",
    "RenewalAlertRepository",
    "RenewalCaseRepository",
    "Repository",
    "TicketRepository",
    "TransactionError",
    "Transactional",
    "UnitOfWork",
]

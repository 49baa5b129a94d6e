"""Views of one client (SPEC §2): the account 360 and the client portal.

* :func:`build_account_360`: the account manager's view, one time-ordered
  history of everything recorded about a client as of a date, under a summary;
  as typed records, plain rows and text formatted for a locale.
* :func:`build_client_portal`: the client's own view, built from the
  :data:`PORTAL_ALLOW_LIST`; nothing internal and nothing of another client.

Both are pure: they read the :class:`ClientRecords` they are given and take
"as of" as an argument. The services ``account_360`` and ``client_portal`` (in
:mod:`kamcore.services`) read the records through the ports. See
``docs/account-360.md``.
"""

from kamcore.views._account360 import Account360, AccountSummary, build_account_360
from kamcore.views._allow_list import PORTAL_ALLOW_LIST, AllowedField
from kamcore.views._events import AsOf, Detail, EventKind, HistoryEvent
from kamcore.views._loyalty_events import LoyaltyStanding
from kamcore.views._plain import Plain
from kamcore.views._portal import build_client_portal
from kamcore.views._portal_records import (
    PORTAL_RECORD_TYPES,
    ClientPortal,
    PortalContract,
    PortalContractVersion,
    PortalCreditNote,
    PortalInvoice,
    PortalLine,
    PortalLoyalty,
    PortalPayment,
    PortalProposal,
    PortalRedemption,
    PortalRevision,
)
from kamcore.views._records import ClientRecords

__all__ = [
    "PORTAL_ALLOW_LIST",
    "PORTAL_RECORD_TYPES",
    "Account360",
    "AccountSummary",
    "AllowedField",
    "AsOf",
    "ClientPortal",
    "ClientRecords",
    "Detail",
    "EventKind",
    "HistoryEvent",
    "LoyaltyStanding",
    "Plain",
    "PortalContract",
    "PortalContractVersion",
    "PortalCreditNote",
    "PortalInvoice",
    "PortalLine",
    "PortalLoyalty",
    "PortalPayment",
    "PortalProposal",
    "PortalRedemption",
    "PortalRevision",
    "build_account_360",
    "build_client_portal",
]

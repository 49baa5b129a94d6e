"""Loyalty and membership (SPEC §5): programmes, the points ledger, tiers and
redemption at invoicing.

See ``docs/loyalty.md``.
"""

from kamcore.loyalty._events import (
    ExpiryEvent,
    TierEvent,
    expiry_events,
    tier_events,
)
from kamcore.loyalty._ledger import EntryKind, LedgerEntry, Lot, LotDraw, SourceRef
from kamcore.loyalty._membership import (
    Membership,
    NoticeKind,
    Reservation,
    ReservationStatus,
    TierNotice,
    TierOverride,
)
from kamcore.loyalty._posting import (
    adjust_points,
    confirm_invoice,
    earn_invoice,
    expire_points,
    redeem_points,
    reverse_credit_note,
)
from kamcore.loyalty._programme import (
    CategoryMultiplier,
    EarnRules,
    EarnTrigger,
    Programme,
    QualificationWindow,
    ReversalPolicy,
    Tier,
    TierBenefits,
)
from kamcore.loyalty._tiers import (
    TierStanding,
    period_of,
    qualifying_spend,
    spend_needed,
    tier_on,
)

__all__ = [
    "CategoryMultiplier",
    "EarnRules",
    "EarnTrigger",
    "EntryKind",
    "ExpiryEvent",
    "LedgerEntry",
    "Lot",
    "LotDraw",
    "Membership",
    "NoticeKind",
    "Programme",
    "QualificationWindow",
    "Reservation",
    "ReservationStatus",
    "ReversalPolicy",
    "SourceRef",
    "Tier",
    "TierBenefits",
    "TierEvent",
    "TierNotice",
    "TierOverride",
    "TierStanding",
    "adjust_points",
    "confirm_invoice",
    "earn_invoice",
    "expire_points",
    "expiry_events",
    "period_of",
    "qualifying_spend",
    "redeem_points",
    "reverse_credit_note",
    "spend_needed",
    "tier_events",
    "tier_on",
]

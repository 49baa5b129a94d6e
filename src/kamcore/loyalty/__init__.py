"""Loyalty and membership (SPEC §5): programmes, the points ledger, tiers and
redemption at invoicing.

See ``docs/loyalty.md``.
"""

from kamcore.loyalty._cancellation import cancellation_note
from kamcore.loyalty._corrections import reconcile
from kamcore.loyalty._events import (
    ExpiryEvent,
    TierEvent,
    expiry_events,
    tier_events,
)
from kamcore.loyalty._invoice_points import (
    earn_multiplier,
    earning_basis,
    sync_invoice,
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
from kamcore.loyalty._redemption import (
    max_redemption,
    redeem_on_invoice,
    redeemable_points,
    release_reservation,
    reservation_on,
    reserve_on_proposal,
)
from kamcore.loyalty._report import MembershipReport, TierTarget, membership_report
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
    "MembershipReport",
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
    "TierTarget",
    "adjust_points",
    "cancellation_note",
    "confirm_invoice",
    "earn_invoice",
    "earn_multiplier",
    "earning_basis",
    "expire_points",
    "expiry_events",
    "max_redemption",
    "membership_report",
    "period_of",
    "qualifying_spend",
    "reconcile",
    "redeem_on_invoice",
    "redeem_points",
    "redeemable_points",
    "release_reservation",
    "reservation_on",
    "reserve_on_proposal",
    "reverse_credit_note",
    "spend_needed",
    "sync_invoice",
    "tier_events",
    "tier_on",
]

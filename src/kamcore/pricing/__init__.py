"""Pricing (SPEC §3): price lists, resolution, discounts and explanations.

See ``docs/pricing.md`` for the precedence rules and worked examples.
"""

from kamcore.pricing._adhoc_report import (
    AccountAdHoc,
    AdHocLine,
    AdHocReport,
    PriceListProposal,
    ad_hoc_report,
)
from kamcore.pricing._conflicts import (
    PriceNotFoundError,
    PricingConfigurationError,
    PricingConflict,
)
from kamcore.pricing._discounts import DiscountGroup, DiscountRule, DiscountScope
from kamcore.pricing._documents import (
    DocumentKind,
    LineRequest,
    PricedDocument,
    price_document,
)
from kamcore.pricing._index import PricingOptions
from kamcore.pricing._lists import Derivation, PriceItem, PriceList, PriceListKind
from kamcore.pricing._policy import (
    AdHocRule,
    FindingCode,
    FloorRule,
    PolicyFinding,
    PricingPolicy,
    check_line,
)
from kamcore.pricing._quote import QuoteLine, QuoteRequest
from kamcore.pricing._repricing import reprice, reprice_order
from kamcore.pricing._resolution import PricingIndex
from kamcore.pricing._resolved import ResolvedPrice
from kamcore.pricing._validation import validate_price_lists

__all__ = [
    "AccountAdHoc",
    "AdHocLine",
    "AdHocReport",
    "AdHocRule",
    "Derivation",
    "DiscountGroup",
    "DiscountRule",
    "DiscountScope",
    "DocumentKind",
    "FindingCode",
    "FloorRule",
    "LineRequest",
    "PolicyFinding",
    "PriceItem",
    "PriceList",
    "PriceListKind",
    "PriceListProposal",
    "PriceNotFoundError",
    "PricedDocument",
    "PricingConfigurationError",
    "PricingConflict",
    "PricingIndex",
    "PricingOptions",
    "PricingPolicy",
    "QuoteLine",
    "QuoteRequest",
    "ResolvedPrice",
    "ad_hoc_report",
    "check_line",
    "price_document",
    "reprice",
    "reprice_order",
    "validate_price_lists",
]

"""Pricing (SPEC §3): price lists, resolution, discounts and explanations.

See ``docs/pricing.md`` for the precedence rules and worked examples.
"""

from kamcore.pricing._conflicts import (
    PriceNotFoundError,
    PricingConfigurationError,
    PricingConflict,
)
from kamcore.pricing._discounts import DiscountGroup, DiscountRule, DiscountScope
from kamcore.pricing._index import PricingOptions
from kamcore.pricing._lists import Derivation, PriceItem, PriceList, PriceListKind
from kamcore.pricing._resolution import PricingIndex, ResolvedPrice

__all__ = [
    "Derivation",
    "DiscountGroup",
    "DiscountRule",
    "DiscountScope",
    "PriceItem",
    "PriceList",
    "PriceListKind",
    "PriceNotFoundError",
    "PricingConfigurationError",
    "PricingConflict",
    "PricingIndex",
    "PricingOptions",
    "ResolvedPrice",
]

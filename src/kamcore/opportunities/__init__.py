"""Opportunities (SPEC §4): the upsell, cross-sell, expansion and renewal
pipeline, and upsell detection from order history.

See ``docs/opportunities.md``.
"""

from kamcore.opportunities._opportunity import (
    Opportunity,
    OpportunityChange,
    OpportunityKind,
    Outcome,
    ProbabilityOverride,
    Stage,
)

__all__ = [
    "Opportunity",
    "OpportunityChange",
    "OpportunityKind",
    "Outcome",
    "ProbabilityOverride",
    "Stage",
]

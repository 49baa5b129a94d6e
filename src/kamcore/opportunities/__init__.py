"""Opportunities (SPEC §4): the upsell, cross-sell, expansion and renewal
pipeline, and upsell detection from order history.

See ``docs/opportunities.md``.
"""

from kamcore.opportunities._history import OpportunityChange, ProbabilityOverride
from kamcore.opportunities._opportunity import Opportunity, OpportunityKind, Outcome
from kamcore.opportunities._pipeline import (
    Attention,
    OpportunityReview,
    PipelineRow,
    ReviewItem,
    WeightedPipeline,
    review_opportunities,
    weighted_pipeline,
)
from kamcore.opportunities._stages import (
    DEFAULT_STAGE_PROBABILITIES,
    Stage,
    StageProbabilities,
)
from kamcore.opportunities._upsell import (
    DEFAULT_UPSELL_CRITERIA,
    PricingHint,
    UpsellCriteria,
    UpsellSuggestion,
    detect_upsell,
)

__all__ = [
    "DEFAULT_STAGE_PROBABILITIES",
    "DEFAULT_UPSELL_CRITERIA",
    "Attention",
    "Opportunity",
    "OpportunityChange",
    "OpportunityKind",
    "OpportunityReview",
    "Outcome",
    "PipelineRow",
    "PricingHint",
    "ProbabilityOverride",
    "ReviewItem",
    "Stage",
    "StageProbabilities",
    "UpsellCriteria",
    "UpsellSuggestion",
    "WeightedPipeline",
    "detect_upsell",
    "review_opportunities",
    "weighted_pipeline",
]

"""Pipeline stages and the table of their default probabilities.

A stage says how far a deal has come; the table says what probability of
winning that stage stands for by default. The table is configuration: a host
passes its own to the opportunity methods that set a stage.
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

from kamcore.kernel import Checks, Percentage

__all__ = ["DEFAULT_STAGE_PROBABILITIES", "Stage", "StageProbabilities"]


class Stage(enum.Enum):
    """How far the deal has come, in order."""

    QUALIFICATION = "qualification"
    NEEDS_ANALYSIS = "needs_analysis"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CLOSING = "closing"

    def __str__(self) -> str:
        return self.value


def _percentage(value: Percentage | int | str) -> Percentage:
    return value if isinstance(value, Percentage) else Percentage(value)


@attrs.frozen(kw_only=True)
class StageProbabilities:
    """The default probability of each stage.

    Each value is a :class:`~kamcore.kernel.Percentage` from 0 to 100; an
    ``int`` or a decimal string is taken as one. The defaults are the usual
    B2B funnel figures (see ``docs/opportunities.md``).

    Attributes:
        qualification: Default 10 %.
        needs_analysis: Default 25 %.
        proposal: Default 50 %.
        negotiation: Default 75 %.
        closing: Default 90 %.

    Raises:
        ValidationError: naming every stage whose probability is outside
            0 % to 100 %.

    Example:
        >>> StageProbabilities(proposal=40).of(Stage.PROPOSAL)
        Percentage('40')
        >>> StageProbabilities().of(Stage.CLOSING)
        Percentage('90')
    """

    qualification: Percentage = attrs.field(
        default=Percentage(10), converter=_percentage
    )
    needs_analysis: Percentage = attrs.field(
        default=Percentage(25), converter=_percentage
    )
    proposal: Percentage = attrs.field(default=Percentage(50), converter=_percentage)
    negotiation: Percentage = attrs.field(default=Percentage(75), converter=_percentage)
    closing: Percentage = attrs.field(default=Percentage(90), converter=_percentage)

    def __attrs_post_init__(self) -> None:
        checks = Checks("StageProbabilities")
        for stage in Stage:
            value = self.of(stage)
            checks.require(
                Percentage(0) <= value <= Percentage(100),
                stage.value,
                "must be between 0 % and 100 %",
                value,
            )
        checks.raise_if_any()

    def of(self, stage: Stage) -> Percentage:
        """The default probability of ``stage``."""
        probability: Percentage = getattr(self, stage.value)
        return probability


DEFAULT_STAGE_PROBABILITIES: Final = StageProbabilities()
"""10 %, 25 %, 50 %, 75 % and 90 % from qualification to closing."""

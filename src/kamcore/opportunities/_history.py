"""An opportunity's history: manual probability overrides and recorded changes."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from kamcore.kernel import Checks, ManagerId, Percentage

__all__ = ["ChangeRecorder", "OpportunityChange", "ProbabilityOverride"]


@attrs.frozen(kw_only=True)
class ProbabilityOverride:
    """A probability set by hand instead of the stage's default.

    Attributes:
        probability: The probability to use.
        by: Who set it.
        reason: Why.
        at: When (timezone-aware).
    """

    probability: Percentage
    by: ManagerId
    reason: str
    at: dt.datetime

    def __attrs_post_init__(self) -> None:
        checks = Checks("ProbabilityOverride")
        if checks.instance("probability", self.probability, Percentage):
            checks.require(
                Percentage(0) <= self.probability <= Percentage(100),
                "probability",
                "must be between 0 % and 100 %",
                self.probability,
            )
        checks.text("by", self.by)
        checks.text("reason", self.reason)
        checks.instant("at", self.at)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class OpportunityChange:
    """One change to an opportunity, as it happened.

    Attributes:
        at: When (timezone-aware).
        by: Who made it.
        field: The attribute that changed: ``"stage"``, ``"stage_probability"``,
            ``"override"``, ``"value"``, ``"close_date"``, ``"notes"``,
            ``"proposal"`` or ``"outcome"``.
        before: The previous value, as text (``"75%"``, ``"48000.05 EUR"``,
            ``"2026-06-30"``, ``"negotiation"``; empty for none).
        after: The new value, as text, in the same form.
        reason: Why, when one was given.
    """

    at: dt.datetime
    by: ManagerId
    field: str
    before: str
    after: str
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        checks = Checks("OpportunityChange")
        checks.instant("at", self.at)
        checks.text("by", self.by)
        checks.text("field", self.field)
        checks.instance("before", self.before, str)
        checks.instance("after", self.after, str)
        checks.instance("reason", self.reason, str)
        checks.raise_if_any()


def _text(value: object) -> str:
    """A field value as history text: ``"75%"``, ``"48000.05 EUR"``, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


class ChangeRecorder:
    """Collects the changes of one call, skipping fields that did not change.

    Args:
        at: When the changes happen.
        by: Who makes them.
        reason: Why, recorded on each change.
    """

    def __init__(self, at: dt.datetime, by: ManagerId, reason: str) -> None:
        self.at, self.by, self.reason = at, by, reason
        self.changes: list[OpportunityChange] = []

    def __call__(
        self, field: str, before: object, after: object, *, force: bool = False
    ) -> None:
        if before == after and not force:
            return
        self.changes.append(
            OpportunityChange(
                at=self.at,
                by=self.by,
                field=field,
                before=_text(before),
                after=_text(after),
                reason=self.reason,
            )
        )

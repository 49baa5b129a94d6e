"""A stored aggregate's next version, without validating it all over again."""

from __future__ import annotations

import copy
from typing import TypeVar

from kamcore.kernel import Checks
from kamcore.ports import Aggregate

__all__ = ["at_version"]

AggregateT = TypeVar("AggregateT", bound=Aggregate)


def at_version(aggregate: AggregateT, version: int) -> AggregateT:
    """``aggregate`` with its version replaced, every other field as it is.

    Aggregates are immutable attrs classes, checked in full when built, so a
    copy that changes only the version needs only the version checked.
    ``attrs.evolve`` would build the aggregate again and re-run every check
    (for an invoice: each line, payment, credit note and redemption), which
    was most of the cost of storing one.

    Raises:
        ValidationError: ``version`` is not an integer, or is negative (the
            check every aggregate runs on its version).
    """
    checks = Checks(type(aggregate).__name__)
    checks.version(version)
    checks.raise_if_any()
    stored = copy.copy(aggregate)
    object.__setattr__(stored, "version", version)
    return stored

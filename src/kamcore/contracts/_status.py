"""The contract lifecycle: its states and the only transitions allowed between them.

SPEC §4: ``draft -> active -> renewal_in_progress -> renewed | lapsed``, plus
``terminated`` (a deliberate end) and ``archived`` (the record is closed). A
renewed contract stays in force for its new term, so from ``renewed`` the next
cycle starts again (``renewal_in_progress``, or ``renewed`` once more when it
renews automatically). Every other transition raises
:class:`~kamcore.errors.InvalidTransitionError`; every transition made is kept
as a :class:`StatusChange`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs

from kamcore.errors import InvalidTransitionError
from kamcore.kernel import Checks

__all__ = [
    "CLOSED",
    "IN_FORCE",
    "TRANSITIONS",
    "ContractStatus",
    "StatusChange",
    "check_transition",
]


class ContractStatus(enum.Enum):
    """Where a contract is in its lifecycle."""

    DRAFT = "draft"
    ACTIVE = "active"
    RENEWAL_IN_PROGRESS = "renewal_in_progress"
    RENEWED = "renewed"
    LAPSED = "lapsed"
    TERMINATED = "terminated"
    ARCHIVED = "archived"

    def __str__(self) -> str:
        return self.value


_S = ContractStatus

TRANSITIONS: Final[dict[ContractStatus, frozenset[ContractStatus]]] = {
    _S.DRAFT: frozenset({_S.ACTIVE, _S.TERMINATED}),
    _S.ACTIVE: frozenset(
        {_S.RENEWAL_IN_PROGRESS, _S.RENEWED, _S.LAPSED, _S.TERMINATED}
    ),
    _S.RENEWAL_IN_PROGRESS: frozenset({_S.RENEWED, _S.LAPSED, _S.TERMINATED}),
    _S.RENEWED: frozenset(
        {_S.RENEWAL_IN_PROGRESS, _S.RENEWED, _S.LAPSED, _S.TERMINATED}
    ),
    _S.LAPSED: frozenset({_S.ARCHIVED}),
    _S.TERMINATED: frozenset({_S.ARCHIVED}),
    _S.ARCHIVED: frozenset(),
}
"""For each status, the statuses it may move to. Nothing else is allowed."""

IN_FORCE: Final = frozenset({_S.ACTIVE, _S.RENEWAL_IN_PROGRESS, _S.RENEWED})
"""The statuses of a contract that binds both parties today."""

CLOSED: Final = frozenset({_S.LAPSED, _S.TERMINATED, _S.ARCHIVED})
"""The statuses of a contract that has ended: it can no longer be changed."""


def check_transition(
    contract: str, current: ContractStatus, requested: ContractStatus
) -> None:
    """Raise unless the lifecycle allows ``current -> requested``.

    Raises:
        InvalidTransitionError: naming the contract and both states.
    """
    if requested not in TRANSITIONS[current]:
        raise InvalidTransitionError("Contract", contract, current, requested)


@attrs.frozen(kw_only=True)
class StatusChange:
    """One step of the lifecycle, as it happened.

    Attributes:
        status: The status entered.
        on: The business date it took effect.
        at: When it was recorded (timezone-aware).
        reason: Why, in words.

    Raises:
        ValidationError: naming every offending field.
    """

    status: ContractStatus
    on: dt.date
    at: dt.datetime
    reason: str

    def __attrs_post_init__(self) -> None:
        checks = Checks("StatusChange")
        checks.instance("status", self.status, ContractStatus)
        checks.date("on", self.on)
        checks.instant("at", self.at)
        checks.text("reason", self.reason)
        checks.raise_if_any()

"""A notice of termination from the client: a dated event, checked against the
notice deadline of the term it arrives in (SPEC §4)."""

from __future__ import annotations

import datetime as dt

import attrs

from kamcore.contracts._version import ContractVersion
from kamcore.kernel import Checks, term_end

__all__ = ["TerminationNotice"]


@attrs.frozen(kw_only=True)
class TerminationNotice:
    """A notice of termination received from the client: a dated event.

    Attributes:
        received_on: The day it arrived.
        deadline: The notice deadline it was checked against (``None``: the
            contract had no notice period, so any notice was in time).
        effective_end: The last day the contract runs: the current term's end
            when the notice was in time, otherwise the end of the next term
            (the contract renews once more, as auto-renewal clauses provide).
        reason: The client's stated reason.

    Raises:
        ValidationError: naming every offending field.
    """

    received_on: dt.date
    deadline: dt.date | None
    effective_end: dt.date
    reason: str

    def __attrs_post_init__(self) -> None:
        checks = Checks("TerminationNotice")
        checks.date("received_on", self.received_on)
        checks.optional_date("deadline", self.deadline)
        checks.date("effective_end", self.effective_end)
        checks.text("reason", self.reason)
        checks.raise_if_any()

    @classmethod
    def against(
        cls, version: ContractVersion, *, received_on: dt.date, reason: str
    ) -> TerminationNotice:
        """The notice ``received_on`` a day, checked against ``version``'s deadline.

        In time (on or before :attr:`ContractVersion.notice_deadline`, or any
        day when there is none): the contract ends at ``version``'s term end.
        Late: it ends at the end of the following term.

        Raises:
            ValidationError: ``received_on`` is not a date or ``reason`` is blank.

        Example:
            >>> from dateutil.relativedelta import relativedelta
            >>> from kamcore.kernel import ManagerId, Money
            >>> version = ContractVersion(
            ...     number=1,
            ...     effective_from=dt.date(2026, 1, 1),
            ...     anchor=dt.date(2026, 1, 1),
            ...     term=relativedelta(years=1),
            ...     value=Money("100.00", "EUR"),
            ...     auto_renew=True,
            ...     notice_period=relativedelta(months=3),
            ...     note="original agreement",
            ...     recorded_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
            ...     recorded_by=ManagerId("m-1"),
            ... )
            >>> TerminationNotice.against(
            ...     version, received_on=dt.date(2026, 10, 1), reason="budget"
            ... ).effective_end
            datetime.date(2027, 12, 31)
        """
        checks = Checks("TerminationNotice")
        checks.date("received_on", received_on)
        checks.raise_if_any()
        deadline = version.notice_deadline
        if deadline is not None and received_on > deadline:
            anchor, number = version.next_term()
            effective_end = term_end(anchor, version.term, number)
        else:
            effective_end = version.term_end
        return cls(
            received_on=received_on,
            deadline=deadline,
            effective_end=effective_end,
            reason=reason,
        )

    @property
    def in_time(self) -> bool:
        """Whether it arrived on or before the deadline."""
        return self.deadline is None or self.received_on <= self.deadline

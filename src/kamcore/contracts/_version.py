"""One effective-dated version of a contract: what the parties agreed, from when.

A version never changes once recorded: an amendment or a renewal records a new
version beside it (SPEC §4, "history is never overwritten").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.errors import ValidationError
from kamcore.kernel import (
    Checks,
    ManagerId,
    Money,
    PriceListId,
    is_int,
    term_end,
    term_start,
    validate_term,
)

__all__ = ["ArchivedDocument", "ContractVersion", "DocumentReference", "Signature"]

_DAY = dt.timedelta(days=1)

MAX_DAYS = 3660
"""The longest lead time, grace period or notice period a contract may set, in
days (ten years), as the loyalty programme bounds its day counts: a count
beyond it is a typo, and unbounded ones would push dates out of the
calendar."""


def _count(checks: Checks, path: str, value: Any, minimum: int) -> None:
    if not is_int(value):
        checks.fail(path, f"expected an integer >= {minimum}", value)
    else:
        checks.require(value >= minimum, path, f"must be at least {minimum}", value)


def check_days(checks: Checks, path: str, value: object) -> None:
    """Record an error unless ``value`` is a whole number of days, 0 to 3660."""
    if not is_int(value) or not 0 <= value <= MAX_DAYS:
        checks.fail(path, f"expected an integer from 0 to {MAX_DAYS}", value)


def _longest_days(period: relativedelta) -> int:
    """The most days ``period`` can span: a year as 366 days, a month as 31."""
    return period.years * 366 + period.months * 31 + period.days


@attrs.frozen(kw_only=True)
class ContractVersion:
    """The agreement as it stands from ``effective_from``.

    Terms are counted from ``anchor`` (SPEC §1): term *n* runs from
    ``anchor + (n-1)*term`` to ``anchor + n*term - 1 day``. A version covers the
    agreement up to the end of term ``term_number``; renewing adds one term on
    the same anchor, or restarts the count on an explicit renewal base date.

    Attributes:
        number: 1 for the original agreement, then one more per amendment.
        effective_from: The first day this version applies.
        anchor: The date terms are counted from (the original start).
        term: The length of one term (e.g. ``relativedelta(years=1)``).
        term_number: The term this version runs to the end of (1-based).
        end: An explicit end date replacing the derived one (inclusive).
        value: The contract value per term.
        price_list: The price list the contract's prices come from, if any.
        auto_renew: Whether the contract renews itself unless notice is given.
        notice_period: How long before the next term's start a termination
            notice must arrive (auto-renewing contracts), at most ten years;
            ``None``: no notice period.
        renewal_lead_days: Days before the term end that the renewal alert
            is due, 0 to 3660; ``None`` takes the portfolio's default (60).
        grace_days: Days after the term end before an unrenewed contract
            lapses, 0 to 3660.
        note: What this version changed, in words.
        recorded_at: When it was recorded (timezone-aware).
        recorded_by: Who recorded it.

    Raises:
        ValidationError: naming every offending field.
    """

    number: int
    effective_from: dt.date
    anchor: dt.date
    term: relativedelta
    term_number: int = 1
    end: dt.date | None = None
    value: Money
    price_list: PriceListId | None = None
    auto_renew: bool = False
    notice_period: relativedelta | None = None
    renewal_lead_days: int | None = None
    grace_days: int = 0
    note: str
    recorded_at: dt.datetime
    recorded_by: ManagerId

    def __attrs_post_init__(self) -> None:
        checks = Checks("ContractVersion")
        _count(checks, "number", self.number, 1)
        checks.date("effective_from", self.effective_from)
        checks.date("anchor", self.anchor)
        checks.capture(lambda: validate_term(self.term))
        _count(checks, "term_number", self.term_number, 1)
        checks.optional_date("end", self.end)
        checks.instance("value", self.value, Money)
        checks.optional_text("price_list", self.price_list)
        checks.instance("auto_renew", self.auto_renew, bool)
        notice = self.notice_period
        if notice is not None:
            checks.capture(lambda: validate_term(notice, subject="notice_period"))
            if isinstance(notice, relativedelta):
                checks.require(
                    _longest_days(notice) <= MAX_DAYS,
                    "notice_period",
                    f"must be at most ten years ({MAX_DAYS} days, a year counted "
                    "as 366 days and a month as 31)",
                    notice,
                )
        if self.renewal_lead_days is not None:
            check_days(checks, "renewal_lead_days", self.renewal_lead_days)
        check_days(checks, "grace_days", self.grace_days)
        checks.text("note", self.note)
        checks.instant("recorded_at", self.recorded_at)
        checks.text("recorded_by", self.recorded_by)
        checks.raise_if_any()
        checks.capture(self._check_dates)
        checks.raise_if_any()

    def _check_dates(self) -> None:
        if self.end is None:
            return
        checks = Checks("ContractVersion")
        start = self.term_start
        checks.require(
            self.end >= start,
            "end",
            f"ends before its term starts ({start})",
            self.end,
        )
        checks.raise_if_any()

    @property
    def term_start(self) -> dt.date:
        """The first day of the term this version runs to the end of."""
        return term_start(self.anchor, self.term, self.term_number)

    @property
    def term_end(self) -> dt.date:
        """The last day (inclusive) of that term: explicit, else anchored."""
        if self.end is not None:
            return self.end
        return term_end(self.anchor, self.term, self.term_number)

    def next_term(self, base_date: dt.date | None = None) -> tuple[dt.date, int]:
        """The ``(anchor, term_number)`` of the term that follows this version's.

        Anchored: the same anchor, one term more, so renewals never drift. An
        explicit :attr:`end` other than the anchored one moved the boundary:
        the next term starts the day after it, and the count restarts there
        (so terms stay contiguous). ``base_date`` (an early or late renewal)
        restarts the count on that date.

        Example:
            >>> from kamcore.kernel import Money
            >>> version = ContractVersion(
            ...     number=1,
            ...     effective_from=dt.date(2024, 1, 31),
            ...     anchor=dt.date(2024, 1, 31),
            ...     term=relativedelta(months=1),
            ...     term_number=2,
            ...     value=Money("100.00", "EUR"),
            ...     note="original agreement",
            ...     recorded_at=dt.datetime(2024, 1, 10, tzinfo=dt.UTC),
            ...     recorded_by=ManagerId("m-1"),
            ... )
            >>> version.next_term()
            (datetime.date(2024, 1, 31), 3)
            >>> import attrs
            >>> attrs.evolve(version, end=dt.date(2024, 3, 31)).next_term()
            (datetime.date(2024, 4, 1), 1)
        """
        if base_date is not None:
            return base_date, 1
        if self.end is not None and self.end != term_end(
            self.anchor, self.term, self.term_number
        ):
            return self.end + dt.timedelta(days=1), 1
        return self.anchor, self.term_number + 1

    def renewal(
        self,
        *,
        number: int,
        recorded_at: dt.datetime,
        recorded_by: ManagerId,
        note: str,
        base_date: dt.date | None = None,
        **changes: Any,
    ) -> ContractVersion:
        """Version ``number``, covering the term after this one's, from its first day.

        The term follows :meth:`next_term` (anchored, or from ``base_date``).
        This version's explicit :attr:`end` is not carried over; a new
        ``term`` length in ``changes`` counts from the next term's start.
        ``changes`` are further fields of the new version (``value``...).

        Raises:
            ValidationError: the new version would not be valid.
        """
        anchor, term_number = self.next_term(base_date)
        term = changes.get("term", self.term)
        if term != self.term:
            checks = Checks("ContractVersion")
            checks.capture(lambda: validate_term(term))
            checks.raise_if_any()
            anchor, term_number = term_start(anchor, self.term, term_number), 1
        fields: dict[str, Any] = {"end": None, **changes}
        return attrs.evolve(
            self,
            number=number,
            effective_from=term_start(anchor, term, term_number),
            anchor=anchor,
            term_number=term_number,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            note=note,
            **fields,
        )

    @property
    def notice_deadline(self) -> dt.date | None:
        """The last day a termination notice may arrive to end the contract at
        :attr:`term_end` (auto-renewing contracts with a notice period only).

        Anchored like a term end (SPEC §4): (the next term's first day - the
        notice period) - 1 day. Terms are contiguous, so the next term starts
        the day after :attr:`term_end`. Counting back from the next start, not
        from the clamped end, keeps month ends whole: a term ending on 28
        February with one month's notice has its deadline on 31 January, not
        28 January.

        Raises:
            ValidationError: the deadline falls outside the calendar.

        Example:
            >>> from kamcore.kernel import Money
            >>> version = ContractVersion(
            ...     number=1,
            ...     effective_from=dt.date(2025, 3, 1),
            ...     anchor=dt.date(2025, 3, 1),
            ...     term=relativedelta(years=1),
            ...     value=Money("100.00", "EUR"),
            ...     auto_renew=True,
            ...     notice_period=relativedelta(months=1),
            ...     note="original agreement",
            ...     recorded_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
            ...     recorded_by=ManagerId("m-1"),
            ... )
            >>> version.term_end, version.notice_deadline
            (datetime.date(2026, 2, 28), datetime.date(2026, 1, 31))
        """
        notice = self.notice_period
        if not self.auto_renew or notice is None:
            return None
        end = self.term_end
        try:
            return end + _DAY - notice - _DAY
        except (ValueError, OverflowError):
            raise ValidationError.single(
                "ContractVersion",
                "notice_period",
                f"the notice deadline of the term ending {end} falls outside "
                "the calendar (years 1 to 9999)",
                notice,
            ) from None


@attrs.frozen(kw_only=True)
class Signature:
    """A signature, bound to one contract version.

    Attributes:
        version: The contract version signed (its :attr:`ContractVersion.number`).
        signed_on: The date of the signature.
        signed_by: The client's signatory.
        countersigned_by: The account manager who signed for the business.
    """

    version: int
    signed_on: dt.date
    signed_by: str
    countersigned_by: ManagerId | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("Signature")
        _count(checks, "version", self.version, 1)
        checks.date("signed_on", self.signed_on)
        checks.text("signed_by", self.signed_by)
        checks.optional_text("countersigned_by", self.countersigned_by)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class DocumentReference:
    """Where a document archive stored a file: kamcore keeps this, not the file.

    Attributes:
        uri: The archive's address for the file.
        digest: A content digest (``"sha256:..."``), to prove what was signed.
        stored_at: When the archive stored it (timezone-aware).
    """

    uri: str
    digest: str
    stored_at: dt.datetime

    def __attrs_post_init__(self) -> None:
        checks = Checks("DocumentReference")
        checks.text("uri", self.uri)
        checks.text("digest", self.digest)
        checks.instant("stored_at", self.stored_at)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class ArchivedDocument:
    """A signed contract version's document, filed in the archive.

    Attributes:
        version: The contract version the document is of.
        reference: Where the archive keeps it.
    """

    version: int
    reference: DocumentReference

    def __attrs_post_init__(self) -> None:
        checks = Checks("ArchivedDocument")
        _count(checks, "version", self.version, 1)
        checks.instance("reference", self.reference, DocumentReference)
        checks.raise_if_any()

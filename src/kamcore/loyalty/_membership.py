"""A client's membership of a programme: its ledger and what the ledger implies.

The membership is the aggregate that is stored and versioned. Its ledger only
grows; balances, lots, pending points, carried fractions and qualifying spend
are all derived from it, as of any date.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Iterator
from decimal import Decimal

import attrs

from kamcore.kernel import (
    EXACT,
    Checks,
    ClientId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    ProgrammeId,
    ProposalId,
)
from kamcore.loyalty._ledger import EntryKind, LedgerEntry, Lot, lots_of

__all__ = [
    "Membership",
    "NoticeKind",
    "Reservation",
    "ReservationStatus",
    "TierNotice",
    "TierOverride",
]

_ZERO = Decimal(0)


class ReservationStatus(enum.Enum):
    """A reservation is held until its invoice commits it or it is released."""

    HELD = "held"
    COMMITTED = "committed"
    RELEASED = "released"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class Reservation:
    """Points set aside on a proposal, at a rate locked when reserved.

    Attributes:
        proposal: The proposal they are reserved on.
        points: How many.
        rate: The value of one point, locked at reservation.
        reserved_on: When.
        status: Held, committed (by an invoice) or released.
        invoice: The invoice that committed them, once committed.
    """

    proposal: ProposalId
    points: Decimal
    rate: Money
    reserved_on: dt.date
    status: ReservationStatus = ReservationStatus.HELD
    invoice: InvoiceId | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("Reservation")
        checks.text("proposal", self.proposal)
        checks.decimal("points", self.points, strictly_positive=True)
        checks.instance("rate", self.rate, Money)
        checks.date("reserved_on", self.reserved_on)
        checks.instance("status", self.status, ReservationStatus)
        checks.optional_text("invoice", self.invoice)
        checks.raise_if_any()


class NoticeKind(enum.Enum):
    """What a membership was told about, once each."""

    UPGRADE = "upgrade"
    DOWNGRADE_WARNING = "downgrade_warning"
    EXPIRY_WARNING = "expiry_warning"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class TierNotice:
    """A notification sent about the membership, kept so it is sent once.

    Attributes:
        kind: Upgrade, downgrade warning or expiry warning.
        subject: What it was about: a tier code, or a lot number for expiry.
        period_start: The qualification period it belongs to.
        sent_at: When (timezone-aware).
    """

    kind: NoticeKind
    subject: str
    period_start: dt.date
    sent_at: dt.datetime

    def __attrs_post_init__(self) -> None:
        checks = Checks("TierNotice")
        checks.instance("kind", self.kind, NoticeKind)
        checks.text("subject", self.subject)
        checks.date("period_start", self.period_start)
        checks.instant("sent_at", self.sent_at)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class TierOverride:
    """A tier set by the account manager, with a reason and an end date.

    Overrides are kept as an append-only history on the membership
    (:attr:`Membership.overrides`): a new one never replaces an earlier one,
    it is set later and so wins on the days both cover
    (:meth:`Membership.override_on`). An override never applies before the
    day it was set, so it cannot change the tier of a day already past.

    A record whose ``tier`` is ``None`` *ends* overrides early: from
    ``starts_on`` to ``ends_on`` the tier is the one earned by spend again,
    whatever was set before (see :func:`~kamcore.services.end_tier_override`).

    Attributes:
        tier: The tier code, or ``None``: back to the earned tier.
        reason: Why.
        by: Who.
        starts_on: The first day it applies (not before ``set_on``).
        ends_on: The last day it applies (inclusive).
        set_on: The business date it was set on.

    Raises:
        ValidationError: a blank tier, reason or manager, ``ends_on`` before
            ``starts_on``, or ``starts_on`` before ``set_on``.

    .. versionchanged:: Unreleased
        ``set_on`` added; ``tier`` may be ``None``.
    """

    tier: str | None
    reason: str
    by: ManagerId
    starts_on: dt.date
    ends_on: dt.date
    set_on: dt.date

    def __attrs_post_init__(self) -> None:
        checks = Checks("TierOverride")
        checks.optional_text("tier", self.tier)
        checks.text("reason", self.reason)
        checks.text("by", self.by)
        checks.window("starts_on", self.starts_on, "ends_on", self.ends_on)
        checks.date("set_on", self.set_on)
        checks.raise_if_any()
        checks.require(
            self.starts_on >= self.set_on,
            "starts_on",
            f"{self.starts_on} is before the day the override is set "
            f"({self.set_on}): an override never applies retroactively",
            self.starts_on,
        )
        checks.raise_if_any()

    @property
    def ends_override(self) -> bool:
        """Whether this record ends overrides (back to the earned tier)."""
        return self.tier is None

    def applies_on(self, day: dt.date) -> bool:
        """Whether ``day`` is within the override."""
        return self.starts_on <= day <= self.ends_on


@attrs.frozen(kw_only=True)
class Membership:
    """A client's membership: the ledger, reservations, notices and overrides.

    Attributes:
        id: The membership's id.
        client: The member.
        programme: The programme.
        enrolled_on: The first day of membership (anchors rolling periods).
        entries: The ledger, in the order written (numbers 1, 2, ...).
        reservations: Points reserved on proposals.
        notices: Notifications already sent (upgrades, warnings).
        overrides: The tiers set by the account manager, oldest first: an
            append-only history, ``set_on`` never decreasing (see
            :meth:`override_on`).
        version: Optimistic-locking version.

    Raises:
        ValidationError: naming every offending field; entries must be
            numbered 1, 2, ... with unique keys, draws may only take what
            earlier lots have left and returns only give back what was
            drawn; overrides must be in the order they were set.

    .. versionchanged:: Unreleased
        ``overrides`` (a history) replaces ``override`` (a single one).
    """

    id: MembershipId
    client: ClientId
    programme: ProgrammeId
    enrolled_on: dt.date
    entries: tuple[LedgerEntry, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    notices: tuple[TierNotice, ...] = ()
    overrides: tuple[TierOverride, ...] = ()
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Membership")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.text("programme", self.programme)
        checks.date("enrolled_on", self.enrolled_on)
        checks.each("entries", self.entries, LedgerEntry)
        checks.each("reservations", self.reservations, Reservation)
        checks.each("notices", self.notices, TierNotice)
        checks.each("overrides", self.overrides, TierOverride)
        checks.version(self.version)
        checks.raise_if_any()
        for index, (before, after) in enumerate(
            itertools.pairwise(self.overrides), start=1
        ):
            checks.require(
                after.set_on >= before.set_on,
                f"overrides[{index}].set_on",
                f"{after.set_on} is before the previous override's "
                f"({before.set_on}): overrides are appended in the order set",
                after.set_on,
            )
        keys: set[str] = set()
        # What each lot has left, and what it added, as the entries are read:
        # an entry's returns are applied before its draws.
        lots: dict[int, Decimal] = {}
        points: dict[int, Decimal] = {}
        for index, entry in enumerate(self.entries):
            path = f"entries[{index}]"
            checks.require(
                entry.number == index + 1,
                f"{path}.number",
                f"expected {index + 1}: entries are numbered 1, 2, ...",
                entry.number,
            )
            checks.require(
                entry.key not in keys, f"{path}.key", "appears twice", entry.key
            )
            keys.add(entry.key)
            for back in entry.returns:
                if back.lot not in lots:
                    checks.fail(
                        f"{path}.returns",
                        "returns to a lot that is not an earlier earning",
                        back.lot,
                    )
                    continue
                lots[back.lot] = EXACT.add(lots[back.lot], back.points)
                checks.require(
                    lots[back.lot] <= points[back.lot],
                    f"{path}.returns",
                    f"gives lot {back.lot} back more than was drawn from it",
                    back.points,
                )
            for draw in entry.draws:
                if draw.lot not in lots:
                    checks.fail(
                        f"{path}.draws",
                        "draws on a lot that is not an earlier earning",
                        draw.lot,
                    )
                    continue
                lots[draw.lot] = EXACT.subtract(lots[draw.lot], draw.points)
                checks.require(
                    lots[draw.lot] >= 0,
                    f"{path}.draws",
                    f"takes more from lot {draw.lot} than it has left",
                    draw.points,
                )
            if entry.is_lot:
                lots[entry.number] = points[entry.number] = entry.points
        checks.raise_if_any()

    # -- overrides -------------------------------------------------------------
    def override_on(self, day: dt.date) -> TierOverride | None:
        """The account manager's override that sets the tier on ``day``, if any.

        Among the overrides covering ``day``, the one set last wins; if that
        one ends overrides (``tier`` is ``None``), the earned tier applies and
        the answer is ``None``. As no override starts before the day it was
        set, the answer for a day never changes once that day has begun.

        Example:
            >>> import datetime as dt
            >>> from kamcore.kernel import ManagerId
            >>> jan = TierOverride(
            ...     tier="gold", reason="pilot", by=ManagerId("m-1"),
            ...     starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31),
            ...     set_on=dt.date(2026, 1, 1),
            ... )
            >>> feb = TierOverride(
            ...     tier="platinum", reason="framework", by=ManagerId("m-1"),
            ...     starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 6, 30),
            ...     set_on=dt.date(2026, 2, 1),
            ... )
            >>> m = Membership(
            ...     id=MembershipId("ms-1"), client=ClientId("c-1"),
            ...     programme=ProgrammeId("lp-1"), enrolled_on=dt.date(2025, 1, 1),
            ...     overrides=(jan, feb),
            ... )
            >>> [m.override_on(dt.date(2026, mo, 15)).tier for mo in (1, 2)]
            ['gold', 'platinum']

        .. versionadded:: Unreleased
        """
        for override in reversed(self.overrides):
            if override.applies_on(day):
                return None if override.ends_override else override
        return None

    def with_override(self, override: TierOverride) -> Membership:
        """The membership with ``override`` appended to its history.

        Raises:
            ValidationError: ``override`` was set before the last one.

        .. versionadded:: Unreleased
        """
        return attrs.evolve(self, overrides=(*self.overrides, override))

    # -- the ledger ------------------------------------------------------------
    def entry(self, key: str) -> LedgerEntry | None:
        """The entry written under ``key``, if any (idempotent posting)."""
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None

    def _up_to(self, day: dt.date | None) -> Iterator[LedgerEntry]:
        return (e for e in self.entries if day is None or e.on <= day)

    def balance(self, as_of: dt.date | None = None) -> Decimal:
        """The points balance on ``as_of`` (all entries when ``None``): the
        sum of the entries' points -- earned and adjusted, less redeemed,
        expired and reversed. Pending points do not count; held reservations
        are not subtracted here (see :meth:`available`). Points past their
        expiry date count until the expiry run writes them off, but cannot be
        redeemed (see :meth:`Lot.usable_on`)."""
        total = _ZERO
        for entry in self._up_to(as_of):
            if entry.kind is not EntryKind.PENDING:
                total = EXACT.add(total, entry.points)
        return total

    def pending(self, as_of: dt.date | None = None) -> Decimal:
        """Points waiting for their invoices to be paid."""
        total = _ZERO
        for entry in self._up_to(as_of):
            if entry.kind is EntryKind.PENDING:
                total = EXACT.add(total, entry.points)
        return total

    def held(self) -> Decimal:
        """Points reserved on proposals and not yet committed or released."""
        total = _ZERO
        for reservation in self.reservations:
            if reservation.status is ReservationStatus.HELD:
                total = EXACT.add(total, reservation.points)
        return total

    def available(self, as_of: dt.date | None = None) -> Decimal:
        """What may be redeemed or reserved: the balance less held reservations."""
        return EXACT.subtract(self.balance(as_of), self.held())

    def lots(self, as_of: dt.date | None = None) -> list[Lot]:
        """Every lot, oldest first, with what remains on ``as_of``."""
        return lots_of(self.entries, up_to=as_of)

    def unbacked(self, as_of: dt.date | None = None) -> Decimal:
        """Points taken from the balance but from no lot: a negative balance
        under the ``allow_negative`` policy, matched against later lots."""
        total = _ZERO
        for entry in self._up_to(as_of):
            if entry.kind is EntryKind.PENDING:
                continue
            # Lots hold what they add; every other entry's points went to or
            # came from lots through its draws and returns, or from no lot.
            if not entry.is_lot:
                total = EXACT.subtract(total, entry.points)
            total = EXACT.add(EXACT.subtract(total, entry.drawn), entry.returned)
        return total

    def owed(self, as_of: dt.date | None = None) -> Decimal:
        """Points a reversal could not take yet, to claw back from earnings."""
        total = _ZERO
        for entry in self._up_to(as_of):
            if entry.kind in (EntryKind.REVERSE, EntryKind.CORRECT):
                total = EXACT.add(total, entry.owed)
            elif entry.kind is EntryKind.CLAW_BACK:
                total = EXACT.add(total, entry.points)
        return total

    def carried(self) -> Decimal:
        """The fraction of a point earned (or reversed) but not yet posted:
        exact points less posted points, in ``[-1, 1)`` point places.

        Negative when a reversal could not take back a fraction its
        invoice's lots never got (the next earnings' fractions pay it).

        .. versionchanged:: Unreleased
           May be negative (down to one point place).
        """
        total = _ZERO
        for entry in self.entries:
            if entry.exact is not None:
                # A reversal also posted the points it will claw back later
                # (owed) and those it did not take because they had expired
                # (written off): neither is a fraction carried.
                posted = EXACT.subtract(
                    EXACT.subtract(entry.points, entry.owed), entry.written_off
                )
                total = EXACT.add(total, EXACT.subtract(entry.exact, posted))
        return total

    def spend_between(
        self, start: dt.date | None, end: dt.date, currency: str
    ) -> Money:
        """Qualifying spend dated in ``[start, end]`` (open start: since ever).

        Pending entries record the money of their invoice line or credit
        note, but count toward nothing until the points are earned."""
        total = Money.zero(currency)
        for entry in self.entries:
            if entry.spend is None or entry.on > end or entry.kind is EntryKind.PENDING:
                continue
            if start is None or entry.on >= start:
                total += entry.spend
        return total

    def next_number(self) -> int:
        """The number the next entry gets."""
        return len(self.entries) + 1

    def notified(self, kind: NoticeKind, subject: str, period_start: dt.date) -> bool:
        """Whether that notice was already sent in that period."""
        return any(
            (n.kind, n.subject, n.period_start) == (kind, subject, period_start)
            for n in self.notices
        )

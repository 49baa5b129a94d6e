"""A client's membership of a programme: its ledger and what the ledger implies.

The membership is the aggregate that is stored and versioned. Its ledger only
grows; balances, lots, pending points, carried fractions and qualifying spend
are all derived from it, as of any date.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from decimal import Decimal

import attrs

from kamcore.kernel import (
    Checks,
    ClientId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    ProgrammeId,
    ProposalId,
)
from kamcore.kernel._money import EXACT
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

    Attributes:
        tier: The tier code.
        reason: Why.
        by: Who.
        starts_on: The first day it applies.
        ends_on: The last day it applies (inclusive).
    """

    tier: str
    reason: str
    by: ManagerId
    starts_on: dt.date
    ends_on: dt.date

    def __attrs_post_init__(self) -> None:
        checks = Checks("TierOverride")
        checks.text("tier", self.tier)
        checks.text("reason", self.reason)
        checks.text("by", self.by)
        checks.window("starts_on", self.starts_on, "ends_on", self.ends_on)
        checks.raise_if_any()

    def applies_on(self, day: dt.date) -> bool:
        """Whether ``day`` is within the override."""
        return self.starts_on <= day <= self.ends_on


@attrs.frozen(kw_only=True)
class Membership:
    """A client's membership: the ledger, reservations, notices and override.

    Attributes:
        id: The membership's id.
        client: The member.
        programme: The programme.
        enrolled_on: The first day of membership (anchors rolling periods).
        entries: The ledger, in the order written (numbers 1, 2, ...).
        reservations: Points reserved on proposals.
        notices: Notifications already sent (upgrades, warnings).
        override: A tier set by the account manager, if any.
        version: Optimistic-locking version.

    Raises:
        ValidationError: naming every offending field; entries must be
            numbered 1, 2, ... with unique keys, and draws may only take
            what earlier lots have left.
    """

    id: MembershipId
    client: ClientId
    programme: ProgrammeId
    enrolled_on: dt.date
    entries: tuple[LedgerEntry, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    notices: tuple[TierNotice, ...] = ()
    override: TierOverride | None = None
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
        if self.override is not None:
            checks.instance("override", self.override, TierOverride)
        checks.version(self.version)
        checks.raise_if_any()
        keys: set[str] = set()
        lots: dict[int, Decimal] = {}
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
                lots[entry.number] = entry.points
        checks.raise_if_any()

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
        taken, drawn = _ZERO, _ZERO
        for entry in self._up_to(as_of):
            if entry.kind is EntryKind.PENDING:
                continue
            if not entry.is_lot and entry.points < 0:
                taken = EXACT.subtract(taken, entry.points)
            drawn = EXACT.add(drawn, entry.drawn)
        return EXACT.subtract(taken, drawn)

    def owed(self, as_of: dt.date | None = None) -> Decimal:
        """Points a reversal could not take yet, to claw back from earnings."""
        total = _ZERO
        for entry in self._up_to(as_of):
            if entry.kind is EntryKind.REVERSE:
                total = EXACT.add(total, entry.owed)
            elif entry.kind is EntryKind.CLAW_BACK:
                total = EXACT.add(total, entry.points)
        return total

    def carried(self) -> Decimal:
        """The fraction of a point earned (or reversed) but not yet posted:
        exact points less posted points, always in ``[0, one point)``."""
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
        """Qualifying spend dated in ``[start, end]`` (open start: since ever)."""
        total = Money.zero(currency)
        for entry in self.entries:
            if entry.spend is None or entry.on > end:
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

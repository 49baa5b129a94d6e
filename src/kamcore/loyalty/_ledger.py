"""The points ledger: append-only entries, and the lots and balances they imply.

Every movement of points is an entry; nothing is edited or deleted. Two effects
are kept apart on each entry:

* ``points``: the entry's effect on the balance (earn +, redeem/expire/reverse
  -, adjust either way; *pending* points count toward nothing);
* ``draws``: which earned lots it consumed, oldest first; ``returns``: which
  lots it gave points back to (a cancelled invoice's redemption).

A lot is an ``earn`` entry (or a positive adjustment): what it added, less every
draw on it, plus every return to it. The balance is the sum of the entries'
points; it equals what the lots hold, less any *unbacked* points (a reversal
under the ``allow_negative`` policy that took more than the lots held, settled
from later earnings).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from kamcore.kernel import EXACT, Checks, InvoiceId, Money, is_int

__all__ = ["EntryKind", "LedgerEntry", "Lot", "LotDraw", "SourceRef", "lots_of"]

_ZERO = Decimal(0)


class EntryKind(enum.Enum):
    """What a ledger entry records."""

    EARN = "earn"
    """Points earned on an invoice line: a new lot."""
    PENDING = "pending"
    """Points waiting for their invoice to be paid (or their withdrawal)."""
    REDEEM = "redeem"
    """Points spent on an invoice."""
    EXPIRE = "expire"
    """Points of a lot that reached its expiry date."""
    REVERSE = "reverse"
    """Points taken back by a credit note, from the lots they were earned in."""
    CLAW_BACK = "claw_back"
    """Points owed by an earlier reversal, taken from new earnings."""
    SETTLE = "settle"
    """Unbacked points (a negative balance) matched against a new lot."""
    ADJUST = "adjust"
    """A manual correction, with a reason; positive ones are lots."""
    RETURN = "return"
    """Points given back to the lot a redemption drew them from (its invoice
    was cancelled): the lot keeps its earn and expiry dates.

    .. versionadded:: Unreleased"""
    CORRECT = "correct"
    """A correction of an earlier entry (``corrects``), dated on that entry's
    date: what documents posted since changed in it (the tier of an earning's
    day, a fraction carried, an expiry). Positive ones on an earning are lots.

    .. versionadded:: Unreleased"""

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class SourceRef:
    """The document (and line) an entry comes from.

    Attributes:
        kind: ``"invoice"``, ``"credit_note"``, ``"proposal"``, ``"expiry"``,
            ``"adjustment"``...
        id: The document's id.
        line: The line's position in the document (0-based), if one.
    """

    kind: str
    id: str
    line: int | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("SourceRef")
        checks.text("kind", self.kind)
        checks.text("id", self.id)
        if self.line is not None and (not is_int(self.line) or self.line < 0):
            checks.fail("line", "expected an integer >= 0", self.line)
        checks.raise_if_any()

    def __str__(self) -> str:
        line = "" if self.line is None else f" line {self.line}"
        return f"{self.kind} {self.id}{line}"


@attrs.frozen(kw_only=True)
class LotDraw:
    """Points taken from one lot.

    Attributes:
        lot: The number of the entry that created the lot.
        points: How many (positive).
    """

    lot: int
    points: Decimal

    def __attrs_post_init__(self) -> None:
        checks = Checks("LotDraw")
        if not is_int(self.lot) or self.lot < 1:
            checks.fail("lot", "expected an entry number >= 1", self.lot)
        checks.decimal("points", self.points, strictly_positive=True)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class LedgerEntry:
    """One movement of points, never changed once written.

    Attributes:
        number: Its position in the ledger, 1, 2, ...
        key: The idempotency key: posting the same thing twice finds it.
        kind: What it records.
        points: Its effect on the balance (or on the pending total).
        on: The business date it takes effect.
        recorded_at: When it was written (timezone-aware).
        source: The document (and line) it comes from.
        draws: The lots it consumed.
        exact: The exact points before rounding to the programme's places
            (earn and reverse entries): the difference is carried, never lost.
        spend: The net invoiced amount it adds to (or, negative, takes from)
            the qualifying spend for tiers.
        expires_on: For a lot, the first day its points are no longer usable.
        owed: Points a reversal could not take and will claw back later.
        written_off: Points a reversal did not take back because they had
            expired: they left the balance when they expired, and taking them
            again would take them twice.
        note: Why, in words (required for adjustments).
        returns: The lots it gave points back to (never more than was drawn
            from each).
        base: For an invoice line's earning or pending points: its exact
            points before the tier multiplier, so that they can be corrected
            when the tier of their day changes.
        invoice: For a reversal (or a reduction of pending points): the
            invoice credited.
        corrects: For a correction: the number of the entry it corrects.

    .. versionchanged:: Unreleased
        ``returns``, ``base``, ``invoice`` and ``corrects`` added; ``owed`` and
        ``written_off`` may be negative on a correction (it takes back what
        the corrected reversal owed or wrote off).
    """

    number: int
    key: str
    kind: EntryKind
    points: Decimal
    on: dt.date
    recorded_at: dt.datetime
    source: SourceRef
    draws: tuple[LotDraw, ...] = ()
    exact: Decimal | None = None
    spend: Money | None = None
    expires_on: dt.date | None = None
    owed: Decimal = _ZERO
    written_off: Decimal = _ZERO
    note: str = ""
    returns: tuple[LotDraw, ...] = ()
    base: Decimal | None = None
    invoice: InvoiceId | None = None
    corrects: int | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("LedgerEntry")
        if not is_int(self.number) or self.number < 1:
            checks.fail("number", "expected an integer >= 1", self.number)
        checks.text("key", self.key)
        checks.instance("kind", self.kind, EntryKind)
        checks.decimal("points", self.points)
        checks.date("on", self.on)
        checks.instant("recorded_at", self.recorded_at)
        checks.instance("source", self.source, SourceRef)
        checks.each("draws", self.draws, LotDraw)
        checks.each("returns", self.returns, LotDraw)
        if self.exact is not None:
            checks.decimal("exact", self.exact)
        if self.spend is not None:
            checks.instance("spend", self.spend, Money)
        checks.optional_date("expires_on", self.expires_on)
        # A correction may take back what the reversal it corrects owed or
        # wrote off; anything else only adds to them.
        least = None if self.kind is EntryKind.CORRECT else _ZERO
        checks.decimal("owed", self.owed, minimum=least)
        checks.decimal("written_off", self.written_off, minimum=least)
        checks.instance("note", self.note, str)
        if self.base is not None:
            checks.decimal("base", self.base)
        checks.optional_text("invoice", self.invoice)
        if self.corrects is not None and (
            not is_int(self.corrects)
            or self.corrects < 1
            or self.corrects >= self.number
        ):
            checks.fail(
                "corrects", "expected the number of an earlier entry", self.corrects
            )
        checks.raise_if_any()

    @property
    def is_lot(self) -> bool:
        """Whether the entry created a lot: an earning, a positive adjustment,
        or a positive correction of an invoice's earnings (its source is the
        invoice) that gives no points back to other lots."""
        if self.points <= 0:
            return False
        if self.kind is EntryKind.CORRECT:
            return not self.returns and self.source.kind == "invoice"
        return self.kind in (EntryKind.EARN, EntryKind.ADJUST)

    @property
    def drawn(self) -> Decimal:
        """The points it took from lots."""
        return _sum(draw.points for draw in self.draws)

    @property
    def returned(self) -> Decimal:
        """The points it gave back to lots."""
        return _sum(back.points for back in self.returns)


def _sum(values: Iterable[Decimal]) -> Decimal:
    total = _ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


@attrs.frozen
class Lot:
    """Points earned together, and what is left of them.

    Attributes:
        number: The entry that created it.
        earned_on: When.
        expires_on: The first day they are no longer usable (``None``: never).
        points: What it added.
        remaining: What is left after every draw.
        source: Where they came from.
    """

    number: int
    earned_on: dt.date
    expires_on: dt.date | None
    points: Decimal
    remaining: Decimal
    source: SourceRef

    def usable_on(self, day: dt.date) -> bool:
        """Whether it still has points that have not expired on ``day``."""
        return self.remaining > 0 and (self.expires_on is None or day < self.expires_on)


def lots_of(
    entries: Iterable[LedgerEntry], *, up_to: dt.date | None = None
) -> list[Lot]:
    """Every lot, oldest first (earn date, then entry number), with what remains.

    Only entries dated on or before ``up_to`` count when it is given.
    """
    chosen = [e for e in entries if up_to is None or e.on <= up_to]
    drawn: dict[int, Decimal] = {}
    for entry in chosen:
        for draw in entry.draws:
            drawn[draw.lot] = EXACT.add(drawn.get(draw.lot, _ZERO), draw.points)
        for back in entry.returns:
            drawn[back.lot] = EXACT.subtract(drawn.get(back.lot, _ZERO), back.points)
    lots = [
        Lot(
            number=entry.number,
            earned_on=entry.on,
            expires_on=entry.expires_on,
            points=entry.points,
            remaining=EXACT.subtract(entry.points, drawn.get(entry.number, _ZERO)),
            source=entry.source,
        )
        for entry in chosen
        if entry.is_lot
    ]
    return sorted(lots, key=lambda lot: (lot.earned_on, lot.number))


def draw_oldest_first(
    lots: Sequence[Lot], points: Decimal, *, on: dt.date
) -> tuple[tuple[LotDraw, ...], Decimal]:
    """Take ``points`` from the usable lots, oldest first.

    Returns the draws and what could not be taken (zero when the lots held
    enough).
    """
    draws: list[LotDraw] = []
    wanted = points
    for lot in lots:
        if wanted <= 0:
            break
        if not lot.usable_on(on):
            continue
        taken = min(lot.remaining, wanted)
        draws.append(LotDraw(lot=lot.number, points=taken))
        wanted = EXACT.subtract(wanted, taken)
    return tuple(draws), wanted

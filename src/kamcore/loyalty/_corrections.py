"""Corrections: bringing a ledger to what its documents mean, whatever the
order they were posted in (SPEC §5: the ledger is confluent).

:func:`reconcile` compares every earning, reversal and pending entry with what
it should hold (:mod:`kamcore.loyalty._chain`) and writes the difference as
new ``correct`` entries (``pending`` ones for pending points), each dated on
the entry it corrects and referring to it (``corrects``): nothing is edited.
Its key is the corrected entry's key and a number (``correct:<key>:1``, ``2``
...), so a ledger that is already right gets nothing, and posting the same
documents again writes nothing.

* An earning that should hold more gets a lot of the difference, on its date,
  expiring with it.
* An earning that should hold less gives the difference back from its
  invoice's lots. If they are not free to give it on its date, the expiries
  and redemptions that drew on them since are put right first
  (:mod:`kamcore.loyalty._room`); what is still missing was spent, and the
  programme's reversal policy decides, as for a credit note (``refuse``
  raises, ``claw_back`` owes it, ``allow_negative`` takes it from other lots
  or below zero).
* A reversal that should take more takes it like a credit note; one that
  should take less gives back first what it still owed, then what it wrote
  off, then points to the lots it drew on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kamcore.errors import PolicyViolationError
from kamcore.kernel import EXACT
from kamcore.loyalty._chain import PendingTarget, Target, pending_targets, targets
from kamcore.loyalty._ledger import EntryKind, LedgerEntry, Lot, LotDraw
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme, ReversalPolicy
from kamcore.loyalty._reversal import take_back
from kamcore.loyalty._room import draw_free, make_room
from kamcore.loyalty._writer import Writer, expiry_of, own_lots

__all__ = ["reconcile"]

_ZERO = Decimal(0)


def reconcile(
    membership: Membership, programme: Programme, *, at: dt.datetime
) -> Membership:
    """Write the corrections that bring every earning, reversal and pending
    entry to what the documents posted so far mean (see the module).

    Returns the same membership when nothing needs correcting.

    Raises:
        PolicyViolationError: under the ``refuse`` policy, an earning must
            give back points already spent.
    """
    plan = [
        t
        for t in targets(membership, programme)
        if t.exact != t.unit.exact or t.posted != t.unit.posted
    ]
    pending = [t for t in pending_targets(membership, programme) if t.points != t.held]
    if not plan and not pending:
        return membership
    writer = Writer(membership, programme, at)
    # What gives points back first: the lots then hold what the takes need.
    for target in plan:
        if target.posted >= target.unit.posted:
            _give(writer, target)
    for target in plan:
        if target.posted < target.unit.posted:
            _take(writer, programme, target)
    for each in pending:
        _correct_pending(writer, each)
    return writer.done()


def _key(membership: Membership, entry: LedgerEntry) -> str:
    count = sum(1 for e in membership.entries if e.corrects == entry.number)
    return f"correct:{entry.key}:{count + 1}"


def _note(target: Target) -> str:
    return (
        f"now {target.posted} points ({target.exact} exactly): documents "
        "posted since changed its tier or the fraction carried into it"
    )


def _sum(values: list[Decimal]) -> Decimal:
    total = _ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


def _give(writer: Writer, target: Target) -> None:
    """More for an earning (a lot), or less taken by a reversal."""
    unit, current = target.unit, writer.current()
    more = EXACT.subtract(target.posted, unit.posted)
    entries = (unit.entry, *unit.corrections)
    owed_back = written_back = unbacked_back = _ZERO
    returns: list[LotDraw] = []
    if not unit.is_earning:
        # Less taken: first what it still owed, then what it wrote off, then
        # what it took below zero, then points back to the lots it drew on.
        owed = _sum([e.owed for e in entries])
        owed_back = max(min(more, owed, current.owed()), _ZERO)
        written_off = _sum([e.written_off for e in entries])
        written_back = max(min(more - owed_back, written_off), _ZERO)
        below = _sum([-e.points - e.drawn + e.returned for e in entries])
        unbacked_back = max(
            min(more - owed_back - written_back, below, current.unbacked()), _ZERO
        )
        returns = _given_back(entries, more - owed_back - written_back - unbacked_back)
    returned = _sum([r.points for r in returns])
    rest = EXACT.subtract(
        EXACT.subtract(more, owed_back + written_back + unbacked_back), returned
    )
    first = writer.add(
        key=_key(current, unit.entry),
        kind=EntryKind.CORRECT,
        points=rest if unit.is_earning else returned + unbacked_back,
        on=unit.entry.on,
        source=unit.entry.source,
        returns=tuple(returns),
        exact=EXACT.subtract(target.exact, unit.exact),
        owed=owed_back.copy_negate(),
        written_off=written_back.copy_negate(),
        expires_on=unit.entry.expires_on,
        invoice=None if unit.is_earning else unit.invoice,
        corrects=unit.entry.number,
        note=_note(target),
    )
    if not unit.is_earning and rest > 0:
        # Given back beyond what it drew (its debt was already clawed back):
        # a lot of the invoice's own, expiring like its earnings.
        lots = [
            e for e in current.entries if e.number in own_lots(current, unit.invoice)
        ]
        writer.add(
            key=_key(writer.current(), unit.entry),
            kind=EntryKind.CORRECT,
            points=rest,
            on=first.on,
            source=lots[0].source if lots else unit.entry.source,
            exact=_ZERO,
            expires_on=lots[0].expires_on
            if lots
            else expiry_of(writer.programme, first.on),
            corrects=unit.entry.number,
            note="points clawed back for a credit note that takes less",
        )


def _given_back(entries: tuple[LedgerEntry, ...], wanted: Decimal) -> list[LotDraw]:
    """Returns to the lots the entries drew on, the latest draws first."""
    net: dict[int, Decimal] = {}
    for entry in entries:
        for draw in entry.draws:
            net[draw.lot] = EXACT.add(net.get(draw.lot, _ZERO), draw.points)
        for back in entry.returns:
            net[back.lot] = EXACT.subtract(net.get(back.lot, _ZERO), back.points)
    found: list[LotDraw] = []
    for lot, points in reversed(net.items()):
        if wanted <= 0:
            break
        taken = min(points, wanted)
        if taken > 0:
            found.append(LotDraw(lot=lot, points=taken))
            wanted = EXACT.subtract(wanted, taken)
    return found


def _take(writer: Writer, programme: Programme, target: Target) -> None:
    """Less for an earning, or more taken by a reversal."""
    unit, current = target.unit, writer.current()
    less = EXACT.subtract(unit.posted, target.posted)
    if not unit.is_earning:
        reversals = [
            e
            for e in current.entries
            if e.kind in (EntryKind.REVERSE, EntryKind.CORRECT)
            and e.invoice == unit.invoice
        ]
        taking = take_back(
            writer,
            unit.invoice,
            less,
            on=unit.entry.on,
            subject=f"a correction of {unit.entry.key}",
            written_off_before=_sum([e.written_off for e in reversals]),
        )
        writer.add(
            key=_key(writer.current(), unit.entry),
            kind=EntryKind.CORRECT,
            points=taking.taken.copy_negate(),
            on=unit.entry.on,
            source=unit.entry.source,
            draws=taking.draws,
            exact=EXACT.subtract(target.exact, unit.exact),
            owed=taking.owed,
            written_off=taking.written_off,
            invoice=unit.invoice,
            corrects=unit.entry.number,
            note=_note(target),
        )
        return
    on = unit.entry.on
    numbers = own_lots(current, unit.invoice)

    def own(membership: Membership) -> list[Lot]:
        return [lot for lot in membership.lots() if lot.number in numbers]

    draws, left = draw_free(current, own(current), less, on=on)
    if left > 0:
        make_room(writer, sorted(numbers), less, on=on)
        current = writer.current()
        draws, left = draw_free(current, own(current), less, on=on)
    owed = _ZERO
    if left > 0:
        policy = programme.reversal
        if policy is ReversalPolicy.REFUSE:
            raise PolicyViolationError(
                "loyalty correction",
                f"{unit.entry.key} must give back {less} points, but {left} of "
                "them were already spent",
                left,
            )
        if policy is ReversalPolicy.CLAW_BACK:
            owed = left
        else:
            others = [lot for lot in current.lots() if lot.number not in numbers]
            more, _ = draw_free(current, others, left, on=on)
            draws = (*draws, *more)
    writer.add(
        key=_key(current, unit.entry),
        kind=EntryKind.CORRECT,
        points=EXACT.subtract(owed, less),
        on=on,
        source=unit.entry.source,
        draws=draws,
        exact=EXACT.subtract(target.exact, unit.exact),
        owed=owed,
        corrects=unit.entry.number,
        note=_note(target),
    )


def _correct_pending(writer: Writer, target: PendingTarget) -> None:
    entry = target.entry
    writer.add(
        key=_key(writer.current(), entry),
        kind=EntryKind.PENDING,
        points=EXACT.subtract(target.points, target.held),
        on=entry.on,
        source=entry.source,
        corrects=entry.number,
        note=f"now {target.points} pending points: the tier of its day changed",
    )

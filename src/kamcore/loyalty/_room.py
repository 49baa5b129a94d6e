"""Taking points from lots on a past date, without making any later day wrong.

A posting dated before others (a back-dated credit note, a correction) may
only take from a lot what the lot holds on *every* day from then on: what it
is *free* to give on that date. When that is less than needed because the lot
was later drawn on, the later draws are put right first:

* an **expiry** took the points the lot held when it expired; if it is to give
  some away before, the expiry took too many: a correction, on the expiry's
  date, gives them back to it;
* a **redemption** (or a negative adjustment) drew on the oldest lots usable
  on its date; if this lot is to hold fewer, it draws on the member's other
  lots free on that date instead (a correction on the redemption's date).

Anything else that drew on the lot (a claw-back, a reversal of another
invoice) is not moved: those points were spent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from kamcore.kernel import EXACT
from kamcore.loyalty._ledger import EntryKind, LedgerEntry, Lot, LotDraw
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._writer import Writer, own_lots

__all__ = ["draw_free", "free_on", "make_room", "net_draws"]

_ZERO = Decimal(0)


def _moves(membership: Membership) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """What changes each lot, and when: its points, then draws and returns."""
    moves: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for entry in membership.entries:
        if entry.is_lot:
            moves[entry.number].append((entry.on, entry.points))
        for draw in entry.draws:
            moves[draw.lot].append((entry.on, draw.points.copy_negate()))
        for back in entry.returns:
            moves[back.lot].append((entry.on, back.points))
    return moves


def _free(moves: list[tuple[dt.date, Decimal]], on: dt.date) -> Decimal:
    """The least a lot holds at the end of any day from ``on`` on."""
    by_day: dict[dt.date, Decimal] = defaultdict(lambda: _ZERO)
    for day, change in moves:
        by_day[day] = EXACT.add(by_day[day], change)
    held, least = _ZERO, None
    for day in sorted(by_day):
        held = EXACT.add(held, by_day[day])
        if day >= on:
            least = held if least is None else min(least, held)
    if least is None:  # nothing moved from ``on`` on
        least = held
    return max(least, _ZERO)


def free_on(membership: Membership, lot: int, on: dt.date) -> Decimal:
    """What ``lot`` may give on ``on`` and still hold every later day."""
    return _free(_moves(membership).get(lot, []), on)


def draw_free(
    membership: Membership, lots: Iterable[Lot], wanted: Decimal, *, on: dt.date
) -> tuple[tuple[LotDraw, ...], Decimal]:
    """Take ``wanted`` points from ``lots`` (oldest first, usable on ``on``),
    each at most what it is free to give on ``on``; returns the draws and
    what could not be taken."""
    moves = _moves(membership)
    draws: list[LotDraw] = []
    for lot in sorted(lots, key=lambda lot: (lot.earned_on, lot.number)):
        if wanted <= 0:
            break
        if lot.earned_on > on or (lot.expires_on is not None and on >= lot.expires_on):
            continue
        taken = min(_free(moves.get(lot.number, []), on), wanted)
        if taken > 0:
            draws.append(LotDraw(lot=lot.number, points=taken))
            wanted = EXACT.subtract(wanted, taken)
    return tuple(draws), wanted


def net_draws(membership: Membership, entry: LedgerEntry) -> dict[int, Decimal]:
    """What an entry, with its corrections, still holds drawn from each lot."""
    net: dict[int, Decimal] = defaultdict(lambda: _ZERO)
    for each in (entry, *(e for e in membership.entries if e.corrects == entry.number)):
        for draw in each.draws:
            net[draw.lot] = EXACT.add(net[draw.lot], draw.points)
        for back in each.returns:
            net[back.lot] = EXACT.subtract(net[back.lot], back.points)
    return net


def _key(membership: Membership, entry: LedgerEntry) -> str:
    count = sum(1 for e in membership.entries if e.corrects == entry.number)
    return f"correct:{entry.key}:{count + 1}"


def _consumers(membership: Membership, lot: int, on: dt.date) -> list[LedgerEntry]:
    """The expiries and redemptions dated after ``on`` that still hold points
    drawn from ``lot``, the latest first."""
    found = [
        entry
        for entry in membership.entries
        if entry.on > on
        and entry.corrects is None
        and (
            entry.kind is EntryKind.EXPIRE
            or (entry.kind in (EntryKind.REDEEM, EntryKind.ADJUST) and entry.points < 0)
        )
        and net_draws(membership, entry).get(lot, _ZERO) > 0
    ]
    return sorted(found, key=lambda entry: (entry.on, entry.number), reverse=True)


def make_room(
    writer: Writer, lots: Iterable[int], wanted: Decimal, *, on: dt.date
) -> None:
    """Put right the later draws on ``lots`` so that, together, they are
    free to give ``wanted`` points on ``on`` (as far as expiries and
    redemptions allow: see the module). Redemptions moved off them draw on
    other lots than ``lots``."""
    numbers = list(lots)
    for number in numbers:
        while True:
            current = writer.current()
            free = _ZERO
            for each in numbers:
                free = EXACT.add(free, free_on(current, each, on))
            short = EXACT.subtract(wanted, free)
            if short <= 0:
                return
            if not _give_back_one(writer, current, number, short, on=on, keep=numbers):
                break


def _give_back_one(
    writer: Writer,
    current: Membership,
    lot: int,
    short: Decimal,
    *,
    on: dt.date,
    keep: list[int],
) -> bool:
    """Have the latest expiry or redemption after ``on`` that drew on ``lot``
    give some back; whether one could."""
    for entry in _consumers(current, lot, on):
        drawn = net_draws(current, entry)[lot]
        points = min(drawn, short)
        if entry.kind is EntryKind.EXPIRE:
            writer.add(
                key=_key(current, entry),
                kind=EntryKind.CORRECT,
                points=points,
                on=entry.on,
                source=entry.source,
                returns=(LotDraw(lot=lot, points=points),),
                corrects=entry.number,
                note=f"lot {lot} held fewer points when it expired",
            )
            return True
        # Never onto the lots of the invoice it paid: an invoice's points
        # cannot pay for the invoice itself.
        paid = (
            own_lots(current, entry.source.id)
            if entry.source.kind == "invoice"
            else set()
        )
        others = [
            x for x in current.lots() if x.number not in keep and x.number not in paid
        ]
        moved, left = draw_free(current, others, points, on=entry.on)
        points = EXACT.subtract(points, left)
        if points <= 0:
            continue
        writer.add(
            key=_key(current, entry),
            kind=EntryKind.CORRECT,
            points=_ZERO,
            on=entry.on,
            source=entry.source,
            returns=(LotDraw(lot=lot, points=points),),
            draws=moved,
            corrects=entry.number,
            note=f"drawn on other lots: lot {lot} holds fewer points",
        )
        return True
    return False

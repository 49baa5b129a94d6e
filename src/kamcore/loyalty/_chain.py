"""What every earning and reversal of a ledger should hold, whatever the order
its documents were posted in.

A *unit* is an invoice line's earning or a credit note's reversal: its
original entry and the corrections written to it since. Units are read in their
**canonical order** -- by date, earnings before reversals on a day, then by
invoice, line and key -- never in the order they were posted. Along that order:

* an earning's exact points are its base points (before the tier multiplier)
  times the multiplier of the tier the member began its day in
  (:func:`~kamcore.loyalty._tier_engine.start_of_day_tiers`);
* a reversal's exact points are its credit note's share of its invoice's
  exact points, on the running total credited (the invoice's credit notes in
  canonical order), to a millionth of a point;
* posted points are the exact points plus the fraction carried by the units
  before, rounded *down* to the programme's point places; a reversal never
  takes back more than its invoice's lots got, and an earning never posts
  below zero (what they could not post is carried, so the carried fraction
  lies in ``[-1, 1)`` point places: a negative one is paid by the fractions
  of the next earnings).

Pending points (under ``earn on payment``) are not carried: each line's are
its base times the tier multiplier of its issue day, rounded down; a credit
note reduces them by its running share, rounded down; clearing them takes them
all. Entries written before the ledger kept base points and invoices are
*fixed*: they keep what they hold, and their fractions carry along.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import attrs

from kamcore.kernel import EXACT, ROUNDING, Money
from kamcore.loyalty._ledger import EntryKind, LedgerEntry
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme
from kamcore.loyalty._tier_engine import start_of_day_tiers

__all__ = [
    "Order",
    "PendingTarget",
    "Target",
    "Unit",
    "carry_before",
    "earning_order",
    "invoice_posted",
    "pending_targets",
    "posted_of",
    "reversal_order",
    "targets",
    "units_of",
]

_ZERO = Decimal(0)
_MILLIONTH = Decimal("0.000001")

Order = tuple[dt.date, int, str, int, str]
"""A unit's place in the canonical order."""


def _sum(values: Iterable[Decimal]) -> Decimal:
    total = _ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


def posted_of(entry: LedgerEntry) -> Decimal:
    """What an entry posted of its exact points: its points, plus what it
    owes and wrote off (both were accounted for, not carried)."""
    return EXACT.subtract(EXACT.subtract(entry.points, entry.owed), entry.written_off)


def earning_order(on: dt.date, invoice: str, line: int, key: str) -> Order:
    """The canonical place of an earning."""
    return (on, 0, invoice, line, key)


def reversal_order(on: dt.date, invoice: str, key: str) -> Order:
    """The canonical place of a reversal."""
    return (on, 1, invoice, -1, key)


@attrs.frozen
class Unit:
    """An earning or a reversal: its original entry and its corrections."""

    entry: LedgerEntry
    corrections: tuple[LedgerEntry, ...] = ()

    @property
    def is_earning(self) -> bool:
        return self.entry.kind is EntryKind.EARN

    @property
    def invoice(self) -> str:
        """The invoice it belongs to (a legacy reversal: its credit note)."""
        if self.is_earning or self.entry.invoice is None:
            return self.entry.source.id
        return self.entry.invoice

    @property
    def fixed(self) -> bool:
        """Written before the ledger kept what a correction needs."""
        if self.is_earning:
            return self.entry.base is None
        return self.entry.invoice is None

    @property
    def order(self) -> Order:
        entry = self.entry
        if self.is_earning:
            line = -1 if entry.source.line is None else entry.source.line
            return earning_order(entry.on, self.invoice, line, entry.key)
        return reversal_order(entry.on, self.invoice, entry.key)

    @property
    def exact(self) -> Decimal:
        return _sum(e.exact or _ZERO for e in (self.entry, *self.corrections))

    @property
    def posted(self) -> Decimal:
        return _sum(posted_of(e) for e in (self.entry, *self.corrections))


def units_of(membership: Membership) -> list[Unit]:
    """Every earning and reversal with its corrections, in canonical order."""
    originals: dict[int, LedgerEntry] = {}
    corrections: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in membership.entries:
        if entry.kind in (EntryKind.EARN, EntryKind.REVERSE):
            originals[entry.number] = entry
        elif entry.kind is EntryKind.CORRECT and entry.corrects in originals:
            corrections[entry.corrects].append(entry)
    units = [
        Unit(entry, tuple(corrections.get(number, ())))
        for number, entry in originals.items()
    ]
    return sorted(units, key=lambda unit: unit.order)


def carry_before(membership: Membership, order: Order) -> Decimal:
    """The fraction carried into the unit placed at ``order``: what the units
    before it earned exactly but did not post."""
    return _sum(
        EXACT.subtract(unit.exact, unit.posted)
        for unit in units_of(membership)
        if unit.order < order
    )


def invoice_posted(membership: Membership, invoice: str, *, before: Order) -> Decimal:
    """What an invoice's lots got, less what its reversals placed before
    ``before`` took back (owed and written off included): the most a reversal
    placed there may take."""
    return _sum(
        unit.posted
        for unit in units_of(membership)
        if unit.invoice == invoice and unit.order < before
    )


@attrs.frozen
class Target:
    """What a unit should hold: its exact and its posted points."""

    unit: Unit
    exact: Decimal
    posted: Decimal


def _floor(value: Decimal, programme: Programme) -> Decimal:
    return value.quantize(programme.point_quantum, ROUND_FLOOR, ROUNDING)


def _running_shares(
    whole: Decimal,
    amounts: list[Money],
    total: Money,
    rounded: Callable[[Decimal], Decimal],
) -> list[Decimal]:
    """What each credit takes of ``whole``: the running share of the amounts
    so far (all of it once ``total`` is credited), rounded by ``rounded``,
    less what the amounts before took."""
    running = Money.zero(total.currency)
    before = _ZERO
    taken = []
    for amount in amounts:
        running = running + amount
        if running >= total:
            share = whole
        else:
            share = rounded(
                ROUNDING.divide(EXACT.multiply(whole, running.amount), total.amount)
            )
        taken.append(EXACT.subtract(share, before))
        before = share
    return taken


def _to_millionth(value: Decimal) -> Decimal:
    return value.quantize(_MILLIONTH, ROUND_HALF_UP, ROUNDING)


def _multipliers(
    membership: Membership, programme: Programme, days: Iterable[dt.date]
) -> dict[dt.date, Decimal]:
    tiers = start_of_day_tiers(membership, programme, days)
    return {day: tier.benefits.earn_multiplier.value for day, tier in tiers.items()}


def _spend(entries: Iterable[LedgerEntry]) -> list[Money] | None:
    """The money of each entry, or ``None`` if one does not record it."""
    found = [entry.spend for entry in entries]
    return None if any(m is None for m in found) else [m for m in found if m]


def _exact_points(
    units: list[Unit], programme: Programme, membership: Membership
) -> dict[int, Decimal]:
    """Each unit's exact points, by its entry's number: earnings at the tier
    multiplier of their day, reversals at their running share."""
    rates = _multipliers(
        membership,
        programme,
        (u.entry.on for u in units if u.is_earning and not u.fixed),
    )
    exact: dict[int, Decimal] = {}
    earned: dict[str, list[Unit]] = defaultdict(list)
    credited: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        base = unit.entry.base
        if unit.is_earning and base is not None:
            exact[unit.entry.number] = EXACT.multiply(base, rates[unit.entry.on])
        else:
            exact[unit.entry.number] = unit.exact
        (earned if unit.is_earning else credited)[unit.invoice].append(unit)
    for invoice, reversals in credited.items():
        lines = earned.get(invoice, [])
        money = _spend(u.entry for u in lines)
        amounts = _spend(r.entry for r in reversals)
        if not lines or money is None or amounts is None:
            continue
        if any(r.fixed for r in reversals):
            continue
        whole = _sum(exact[u.entry.number] for u in lines)
        total = Money.sum(money, programme.currency)
        shares = _running_shares(whole, [-m for m in amounts], total, _to_millionth)
        for reversal, share in zip(reversals, shares, strict=True):
            exact[reversal.entry.number] = share.copy_negate()
    return exact


def targets(membership: Membership, programme: Programme) -> list[Target]:
    """What every earning and reversal should hold, in canonical order."""
    units = units_of(membership)
    exact = _exact_points(units, programme, membership)
    found: list[Target] = []
    carry = _ZERO
    held: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    for unit in units:
        if unit.fixed:
            points, posted = unit.exact, unit.posted
        else:
            points = exact[unit.entry.number]
            posted = _floor(EXACT.add(carry, points), programme)
            # An earning never posts below zero, a reversal never takes
            # more than its invoice's lots got: the rest is carried.
            if unit.is_earning:
                posted = max(posted, _ZERO)
            else:
                posted = min(max(posted, held[unit.invoice].copy_negate()), _ZERO)
        carry = EXACT.subtract(EXACT.add(carry, points), posted)
        held[unit.invoice] = EXACT.add(held[unit.invoice], posted)
        found.append(Target(unit, points, posted))
    return found


@attrs.frozen
class PendingTarget:
    """What a pending entry (with its corrections) should hold."""

    entry: LedgerEntry
    corrections: tuple[LedgerEntry, ...]
    points: Decimal

    @property
    def held(self) -> Decimal:
        return _sum(e.points for e in (self.entry, *self.corrections))


def _pending_entries(
    membership: Membership,
) -> dict[str, tuple[LedgerEntry, tuple[LedgerEntry, ...]]]:
    """Every pending entry by key, with its corrections."""
    originals: dict[str, LedgerEntry] = {}
    keys: dict[int, str] = {}
    corrections: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in membership.entries:
        if entry.kind is not EntryKind.PENDING:
            continue
        if entry.corrects is None:
            originals[entry.key] = entry
            keys[entry.number] = entry.key
        elif entry.corrects in keys:
            corrections[keys[entry.corrects]].append(entry)
    return {k: (e, tuple(corrections[k])) for k, e in originals.items()}


def pending_targets(
    membership: Membership, programme: Programme
) -> list[PendingTarget]:
    """What every pending line, pending reduction and clearing should hold."""
    entries = _pending_entries(membership)
    found = {
        key: PendingTarget(entry, more, _sum(e.points for e in (entry, *more)))
        for key, (entry, more) in entries.items()
    }
    lines = [
        t.entry
        for t in found.values()
        if t.entry.key.startswith("pending:invoice:") and t.entry.base is not None
    ]
    rates = _multipliers(membership, programme, (e.on for e in lines))
    by_invoice: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in lines:
        points = _floor(EXACT.multiply(entry.base or _ZERO, rates[entry.on]), programme)
        found[entry.key] = attrs.evolve(found[entry.key], points=points)
        by_invoice[entry.source.id].append(entry)
    reductions: dict[str, list[LedgerEntry]] = defaultdict(list)
    for target in found.values():
        entry = target.entry
        if entry.key.startswith("pending:credit_note:") and entry.invoice:
            reductions[entry.invoice].append(entry)
    for invoice, notes in reductions.items():
        own = [e for e in by_invoice.get(invoice, []) if e.key in found]
        money, amounts = _spend(own), _spend(notes)
        if not own or money is None or amounts is None:
            continue
        every = [
            e
            for key, (e, _) in entries.items()
            if key.startswith(f"pending:invoice:{invoice}:")
        ]
        if len(every) != len(own):  # a line written before base points were kept
            continue
        ordered = sorted(notes, key=lambda e: (e.on, e.key))
        shares = _running_shares(
            _sum(found[e.key].points for e in own),
            [-m for m in _spend(ordered) or []],
            Money.sum(money, programme.currency),
            lambda value: _floor(value, programme),
        )
        for note, share in zip(ordered, shares, strict=True):
            found[note.key] = attrs.evolve(found[note.key], points=share.copy_negate())
    for key, target in list(found.items()):
        cleared = key.removeprefix("cleared:")
        if cleared != key and cleared in found:
            points = found[cleared].points.copy_negate()
            found[key] = attrs.evolve(target, points=points)
    return list(found.values())

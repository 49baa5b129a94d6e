"""Random loyalty histories, posted through the real posting functions.

A history is a list of small :class:`Step` values -- an invoice issued, paid,
credited or cancelled, points redeemed or adjusted, an expiry run, a notices
run, a tier override set or ended by the account manager -- that :func:`post`
applies in date order to a membership, the way an
application would: the earn multiplier of the tier in effect, credit notes
reversed once the points are confirmed, a cancellation taken back like a
credit note of the whole invoice. A posting the programme refuses (a
redemption beyond the balance, a credit note on spent points under the
``refuse`` policy) is left out, as an application would leave it out.

Steps are drawn from small integers, so that Hypothesis shrinks a failing
history to a few documents.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from kamcore.accounts import CreditNote, Invoice, InvoiceStatus, LineItem, Payment
from kamcore.errors import PolicyViolationError
from kamcore.kernel import (
    EXACT,
    CategoryId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    Money,
    PaymentId,
    ProductId,
    Rate,
)
from kamcore.loyalty import (
    Membership,
    Programme,
    SourceRef,
    TierOverride,
    adjust_points,
    confirm_invoice,
    earn_invoice,
    expire_points,
    expiry_events,
    redeem_points,
    reverse_credit_note,
    tier_events,
    tier_on,
)

__all__ = ["CATEGORIES", "LoyaltyHistory", "Step", "StepKind", "post", "steps"]

CATEGORIES: Mapping[ProductId, CategoryId] = {
    ProductId("pump"): CategoryId("pumps"),
    ProductId("seal"): CategoryId("seals"),
    ProductId("valve"): CategoryId("valves"),
}
"""The products invoiced in histories and their categories (``bolt`` has none)."""

_PRODUCTS = (*CATEGORIES, ProductId("bolt"))
_AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
_ZERO = Decimal(0)


class StepKind(enum.Enum):
    """One thing that happens to a membership."""

    INVOICE = "invoice"
    PAY = "pay"
    CREDIT = "credit"
    CANCEL = "cancel"
    REDEEM = "redeem"
    ADJUST = "adjust"
    EXPIRE = "expire"
    NOTIFY = "notify"
    OVERRIDE = "override"


@attrs.frozen
class Step:
    """A step of a history, ``days`` after the previous one.

    ``target`` picks an earlier invoice (modulo their number); ``amounts``
    are invoice lines in minor units, or one share in percent (payments,
    credit notes), or for points (redemptions, adjustments) one number: a
    share of the available points when it takes points (a redemption, a
    negative adjustment: 1 to 120 percent, the size modulo 120, plus one;
    above 100 asks for too many), else a number of point quanta. A tier
    override, set on the step's day, picks its tier with ``target`` (modulo
    the number of tiers plus one: the last means "back to the earned tier")
    and takes from ``amounts`` the days until it starts and the days it lasts
    after its first.
    """

    kind: StepKind
    days: int
    target: int = 0
    amounts: tuple[int, ...] = ()


_INVOICE_STEP = st.builds(
    Step,
    st.just(StepKind.INVOICE),
    st.integers(0, 60),
    st.integers(0, 3),
    st.lists(st.integers(0, 300_000), min_size=1, max_size=3).map(tuple),
)
_MONEY_STEP = st.builds(
    Step,
    st.sampled_from([StepKind.PAY, StepKind.CREDIT]),
    st.integers(0, 60),
    st.integers(0, 7),
    st.tuples(st.integers(1, 100)),
)
_POINTS_STEP = st.builds(
    Step,
    st.sampled_from([StepKind.REDEEM, StepKind.ADJUST]),
    st.integers(0, 60),
    st.just(0),
    st.tuples(st.integers(-120, 3000)),
)
_OTHER_STEP = st.builds(
    Step,
    st.sampled_from([StepKind.EXPIRE, StepKind.NOTIFY, StepKind.CANCEL]),
    st.integers(0, 400),
    st.integers(0, 7),
)
_OVERRIDE_STEP = st.builds(
    Step,
    st.just(StepKind.OVERRIDE),
    st.integers(0, 60),
    st.integers(0, 4),
    st.tuples(st.integers(0, 90), st.integers(0, 400)),
)
# Invoices (the first branch, where shrinking goes) and what follows them
# come up more often than the rest.
_STEP = st.one_of(
    _INVOICE_STEP,
    _INVOICE_STEP,
    _MONEY_STEP,
    _MONEY_STEP,
    _POINTS_STEP,
    _POINTS_STEP,
    _OTHER_STEP,
    _OVERRIDE_STEP,
)


def steps(max_size: int = 12) -> st.SearchStrategy[list[Step]]:
    """Histories of 1 to ``max_size`` steps, the first an invoice."""
    return _steps(max_size)


@functools.lru_cache(maxsize=64)
def _steps(max_size: int) -> st.SearchStrategy[list[Step]]:
    return st.tuples(_INVOICE_STEP, st.lists(_STEP, max_size=max_size - 1)).map(_joined)


def _joined(first_and_rest: tuple[Step, list[Step]]) -> list[Step]:
    return [first_and_rest[0], *first_and_rest[1]]


@attrs.frozen
class LoyaltyHistory:
    """A programme, a membership and the documents posted to it, as they stand.

    Attributes:
        programme: The programme.
        membership: The membership after every posting.
        invoices: Every invoice, in its latest state, by issue order.
        redemptions: ``(points, date, source)`` of every redemption made.
        adjustments: ``(points, date, reference)`` of every adjustment made.
        expiry_runs: The dates expiry ran as of.
        refused: How many postings the programme refused (left out).
    """

    programme: Programme
    membership: Membership
    invoices: tuple[Invoice, ...] = ()
    redemptions: tuple[tuple[Decimal, dt.date, SourceRef], ...] = ()
    adjustments: tuple[tuple[Decimal, dt.date, str], ...] = ()
    expiry_runs: tuple[dt.date, ...] = ()
    refused: int = 0


def _multiplier(membership: Membership, programme: Programme, day: dt.date) -> Rate:
    """The earn multiplier of the tier in effect on ``day``."""
    rates = {tier.benefits.earn_multiplier for tier in programme.tiers}
    if len(rates) == 1:  # the same in every tier: no need to ask which
        return rates.pop()
    return tier_on(membership, programme, day).tier.benefits.earn_multiplier


def _invoice(history: LoyaltyHistory, step: Step, day: dt.date, number: int) -> Invoice:
    code = history.programme.currency
    lines = tuple(
        LineItem(
            product=_PRODUCTS[(number + index) % len(_PRODUCTS)],
            quantity=Decimal(1),
            unit_price=Money.from_minor_units(amount, code),
        )
        for index, amount in enumerate(step.amounts)
    )
    return Invoice(
        id=InvoiceId(f"i-{number}"),
        client=history.membership.client,
        issue_date=day,
        due_date=day + dt.timedelta(days=30),
        currency=code,
        lines=lines,
    )


def _share(amount: Money, percent: int) -> Money:
    """``percent`` of ``amount``, at least one minor unit, at most all of it."""
    units = amount.to_minor_units()
    part = max(1, units * percent // 100)
    return Money.from_minor_units(min(part, units), amount.currency)


def _replace(history: LoyaltyHistory, index: int, invoice: Invoice) -> LoyaltyHistory:
    invoices = list(history.invoices)
    invoices[index] = invoice
    return attrs.evolve(history, invoices=tuple(invoices))


def _on_invoice(
    history: LoyaltyHistory, step: Step, day: dt.date, count: int
) -> LoyaltyHistory:
    """Pay, credit or cancel one earlier invoice (if it allows it)."""
    programme, membership = history.programme, history.membership
    if not history.invoices:
        return history
    index = step.target % len(history.invoices)
    invoice = history.invoices[index]
    if invoice.status is InvoiceStatus.CANCELLED:
        return history
    if step.kind is StepKind.CANCEL:
        if invoice.payments or invoice.credit_notes:
            return history
        invoice = invoice.cancel(on=day)
    elif step.kind is StepKind.PAY:
        owed = invoice.balance()
        if not owed.is_positive():
            return history
        invoice = invoice.with_payment(
            Payment(
                id=PaymentId(f"pay-{count}"),
                received_on=day,
                amount=_share(owed, step.amounts[0]),
            )
        )
    else:
        left = invoice.total - invoice.credited()
        if not left.is_positive():
            return history
        note = CreditNote(
            id=CreditNoteId(f"cn-{count}"),
            issued_on=day,
            amount=_share(left, step.amounts[0]),
            reason="returned goods",
        )
        invoice = invoice.with_credit_note(note)
        membership = reverse_credit_note(membership, programme, invoice, note, at=_AT)
    settled = invoice.settled_on() or day
    membership = confirm_invoice(
        membership,
        programme,
        invoice,
        categories=CATEGORIES,
        tier_multiplier=_multiplier(membership, programme, settled),
        at=_AT,
    )
    # Credit notes granted while the points were pending are reversed once
    # they are confirmed; reversing one again changes nothing.
    for note in invoice.credit_notes:
        membership = reverse_credit_note(membership, programme, invoice, note, at=_AT)
    if step.kind is StepKind.CANCEL and invoice.total.is_positive():
        membership = _withdraw(membership, programme, invoice, day)
    return attrs.evolve(_replace(history, index, invoice), membership=membership)


def _withdraw(
    membership: Membership, programme: Programme, invoice: Invoice, day: dt.date
) -> Membership:
    """Take back what a cancelled invoice earned: a credit note of its whole
    total dated ``day``, its ``cancelled_on``, as the services do."""
    note = CreditNote(
        id=CreditNoteId(f"{invoice.id}/cancelled"),
        issued_on=day,
        amount=invoice.total,
        reason="invoice cancelled",
    )
    credited = attrs.evolve(
        invoice, status=InvoiceStatus.ISSUED, cancelled_on=None, credit_notes=(note,)
    )
    return reverse_credit_note(membership, programme, credited, note, at=_AT)


def _points(
    history: LoyaltyHistory, step: Step, day: dt.date, count: int
) -> LoyaltyHistory:
    programme, membership = history.programme, history.membership
    quantum = programme.point_quantum
    amount = step.amounts[0]
    if step.kind is StepKind.REDEEM or amount < 0:
        share = abs(amount) % 120 + 1
        quanta = int(EXACT.divide(max(membership.available(day), _ZERO), quantum))
        asked = max(1, quanta * share // 100)
        points = EXACT.multiply(Decimal(asked), quantum)
    else:
        points = EXACT.multiply(Decimal(amount), quantum)
    if step.kind is StepKind.REDEEM:
        source = SourceRef(kind="invoice", id=f"r-{count}")
        membership = redeem_points(
            membership, programme, points=points, on=day, source=source, at=_AT
        )
        redeemed = (*history.redemptions, (points, day, source))
        return attrs.evolve(history, membership=membership, redemptions=redeemed)
    if amount == 0:
        return history
    points = points if amount > 0 else points.copy_negate()
    reference = f"adj-{count}"
    membership = adjust_points(
        membership,
        programme,
        points=points,
        on=day,
        reference=reference,
        reason="manual correction",
        at=_AT,
    )
    adjusted = (*history.adjustments, (points, day, reference))
    return attrs.evolve(history, membership=membership, adjustments=adjusted)


def _override(history: LoyaltyHistory, step: Step, day: dt.date) -> LoyaltyHistory:
    """Append a tier override set on ``day``, as the services do.

    A history continued from a membership that has overrides already (its
    steps dated from the enrolment again) sets it no earlier than the last
    one: the clock that dates them never goes back.
    """
    codes = [tier.code for tier in history.programme.tiers]
    pick = step.target % (len(codes) + 1)
    wait, last = step.amounts
    earlier = history.membership.overrides
    set_on = max(day, earlier[-1].set_on) if earlier else day
    starts = set_on + dt.timedelta(days=wait)
    override = TierOverride(
        tier=codes[pick] if pick < len(codes) else None,
        reason="strategic account" if pick < len(codes) else "override ended",
        by=ManagerId("m-1"),
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=last),
        set_on=set_on,
    )
    return attrs.evolve(history, membership=history.membership.with_override(override))


def _step(
    history: LoyaltyHistory, step: Step, day: dt.date, count: int
) -> LoyaltyHistory:
    programme, membership = history.programme, history.membership
    if step.kind is StepKind.INVOICE:
        invoice = _invoice(history, step, day, len(history.invoices))
        membership = earn_invoice(
            membership,
            programme,
            invoice,
            categories=CATEGORIES,
            tier_multiplier=_multiplier(membership, programme, day),
            at=_AT,
        )
        return attrs.evolve(
            history, membership=membership, invoices=(*history.invoices, invoice)
        )
    if step.kind in (StepKind.PAY, StepKind.CREDIT, StepKind.CANCEL):
        return _on_invoice(history, step, day, count)
    if step.kind in (StepKind.REDEEM, StepKind.ADJUST):
        return _points(history, step, day, count)
    if step.kind is StepKind.OVERRIDE:
        return _override(history, step, day)
    if step.kind is StepKind.EXPIRE:
        membership = expire_points(membership, programme, as_of=day, at=_AT)
        runs = (*history.expiry_runs, day)
        return attrs.evolve(history, membership=membership, expiry_runs=runs)
    membership, _ = tier_events(membership, programme, as_of=day, at=_AT)
    membership, _ = expiry_events(membership, programme, as_of=day, at=_AT)
    return attrs.evolve(history, membership=membership)


def post(
    programme: Programme, membership: Membership, plan: list[Step]
) -> LoyaltyHistory:
    """Post the steps of ``plan`` in order, from the enrolment date on.

    A posting the programme refuses
    (:class:`~kamcore.errors.PolicyViolationError`) is left out and counted.
    """
    history = LoyaltyHistory(programme=programme, membership=membership)
    day = membership.enrolled_on
    for count, step in enumerate(plan):
        day += dt.timedelta(days=step.days)
        try:
            history = _step(history, step, day, count)
        except PolicyViolationError:
            history = attrs.evolve(history, refused=history.refused + 1)
    return history

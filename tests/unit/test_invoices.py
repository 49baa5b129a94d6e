"""Invoices: totals, payments, credit notes and the state as of a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kamcore.accounts import (
    CreditNote,
    Invoice,
    InvoiceState,
    InvoiceStatus,
    LineItem,
    Payment,
)
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import (
    ClientId,
    CreditNoteId,
    InvoiceId,
    Money,
    PaymentId,
    ProductId,
)

ISSUED = dt.date(2026, 3, 1)
DUE = dt.date(2026, 3, 31)


def line(quantity: str, unit_price: str, currency: str = "EUR") -> LineItem:
    return LineItem(
        product=ProductId("valve"),
        quantity=Decimal(quantity),
        unit_price=Money(unit_price, currency),
    )


def invoice(*lines: LineItem, currency: str = "EUR") -> Invoice:
    return Invoice(
        id=InvoiceId("INV-1"),
        client=ClientId("acme"),
        issue_date=ISSUED,
        due_date=DUE,
        currency=currency,
        lines=lines or (line("3", "13.7350"), line("1", "0.005")),
    )


def pay(amount: str, on: dt.date, pid: str = "P-1") -> Payment:
    return Payment(id=PaymentId(pid), received_on=on, amount=Money(amount, "EUR"))


def credit(amount: str, on: dt.date, cid: str = "CN-1") -> CreditNote:
    return CreditNote(
        id=CreditNoteId(cid), issued_on=on, amount=Money(amount, "EUR"), reason="return"
    )


def test_line_total_is_rounded_once_half_up() -> None:
    assert line("3", "13.7350").total == Money("41.21", "EUR")
    assert line("1", "0.005").total == Money("0.01", "EUR")


def test_invoice_total_is_the_sum_of_rounded_line_totals() -> None:
    assert invoice().total == Money("41.22", "EUR")


def test_totals_round_to_the_currency_minor_unit() -> None:
    jpy = invoice(line("3", "333.5", "JPY"), currency="JPY")
    assert jpy.total == Money("1001", "JPY")
    kwd = invoice(line("3", "1.2345", "KWD"), currency="KWD")
    assert kwd.total == Money("3.704", "KWD")


def test_state_before_issue_is_not_yet_issued() -> None:
    assert invoice().state(dt.date(2026, 2, 28)) is InvoiceState.NOT_YET_ISSUED


def test_state_is_open_up_to_and_including_the_due_date() -> None:
    assert invoice().state(ISSUED) is InvoiceState.OPEN
    assert invoice().state(DUE) is InvoiceState.OPEN
    assert invoice().days_overdue(DUE) == 0


def test_state_is_overdue_the_day_after_the_due_date() -> None:
    assert invoice().state(dt.date(2026, 4, 1)) is InvoiceState.OVERDUE
    assert invoice().days_overdue(dt.date(2026, 4, 10)) == 10


def test_partial_payment_leaves_a_balance() -> None:
    paid = invoice().with_payment(pay("40.00", dt.date(2026, 3, 20)))
    assert paid.balance(dt.date(2026, 3, 20)) == Money("1.22", "EUR")
    assert paid.state(dt.date(2026, 4, 2)) is InvoiceState.OVERDUE


def test_payment_counts_only_from_the_day_it_was_received() -> None:
    paid = invoice().with_payment(pay("41.22", dt.date(2026, 4, 5)))
    assert paid.state(dt.date(2026, 4, 4)) is InvoiceState.OVERDUE
    assert paid.state(dt.date(2026, 4, 5)) is InvoiceState.PAID
    assert paid.settled_on() == dt.date(2026, 4, 5)


def test_credit_note_reduces_the_net_total() -> None:
    credited = invoice().with_credit_note(credit("11.22", dt.date(2026, 3, 10)))
    assert credited.net_total() == Money("30.00", "EUR")
    assert credited.net_total(dt.date(2026, 3, 9)) == Money("41.22", "EUR")
    assert credited.credited(dt.date(2026, 3, 10)) == Money("11.22", "EUR")


def test_payment_plus_credit_note_settles_the_invoice() -> None:
    settled = (
        invoice()
        .with_payment(pay("30.00", dt.date(2026, 3, 15)))
        .with_credit_note(credit("11.22", dt.date(2026, 3, 25)))
    )
    assert settled.settled_on() == dt.date(2026, 3, 25)
    assert settled.state(dt.date(2026, 5, 1)) is InvoiceState.PAID


def test_credit_after_full_payment_shows_as_negative_balance() -> None:
    overpaid = (
        invoice()
        .with_payment(pay("41.22", dt.date(2026, 3, 15)))
        .with_credit_note(credit("5.00", dt.date(2026, 3, 20)))
    )
    assert overpaid.balance() == Money("-5.00", "EUR")
    assert overpaid.state(dt.date(2026, 3, 20)) is InvoiceState.PAID
    assert overpaid.settled_on() == dt.date(2026, 3, 15)


def test_unsettled_invoice_has_no_settlement_date() -> None:
    assert invoice().with_payment(pay("1.00", ISSUED)).settled_on() is None


def test_credit_notes_cannot_exceed_the_total() -> None:
    with pytest.raises(ValidationError) as caught:
        invoice().with_credit_note(credit("41.23", ISSUED))
    assert caught.value.messages == [
        "credit notes total 41.23 EUR, more than the invoice total 41.22 EUR "
        "@ credit_notes"
    ]


def test_payments_must_be_in_the_invoice_currency_and_after_issue() -> None:
    foreign = Payment(
        id=PaymentId("P-2"), received_on=dt.date(2026, 2, 1), amount=Money("1", "USD")
    )
    with pytest.raises(ValidationError) as caught:
        invoice().with_payment(foreign)
    assert caught.value.messages == [
        "must be the invoice currency EUR @ payments[0].amount.currency",
        "dated 2026-02-01, before the invoice was issued (2026-03-01) @ payments[0]",
    ]


def test_payment_ids_must_be_unique() -> None:
    once = invoice().with_payment(pay("1.00", ISSUED))
    with pytest.raises(ValidationError) as caught:
        once.with_payment(pay("2.00", ISSUED))
    assert caught.value.messages == ["appears twice @ payments[1].id"]


def test_payment_amount_must_be_positive_and_rounded() -> None:
    with pytest.raises(ValidationError) as caught:
        Payment(id=PaymentId("P"), received_on=ISSUED, amount=Money("-0.001", "EUR"))
    assert caught.value.messages == [
        "must be positive @ amount",
        "-0.001 EUR has digits below the minor unit of EUR (2 decimal places); "
        "kamcore never rounds a billed amount silently: round it explicitly with "
        "Money(...).rounded(), or build the Decimal from a string such as '0.10', "
        "not from a float @ amount",
    ]


def test_credit_note_needs_a_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        CreditNote(
            id=CreditNoteId("CN"), issued_on=ISSUED, amount=Money("1", "EUR"), reason=""
        )
    assert caught.value.messages == ["must not be empty @ reason"]


def test_due_date_before_issue_date_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Invoice(
            id=InvoiceId("INV-1"),
            client=ClientId("acme"),
            issue_date=DUE,
            due_date=ISSUED,
            currency="EUR",
            lines=(line("1", "1"),),
        )
    assert caught.value.messages == ["is before the issue date 2026-03-31 @ due_date"]


def test_lines_must_exist_and_share_the_document_currency() -> None:
    with pytest.raises(ValidationError) as caught:
        invoice(line("1", "1"), line("1", "1", "USD"))
    assert caught.value.messages == [
        "must be the document currency EUR @ lines[1].unit_price.currency"
    ]
    with pytest.raises(ValidationError) as caught:
        Invoice(
            id=InvoiceId("INV-1"),
            client=ClientId("acme"),
            issue_date=ISSUED,
            due_date=DUE,
            currency="EUR",
            lines=(),
        )
    assert caught.value.messages == ["needs at least one line @ lines"]


def test_line_refuses_float_and_non_positive_quantities() -> None:
    with pytest.raises(ValidationError) as caught:
        LineItem(product=ProductId("p"), quantity=1.5, unit_price=Money("1", "EUR"))  # type: ignore[arg-type]  # under test
    assert caught.value.messages == ["floats are refused: pass a Decimal @ quantity"]
    with pytest.raises(ValidationError) as caught:
        LineItem(
            product=ProductId("p"), quantity=Decimal(0), unit_price=Money("-1", "EUR")
        )
    assert caught.value.messages == [
        "must be greater than zero @ quantity",
        "must not be negative @ unit_price",
    ]


def test_cancelled_invoice_is_cancelled_on_every_date_from_its_cancellation() -> None:
    cancelled = invoice().cancel(on=ISSUED)
    assert cancelled.status is InvoiceStatus.CANCELLED
    assert cancelled.cancelled_on == ISSUED
    assert cancelled.state(ISSUED) is InvoiceState.CANCELLED
    assert cancelled.state(dt.date(2030, 1, 1)) is InvoiceState.CANCELLED
    assert cancelled.settled_on() is None


CANCELLED_ON = dt.date(2026, 4, 10)


def test_before_its_cancellation_an_invoice_reads_as_issued() -> None:
    cancelled = invoice().cancel(on=CANCELLED_ON)
    assert cancelled.state(dt.date(2026, 2, 28)) is InvoiceState.NOT_YET_ISSUED
    assert cancelled.state(ISSUED) is InvoiceState.OPEN
    assert cancelled.state(DUE) is InvoiceState.OPEN
    assert cancelled.state(dt.date(2026, 4, 9)) is InvoiceState.OVERDUE
    assert cancelled.days_overdue(dt.date(2026, 4, 9)) == 9
    assert cancelled.status_on(dt.date(2026, 4, 9)) is InvoiceStatus.ISSUED


def test_from_its_cancellation_day_an_invoice_is_cancelled() -> None:
    cancelled = invoice().cancel(on=CANCELLED_ON)
    assert cancelled.state(CANCELLED_ON) is InvoiceState.CANCELLED
    assert cancelled.days_overdue(CANCELLED_ON) == 0
    assert cancelled.state(dt.date(2026, 4, 11)) is InvoiceState.CANCELLED
    assert cancelled.status_on(CANCELLED_ON) is InvoiceStatus.CANCELLED


def test_a_cancelled_invoice_needs_its_cancellation_date() -> None:
    with pytest.raises(ValidationError) as caught:
        Invoice(
            id=InvoiceId("INV-1"),
            client=ClientId("acme"),
            issue_date=ISSUED,
            due_date=DUE,
            currency="EUR",
            lines=(line("1", "10.00"),),
            status=InvoiceStatus.CANCELLED,
        )
    assert caught.value.subject == "Invoice"
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [
        ("cancelled_on", "is required on a cancelled invoice", None)
    ]


def test_an_invoice_cannot_be_cancelled_before_it_was_issued() -> None:
    with pytest.raises(ValidationError) as caught:
        invoice().cancel(on=dt.date(2026, 2, 28))
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [
        (
            "cancelled_on",
            "is before the issue date 2026-03-01",
            dt.date(2026, 2, 28),
        )
    ]


def test_an_issued_invoice_has_no_cancellation_date() -> None:
    with pytest.raises(ValidationError) as caught:
        Invoice(
            id=InvoiceId("INV-1"),
            client=ClientId("acme"),
            issue_date=ISSUED,
            due_date=DUE,
            currency="EUR",
            lines=(line("1", "10.00"),),
            cancelled_on=CANCELLED_ON,
        )
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [
        (
            "cancelled_on",
            "must be empty unless the invoice is cancelled (status issued)",
            CANCELLED_ON,
        )
    ]


def test_a_cancellation_date_must_be_a_date() -> None:
    moment = dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as caught:
        invoice().cancel(on=moment)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("cancelled_on", "expected a date, got a datetime")
    ]


def test_cancelled_invoice_takes_no_payment_and_cannot_be_cancelled_again() -> None:
    cancelled = invoice().cancel(on=ISSUED)
    with pytest.raises(InvalidTransitionError) as caught:
        cancelled.with_payment(pay("1.00", ISSUED))
    assert (caught.value.current, caught.value.requested) == (
        "cancelled",
        "record a payment",
    )
    with pytest.raises(InvalidTransitionError):
        cancelled.cancel(on=ISSUED)
    with pytest.raises(InvalidTransitionError):
        cancelled.with_credit_note(credit("1.00", ISSUED))


def test_invoice_with_payments_cannot_be_cancelled() -> None:
    with pytest.raises(ValidationError) as caught:
        invoice().with_payment(pay("1.00", ISSUED)).cancel(on=ISSUED)
    assert caught.value.errors[0].path == "status"

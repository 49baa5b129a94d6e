"""Account 360 and client portal around a dated cancellation: the invoice or
order is shown as it was on the view's date."""

from __future__ import annotations

import datetime as dt

from acme_history import ACME, PUMP, eur, line

from kamcore.accounts import Invoice, InvoiceState, Order, OrderStatus
from kamcore.kernel import InvoiceId, OrderId
from kamcore.views import (
    ClientRecords,
    EventKind,
    build_account_360,
    build_client_portal,
)

K = EventKind
ISSUED = dt.date(2026, 2, 1)
DUE = dt.date(2026, 3, 3)
CANCELLED_ON = dt.date(2026, 3, 10)
DAY = dt.timedelta(days=1)


def cancelled_invoice() -> Invoice:
    return Invoice(
        id=InvoiceId("INV-9"),
        client=ACME.id,
        issue_date=ISSUED,
        due_date=DUE,
        currency="EUR",
        lines=(line(PUMP, 1, "1000.00"),),
    ).cancel(on=CANCELLED_ON)


def cancelled_order() -> Order:
    return Order(
        id=OrderId("O-9"),
        client=ACME.id,
        order_date=ISSUED,
        currency="EUR",
        lines=(line(PUMP, 1, "1000.00"),),
    ).transition(OrderStatus.CANCELLED, on=CANCELLED_ON)


def records() -> ClientRecords:
    return ClientRecords(
        client=ACME, orders=(cancelled_order(),), invoices=(cancelled_invoice(),)
    )


def history(as_of: dt.date) -> list[tuple[dt.date, EventKind, str]]:
    view = build_account_360(records(), as_of=as_of)
    return [(e.on, e.kind, e.source) for e in view.events]


def test_the_day_before_the_cancellation_the_invoice_is_overdue() -> None:
    view = build_account_360(records(), as_of=CANCELLED_ON - DAY)
    [issued] = view.of_kind(K.INVOICE_ISSUED)
    assert (issued.details["state"], issued.details["days_overdue"]) == (
        "overdue",
        6,
    )
    assert issued.details["balance"] == eur("1000.00")
    assert (view.summary.open_invoices, view.summary.overdue_invoices) == (1, 1)
    assert view.summary.open_balance == (eur("1000.00"),)
    assert view.summary.overdue_total == (eur("1000.00"),)
    assert history(CANCELLED_ON - DAY) == [
        (ISSUED, K.ORDER_PLACED, "O-9"),
        (ISSUED, K.INVOICE_ISSUED, "INV-9"),
        (DUE + DAY, K.INVOICE_OVERDUE, "INV-9"),
    ]
    [placed] = view.of_kind(K.ORDER_PLACED)
    assert placed.details["status"] == "open"


def test_the_day_after_the_cancellation_the_invoice_is_cancelled() -> None:
    view = build_account_360(records(), as_of=CANCELLED_ON + DAY)
    [issued] = view.of_kind(K.INVOICE_ISSUED)
    assert (issued.details["state"], issued.details["days_overdue"]) == (
        "cancelled",
        0,
    )
    assert (view.summary.open_invoices, view.summary.overdue_invoices) == (0, 0)
    assert view.summary.open_balance == (eur("0.00"),)
    assert history(CANCELLED_ON + DAY) == [
        (ISSUED, K.ORDER_PLACED, "O-9"),
        (ISSUED, K.INVOICE_ISSUED, "INV-9"),
        (DUE + DAY, K.INVOICE_OVERDUE, "INV-9"),
        (CANCELLED_ON, K.ORDER_CLOSED, "O-9"),
        (CANCELLED_ON, K.INVOICE_CANCELLED, "INV-9"),
    ]
    [cancelled] = view.of_kind(K.INVOICE_CANCELLED)
    assert (cancelled.summary, cancelled.amount) == (
        "invoice INV-9 cancelled",
        eur("1000.00"),
    )
    [closed] = view.of_kind(K.ORDER_CLOSED)
    assert (closed.summary, closed.details["status"]) == (
        "order O-9 cancelled",
        "cancelled",
    )
    [placed] = view.of_kind(K.ORDER_PLACED)
    assert placed.details["status"] == "cancelled"


def test_an_invoice_cancelled_before_its_due_date_never_goes_overdue() -> None:
    early = Invoice(
        id=InvoiceId("INV-8"),
        client=ACME.id,
        issue_date=ISSUED,
        due_date=DUE,
        currency="EUR",
        lines=(line(PUMP, 1, "1000.00"),),
    ).cancel(on=DUE)
    view = build_account_360(
        ClientRecords(client=ACME, invoices=(early,)), as_of=dt.date(2026, 12, 31)
    )
    assert [(e.on, e.kind) for e in view.events] == [
        (ISSUED, K.INVOICE_ISSUED),
        (DUE, K.INVOICE_CANCELLED),
    ]


def test_the_portal_shows_the_invoice_as_it_was_on_the_date() -> None:
    before = build_client_portal(records(), as_of=CANCELLED_ON - DAY)
    after = build_client_portal(records(), as_of=CANCELLED_ON)
    assert [(i.state, i.days_overdue, i.balance) for i in before.invoices] == [
        (InvoiceState.OVERDUE, 6, eur("1000.00"))
    ]
    assert [i.state for i in after.invoices] == [InvoiceState.CANCELLED]

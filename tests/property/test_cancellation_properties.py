"""A dated cancellation changes nothing before its date."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import (
    Invoice,
    InvoiceState,
    InvoiceStatus,
    Order,
    OrderStatus,
)
from kamcore.testing import strategies as ks


@given(ks.invoices(status=InvoiceStatus.CANCELLED), st.integers(-60, 400))
def test_before_its_cancellation_an_invoice_is_the_uncancelled_one(
    invoice: Invoice, offset: int
) -> None:
    assert invoice.cancelled_on is not None
    assert invoice.issue_date <= invoice.cancelled_on
    uncancelled = attrs.evolve(invoice, status=InvoiceStatus.ISSUED, cancelled_on=None)
    day = invoice.issue_date + dt.timedelta(days=offset)
    if day < invoice.cancelled_on:
        assert invoice.state(day) is uncancelled.state(day)
        assert invoice.days_overdue(day) == uncancelled.days_overdue(day)
        assert invoice.status_on(day) is InvoiceStatus.ISSUED
    else:
        assert invoice.state(day) is InvoiceState.CANCELLED
        assert invoice.days_overdue(day) == 0


@given(ks.invoices())
def test_a_cancellation_date_is_set_exactly_on_cancelled_invoices(
    invoice: Invoice,
) -> None:
    cancelled = invoice.status is InvoiceStatus.CANCELLED
    assert (invoice.cancelled_on is not None) is cancelled


@given(ks.orders(), st.integers(-60, 400))
def test_an_order_is_open_until_it_is_closed(order: Order, offset: int) -> None:
    assert (order.closed_on is None) is (order.status is OrderStatus.OPEN)
    day = order.order_date + dt.timedelta(days=offset)
    if order.closed_on is None or day < order.closed_on:
        assert order.status_on(day) is OrderStatus.OPEN
    else:
        assert order.closed_on >= order.order_date
        assert order.status_on(day) is order.status

"""Orders, tickets and activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from kamcore.accounts import (
    Activity,
    ActivityKind,
    LineItem,
    Order,
    OrderStatus,
    Ticket,
    TicketPriority,
)
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import (
    ActivityId,
    ClientId,
    ManagerId,
    Money,
    OrderId,
    ProductId,
    TicketId,
)

OPENED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def order() -> Order:
    return Order(
        id=OrderId("O-1"),
        client=ClientId("acme"),
        order_date=dt.date(2026, 3, 2),
        currency="EUR",
        lines=(
            LineItem(
                product=ProductId("a"),
                quantity=Decimal("2"),
                unit_price=Money("9.995", "EUR"),
            ),
            LineItem(
                product=ProductId("b"),
                quantity=Decimal("0.5"),
                unit_price=Money("3.01", "EUR"),
            ),
        ),
    )


def test_order_total_is_the_sum_of_rounded_lines() -> None:
    assert order().total == Money("21.50", "EUR")


CLOSED_ON = dt.date(2026, 3, 9)


def test_order_lifecycle() -> None:
    fulfilled = order().transition(OrderStatus.FULFILLED, on=CLOSED_ON)
    assert fulfilled.status is OrderStatus.FULFILLED
    with pytest.raises(InvalidTransitionError) as caught:
        order().transition(OrderStatus.CANCELLED, on=CLOSED_ON).transition(
            OrderStatus.FULFILLED, on=CLOSED_ON
        )
    assert (caught.value.current, caught.value.requested) == ("cancelled", "fulfilled")
    with pytest.raises(InvalidTransitionError):
        order().transition(OrderStatus.OPEN, on=CLOSED_ON)


def test_an_order_is_open_until_the_day_it_is_closed() -> None:
    cancelled = order().transition(OrderStatus.CANCELLED, on=CLOSED_ON)
    assert cancelled.closed_on == CLOSED_ON
    assert cancelled.status_on(dt.date(2026, 3, 2)) is OrderStatus.OPEN
    assert cancelled.status_on(dt.date(2026, 3, 8)) is OrderStatus.OPEN
    assert cancelled.status_on(CLOSED_ON) is OrderStatus.CANCELLED
    assert cancelled.status_on(dt.date(2027, 1, 1)) is OrderStatus.CANCELLED
    assert order().status_on(dt.date(2027, 1, 1)) is OrderStatus.OPEN


def test_a_closed_order_needs_its_closing_date() -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(order(), status=OrderStatus.FULFILLED)
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [
        ("closed_on", "is required on a fulfilled order", None)
    ]


def test_an_order_cannot_be_closed_before_it_was_placed() -> None:
    with pytest.raises(ValidationError) as caught:
        order().transition(OrderStatus.CANCELLED, on=dt.date(2026, 3, 1))
    assert caught.value.subject == "Order"
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [
        ("closed_on", "is before the order date 2026-03-02", dt.date(2026, 3, 1))
    ]


def test_an_open_order_has_no_closing_date() -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(order(), closed_on=CLOSED_ON)
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [
        ("closed_on", "must be empty on an open order", CLOSED_ON)
    ]


def test_order_refuses_a_datetime_as_its_date() -> None:
    with pytest.raises(ValidationError) as caught:
        Order(
            id=OrderId("O-1"),
            client=ClientId("acme"),
            order_date=OPENED,
            currency="EUR",
            lines=order().lines,
        )
    assert caught.value.messages == ["expected a date, got a datetime @ order_date"]


def test_ticket_is_open_from_opening_until_resolution() -> None:
    resolved_at = OPENED + dt.timedelta(hours=5)
    ticket = Ticket(
        id=TicketId("T-1"), client=ClientId("acme"), subject="Leak", opened_at=OPENED
    ).resolve(resolved_at)
    assert ticket.priority is TicketPriority.NORMAL
    assert not ticket.is_open_at(OPENED - dt.timedelta(seconds=1))
    assert ticket.is_open_at(OPENED)
    assert ticket.is_open_at(resolved_at - dt.timedelta(microseconds=1))
    assert not ticket.is_open_at(resolved_at)


def test_ticket_cannot_be_resolved_twice_or_before_it_opened() -> None:
    ticket = Ticket(
        id=TicketId("T-1"), client=ClientId("acme"), subject="Leak", opened_at=OPENED
    )
    with pytest.raises(InvalidTransitionError):
        ticket.resolve(OPENED).resolve(OPENED)
    with pytest.raises(ValidationError) as caught:
        ticket.resolve(OPENED - dt.timedelta(days=1))
    assert caught.value.messages == [
        "is before the ticket was opened (2026-03-02T09:00:00+00:00) @ resolved_at"
    ]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Ticket(
            id=TicketId("T-1"),
            client=ClientId("acme"),
            subject="Leak",
            opened_at=dt.datetime(2026, 3, 2, 9, 0),  # noqa: DTZ001 - the refusal under test
        )
    assert caught.value.messages == [
        "naive datetimes are refused: give a timezone-aware datetime @ opened_at"
    ]


def test_activity_records_a_contact() -> None:
    activity = Activity(
        id=ActivityId("A-1"),
        client=ClientId("acme"),
        kind=ActivityKind.MEETING,
        occurred_at=OPENED,
        summary="Quarterly review; wants volume pricing on valves",
        author=ManagerId("m.rossi"),
    )
    assert activity.internal is True
    assert activity.opportunity is None


def test_activity_reports_every_bad_field() -> None:
    with pytest.raises(ValidationError) as caught:
        Activity(
            id=ActivityId("A-1"),
            client=ClientId("acme"),
            kind="meeting",  # type: ignore[arg-type]  # the refusal under test
            occurred_at=OPENED,
            summary="",
            author=ManagerId(""),
        )
    assert caught.value.messages == [
        "expected ActivityKind, got str @ kind",
        "must not be empty @ summary",
        "must not be empty @ author",
    ]

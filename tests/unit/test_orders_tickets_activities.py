"""Orders, tickets and activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


def test_order_lifecycle() -> None:
    assert order().transition(OrderStatus.FULFILLED).status is OrderStatus.FULFILLED
    with pytest.raises(InvalidTransitionError) as caught:
        order().transition(OrderStatus.CANCELLED).transition(OrderStatus.FULFILLED)
    assert (caught.value.current, caught.value.requested) == ("cancelled", "fulfilled")
    with pytest.raises(InvalidTransitionError):
        order().transition(OrderStatus.OPEN)


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

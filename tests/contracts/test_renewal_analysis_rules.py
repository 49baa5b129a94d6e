"""Renewal analysis: windows, trend, payment record, tickets and the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kamcore.accounts import (
    Invoice,
    LineItem,
    Order,
    OrderStatus,
    Payment,
    Ticket,
)
from kamcore.contracts import AdjustmentPolicy, RenewalAnalysis, analyse_renewal
from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import (
    ClientId,
    DateRange,
    InvoiceId,
    Money,
    OrderId,
    PaymentId,
    Percentage,
    ProductId,
    TicketId,
)

AS_OF = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
ACME = ClientId("acme")


def order(day: dt.date, amount: str, *, currency: str = "EUR") -> Order:
    line = LineItem(
        product=ProductId("p"), quantity=Decimal(1), unit_price=Money(amount, currency)
    )
    return Order(
        id=OrderId(f"o-{day}"),
        client=ACME,
        order_date=day,
        currency=currency,
        lines=(line,),
    )


def invoice(issued: dt.date, due: dt.date, paid: dt.date | None) -> Invoice:
    line = LineItem(
        product=ProductId("p"), quantity=Decimal(1), unit_price=Money("10.00", "EUR")
    )
    unpaid = Invoice(
        id=InvoiceId(f"i-{issued}"),
        client=ACME,
        issue_date=issued,
        due_date=due,
        currency="EUR",
        lines=(line,),
    )
    if paid is None:
        return unpaid
    return unpaid.with_payment(
        Payment(id=PaymentId("pay"), received_on=paid, amount=Money("10.00", "EUR"))
    )


def ticket(number: int, *, resolved: bool = False) -> Ticket:
    opened = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    open_ticket = Ticket(
        id=TicketId(f"t-{number}"), client=ACME, subject="Issue", opened_at=opened
    )
    return open_ticket.resolve(NOW) if resolved else open_ticket


def analyse(
    orders: list[Order] | None = None,
    invoices: list[Invoice] | None = None,
    tickets: list[Ticket] | None = None,
    policy: AdjustmentPolicy | None = None,
) -> RenewalAnalysis:
    return analyse_renewal(
        as_of=AS_OF,
        currency="EUR",
        orders=orders or [],
        invoices=invoices or [],
        tickets=tickets or [],
        open_at=NOW,
        policy=policy,
    )


def test_windows_are_the_last_twelve_months_and_the_twelve_before() -> None:
    analysis = analyse()
    assert analysis.window == DateRange(dt.date(2025, 3, 3), AS_OF)
    assert analysis.previous_window == DateRange(
        dt.date(2024, 3, 3), dt.date(2025, 3, 2)
    )


def test_orders_on_the_window_edges_count_in_their_own_window() -> None:
    analysis = analyse(
        [
            order(dt.date(2025, 3, 3), "300.00"),  # first day of the window
            order(AS_OF, "30.00"),  # last day
            order(dt.date(2025, 3, 2), "200.00"),  # last day of the previous one
            order(dt.date(2024, 3, 3), "100.00"),  # its first day
            order(dt.date(2024, 3, 2), "999.00"),  # outside both
            order(dt.date(2026, 3, 3), "999.00"),  # after the analysis date
        ]
    )
    assert analysis.order_volume == Money("330.00", "EUR")
    assert analysis.previous_volume == Money("300.00", "EUR")
    assert analysis.volume_change == Percentage("10.00")


def test_cancelled_orders_do_not_count() -> None:
    cancelled = order(AS_OF, "500.00").transition(OrderStatus.CANCELLED, on=AS_OF)
    assert analyse([cancelled]).order_volume == Money("0.00", "EUR")


def test_an_order_cancelled_after_the_analysis_date_still_counts() -> None:
    placed = dt.date(2026, 2, 1)
    later = order(placed, "500.00").transition(
        OrderStatus.CANCELLED, on=AS_OF + dt.timedelta(days=1)
    )
    earlier = order(dt.date(2025, 6, 1), "200.00").transition(
        OrderStatus.CANCELLED, on=AS_OF
    )
    analysis = analyse([later, earlier])
    assert analysis.order_volume == Money("500.00", "EUR")


def test_an_invoice_cancelled_after_the_analysis_date_was_due_and_unpaid() -> None:
    issued, due = dt.date(2026, 1, 2), dt.date(2026, 2, 1)
    later = invoice(issued, due, None).cancel(on=AS_OF + dt.timedelta(days=1))
    before = invoice(dt.date(2026, 1, 3), due, None).cancel(on=AS_OF)
    analysis = analyse(invoices=[later, before])
    assert (analysis.invoices_due, analysis.paid_on_time) == (1, 0)
    assert analysis.on_time_ratio == Percentage("0.00")


def test_a_volume_change_rounds_to_a_hundredth_of_a_point_half_up() -> None:
    analysis = analyse(
        [order(dt.date(2024, 6, 1), "300.00"), order(dt.date(2025, 6, 1), "200.00")]
    )
    assert analysis.volume_change == Percentage("-33.33")


def test_no_previous_orders_gives_no_trend_and_says_so() -> None:
    analysis = analyse([order(dt.date(2025, 6, 1), "200.00")])
    assert analysis.volume_change is None
    assert "no orders in the previous 12 months: no volume trend" in analysis.reasons


def test_an_order_in_another_currency_is_refused() -> None:
    with pytest.raises(CurrencyMismatchError):
        analyse([order(dt.date(2025, 6, 1), "200", currency="JPY")])


def test_on_time_means_settled_on_or_before_the_due_date() -> None:
    analysis = analyse(
        invoices=[
            invoice(dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 5, 1)),
            invoice(dt.date(2025, 6, 1), dt.date(2025, 7, 1), dt.date(2025, 7, 2)),
            invoice(dt.date(2025, 8, 1), dt.date(2025, 9, 1), None),
            # not due yet on the analysis date: left out
            invoice(dt.date(2026, 2, 20), dt.date(2026, 3, 20), None),
        ]
    )
    assert (analysis.invoices_due, analysis.paid_on_time) == (3, 1)
    assert analysis.on_time_ratio == Percentage("33.33")


def test_open_tickets_are_those_open_at_the_instant_given() -> None:
    analysis = analyse(tickets=[ticket(1), ticket(2, resolved=True)])
    assert analysis.open_tickets == 1


def test_a_quiet_account_gets_the_base_uplift() -> None:
    analysis = analyse()
    assert analysis.recommended_adjustment == Percentage(3)
    assert analysis.reasons == (
        "base uplift 3%",
        "no orders in the previous 12 months: no volume trend",
        "no invoice fell due in the last 12 months: no payment record",
    )


def test_a_growing_account_earns_a_point() -> None:
    analysis = analyse(
        [order(dt.date(2024, 6, 1), "100.00"), order(dt.date(2025, 6, 1), "110.00")]
    )
    assert analysis.recommended_adjustment == Percentage(2)
    assert analysis.reasons[1] == (
        "order volume grew 10.00% (>= 10%): -1% to keep a growing account"
    )


def test_a_late_payer_pays_a_point_of_risk() -> None:
    late = invoice(dt.date(2025, 6, 1), dt.date(2025, 7, 1), dt.date(2025, 7, 9))
    analysis = analyse(invoices=[late])
    assert analysis.recommended_adjustment == Percentage(4)
    assert analysis.reasons[2] == (
        "0.00% of invoices paid on time (< 80%): +1% for the payment risk"
    )


def test_a_declining_account_holds_prices() -> None:
    analysis = analyse(
        [order(dt.date(2024, 6, 1), "100.00"), order(dt.date(2025, 6, 1), "80.00")]
    )
    assert analysis.volume_change == Percentage("-20.00")
    assert analysis.recommended_adjustment == Percentage(0)


def test_too_many_open_tickets_hold_prices() -> None:
    analysis = analyse(tickets=[ticket(1), ticket(2), ticket(3)])
    assert analysis.recommended_adjustment == Percentage(0)
    assert analysis.reasons[-1] == (
        "3 open tickets (>= 3): hold prices until the service issues are solved"
    )


def test_the_recommendation_never_goes_below_zero() -> None:
    generous = AdjustmentPolicy(
        base_uplift=Percentage("0.5"), growth_concession=Percentage(2)
    )
    analysis = analyse(
        [order(dt.date(2024, 6, 1), "100.00"), order(dt.date(2025, 6, 1), "200.00")],
        policy=generous,
    )
    assert analysis.recommended_adjustment == Percentage(0)


def test_a_policy_with_wrong_types_names_every_field() -> None:
    with pytest.raises(ValidationError) as raised:
        AdjustmentPolicy(base_uplift=3, open_ticket_limit=0)  # type: ignore[arg-type]
    assert [e.path for e in raised.value.errors] == [
        "base_uplift",
        "open_ticket_limit",
    ]

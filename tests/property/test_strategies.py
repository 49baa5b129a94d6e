"""The published strategies build valid values and honour what they pin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import find, given, settings
from hypothesis import strategies as st

from kamcore.accounts import (
    Activity,
    Client,
    ClientGroup,
    CreditNote,
    Invoice,
    InvoiceStatus,
    LineItem,
    Order,
    OrderStatus,
    Payment,
    Product,
    Ticket,
)
from kamcore.kernel import (
    ClientId,
    DateRange,
    Money,
    Percentage,
    Rate,
    currency_precision,
    validate_term,
)
from kamcore.ports import Notification
from kamcore.testing import strategies as ks


def places(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    return -exponent


JANUARY = DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 31))


@given(ks.invoices())
def test_invoices_are_consistent(invoice: Invoice) -> None:
    assert invoice.issue_date <= invoice.due_date
    assert invoice.credited() <= invoice.total
    for payment in invoice.payments:
        assert payment.received_on >= invoice.issue_date
        assert payment.amount.currency == invoice.currency
    for note in invoice.credit_notes:
        assert note.issued_on >= invoice.issue_date
        assert note.amount.currency == invoice.currency
    assert len({p.id for p in invoice.payments}) == len(invoice.payments)
    assert len({c.id for c in invoice.credit_notes}) == len(invoice.credit_notes)
    if invoice.status is InvoiceStatus.CANCELLED:
        assert not invoice.payments
        assert not invoice.credit_notes
    assert invoice.version == 0


@given(ks.invoices(client=ClientId("C-1"), currency="JPY", status=InvoiceStatus.ISSUED))
def test_invoices_honour_pinned_fields(invoice: Invoice) -> None:
    assert (invoice.client, invoice.currency, invoice.status) == (
        "C-1",
        "JPY",
        InvoiceStatus.ISSUED,
    )
    assert all(line.unit_price.currency == "JPY" for line in invoice.lines)


def test_invoices_come_with_credit_notes_and_payments() -> None:
    both: list[Invoice] = []

    @settings(max_examples=50)
    @given(ks.invoices(status=InvoiceStatus.ISSUED))
    def record(invoice: Invoice) -> None:
        if invoice.credit_notes and invoice.payments:
            both.append(invoice)

    record()
    assert both, "the strategy never combines payments with credit notes"


@given(ks.clients(key_account=True))
def test_key_accounts_have_a_manager(client: Client) -> None:
    assert client.key_account
    assert client.account_manager is not None


@given(ks.orders(client=ClientId("C-9"), currency="KWD", status=OrderStatus.OPEN))
def test_orders_are_priced_in_their_currency(order: Order) -> None:
    assert (order.client, order.status) == ("C-9", OrderStatus.OPEN)
    assert 1 <= len(order.lines) <= 5
    assert {line.unit_price.currency for line in order.lines} == {"KWD"}


@given(ks.line_items("EUR"))
def test_line_items_have_a_positive_quantity_and_a_price(line: LineItem) -> None:
    assert line.quantity > 0
    assert not line.unit_price.is_negative()
    assert places(line.unit_price.amount) in (2, 4)


@given(ks.money())
def test_money_is_rounded_to_its_minor_unit_by_default(money: Money) -> None:
    assert money.is_rounded()
    assert places(money.amount) == currency_precision(money.currency)


@given(ks.money("EUR", min_value=1, max_value="9.99", places=4))
def test_money_honours_its_bounds_and_places(money: Money) -> None:
    assert money.currency == "EUR"
    assert Decimal(1) <= money.amount <= Decimal("9.99")
    assert places(money.amount) == 4


@given(ks.payments("USD", on_or_after=dt.date(2026, 3, 31)))
def test_payments_are_positive_rounded_and_dated_after(payment: Payment) -> None:
    assert payment.received_on >= dt.date(2026, 3, 31)
    assert payment.amount.is_positive()
    assert payment.amount.is_rounded()


@given(ks.credit_notes(max_amount=Money("0.05", "KWD")))
def test_credit_notes_stay_within_their_ceiling(note: CreditNote) -> None:
    assert Money("0.001", "KWD") <= note.amount <= Money("0.05", "KWD")


@given(ks.dates(JANUARY.start or dt.date.min, JANUARY.end or dt.date.max))
def test_dates_stay_in_bounds(day: dt.date) -> None:
    assert JANUARY.contains(day)


@given(ks.dates(dt.date(2100, 1, 1), dt.date(2100, 12, 31)))
def test_dates_of_a_year_without_a_leap_day_stay_in_it(day: dt.date) -> None:
    assert day.year == 2100


def test_dates_include_leap_days_and_month_ends() -> None:
    leap_day = find(ks.dates(), lambda d: (d.month, d.day) == (2, 29))
    month_end = find(
        ks.dates(), lambda d: d.month != 2 and (d + dt.timedelta(days=1)).day == 1
    )
    assert (leap_day.month, leap_day.day) == (2, 29)
    assert month_end.day in (30, 31)


@given(ks.date_ranges())
def test_date_ranges_are_ordered(period: DateRange) -> None:
    if period.start is not None and period.end is not None:
        assert period.start <= period.end


@given(ks.instants())
def test_instants_are_aware(instant: dt.datetime) -> None:
    assert instant.utcoffset() is not None


@given(ks.relativedelta_terms())
def test_terms_are_valid_contract_terms(term: relativedelta) -> None:
    assert validate_term(term) is term


@given(ks.percentages(), ks.rates())
def test_percentages_and_rates_stay_in_their_default_bounds(
    percentage: Percentage, rate: Rate
) -> None:
    assert Decimal(0) <= percentage.value <= Decimal(100)
    assert Decimal(0) <= rate.value <= Decimal(10)


@given(ks.tickets(resolved=True))
def test_resolved_tickets_close_after_they_open(ticket: Ticket) -> None:
    assert ticket.resolved_at is not None
    assert ticket.resolved_at >= ticket.opened_at


@given(ks.notifications(kind="renewal_alert"))
def test_notifications_carry_string_payloads(notification: Notification) -> None:
    assert notification.kind == "renewal_alert"
    assert all(isinstance(v, str) for v in notification.data().values())


@given(ks.ids(ClientId))
def test_ids_are_not_blank(client_id: ClientId) -> None:
    assert client_id.strip() == client_id != ""


@given(ks.aggregates())
def test_aggregates_are_new_stored_entities(
    aggregate: Client | ClientGroup | Product | Order | Invoice | Ticket | Activity,
) -> None:
    assert aggregate.version == 0


@given(st.data())
def test_products_and_groups_can_be_drawn_together(data: st.DataObject) -> None:
    product = data.draw(ks.products(active=True))
    group = data.draw(ks.client_groups())
    assert product.active
    assert group.name.strip() != ""

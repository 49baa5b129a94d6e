"""The published strategies build valid values and honour what they pin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from kamcore.accounts import (
    AdHocDiscount,
    Client,
    CreditNote,
    Invoice,
    InvoiceStatus,
    LineItem,
    Order,
    OrderStatus,
    Payment,
    PriceExplanation,
    Product,
    Ticket,
)
from kamcore.kernel import (
    ClientId,
    DateRange,
    Money,
    Percentage,
    PriceListId,
    Rate,
    billed_problem,
    currency_precision,
    validate_term,
)
from kamcore.ports import Notification
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceList,
    PriceListKind,
)
from kamcore.testing import strategies as ks
from kamcore.testing._entity_strategies import AnyAggregate


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


def test_invoices_sometimes_redeem_points_and_then_are_paid() -> None:
    redeemed: list[Invoice] = []

    @settings(max_examples=50)
    @given(ks.invoices(status=InvoiceStatus.ISSUED))
    def record(invoice: Invoice) -> None:
        if invoice.redemptions and invoice.payments:
            redeemed.append(invoice)

    record()
    assert redeemed, "the strategy never redeems points on a paid invoice"


@given(ks.invoices(redeemed=True))
def test_redeemed_invoices_total_their_lines_less_the_points(invoice: Invoice) -> None:
    assert invoice.status is InvoiceStatus.ISSUED
    assert invoice.redemptions
    lines = sum((line.total.amount for line in invoice.lines), Decimal(0))
    points = sum((r.amount.amount for r in invoice.redemptions), Decimal(0))
    assert invoice.total.amount == lines - points
    assert invoice.total.amount >= 0


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


@given(ks.payments() | ks.credit_notes())
def test_payments_and_credit_notes_are_valid_billed_amounts(
    item: Payment | CreditNote,
) -> None:
    assert billed_problem(item.amount.amount, item.amount.currency) is None


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
def test_aggregates_are_new_stored_entities(aggregate: AnyAggregate) -> None:
    assert aggregate.version == 0


@pytest.mark.parametrize("kind", [PriceList, DiscountGroup])
def test_aggregates_include_every_kind(kind: type[AnyAggregate]) -> None:
    assert isinstance(find(ks.aggregates(), lambda a: isinstance(a, kind)), kind)


# -- pricing ------------------------------------------------------------------


@given(ks.price_lists(currency="JPY", kind=PriceListKind.GROUP))
def test_price_lists_are_valid_and_honour_pinned_fields(price_list: PriceList) -> None:
    assert (price_list.currency, price_list.kind) == ("JPY", PriceListKind.GROUP)
    price_list.validate()
    assert price_list.conflicts() == ()
    for item in price_list.items:
        if item.unit_price is not None:
            assert item.unit_price.currency == "JPY"
        else:
            assert item.derived is not None
            assert item.derived.source != price_list.id
    assert price_list.version == 0


def test_price_lists_come_with_quantity_breaks_and_derived_items() -> None:
    found = find(
        ks.price_lists(),
        lambda pl: (
            len({i.product for i in pl.items}) < len(pl.items)
            and any(i.derived is not None for i in pl.items)
        ),
        # Reachability is the point: the first example found will do, unshrunk.
        settings=settings(phases=[Phase.generate], max_examples=5000, database=None),
    )
    assert len(found.items) >= 2


@given(ks.derivations(source=PriceListId("base")))
def test_derivations_honour_their_source(derivation: Derivation) -> None:
    assert derivation.source == "base"
    assert -100 <= derivation.adjustment.value <= 100


@given(ks.discount_groups())
def test_discount_groups_have_no_conflicting_rules(group: DiscountGroup) -> None:
    group.validate()
    for rule in group.rules:
        assert Decimal(0) < rule.percentage.value <= Decimal(100)
        assert (rule.target is None) == (rule.scope is DiscountScope.ALL)


@given(ks.discount_rules(scope=DiscountScope.CATEGORY))
def test_discount_rules_honour_their_scope(rule: DiscountRule) -> None:
    assert rule.scope is DiscountScope.CATEGORY
    assert rule.target


@given(ks.ad_hoc_discounts(max_amount=Money("0.05", "KWD")))
def test_ad_hoc_discounts_stay_within_their_ceiling(discount: AdHocDiscount) -> None:
    ceiling = Money("0.05", "KWD")
    assert discount.value_on(ceiling) <= ceiling
    if discount.amount is not None:
        assert discount.amount.currency == "KWD"


@given(ks.line_items("EUR", ad_hoc=True))
def test_ad_hoc_discounts_never_exceed_the_line(line: LineItem) -> None:
    assert line.ad_hoc is not None
    assert line.ad_hoc_value <= line.gross_total
    assert line.total == line.gross_total - line.ad_hoc_value
    assert not line.total.is_negative()


@given(ks.line_items(ad_hoc=False, explained=False))
def test_line_items_can_be_plain(line: LineItem) -> None:
    assert (line.ad_hoc, line.explanation) == (None, None)


def test_line_items_sometimes_carry_an_ad_hoc_discount() -> None:
    found = find(ks.line_items(), lambda line: line.ad_hoc is not None)
    assert found.ad_hoc is not None
    plain = find(ks.line_items(), lambda line: line.ad_hoc is None)
    assert plain.ad_hoc is None


@given(ks.price_explanations("CHF"))
def test_price_explanations_are_in_their_currency(
    explanation: PriceExplanation,
) -> None:
    amounts = [step.amount for step in explanation.steps] + [
        c.unit_price for c in explanation.candidates if c.unit_price is not None
    ]
    assert {amount.currency for amount in amounts} == {"CHF"}
    assert explanation.source_kind in {"base", "group", "client"}


@given(ks.products(currency="BHD"))
def test_product_costs_and_floors_share_a_currency(product: Product) -> None:
    for amount in (product.cost, product.floor_price):
        if amount is not None:
            assert amount.currency == "BHD"
            assert not amount.is_negative()


def test_products_sometimes_have_a_cost_and_a_floor() -> None:
    found = find(
        ks.products(), lambda p: p.cost is not None and p.floor_price is not None
    )
    assert found.cost is not None


@given(st.data())
def test_products_and_groups_can_be_drawn_together(data: st.DataObject) -> None:
    product = data.draw(ks.products(active=True))
    group = data.draw(ks.client_groups())
    assert product.active
    assert group.name.strip() != ""

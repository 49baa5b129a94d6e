"""Pricing documents: staged rounding, ad-hoc discounts beside the price, frozen
prices, explicit re-pricing, orders and invoices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from pricing_samples import catalogue_for

from kamcore.accounts import (
    AdHocDiscount,
    Client,
    ClientGroup,
    Order,
    OrderStatus,
)
from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import (
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    InvoiceId,
    ManagerId,
    Money,
    OrderId,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PriceNotFoundError,
    PricingConfigurationError,
    PricingIndex,
)
from kamcore.pricing._documents import (
    DocumentKind,
    LineRequest,
    PricedDocument,
    price_document,
)
from kamcore.pricing._repricing import reprice, reprice_order

VALVE = ProductId("valve")
PUMP = ProductId("pump")
GASKET = ProductId("gasket")
DAY = dt.date(2026, 3, 2)
KIM = ManagerId("kim")


ACME = Client(id=ClientId("acme"), name="Acme", currency="EUR", locale="en_GB")


def client(currency: str = "EUR", **fields: Any) -> Client:
    return attrs.evolve(ACME, currency=currency, **fields)


def base(*items: PriceItem, currency: str = "EUR") -> PriceList:
    return PriceList(
        id=PriceListId("base"),
        name="Base",
        currency=currency,
        kind=PriceListKind.BASE,
        items=items,
    )


def fixed(product: ProductId, price: str, currency: str = "EUR") -> PriceItem:
    return PriceItem(product=product, unit_price=Money(price, currency))


def index_of(*items: PriceItem, currency: str = "EUR") -> PricingIndex:
    lists = [base(*items, currency=currency)]
    return PricingIndex(lists, products=catalogue_for(lists))


def ask(
    product: ProductId = VALVE, quantity: str = "3", ad_hoc: AdHocDiscount | None = None
) -> LineRequest:
    return LineRequest(product=product, quantity=Decimal(quantity), ad_hoc=ad_hoc)


def price(
    index: PricingIndex,
    *lines: LineRequest,
    who: Client = ACME,
    on: dt.date = DAY,
    kind: DocumentKind = DocumentKind.ORDER,
    explain: bool = False,
) -> PricedDocument:
    return price_document(
        index, who, lines or [ask()], pricing_date=on, kind=kind, explain=explain
    )


def percent_off(value: str) -> AdHocDiscount:
    return AdHocDiscount(
        reason="late delivery", granted_by=KIM, percentage=Percentage(value)
    )


def amount_off(value: str, currency: str = "EUR") -> AdHocDiscount:
    return AdHocDiscount(
        reason="late delivery", granted_by=KIM, amount=Money(value, currency)
    )


# -- staged rounding ----------------------------------------------------------


def test_eur_line_total_rounds_half_up_to_the_cent() -> None:
    document = price(index_of(fixed(VALVE, "13.7350")))
    line = document.lines[0]
    assert (line.unit_price, line.gross_total, line.total) == (
        Money("13.7350", "EUR"),
        Money("41.21", "EUR"),
        Money("41.21", "EUR"),
    )


def test_jpy_line_total_rounds_half_up_to_the_yen() -> None:
    index = index_of(fixed(VALVE, "333.5", "JPY"), currency="JPY")
    document = price(index, who=client("JPY"))
    assert document.lines[0].total == Money("1001", "JPY")


def test_kwd_line_total_rounds_half_up_to_the_fils() -> None:
    index = index_of(fixed(VALVE, "1.2345", "KWD"), currency="KWD")
    document = price(index, who=client("KWD"))
    assert document.lines[0].total == Money("3.704", "KWD")


def test_unit_price_is_rounded_before_the_line_total() -> None:
    # 0.6667 less 50 % is 0.33335: the unit price rounds to 0.3334 first, so
    # 1000 units cost 333.40, not 333.35.
    half_off = DiscountGroup(
        id=DiscountGroupId("half"),
        name="Half",
        rules=(DiscountRule(scope=DiscountScope.ALL, percentage=Percentage(50)),),
    )
    lists = [base(fixed(VALVE, "0.6667"))]
    index = PricingIndex(
        lists, discount_groups=[half_off], products=catalogue_for(lists)
    )
    who = client(discount_group=DiscountGroupId("half"))
    line = price(index, ask(quantity="1000"), who=who).lines[0]
    assert (line.unit_price, line.total) == (
        Money("0.3334", "EUR"),
        Money("333.40", "EUR"),
    )


def test_document_total_is_the_sum_of_the_rounded_line_totals() -> None:
    # 41.2050 + 0.005 is 41.21 once rounded, but the lines are 41.21 and 0.01.
    index = index_of(fixed(VALVE, "13.7350"), fixed(PUMP, "0.005"))
    document = price(index, ask(VALVE, "3"), ask(PUMP, "1"))
    assert [line.total for line in document.lines] == [
        Money("41.21", "EUR"),
        Money("0.01", "EUR"),
    ]
    assert document.total == Money("41.22", "EUR")


# -- ad-hoc discounts ---------------------------------------------------------


def test_percentage_ad_hoc_reduces_the_line_total_not_the_unit_price() -> None:
    document = price(index_of(fixed(VALVE, "13.7350")), ask(ad_hoc=percent_off("10")))
    line = document.lines[0]
    assert (line.unit_price, line.ad_hoc_value, line.total) == (
        Money("13.7350", "EUR"),
        Money("4.12", "EUR"),
        Money("37.09", "EUR"),
    )


def test_amount_ad_hoc_reduces_the_line_total_not_the_unit_price() -> None:
    document = price(index_of(fixed(VALVE, "13.7350")), ask(ad_hoc=amount_off("5.00")))
    line = document.lines[0]
    assert (line.unit_price, line.ad_hoc_value, line.total) == (
        Money("13.7350", "EUR"),
        Money("5.00", "EUR"),
        Money("36.21", "EUR"),
    )


def test_ad_hoc_discount_is_kept_on_the_line_with_reason_and_grantor() -> None:
    discount = percent_off("10")
    document = price(index_of(fixed(VALVE, "13.7350")), ask(ad_hoc=discount))
    assert document.lines[0].ad_hoc == discount


def test_document_gross_ad_hoc_and_net_totals_reconcile() -> None:
    index = index_of(fixed(VALVE, "13.7350"), fixed(PUMP, "20.00"))
    document = price(
        index, ask(VALVE, "3", percent_off("10")), ask(PUMP, "2", amount_off("1.50"))
    )
    assert (document.gross_total, document.ad_hoc_total, document.total) == (
        Money("81.21", "EUR"),
        Money("5.62", "EUR"),
        Money("75.59", "EUR"),
    )


def test_ad_hoc_worth_more_than_its_line_is_refused_at_the_line_path() -> None:
    with pytest.raises(ValidationError) as caught:
        price(index_of(fixed(VALVE, "13.7350")), ask(ad_hoc=amount_off("50.00")))
    assert caught.value.messages == [
        "is more than the line total 41.21 EUR @ lines[0].ad_hoc.amount"
    ]


# -- explanations -------------------------------------------------------------


def test_every_line_keeps_an_explanation_from_its_unit_price_to_its_total() -> None:
    index = index_of(fixed(VALVE, "13.7350"), fixed(PUMP, "20.00"))
    document = price(index, ask(VALVE), ask(PUMP), explain=True)
    ends = [
        (
            line.explanation.source,
            [
                step.amount
                for step in line.explanation.steps
                if step.label == "unit price"
            ],
            line.explanation.steps[-1].amount,
        )
        for line in document.lines
        if line.explanation is not None
    ]
    assert ends == [
        ("base.items[0]", [Money("13.7350", "EUR")], Money("41.21", "EUR")),
        ("base.items[1]", [Money("20.0000", "EUR")], Money("60.00", "EUR")),
    ]


def test_explanations_are_built_for_the_document_or_the_lines_that_ask() -> None:
    index = index_of(fixed(VALVE, "13.7350"), fixed(PUMP, "20.00"))
    plain = price(index, ask(VALVE), ask(PUMP))
    assert [line.explanation for line in plain.lines] == [None, None]
    one = price(
        index,
        ask(VALVE),
        LineRequest(product=PUMP, quantity=Decimal(1), explain=True),
    )
    assert one.lines[0].explanation is None
    explained = one.lines[1].explanation
    assert explained is not None
    assert explained.source == "base.items[1]"
    assert [step.amount for step in explained.steps][-1] == Money("20.00", "EUR")
    everything = price(index, ask(VALVE), ask(PUMP), explain=True)
    assert all(line.explanation is not None for line in everything.lines)
    # The same prices and totals, explained or not.
    assert [attrs.evolve(line, explanation=None) for line in everything.lines] == list(
        plain.lines
    )
    assert (plain.total, plain.gross_total) == (
        everything.total,
        everything.gross_total,
    )


def test_a_request_refuses_an_explain_flag_that_is_not_a_boolean() -> None:
    with pytest.raises(ValidationError) as caught:
        LineRequest(product=VALVE, quantity=Decimal(1), explain="yes")  # type: ignore[arg-type]
    assert caught.value.messages == ["expected bool, got str @ explain"]


# -- currencies, dates and errors ---------------------------------------------


def test_document_currency_defaults_to_the_clients() -> None:
    assert price(index_of(fixed(VALVE, "13.7350"))).currency == "EUR"


def test_document_in_another_currency_than_the_client_is_a_mismatch() -> None:
    with pytest.raises(CurrencyMismatchError) as caught:
        price_document(
            index_of(fixed(VALVE, "13.7350")),
            ACME,
            [ask()],
            pricing_date=DAY,
            kind=DocumentKind.ORDER,
            currency="USD",
        )
    assert (caught.value.expected, caught.value.actual) == ("USD", "EUR")


def test_unknown_document_currency_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        price_document(
            index_of(fixed(VALVE, "13.7350")),
            ACME,
            [ask()],
            pricing_date=DAY,
            kind=DocumentKind.ORDER,
            currency="EURO",
        )
    assert caught.value.messages == ["unknown ISO 4217 currency code 'EURO' @ currency"]


def test_pricing_date_must_be_a_date_not_a_datetime() -> None:
    moment = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as caught:
        price(index_of(fixed(VALVE, "13.7350")), on=moment)
    assert caught.value.messages == ["expected a date, got a datetime @ pricing_date"]


def test_document_without_lines_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        price_document(
            index_of(fixed(VALVE, "13.7350")),
            ACME,
            [],
            pricing_date=DAY,
            kind=DocumentKind.ORDER,
        )
    assert caught.value.messages == ["needs at least one line @ lines"]


def test_a_line_without_price_raises_and_prices_nothing() -> None:
    # The gasket is in the catalogue, but no list prices it.
    lists = [base(fixed(VALVE, "13.7350"), fixed(GASKET, "1.00"))]
    index = PricingIndex([base(fixed(VALVE, "13.7350"))], products=catalogue_for(lists))
    with pytest.raises(PriceNotFoundError) as caught:
        price(index, ask(VALVE), ask(GASKET))
    assert (caught.value.product, caught.value.on) == (GASKET, DAY)


def test_a_pricing_conflict_raises_and_prices_nothing() -> None:
    lists = [
        PriceList(
            id=PriceListId(name),
            name=name,
            currency="EUR",
            kind=PriceListKind.GROUP,
            items=(fixed(VALVE, value),),
        )
        for name, value in (("north", "10.00"), ("south", "11.00"))
    ]
    groups = [
        ClientGroup(id=ClientGroupId(name), name=name, price_list=PriceListId(name))
        for name in ("north", "south")
    ]
    index = PricingIndex(lists, client_groups=groups, products=catalogue_for(lists))
    who = client(groups=frozenset({ClientGroupId("north"), ClientGroupId("south")}))
    with pytest.raises(PricingConfigurationError) as caught:
        price(index, who=who)
    assert caught.value.sources == ("north.items[0]", "south.items[0]")


def test_line_request_refuses_a_zero_quantity() -> None:
    with pytest.raises(ValidationError) as caught:
        LineRequest(product=VALVE, quantity=Decimal(0))
    assert caught.value.messages == ["must be greater than zero @ quantity"]


# -- frozen prices and explicit re-pricing ------------------------------------


def test_priced_document_keeps_its_prices_after_a_list_change() -> None:
    old_list = base(fixed(VALVE, "13.7350"))
    document = price(PricingIndex([old_list], products=catalogue_for([old_list])))
    snapshot = (document.lines, document.total)
    PricingIndex(
        [attrs.evolve(old_list, items=(fixed(VALVE, "15.00"),))],
        products=catalogue_for([old_list]),
    )
    assert (document.lines, document.total) == snapshot
    assert document.total == Money("41.21", "EUR")


def test_reprice_resolves_again_with_the_new_lists() -> None:
    old_list = base(fixed(VALVE, "13.7350"))
    document = price(PricingIndex([old_list], products=catalogue_for([old_list])))
    new_index = PricingIndex(
        [attrs.evolve(old_list, items=(fixed(VALVE, "15.00"),))],
        products=catalogue_for([old_list]),
    )
    repriced = reprice(document, new_index, ACME)
    assert (repriced.lines[0].unit_price, repriced.total, document.total) == (
        Money("15.00", "EUR"),
        Money("45.00", "EUR"),
        Money("41.21", "EUR"),
    )


def test_reprice_keeps_the_original_date_kind_and_requests() -> None:
    discount = percent_off("10")
    document = price(
        index_of(fixed(VALVE, "13.7350")),
        ask(VALVE, "3", discount),
        kind=DocumentKind.PROPOSAL,
    )
    repriced = reprice(document, index_of(fixed(VALVE, "15.00")), ACME)
    line = repriced.lines[0]
    assert (repriced.pricing_date, repriced.kind, line.quantity, line.ad_hoc) == (
        DAY,
        DocumentKind.PROPOSAL,
        Decimal(3),
        discount,
    )


def test_reprice_at_a_given_date_uses_the_items_valid_then() -> None:
    april = dt.date(2026, 4, 1)
    index = index_of(
        PriceItem(
            product=VALVE,
            unit_price=Money("13.7350", "EUR"),
            valid_to=april - dt.timedelta(days=1),
        ),
        PriceItem(product=VALVE, unit_price=Money("14.00", "EUR"), valid_from=april),
    )
    document = price(index)
    repriced = reprice(document, index, ACME, pricing_date=april)
    assert (repriced.pricing_date, repriced.total) == (april, Money("42.00", "EUR"))


def test_reprice_for_another_client_is_refused() -> None:
    document = price(index_of(fixed(VALVE, "13.7350")))
    other = attrs.evolve(ACME, id=ClientId("globex"))
    with pytest.raises(ValidationError) as caught:
        reprice(document, index_of(fixed(VALVE, "13.7350")), other)
    assert caught.value.messages == ["the document belongs to client acme @ client"]


# -- orders and invoices ------------------------------------------------------


def test_to_order_carries_the_lines_as_priced() -> None:
    document = price(index_of(fixed(VALVE, "13.7350")), ask(ad_hoc=percent_off("10")))
    order = document.to_order(OrderId("O-1"))
    assert (order.lines, order.total, order.order_date, order.status) == (
        document.lines,
        Money("37.09", "EUR"),
        DAY,
        OrderStatus.OPEN,
    )


def test_to_invoice_carries_the_lines_as_priced() -> None:
    document = price(index_of(fixed(VALVE, "13.7350")), ask(ad_hoc=percent_off("10")))
    due = dt.date(2026, 4, 1)
    invoice = document.to_invoice(InvoiceId("I-1"), due_date=due)
    assert (invoice.lines, invoice.total, invoice.issue_date, invoice.due_date) == (
        document.lines,
        Money("37.09", "EUR"),
        DAY,
        due,
    )


def test_to_invoice_refuses_a_due_date_before_the_pricing_date() -> None:
    document = price(index_of(fixed(VALVE, "13.7350")))
    with pytest.raises(ValidationError) as caught:
        document.to_invoice(InvoiceId("I-1"), due_date=DAY - dt.timedelta(days=1))
    assert caught.value.messages == ["is before the issue date 2026-03-02 @ due_date"]


def stored_order() -> Order:
    document = price(index_of(fixed(VALVE, "13.7350")), ask(ad_hoc=percent_off("10")))
    return attrs.evolve(
        document.to_order(OrderId("O-1"), status=OrderStatus.FULFILLED, closed_on=DAY),
        version=4,
    )


def test_reprice_order_keeps_id_status_version_and_date() -> None:
    order = stored_order()
    repriced = reprice_order(order, index_of(fixed(VALVE, "15.00")), ACME)
    assert (repriced.id, repriced.status, repriced.version, repriced.order_date) == (
        OrderId("O-1"),
        OrderStatus.FULFILLED,
        4,
        DAY,
    )


def test_reprice_order_gives_new_lines_and_leaves_the_order_untouched() -> None:
    order = stored_order()
    repriced = reprice_order(order, index_of(fixed(VALVE, "15.00")), ACME)
    assert (repriced.lines[0].unit_price, repriced.total, order.total) == (
        Money("15.00", "EUR"),
        Money("40.50", "EUR"),
        Money("37.09", "EUR"),
    )


def test_reprice_order_for_another_client_is_refused() -> None:
    other = attrs.evolve(ACME, id=ClientId("globex"))
    with pytest.raises(ValidationError) as caught:
        reprice_order(stored_order(), index_of(fixed(VALVE, "15.00")), other)
    assert caught.value.messages == ["the order belongs to client acme @ client"]

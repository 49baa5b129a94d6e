"""Seed workflow 3 end to end: a dedicated price list for a strategic account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kamcore.accounts import Client, ClientGroup, Product
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.errors import CurrencyMismatchError, NotFoundError, ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    ManagerId,
    Money,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    LineRequest,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingConfigurationError,
)
from kamcore.services import (
    add_negotiated_prices,
    assign_price_list,
    create_client_price_list,
    invoice_client,
    load_pricing_index,
)

VALVE, PUMP = ProductId("valve"), ProductId("pump")
ACME = ClientId("acme")
MARCH = dt.date(2026, 3, 2)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        unit.products.add(
            Product(id=VALVE, name="Valve", category=CategoryId("valves"))
        )
        unit.products.add(Product(id=PUMP, name="Pump", category=CategoryId("pumps")))
        unit.price_lists.add(
            PriceList(
                id=PriceListId("base"),
                name="Base",
                currency="EUR",
                kind=PriceListKind.BASE,
                items=(
                    PriceItem(product=VALVE, unit_price=Money("44.80", "EUR")),
                    PriceItem(product=PUMP, unit_price=Money("1840.00", "EUR")),
                ),
            )
        )
        unit.price_lists.add(
            PriceList(
                id=PriceListId("dach"),
                name="DACH",
                currency="EUR",
                kind=PriceListKind.GROUP,
            )
        )
        unit.client_groups.add(
            ClientGroup(
                id=ClientGroupId("dach"),
                name="DACH",
                priority=1,
                price_list=PriceListId("dach"),
            )
        )
        unit.clients.add(
            Client(
                id=ACME,
                name="ACME",
                currency="EUR",
                locale="de_DE",
                key_account=True,
                account_manager=ManagerId("m.rossi"),
                groups=frozenset({ClientGroupId("dach")}),
            )
        )
        unit.commit()
    return unit


def valves(quantity: int) -> list[LineRequest]:
    return [LineRequest(product=VALVE, quantity=Decimal(quantity))]


def test_next_invoice_applies_the_negotiated_prices(uow: InMemoryUnitOfWork) -> None:
    ids = SequentialIdSource()
    before, _ = invoice_client(
        uow,
        ids,
        load_pricing_index(uow),
        client=ACME,
        lines=valves(10),
        issue_date=MARCH,
        due_date=MARCH + dt.timedelta(days=30),
    )
    assert before.total == Money("448.00", "EUR")

    negotiated = create_client_price_list(uow, ids, client=ACME, name="ACME 2026")
    assert (negotiated.id, negotiated.currency, negotiated.version) == (
        "price_list-000001",
        "EUR",
        1,
    )
    add_negotiated_prices(
        uow,
        negotiated.id,
        [
            PriceItem(product=VALVE, unit_price=Money("39.90", "EUR")),
            PriceItem(
                product=VALVE,
                unit_price=Money("37.50", "EUR"),
                min_quantity=Decimal(50),
            ),
        ],
    )
    client = assign_price_list(uow, client=ACME, price_list=negotiated.id)
    assert (client.price_list, client.version) == (negotiated.id, 2)

    after, document = invoice_client(
        uow,
        ids,
        load_pricing_index(uow),
        client=ACME,
        lines=valves(60),
        issue_date=MARCH,
        due_date=MARCH + dt.timedelta(days=30),
    )
    assert after.total == Money("2250.00", "EUR")
    line = after.lines[0]
    assert line.unit_price == Money("37.5000", "EUR")
    assert line.explanation is not None
    assert (line.explanation.source, line.explanation.source_kind) == (
        "price_list-000001.items[1]",
        "client",
    )
    assert document.total == after.total
    with uow:
        assert [i.id for i in uow.invoices.find(client=ACME)] == [
            "invoice-000001",
            "invoice-000002",
        ]
        assert uow.invoices.get(before.id).total == Money("448.00", "EUR")


def test_a_conflicting_negotiated_price_saves_nothing(uow: InMemoryUnitOfWork) -> None:
    ids = SequentialIdSource()
    listed = create_client_price_list(
        uow,
        ids,
        client=ACME,
        name="ACME 2026",
        items=[PriceItem(product=VALVE, unit_price=Money("39.90", "EUR"))],
    )
    with pytest.raises(PricingConfigurationError) as caught:
        add_negotiated_prices(
            uow, listed.id, [PriceItem(product=VALVE, unit_price=Money("38.00", "EUR"))]
        )
    assert caught.value.sources == (
        "price_list-000001.items[0]",
        "price_list-000001.items[1]",
    )
    with uow:
        assert uow.price_lists.get(listed.id) == listed


def test_a_group_list_cannot_be_a_dedicated_list(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(ValidationError) as caught:
        assign_price_list(uow, client=ACME, price_list=PriceListId("dach"))
    assert caught.value.messages == [
        "dach is a group list; a client's dedicated list must be a client list "
        "@ price_list"
    ]
    with uow:
        assert uow.clients.get(ACME).price_list is None


def test_a_list_in_another_currency_is_refused(uow: InMemoryUnitOfWork) -> None:
    with uow:
        uow.price_lists.add(
            PriceList(
                id=PriceListId("acme-chf"),
                name="CHF",
                currency="CHF",
                kind=PriceListKind.CLIENT,
            )
        )
        uow.commit()
    with pytest.raises(CurrencyMismatchError) as caught:
        assign_price_list(uow, client=ACME, price_list=PriceListId("acme-chf"))
    assert (caught.value.expected, caught.value.actual) == ("EUR", "CHF")
    with uow:
        assert uow.clients.get(ACME).version == 1


def test_a_list_for_an_unknown_client_is_not_created(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        create_client_price_list(
            uow, SequentialIdSource(), client=ClientId("ghost"), name="x"
        )
    with uow:
        assert [p.id for p in uow.price_lists.all()] == ["base", "dach"]


def test_an_invoice_that_cannot_be_priced_is_not_stored(
    uow: InMemoryUnitOfWork,
) -> None:
    # A product the catalogue lacks is a configuration error, never skipped.
    with pytest.raises(PricingConfigurationError):
        invoice_client(
            uow,
            SequentialIdSource(),
            load_pricing_index(uow),
            client=ACME,
            lines=[LineRequest(product=ProductId("unknown"), quantity=Decimal(1))],
            issue_date=MARCH,
            due_date=MARCH,
        )
    with uow:
        assert uow.invoices.all() == []

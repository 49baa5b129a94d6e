"""The public API as a user types it, checked by ``mypy --strict``.

Positive lines use ``assert_type``; negative lines carry a ``type: ignore`` with
the expected error code. mypy's ``warn_unused_ignores`` (on under ``strict``)
turns an ignore that is no longer needed into an error, so if a type guarantee
weakens -- ids become interchangeable, floats slip into Money -- the type check
fails. The test bodies also run, so every line stays valid at run time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import assert_type

import pytest

from kamcore.accounts import Client, Invoice, InvoiceState, Product
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryUnitOfWork
from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, Money, Percentage, PriceListId, ProductId
from kamcore.ports import Clock, IdSource, UnitOfWork
from kamcore.pricing import DiscountGroup, PriceList, PriceListKind
from kamcore.serialization import structure, unstructure


def test_money_arithmetic_keeps_its_type() -> None:
    price = Money("13.7350", "EUR")
    assert_type(price * Decimal(3), Money)
    assert_type(price + price, Money)
    assert_type(price.rounded(), Money)
    assert_type(Percentage("8").of(price), Money)
    assert_type(price.rounded().allocate([1, 2]), tuple[Money, ...])
    with pytest.raises(ValidationError):
        Money(1.5, "EUR")  # type: ignore[arg-type]


def test_ids_are_distinct_types() -> None:
    ids: IdSource = SequentialIdSource()
    client_id = ids.new_id(ClientId)
    assert_type(client_id, ClientId)
    assert client_id == "client-000001"
    uow: UnitOfWork = InMemoryUnitOfWork()
    with uow, pytest.raises(LookupError):
        uow.products.get(client_id)  # type: ignore[arg-type]


def test_repositories_return_their_aggregate() -> None:
    uow: UnitOfWork = InMemoryUnitOfWork()
    with uow:
        product = uow.products.add(
            Product(id=ProductId("p"), name="Valve", category=ProductId("c"))  # type: ignore[arg-type]
        )
        assert_type(product, Product)
        assert_type(uow.clients.find(key_account=True), list[Client])
        assert_type(uow.invoices.outstanding(as_of=dt.date(2026, 1, 1)), list[Invoice])
        assert_type(uow.price_lists.find(kind=PriceListKind.BASE), list[PriceList])
        assert_type(uow.discount_groups.all(), list[DiscountGroup])
        uow.price_lists.find(kind="base")  # type: ignore[arg-type]
        with pytest.raises(LookupError):
            uow.discount_groups.get(PriceListId("base"))  # type: ignore[arg-type]


def test_clock_and_serialization_are_typed() -> None:
    clock: Clock = FixedClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert_type(clock.today(), dt.date)
    money_data = {"amount": "1.00", "currency": "EUR"}
    money = structure(money_data, Money)
    assert_type(money, Money)
    assert unstructure(money) == {"amount": "1.00", "currency": "EUR"}
    invoice = structure(
        {
            "id": "INV-1",
            "client": "acme",
            "issue_date": "2026-01-01",
            "due_date": "2026-01-31",
            "currency": "EUR",
            "lines": [
                {"product": "p", "quantity": "1", "unit_price": money_data},
            ],
        },
        Invoice,
    )
    assert_type(invoice.state(clock.today()), InvoiceState)

"""``PricingIndex.resolve`` checks its arguments as ``LineRequest`` does.

A float, a string or a non-positive quantity, a datetime for the date, a
client that is not a ``Client``, a blank product or a malformed currency is a
``ValidationError`` naming the argument and the value: never a bare
``TypeError``, never a price. A currency other than the client's lists' is a
``CurrencyMismatchError``; document pricing passes the document's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pricing_samples import DAY, VALVE, base, catalogue_for, client, index, item

from kamcore.accounts import Client, PriceExplanation
from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import Money, ProductId, validate_currency
from kamcore.pricing import (
    DocumentKind,
    LineRequest,
    PricingIndex,
    ResolvedPrice,
    price_document,
)

IDX = index(base(item(price="12.00")))
ACME = client()
VALID: dict[str, Any] = {
    "client": ACME,
    "product": VALVE,
    "quantity": Decimal(5),
    "on": DAY,
}


def refused(idx: PricingIndex = IDX, **changes: Any) -> ValidationError:
    arguments = {**VALID, **changes}
    with pytest.raises(ValidationError) as caught:
        idx.resolve(**arguments)
    return caught.value


def test_a_float_quantity_is_refused() -> None:
    error = refused(quantity=5.0)
    assert error.messages == ["floats are refused: pass a Decimal @ quantity"]
    assert error.errors[0].value == 5.0


def test_a_string_quantity_is_refused_naming_the_argument() -> None:
    error = refused(quantity="5")
    assert error.messages == ["expected Decimal, got str @ quantity"]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (Decimal(0), "must be greater than zero"),
        (Decimal(-3), "must be greater than zero"),
        (Decimal("NaN"), "must be a finite number"),
        (Decimal("Infinity"), "must be a finite number"),
    ],
)
def test_a_quantity_must_be_a_positive_finite_decimal(
    quantity: Decimal, message: str
) -> None:
    assert refused(quantity=quantity).messages == [f"{message} @ quantity"]


def test_a_datetime_as_the_pricing_date_is_refused() -> None:
    error = refused(on=dt.datetime(2026, 3, 15, 9, 30, tzinfo=dt.UTC))
    assert error.messages == ["expected a date, got a datetime @ on"]


def test_something_else_than_a_client_is_refused() -> None:
    error = refused(client="acme")
    assert error.messages == ["expected Client, got str @ client"]


def test_a_blank_product_is_refused() -> None:
    assert refused(product=" ").messages == ["must not be empty @ product"]


def test_a_malformed_currency_is_refused() -> None:
    error = refused(currency="eur")
    assert error.messages == [
        "unknown ISO 4217 currency code 'eur' (did you mean 'EUR'?) @ currency"
    ]


def test_every_bad_argument_is_named_at_once() -> None:
    error = refused(quantity=1.5, on="2026-03-15")
    assert [e.path for e in error.errors] == ["quantity", "on"]


def test_the_same_checks_guard_an_explained_resolution() -> None:
    with pytest.raises(ValidationError) as caught:
        IDX.resolve_explained(ACME, VALVE, 5.0, DAY)  # type: ignore[arg-type]  # the point
    assert caught.value.messages == ["floats are refused: pass a Decimal @ quantity"]


# -- the document currency -----------------------------------------------------


def test_resolving_in_another_currency_than_the_clients_lists_is_refused() -> None:
    idx = index(base(item(price="12.00")))
    with pytest.raises(CurrencyMismatchError) as caught:
        idx.resolve(client(), VALVE, Decimal(1), DAY, currency="USD")
    assert (caught.value.expected, caught.value.actual) == ("USD", "EUR")
    assert str(caught.value) == (
        "cannot price valve for client acme from its lists in EUR with USD: "
        "currencies differ and kamcore does no implicit conversion"
    )


def test_resolving_in_the_clients_own_currency_prices_as_usual() -> None:
    idx = index(base(item(price="12.00")))
    resolved = idx.resolve(client(), VALVE, Decimal(1), DAY, currency="EUR")
    assert resolved.unit_price == Money("12.0000", "EUR")


def test_an_explained_resolution_checks_the_currency_too() -> None:
    idx = index(base(item(price="12.00")))
    with pytest.raises(CurrencyMismatchError):
        idx.resolve_explained(client(), VALVE, Decimal(1), DAY, currency="CHF")


class CurrencySpy(PricingIndex):
    """An index that records the currency each line was resolved in."""

    seen: list[str | None]

    def resolve_explained(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        *,
        currency: str | None = None,
    ) -> tuple[ResolvedPrice, PriceExplanation]:
        self.seen.append(currency)
        return super().resolve_explained(
            client, product, quantity, on, currency=currency
        )

    def resolve(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        *,
        currency: str | None = None,
    ) -> ResolvedPrice:
        self.seen.append(currency)
        return super().resolve(client, product, quantity, on, currency=currency)


@pytest.mark.parametrize("explain", [False, True])
def test_document_pricing_resolves_every_line_in_the_document_currency(
    explain: bool,
) -> None:
    lists = [base(item(price="12.00"))]
    spy = CurrencySpy(lists, products=catalogue_for(lists))
    spy.seen = []
    price_document(
        spy,
        client(),
        [LineRequest(product=VALVE, quantity=Decimal(2))] * 2,
        pricing_date=DAY,
        kind=DocumentKind.ORDER,
        currency="EUR",
        explain=explain,
    )
    assert spy.seen == ["EUR", "EUR"]


# -- the class: any junk argument ------------------------------------------------


def not_a_currency(text: str) -> bool:
    try:
        validate_currency(text)
    except ValidationError:
        return True
    return False


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.binary(max_size=3),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
JUNK: dict[str, st.SearchStrategy[Any]] = {
    "client": ANYTHING | st.text(max_size=5) | st.just(VALVE) | st.dates(),
    "product": ANYTHING | st.sampled_from(["", "  "]) | st.decimals() | st.dates(),
    "quantity": ANYTHING
    | st.text(max_size=5)
    | st.decimals(max_value=0)
    | st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity")])
    | st.sampled_from([Decimal("Infinity")])
    | st.dates(),
    "on": ANYTHING | st.text(max_size=10) | st.decimals(),
    "currency": ANYTHING.filter(lambda v: v is not None)
    | st.text(max_size=4).filter(not_a_currency)
    | st.dates(),
}


@given(st.sampled_from(sorted(JUNK)).flatmap(lambda a: st.tuples(st.just(a), JUNK[a])))
def test_any_junk_argument_is_a_validation_error_naming_it(
    junk: tuple[str, Any],
) -> None:
    argument, value = junk
    arguments = {**VALID, argument: value}
    for resolve in (IDX.resolve, IDX.resolve_explained):
        with pytest.raises(ValidationError) as caught:
            resolve(**arguments)
        assert [e.path for e in caught.value.errors] == [argument]

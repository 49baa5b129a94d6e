"""QuoteRequest and QuoteLine: what a pricing service reads, and how it becomes
the lines the pricing engine takes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from pricing_catalogue import DAY, MANAGER, PUMP, VALVE, fair_deal, price

from kamcore.accounts import AdHocDiscount
from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, Money, ProductId
from kamcore.pricing import DocumentKind, LineRequest, QuoteLine, QuoteRequest
from kamcore.serialization import from_json, structure, to_json, unstructure

REQUEST: dict[str, Any] = {
    "client": "acme",
    "pricing_date": "2026-11-23",
    "lines": [
        {"product": "valve-dn50", "quantity": "12", "description": "for line 3"},
        {
            "product": "pump-p4",
            "quantity": 2,
            "explain": True,
            "ad_hoc": {
                "reason": "fair deal",
                "granted_by": "m-anna",
                "percentage": "20",
            },
        },
    ],
}


def test_a_request_reads_with_its_defaults() -> None:
    request = structure(REQUEST, QuoteRequest)
    assert request == QuoteRequest(
        client=ClientId("acme"),
        pricing_date=DAY,
        lines=(
            QuoteLine(product=VALVE, quantity=Decimal(12), description="for line 3"),
            QuoteLine(
                product=PUMP, quantity=Decimal(2), ad_hoc=fair_deal("20"), explain=True
            ),
        ),
    )
    assert request.kind is DocumentKind.ORDER
    assert request.currency is None
    assert request.explain is False


def test_a_request_round_trips_through_json() -> None:
    request = structure(
        {**REQUEST, "kind": "proposal", "currency": "EUR", "explain": True},
        QuoteRequest,
    )
    assert from_json(to_json(request), QuoteRequest) == request
    assert unstructure(request)["kind"] == "proposal"


def test_quote_lines_become_the_line_requests_the_engine_takes() -> None:
    request = structure(REQUEST, QuoteRequest)
    assert request.line_requests() == (
        LineRequest(product=VALVE, quantity=Decimal(12), description="for line 3"),
        LineRequest(
            product=PUMP, quantity=Decimal(2), ad_hoc=fair_deal("20"), explain=True
        ),
    )


def test_a_request_that_asks_for_explanations_asks_for_every_line() -> None:
    request = structure({**REQUEST, "explain": True}, QuoteRequest)
    assert [line.explain for line in request.line_requests()] == [True, True]


def test_the_lines_price_explained_only_where_asked() -> None:
    request = structure(REQUEST, QuoteRequest)
    document = price(list(request.line_requests()))
    assert [line.explanation is not None for line in document.lines] == [
        False,
        True,
    ]


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        (
            {"client": None},
            ["expected a string, got null @ $.client"],
        ),
        (
            {"lines": [{"product": "valve-dn50", "quantity": 3.5}]},
            ["expected a decimal string, got number 3.5 @ $.lines[0].quantity"],
        ),
        (
            {"lines": [{"product": "valve-dn50", "quantity": "0"}]},
            ["must be greater than zero @ $.lines[0].quantity"],
        ),
        ({"lines": []}, ["needs at least one line @ $.lines"]),
        (
            {"kind": "quote", "currency": "EUX"},
            [
                "expected one of 'order', 'invoice', 'proposal', got str 'quote' "
                "@ $.kind",
                "unknown ISO 4217 currency code 'EUX' @ $.currency",
            ],
        ),
        (
            {"currency": "eur"},
            ["unknown ISO 4217 currency code 'eur' (did you mean 'EUR'?) @ $.currency"],
        ),
        (
            {
                "lines": [
                    {
                        "product": "pump-p4",
                        "quantity": "1",
                        "ad_hoc": {"reason": "r", "granted_by": "m-anna"},
                    }
                ]
            },
            [
                "give exactly one of percentage and amount "
                "@ $.lines[0].ad_hoc.percentage"
            ],
        ),
        ({"explain": "yes"}, ["expected true or false, got str 'yes' @ $.explain"]),
        ({"colour": "red"}, ["unknown field 'colour' @ $"]),
    ],
)
def test_a_malformed_request_names_every_offending_path(
    change: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        from_json(json.dumps({**REQUEST, **change}), QuoteRequest)
    assert caught.value.subject == "QuoteRequest"
    assert caught.value.messages == messages


def test_a_missing_field_is_named() -> None:
    document = {k: v for k, v in REQUEST.items() if k != "pricing_date"}
    with pytest.raises(ValidationError) as caught:
        structure(document, QuoteRequest)
    assert caught.value.messages == ["required field missing @ $.pricing_date"]


def test_a_request_built_in_code_is_checked_in_full() -> None:
    with pytest.raises(ValidationError) as caught:
        QuoteRequest(
            client=ClientId(" "),
            pricing_date=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
            lines=[QuoteLine(product=VALVE, quantity=Decimal(1))],  # type: ignore[arg-type]  # a list where a tuple belongs, on purpose
            currency="EURO",
            explain=1,  # type: ignore[arg-type]  # on purpose
        )
    assert caught.value.messages == [
        "must not be empty @ client",
        "expected a date, got a datetime @ pricing_date",
        "expected tuple, got list @ lines",
        "unknown ISO 4217 currency code 'EURO' @ currency",
        "expected bool, got int @ explain",
    ]


def test_a_quote_line_is_checked_in_full() -> None:
    with pytest.raises(ValidationError) as caught:
        QuoteLine(
            product=ProductId(""),
            quantity=1.5,  # type: ignore[arg-type]  # a float, on purpose
            ad_hoc="10%",  # type: ignore[arg-type]  # on purpose
            explain=None,  # type: ignore[arg-type]  # on purpose
        )
    assert caught.value.messages == [
        "must not be empty @ product",
        "floats are refused: pass a Decimal @ quantity",
        "expected AdHocDiscount, got str @ ad_hoc",
        "expected bool, got NoneType @ explain",
    ]


def test_an_ad_hoc_amount_travels_with_its_currency() -> None:
    amount = AdHocDiscount(
        reason="damaged box", granted_by=MANAGER, amount=Money("5.00", "EUR")
    )
    line = QuoteLine(product=PUMP, quantity=Decimal(1), ad_hoc=amount)
    assert unstructure(line) == {
        "product": "pump-p4",
        "quantity": "1",
        "ad_hoc": {
            "reason": "damaged box",
            "granted_by": "m-anna",
            "percentage": None,
            "amount": {"amount": "5.00", "currency": "EUR"},
        },
        "description": "",
        "explain": False,
    }
    assert structure(unstructure(line), QuoteLine) == line

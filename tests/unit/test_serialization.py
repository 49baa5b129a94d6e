"""The JSON formats of kamcore's values, and what malformed input is told."""

from __future__ import annotations

import datetime as dt
import enum
from collections import deque
from decimal import Decimal
from typing import Any

import attrs
import pytest
from cattrs.errors import IterableValidationError, IterableValidationNote
from dateutil.relativedelta import relativedelta

from kamcore.accounts import (
    Activity,
    ActivityKind,
    Client,
    ClientGroup,
    CreditNote,
    Invoice,
    LineItem,
    Order,
    Payment,
    Product,
    Ticket,
)
from kamcore.errors import ValidationError
from kamcore.kernel import (
    ActivityId,
    ClientGroupId,
    ClientId,
    CreditNoteId,
    DateRange,
    DiscountGroupId,
    InvoiceId,
    ManagerId,
    Money,
    OrderId,
    PaymentId,
    Percentage,
    PriceListId,
    ProductId,
    Rate,
    TicketId,
)
from kamcore.ports import Notification, Recipient, RecipientKind
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
)
from kamcore.serialization import (
    from_json,
    make_converter,
    structure,
    to_json,
    unstructure,
)
from kamcore.serialization._errors import collect

PARIS_WINTER = dt.timezone(dt.timedelta(hours=1))

LINE = {
    "product": "P-1",
    "quantity": "3",
    "unit_price": {"amount": "13.7350", "currency": "EUR"},
    "description": "Widgets",
    "ad_hoc": None,
    "explanation": None,
}
INVOICE: dict[str, Any] = {
    "id": "INV-1",
    "client": "C-1",
    "issue_date": "2026-01-31",
    "due_date": "2026-02-28",
    "currency": "EUR",
    "lines": [LINE],
    "redemptions": [],
    "payments": [
        {
            "id": "PAY-1",
            "received_on": "2026-02-10",
            "amount": {"amount": "20.00", "currency": "EUR"},
            "reference": "SEPA 123",
        }
    ],
    "credit_notes": [
        {
            "id": "CN-1",
            "issued_on": "2026-02-01",
            "amount": {"amount": "1.21", "currency": "EUR"},
            "reason": "Damaged box",
        }
    ],
    "status": "issued",
    "cancelled_on": None,
    "version": 0,
}
CLIENT = {"id": "C-1", "name": "ACME", "currency": "EUR", "locale": "de_DE"}
TICKET = {
    "id": "T-1",
    "client": "C-1",
    "subject": "Late delivery",
    "opened_at": "2026-03-01T09:30:00+01:00",
}


def invoice() -> Invoice:
    return Invoice(
        id=InvoiceId("INV-1"),
        client=ClientId("C-1"),
        issue_date=dt.date(2026, 1, 31),
        due_date=dt.date(2026, 2, 28),
        currency="EUR",
        lines=(
            LineItem(
                product=ProductId("P-1"),
                quantity=Decimal("3"),
                unit_price=Money("13.7350", "EUR"),
                description="Widgets",
            ),
        ),
        payments=(
            Payment(
                id=PaymentId("PAY-1"),
                received_on=dt.date(2026, 2, 10),
                amount=Money("20.00", "EUR"),
                reference="SEPA 123",
            ),
        ),
        credit_notes=(
            CreditNote(
                id=CreditNoteId("CN-1"),
                issued_on=dt.date(2026, 2, 1),
                amount=Money("1.21", "EUR"),
                reason="Damaged box",
            ),
        ),
    )


def messages(data: object, cls: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        structure(data, cls)
    return caught.value.messages


# -- formats ------------------------------------------------------------------


def test_money_is_an_object_with_the_amount_as_a_string() -> None:
    assert unstructure(Money("12.50", "EUR")) == {"amount": "12.50", "currency": "EUR"}


def test_money_keeps_its_exact_digits_through_a_round_trip() -> None:
    money = structure({"amount": "12.50", "currency": "EUR"}, Money)
    assert str(money.amount) == "12.50"
    assert unstructure(structure({"amount": "1E+2", "currency": "JPY"}, Money)) == {
        "amount": "1E+2",
        "currency": "JPY",
    }


def test_an_integer_amount_is_accepted_as_exact() -> None:
    assert structure({"amount": 12, "currency": "EUR"}, Money) == Money("12", "EUR")


def test_percentage_and_rate_are_the_strings_of_their_values() -> None:
    assert unstructure(Percentage("8.50")) == "8.50"
    assert unstructure(Rate("1.5")) == "1.5"
    assert str(structure("8.50", Percentage).value) == "8.50"
    assert structure("1.5", Rate) == Rate("1.5")


def test_an_invoice_is_written_field_by_field() -> None:
    assert unstructure(invoice()) == INVOICE


def test_an_invoice_is_read_back_equal() -> None:
    assert structure(INVOICE, Invoice) == invoice()


def test_defaults_are_written_and_may_be_left_out_on_input() -> None:
    assert unstructure(structure(CLIENT, Client)) == {
        **CLIENT,
        "key_account": False,
        "account_manager": None,
        "groups": [],
        "discount_group": None,
        "price_list": None,
        "membership": None,
        "status": "active",
        "version": 0,
    }


PRICE_LIST = {
    "id": "acme-2026",
    "name": "ACME 2026",
    "currency": "EUR",
    "kind": "client",
    "items": [
        {
            "product": "valve",
            "unit_price": None,
            "derived": {
                "source": "base",
                "adjustment": "-8",
                "surcharge": "0.25",
                "rounding_step": "0.05",
            },
            "min_quantity": "10",
            "valid_from": "2026-01-01",
            "valid_to": None,
            "discountable": True,
        },
        {
            "product": "valve",
            "unit_price": {"amount": "44.8000", "currency": "EUR"},
            "derived": None,
            "min_quantity": "0",
            "valid_from": None,
            "valid_to": "2026-12-31",
            "discountable": None,
        },
    ],
    "version": 0,
}


def price_list() -> PriceList:
    return PriceList(
        id=PriceListId("acme-2026"),
        name="ACME 2026",
        currency="EUR",
        kind=PriceListKind.CLIENT,
        items=(
            PriceItem(
                product=ProductId("valve"),
                derived=Derivation(
                    source=PriceListId("base"),
                    adjustment=Percentage("-8"),
                    surcharge=Decimal("0.25"),
                    rounding_step=Decimal("0.05"),
                ),
                min_quantity=Decimal(10),
                valid_from=dt.date(2026, 1, 1),
                discountable=True,
            ),
            PriceItem(
                product=ProductId("valve"),
                unit_price=Money("44.8000", "EUR"),
                valid_to=dt.date(2026, 12, 31),
            ),
        ),
    )


def test_a_price_list_with_a_derived_item_is_written_field_by_field() -> None:
    assert unstructure(price_list()) == PRICE_LIST
    assert structure(PRICE_LIST, PriceList) == price_list()


def test_a_derivation_may_leave_out_its_defaults() -> None:
    document = {"source": "base", "adjustment": "-8"}
    assert unstructure(structure(document, Derivation)) == {
        **document,
        "surcharge": "0",
        "rounding_step": None,
    }


def test_a_price_list_deriving_from_itself_is_refused_by_path() -> None:
    item = {"product": "valve", "derived": {"source": "acme-2026"}}
    assert messages({**PRICE_LIST, "items": [item]}, PriceList) == [
        "a list cannot derive from itself @ $.items[0].derived.source"
    ]


def test_a_discount_group_is_written_field_by_field() -> None:
    group = DiscountGroup(
        id=DiscountGroupId("dg-gold"),
        name="Gold",
        rules=(
            DiscountRule(
                scope=DiscountScope.CATEGORY,
                percentage=Percentage("5.5"),
                target="valves",
                min_quantity=Decimal(10),
                valid_to=dt.date(2026, 6, 30),
            ),
            DiscountRule(scope=DiscountScope.ALL, percentage=Percentage(2)),
        ),
        version=3,
    )
    document = {
        "id": "dg-gold",
        "name": "Gold",
        "rules": [
            {
                "scope": "category",
                "percentage": "5.5",
                "target": "valves",
                "min_quantity": "10",
                "valid_from": None,
                "valid_to": "2026-06-30",
            },
            {
                "scope": "all",
                "percentage": "2",
                "target": None,
                "min_quantity": "0",
                "valid_from": None,
                "valid_to": None,
            },
        ],
        "version": 3,
    }
    assert unstructure(group) == document
    assert structure(document, DiscountGroup) == group


def test_a_discount_rule_for_all_products_with_a_target_is_refused_by_path() -> None:
    rule = {"scope": "all", "percentage": "5", "target": "valves"}
    assert messages({"id": "dg", "name": "G", "rules": [rule]}, DiscountGroup) == [
        "a rule for all products has no target @ $.rules[0].target"
    ]


def test_a_frozenset_is_a_sorted_list() -> None:
    groups = frozenset(
        {ClientGroupId("gold"), ClientGroupId("emea"), ClientGroupId("b")}
    )
    client = Client(
        id=ClientId("C-1"), name="ACME", currency="EUR", locale="de_DE", groups=groups
    )
    assert unstructure(client)["groups"] == ["b", "emea", "gold"]
    assert structure(unstructure(client), Client).groups == groups


def test_an_instant_keeps_its_offset() -> None:
    ticket = Ticket(
        id=TicketId("T-1"),
        client=ClientId("C-1"),
        subject="Late delivery",
        opened_at=dt.datetime(2026, 3, 1, 9, 30, tzinfo=PARIS_WINTER),
    )
    assert unstructure(ticket)["opened_at"] == "2026-03-01T09:30:00+01:00"
    assert structure(unstructure(ticket), Ticket) == ticket


def test_an_instant_in_z_form_is_utc() -> None:
    ticket = structure({**TICKET, "opened_at": "2026-03-01T08:30Z"}, Ticket)
    assert ticket.opened_at == dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    assert ticket.opened_at.utcoffset() == dt.timedelta(0)


def test_enums_are_written_by_value() -> None:
    activity = Activity(
        id=ActivityId("A-1"),
        client=ClientId("C-1"),
        kind=ActivityKind.MEETING,
        occurred_at=dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC),
        summary="Renewal kick-off",
        author=ManagerId("m.rossi"),
    )
    assert unstructure(activity) == {
        "id": "A-1",
        "client": "C-1",
        "kind": "meeting",
        "occurred_at": "2026-03-02T14:00:00+00:00",
        "summary": "Renewal kick-off",
        "author": "m.rossi",
        "opportunity": None,
        "contract": None,
        "internal": True,
        "version": 0,
    }


def test_a_date_range_has_nullable_ends() -> None:
    assert unstructure(DateRange(dt.date(2024, 2, 29), None)) == {
        "start": "2024-02-29",
        "end": None,
    }
    assert structure({"end": "2024-12-31"}, DateRange) == DateRange(
        None, dt.date(2024, 12, 31)
    )


def test_a_term_omits_zero_parts() -> None:
    assert unstructure(relativedelta(years=1, days=15)) == {"years": 1, "days": 15}
    assert unstructure(relativedelta(months=18)) == {"years": 1, "months": 6}
    assert unstructure(relativedelta()) == {}


def test_a_term_accepts_any_subset_of_its_parts() -> None:
    assert structure({"months": 6}, relativedelta) == relativedelta(months=6)
    assert structure({}, relativedelta) == relativedelta()


def test_a_term_with_hours_cannot_be_written() -> None:
    with pytest.raises(ValidationError) as caught:
        unstructure(relativedelta(months=1, hours=2))
    assert caught.value.messages == [
        "cannot be serialised: only years, months and days can @ $.hours"
    ]


def test_a_notification_payload_is_an_object_of_strings() -> None:
    notification = Notification(
        recipient=Recipient(kind=RecipientKind.MANAGER, id="m.rossi"),
        kind="renewal_alert",
        key="renewal_alert:C-17:2026-12-31",
        locale="de_DE",
        subject="Renewal due",
        payload={"contract": "C-17", "end": "2026-12-31"},
    )
    document = unstructure(notification)
    assert document["payload"] == {"contract": "C-17", "end": "2026-12-31"}
    assert document["recipient"] == {"kind": "manager", "id": "m.rossi"}
    assert structure(document, Notification) == notification


def test_to_json_writes_exact_text() -> None:
    assert to_json(Money("12.50", "EUR")) == '{"amount": "12.50", "currency": "EUR"}'


def test_from_json_reads_bytes_too() -> None:
    text = b'{"amount": "0.125", "currency": "KWD"}'
    assert str(from_json(text, Money).amount) == "0.125"


def test_a_list_of_entities_round_trips() -> None:
    assert structure(unstructure([invoice()]), list[Invoice]) == [invoice()]


def test_each_converter_is_new() -> None:
    mine = make_converter()
    mine.register_unstructure_hook(Money, str)
    assert mine.unstructure(Money("1.00", "EUR")) == "1.00 EUR"
    assert make_converter().unstructure(Money("1.00", "EUR")) == {
        "amount": "1.00",
        "currency": "EUR",
    }
    assert unstructure(Money("1.00", "EUR")) == {"amount": "1.00", "currency": "EUR"}


def test_a_converter_of_its_own_raises_validation_errors_too() -> None:
    with pytest.raises(ValidationError) as caught:
        make_converter().structure({"amount": 1.5, "currency": "EUR"}, Money)
    assert caught.value.subject == "Money"
    assert caught.value.messages == [
        "expected a decimal string, got float 1.5 @ $.amount"
    ]


# -- strictness: nothing is coerced -------------------------------------------

GROUP = {"id": "G-1", "name": "Gold"}
PRODUCT = {"id": "P-1", "name": "Widget", "category": "hardware"}


def test_a_string_field_refuses_a_number() -> None:
    assert messages({**GROUP, "name": 5}, ClientGroup) == [
        "expected a string, got int 5 @ $.name"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected an integer, got bool True @ $.priority"),
        ("5", "expected an integer, got str '5' @ $.priority"),
        (5.0, "expected an integer, got float 5.0 @ $.priority"),
        (None, "expected an integer, got null @ $.priority"),
    ],
)
def test_an_integer_field_refuses_anything_but_an_integer(
    value: object, message: str
) -> None:
    assert messages({**GROUP, "priority": value}, ClientGroup) == [message]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1, "expected true or false, got int 1 @ $.active"),
        ("true", "expected true or false, got str 'true' @ $.active"),
    ],
)
def test_a_boolean_field_refuses_numbers_and_strings(
    value: object, message: str
) -> None:
    assert messages({**PRODUCT, "active": value}, Product) == [message]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (12.5, "expected a decimal string, got float 12.5"),
        (True, "expected a decimal string, got bool True"),
        (Decimal("12.50"), "expected a decimal string, got number 12.50"),
        ("NaN", "'NaN' is not a finite number"),
        ("Infinity", "'Infinity' is not a finite number"),
        ("-inf", "'-inf' is not a finite number"),
        ("abc", "expected a decimal string such as '12.50', got str 'abc'"),
        ("1,5", "expected a decimal string such as '12.50', got str '1,5'"),
        (" 1", "expected a decimal string such as '12.50', got str ' 1'"),
        ("1_000", "expected a decimal string such as '12.50', got str '1_000'"),
        ("1E+99999999999999999999", "'1E+99999999999999999999' is out of range"),
        ([1], "expected a decimal string, got list"),
    ],
)
def test_a_decimal_field_refuses_floats_and_non_numbers(
    value: object, message: str
) -> None:
    assert messages({**LINE, "quantity": value}, LineItem) == [
        f"{message} @ $.quantity"
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [("WIDGETS", "str 'WIDGETS'"), ({}, "dict"), (3, "int 3")]
)
def test_a_tuple_field_refuses_strings_objects_and_numbers(
    value: object, shown: str
) -> None:
    document = {**INVOICE, "lines": value}
    assert messages(document, Invoice) == [f"expected a list, got {shown} @ $.lines"]


@pytest.mark.parametrize(
    ("value", "shown"), [("gold", "str 'gold'"), ({"gold": 1}, "dict"), (1, "int 1")]
)
def test_a_frozenset_field_refuses_strings_objects_and_numbers(
    value: object, shown: str
) -> None:
    document = {**CLIENT, "groups": value}
    assert messages(document, Client) == [f"expected a list, got {shown} @ $.groups"]


def test_a_frozenset_field_refuses_duplicates() -> None:
    document = {**CLIENT, "groups": ["gold", "emea", "gold"]}
    assert messages(document, Client) == ["appears twice @ $.groups[2]"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("12.50 EUR", "str '12.50 EUR'"), (["12.50", "EUR"], "list"), (None, "null")],
)
def test_an_entity_refuses_anything_but_an_object(value: object, shown: str) -> None:
    assert messages(value, Money) == [f"expected an object, got {shown} @ $"]


def test_field_names_must_be_strings() -> None:
    assert messages({1: "EUR"}, Money) == ["field names must be strings, got int 1 @ $"]


def test_unknown_fields_are_refused_by_name() -> None:
    document = {"amount": "1.00", "currency": "EUR", "size": 2, "colour": "red"}
    assert messages(document, Money) == [
        "unknown field 'colour' @ $",
        "unknown field 'size' @ $",
    ]


def test_every_missing_field_is_reported() -> None:
    assert messages({"name": "Widget"}, Product) == [
        "required field missing @ $.id",
        "required field missing @ $.category",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-01-31T00:00:00", "expected a date as 'YYYY-MM-DD', got str "),
        ("2026-1-31", "expected a date as 'YYYY-MM-DD', got str "),
        ("२०२६-०१-३१", "expected a date as 'YYYY-MM-DD', got str "),
        (20260131, "expected a date as 'YYYY-MM-DD', got int "),
        ("2025-02-29", "'2025-02-29' is not a calendar date"),
    ],
)
def test_a_date_field_takes_only_yyyy_mm_dd(value: object, message: str) -> None:
    shown = repr(value) if message.endswith(" ") else ""
    assert messages({**INVOICE, "issue_date": value}, Invoice) == [
        f"{message}{shown} @ $.issue_date"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2026-03-01T09:30:00",
            "'2026-03-01T09:30:00' has no UTC offset: naive date-times are refused",
        ),
        (
            "2026-03-01",
            "expected a date-time as 'YYYY-MM-DDTHH:MM:SS+HH:MM', got str '2026-03-01'",
        ),
        (
            "2026-03-01 09:30:00+01:00",
            "expected a date-time as 'YYYY-MM-DDTHH:MM:SS+HH:MM', "
            "got str '2026-03-01 09:30:00+01:00'",
        ),
        (
            "2026-13-01T09:30:00Z",
            "'2026-13-01T09:30:00Z' is not a valid date-time",
        ),
    ],
)
def test_an_instant_needs_an_offset_and_iso_form(value: str, message: str) -> None:
    assert messages({**TICKET, "opened_at": value}, Ticket) == [
        f"{message} @ $.opened_at"
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [("paid", "str 'paid'"), (1, "int 1"), (None, "null")]
)
def test_an_enum_takes_only_its_values(value: object, shown: str) -> None:
    assert messages({**INVOICE, "status": value}, Invoice) == [
        f"expected one of 'issued', 'cancelled', got {shown} @ $.status"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("EUR0", "unknown ISO 4217 currency code 'EUR0'"),
        ("eur", "unknown ISO 4217 currency code 'eur' (did you mean 'EUR'?)"),
        (978, "expected a currency code, got int 978"),
    ],
)
def test_a_currency_must_be_a_known_code(value: object, message: str) -> None:
    assert messages({**CLIENT, "currency": value}, Client) == [
        f"{message} @ $.currency"
    ]


def test_a_locale_must_be_known_to_babel() -> None:
    assert messages({**CLIENT, "locale": "en-US"}, Client) == [
        "unknown locale 'en-US' (use underscores: 'en_US') @ $.locale"
    ]


def test_a_term_takes_integer_years_months_and_days_only() -> None:
    document = {"years": "1", "months": True, "weeks": 2, "hours": 1}
    assert messages(document, relativedelta) == [
        "expected an integer, got str '1' @ $.years",
        "expected an integer, got bool True @ $.months",
        "unknown field 'hours' @ $",
        "unknown field 'weeks' @ $",
    ]


def test_a_payload_value_must_be_a_string() -> None:
    document = {
        "recipient": {"kind": "client", "id": "c.17"},
        "kind": "tier_upgrade",
        "key": "tier_upgrade:C-17:gold",
        "locale": "en_GB",
        "subject": "Welcome to Gold",
        "payload": {"tier": "gold", "points": 1200},
    }
    assert messages(document, Notification) == [
        "expected a string, got int 1200 @ $.payload['points']"
    ]


# -- malformed documents: every offending field, with its path ----------------


def test_an_invoice_with_four_problems_gets_four_messages() -> None:
    document: dict[str, Any] = {**INVOICE, "currency": "EUR0", "colour": "red"}
    del document["due_date"]
    document["lines"] = [
        LINE,
        {**LINE, "unit_price": {"amount": 12.5, "currency": "EUR"}},
    ]
    with pytest.raises(ValidationError) as caught:
        structure(document, Invoice)
    assert caught.value.subject == "Invoice"
    assert caught.value.messages == [
        "required field missing @ $.due_date",
        "unknown ISO 4217 currency code 'EUR0' @ $.currency",
        "expected a decimal string, got float 12.5 @ $.lines[1].unit_price.amount",
        "unknown field 'colour' @ $",
    ]


def test_a_constructor_error_is_placed_under_its_object() -> None:
    late = {**INVOICE, "issue_date": "2026-03-01"}
    with pytest.raises(ValidationError) as caught:
        structure([late], list[Invoice])
    assert caught.value.subject == "list[Invoice]"
    assert caught.value.messages == [
        "is before the issue date 2026-03-01 @ $[0].due_date",
        "dated 2026-02-10, before the invoice was issued (2026-03-01) @ "
        "$[0].payments[0]",
        "dated 2026-02-01, before the invoice was issued (2026-03-01) @ "
        "$[0].credit_notes[0]",
    ]


def test_constructor_errors_of_nested_objects_keep_their_own_paths() -> None:
    document = {
        **INVOICE,
        "lines": [LINE, {**LINE, "quantity": "-2"}],
        "payments": [
            {**INVOICE["payments"][0], "amount": {"amount": "0.001", "currency": "EUR"}}
        ],
    }
    assert messages(document, Invoice) == [
        "must be greater than zero @ $.lines[1].quantity",
        "0.001 EUR has digits below the minor unit of EUR (2 decimal places); "
        "kamcore never rounds a billed amount silently: round it explicitly with "
        "Money(...).rounded(), or build the Decimal from a string such as '0.10', "
        "not from a float @ $.payments[0].amount",
    ]


def test_a_line_in_another_currency_is_named_by_path() -> None:
    document = {
        **INVOICE,
        "lines": [LINE, {**LINE, "unit_price": {"amount": "1.00", "currency": "USD"}}],
    }
    assert messages(document, Invoice) == [
        "must be the document currency EUR @ $.lines[1].unit_price.currency"
    ]


def test_the_error_keeps_the_offending_values() -> None:
    with pytest.raises(ValidationError) as caught:
        structure({**GROUP, "priority": "5"}, ClientGroup)
    (error,) = caught.value.errors
    assert (error.path, error.value) == ("$.priority", "5")


def test_a_garbage_container_is_named_not_printed() -> None:
    deep: list[object] = []
    for _ in range(10_000):
        deep = [deep]
    assert messages({**GROUP, "name": deep}, ClientGroup) == [
        "expected a string, got list @ $.name"
    ]


def test_a_long_string_is_shortened_in_the_message() -> None:
    assert messages({**GROUP, "priority": "9" * 100}, ClientGroup) == [
        f"expected an integer, got str {'9' * 40!r}... @ $.priority"
    ]


# -- JSON text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"amount": 12.50, "currency": "EUR"}',
            "expected a decimal string, got number 12.50 @ $.amount",
        ),
        (
            '{"amount": 1e3, "currency": "EUR"}',
            "expected a decimal string, got number 1E+3 @ $.amount",
        ),
        (
            '{"amount": NaN, "currency": "EUR"}',
            "not valid JSON: NaN is not a JSON value @ $",
        ),
        (
            '{"amount": "1", "amount": "2", "currency": "EUR"}',
            "not valid JSON: duplicate key 'amount' in an object @ $",
        ),
        (
            '{"amount": 1e99999999999999999999, "currency": "EUR"}',
            "not valid JSON: number 1e99999999999999999999 is out of range @ $",
        ),
    ],
)
def test_from_json_refuses_what_is_not_exact_json(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        from_json(text, Money)
    assert caught.value.messages == [message]


@pytest.mark.parametrize("text", ["{", "", "[" * 100_000, '{"a": 1} x', b"\xff"])
def test_from_json_refuses_text_that_does_not_parse(text: str | bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        from_json(text, Money)
    (message,) = caught.value.messages
    # The parser's own explanation follows; its wording varies across Pythons.
    assert message.startswith("not valid JSON: ")
    assert message.endswith(" @ $")


def test_from_json_refuses_what_is_not_text() -> None:
    untyped: Any = 12  # what a caller without type checking might pass
    with pytest.raises(ValidationError) as caught:
        from_json(untyped, Money)
    assert caught.value.messages == ["expected JSON text, got int 12 @ $"]


def test_an_order_round_trips_through_json_text() -> None:
    order = Order(
        id=OrderId("O-1"),
        client=ClientId("C-1"),
        order_date=dt.date(2024, 2, 29),
        currency="JPY",
        lines=(
            LineItem(
                product=ProductId("P-1"),
                quantity=Decimal("0.5"),
                unit_price=Money("1999", "JPY"),
            ),
        ),
    )
    assert from_json(to_json(order), Order) == order


# -- the converter beyond the entities ------------------------------------------


class Tier(enum.StrEnum):
    GOLD = "gold"


class Level(enum.IntEnum):
    ONE = 1


@attrs.frozen
class Fussy:
    n: int

    def __attrs_post_init__(self) -> None:
        msg = "not today"
        raise ZeroDivisionError(msg)


def test_enums_built_on_str_or_int_are_still_enums() -> None:
    assert structure("gold", Tier) is Tier.GOLD
    assert structure(1, Level) is Level.ONE
    assert messages("1", Level) == ["expected one of 1, got str '1' @ $"]


def test_a_float_field_takes_numbers_only() -> None:
    assert structure(1, float) == 1.0
    assert messages("1.5", float) == ["expected a number, got str '1.5' @ $"]


def test_a_locale_must_be_a_string() -> None:
    assert messages({**CLIENT, "locale": 5}, Client) == [
        "expected a locale, got int 5 @ $.locale"
    ]


def test_a_fixed_length_tuple_checks_its_length_and_each_position() -> None:
    assert structure(["a", 1], tuple[str, int]) == ("a", 1)
    assert messages(["a"], tuple[str, int]) == ["expected a list of 2 items, got 1 @ $"]
    assert messages([1, "a"], tuple[str, int]) == [
        "expected a string, got int 1 @ $[0]",
        "expected an integer, got str 'a' @ $[1]",
    ]


def test_a_dict_checks_every_value() -> None:
    assert structure({"a": 1}, dict[str, int]) == {"a": 1}
    assert messages([["a", 1]], dict[str, int]) == ["expected an object, got list @ $"]
    assert messages({"a": "1", "b": 2, "c": None}, dict[str, int]) == [
        "expected an integer, got str '1' @ $['a']",
        "expected an integer, got null @ $['c']",
    ]


def test_a_set_of_objects_is_sorted_by_its_json_text() -> None:
    amounts = frozenset({Money("2.00", "EUR"), Money("10.00", "EUR")})
    assert unstructure(amounts) == [
        {"amount": "10.00", "currency": "EUR"},
        {"amount": "2.00", "currency": "EUR"},
    ]


def test_any_other_constructor_failure_becomes_a_validation_error() -> None:
    assert messages([{"n": 1}], list[Fussy]) == [
        "rejected (ZeroDivisionError: not today) @ $[0]"
    ]


def test_a_deque_refuses_a_string() -> None:
    assert structure(["a", "b"], deque[str]) == deque(["a", "b"])
    assert messages("ab", deque[str]) == ["expected a list, got str 'ab' @ $"]


def test_cattrs_iterable_errors_are_walked_by_index() -> None:
    # What cattrs' own collection hooks raise (kamcore's hooks raise
    # ValidationError directly): one note per failed item.
    failure = ValueError("bad")
    failure.__notes__ = [IterableValidationNote("item 2", 2, int)]
    group = IterableValidationError("While structuring", [failure], list[int])
    assert [str(error) for error in collect(group, "$.lines")] == [
        "rejected (ValueError: bad) @ $.lines[2]"
    ]

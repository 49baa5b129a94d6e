"""The published JSON Schemas of a quote request and a quote response, held to
what kamcore really reads and writes.

* every document kamcore prices validates against the response schema;
* every request kamcore reads validates against the request schema (the
  schema may accept more: rules it cannot state, such as a known currency
  code, are kamcore's), and a malformed one fails both, at the same path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pricing_catalogue import (
    PUMP,
    VALVE,
    Case,
    cases,
    fair_deal,
    line,
    price,
    quote_requests,
)
from schema_checker import UnknownKeywordError, schema_errors

from kamcore.errors import ValidationError
from kamcore.pricing import QuoteRequest
from kamcore.serialization import from_json, to_json, unstructure

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def published(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return schema


REQUEST = published("quote-request")
RESPONSE = published("quote-response")


# -- the checker must be able to fail -----------------------------------------------


def test_the_checker_refuses_a_keyword_it_does_not_implement() -> None:
    with pytest.raises(UnknownKeywordError):
        schema_errors([1, 1], {"type": "array", "uniqueItems": True})


def test_the_checker_finds_every_kind_of_fault() -> None:
    schema = {
        "type": "object",
        "properties": {
            "day": {"type": "string", "pattern": "^[0-9]{2}$"},
            "n": {"type": "integer", "minimum": 1},
            "kind": {"enum": ["a"]},
            "items": {"type": "array", "minItems": 1},
            "flag": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
        },
        "required": ["id"],
        "additionalProperties": False,
    }
    document = {"day": "12\n", "n": 0, "kind": "b", "items": [], "flag": 1, "x": 2}
    assert schema_errors(document, schema) == [
        "$.day: '12\\n' does not match '^[0-9]{2}$'",
        "$.n: 0 is below 1",
        "$.kind: 'b' is not one of ['a']",
        "$.items: fewer than 1 items",
        "$.flag: no alternative matches 1",
        "$: 'id' is required",
        "$: unknown property 'x'",
    ]


@pytest.mark.parametrize("schema", [REQUEST, RESPONSE], ids=["request", "response"])
def test_the_schemas_are_draft_2020_12_with_an_id(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == DRAFT
    assert schema["$id"].startswith("https://kamcore.dev/schemas/quote-")


# -- the response: real priced documents --------------------------------------------


def test_a_document_with_explanations_ad_hoc_discounts_and_findings_validates() -> None:
    document = price(
        [
            line(VALVE, 12, description="for line 3"),
            line(PUMP, 2, ad_hoc=fair_deal("20")),
        ],
        explain=True,
    )
    written = json.loads(to_json(document))
    assert {f["code"] for f in written["findings"]} == {
        "ad_hoc_on_key_account",
        "below_floor",
    }
    assert "explanation" in written["lines"][0]
    assert schema_errors(written, RESPONSE) == []


def test_a_document_without_explanations_validates() -> None:
    written = json.loads(to_json(price([line(VALVE, 12), line(PUMP, 1)])))
    assert not any("explanation" in priced for priced in written["lines"])
    assert schema_errors(written, RESPONSE) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d.pop("total"), "$: 'total' is required"),
        (
            lambda d: d["lines"][0].update(total={"amount": 469.68, "currency": "EUR"}),
            "$.lines[0].total.amount: expected string, got float",
        ),
        (
            lambda d: d["lines"][0]["explanation"].update(resolver="index"),
            "$.lines[0].explanation: unknown property 'resolver'",
        ),
        (
            lambda d: d["findings"].append({"line": -1}),
            "$.findings[0].line: -1 is below 0",
        ),
    ],
)
def test_the_response_schema_refuses_what_kamcore_never_writes(
    change: Any, error: str
) -> None:
    written = json.loads(to_json(price([line(VALVE, 12)], explain=True)))
    change(written)
    assert error in schema_errors(written, RESPONSE)


@given(cases())
def test_every_priced_document_validates(case: Case) -> None:
    assert schema_errors(json.loads(to_json(case.document())), RESPONSE) == []


# -- the request: what from_json reads -----------------------------------------------

EXAMPLE: dict[str, Any] = {
    "client": "acme",
    "pricing_date": "2026-11-23",
    "kind": "proposal",
    "explain": True,
    "lines": [
        {"product": "valve-dn50", "quantity": "12"},
        {
            "product": "pump-p4",
            "quantity": 2,
            "ad_hoc": {
                "reason": "fair deal",
                "granted_by": "m-anna",
                "percentage": "20",
            },
        },
    ],
}


def test_the_example_request_validates_and_reads() -> None:
    assert schema_errors(EXAMPLE, REQUEST) == []
    assert from_json(json.dumps(EXAMPLE), QuoteRequest).kind.value == "proposal"


@given(quote_requests())
def test_every_request_kamcore_writes_validates_and_reads_back(
    request: QuoteRequest,
) -> None:
    written = unstructure(request)
    assert schema_errors(written, REQUEST) == []
    assert from_json(json.dumps(written), QuoteRequest) == request


@st.composite
def altered(draw: st.DrawFn) -> Any:
    """A valid request with one value replaced, one key dropped, or one added."""
    document = unstructure(draw(quote_requests()))
    paths: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            paths.append((node, key))
            if isinstance(value, dict | list):
                walk(value)

    walk(document)
    parent, key = draw(st.sampled_from(paths))
    change = draw(st.sampled_from(["replace", "drop", "add"]))
    anything: st.SearchStrategy[Any] = (
        st.none()
        | st.booleans()
        | st.integers(-2, 2)
        | st.sampled_from(["", "0", "12.50", "EUR", "order", "2026-02-29", "x"])
        | st.just(1.5)
        | st.just([])
        | st.just({})
    )
    if change == "replace":
        parent[key] = draw(anything)
    elif change == "drop" and isinstance(parent, dict):
        del parent[key]
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "quantity", "amount"]))] = draw(anything)
    return document


@given(altered())
def test_what_kamcore_accepts_the_request_schema_accepts(document: Any) -> None:
    try:
        from_json(json.dumps(document), QuoteRequest)
    except ValidationError as error:
        check_refusal(error)
        return
    assert schema_errors(document, REQUEST) == []


def check_refusal(error: ValidationError) -> None:
    """A refused request is named, and every path is rooted at ``$``."""
    assert error.subject == "QuoteRequest"
    assert all(field.path.startswith("$") for field in error.errors)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("client"), "$"),
        (lambda d: d["lines"][0].update(quantity=3.5), "$.lines[0].quantity"),
        (lambda d: d["lines"][0].update(quantity="0"), "$.lines[0].quantity"),
        (lambda d: d["lines"][0].update(quantity="-2"), "$.lines[0].quantity"),
        (lambda d: d.update(kind="quote"), "$.kind"),
        (lambda d: d.update(pricing_date="2026-11-23T10:00:00Z"), "$.pricing_date"),
        (lambda d: d.update(explain="yes"), "$.explain"),
        (lambda d: d.update(lines=[]), "$.lines"),
        (lambda d: d.update(colour="red"), "$"),
        (lambda d: d["lines"][1]["ad_hoc"].pop("percentage"), "$.lines[1].ad_hoc"),
        (
            lambda d: d["lines"][1]["ad_hoc"].update(
                amount={"amount": "5.00", "currency": "EUR"}
            ),
            "$.lines[1].ad_hoc",
        ),
        (lambda d: d["lines"][1].update(explain=1), "$.lines[1].explain"),
    ],
)
def test_a_malformed_request_fails_both_at_its_path(change: Any, path: str) -> None:
    document = json.loads(json.dumps(EXAMPLE))
    change(document)
    assert any(
        error.startswith(f"{path}:") for error in schema_errors(document, REQUEST)
    )
    with pytest.raises(ValidationError) as caught:
        from_json(json.dumps(document), QuoteRequest)
    assert any(field.path.startswith(path) for field in caught.value.errors)

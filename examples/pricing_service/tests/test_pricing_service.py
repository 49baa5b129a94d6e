"""The reference pricing service, end to end through its HTTP API.

The sample catalogue (``pricing_service.catalogue``): ``kleinbau`` is in the
DACH group (its list prices p-001 at 10.50 and p-002 at 11.40) with 5 % off
valves from 20 units; p-003 comes from the base list at 13.00.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kamcore.accounts import ClientGroup, Product
from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for
from kamcore.errors import ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    Money,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    PriceItem,
    PriceList,
    PriceListKind,
    PricingConfigurationError,
)
from pricing_service.app import create_app, from_environment
from pricing_service.catalogue import product_id
from pricing_service.service import PricingService, Refresh

DAY = "2026-03-02"


def request(client: str = "kleinbau", **changes: Any) -> dict[str, Any]:
    """A quote request: 30 x p-001, 3 x p-002, 2 x p-003 on 2 March 2026."""
    return {
        "client": client,
        "pricing_date": DAY,
        "lines": [
            {"product": "p-001", "quantity": "30"},
            {"product": "p-002", "quantity": "3"},
            {"product": "p-003", "quantity": "2"},
        ],
        **changes,
    }


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def figures(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each line's product, unit price and total."""
    return [
        (line["product"], line["unit_price"]["amount"], line["total"]["amount"])
        for line in document["lines"]
    ]


def reprice_p003(uow: SqlUnitOfWork, amount: str) -> None:
    """Save the base list with p-003 at ``amount``, as a back office would."""
    with uow:
        base = uow.price_lists.get(PriceListId("base-eur"))
        items = tuple(
            attrs.evolve(item, unit_price=Money(amount, "EUR"))
            if item.product == product_id(3)
            else item
            for item in base.items
        )
        uow.price_lists.save(attrs.evolve(base, items=items))
        uow.commit()


# -- quotes ---------------------------------------------------------------------


def test_a_quote_answers_the_priced_document_with_exact_totals(
    api: TestClient,
) -> None:
    answer = api.post("/quote", json=request())
    assert answer.status_code == 200
    document = answer.json()
    assert figures(document) == [
        ("p-001", "9.9750", "299.25"),
        ("p-002", "11.4000", "34.20"),
        ("p-003", "13.0000", "26.00"),
    ]
    assert document["total"] == eur("359.45")
    assert document["client"] == "kleinbau"
    assert document["pricing_date"] == DAY
    assert document["kind"] == "order"


def test_a_quote_carries_no_explanations_unless_asked(api: TestClient) -> None:
    document = api.post("/quote", json=request()).json()
    assert [line.get("explanation") for line in document["lines"]] == [None] * 3


def test_an_explained_quote_carries_every_line_s_explanation(api: TestClient) -> None:
    answer = api.post("/quote/explained", json=request())
    assert answer.status_code == 200
    document = answer.json()
    sources = [line["explanation"]["source"] for line in document["lines"]]
    assert sources == ["dach-list.items[0]", "dach-list.items[1]", "base-eur.items[2]"]
    assert document["total"] == eur("359.45")


@pytest.mark.parametrize(
    ("url", "body"),
    [("/quote?explain=true", request()), ("/quote", request(explain=True))],
    ids=["in the url", "in the request"],
)
def test_explanations_may_be_asked_in_the_url_or_the_request(
    api: TestClient, url: str, body: dict[str, Any]
) -> None:
    document = api.post(url, json=body).json()
    assert [line["explanation"]["source"] for line in document["lines"]] == [
        "dach-list.items[0]",
        "dach-list.items[1]",
        "base-eur.items[2]",
    ]


def test_a_line_may_ask_for_its_own_explanation(api: TestClient) -> None:
    body = request()
    body["lines"][1]["explain"] = True
    document = api.post("/quote", json=body).json()
    explained = [line.get("explanation") is not None for line in document["lines"]]
    assert explained == [False, True, False]
    assert document["lines"][1]["explanation"]["source"] == "dach-list.items[1]"


def test_a_client_with_its_own_list_pays_its_price(api: TestClient) -> None:
    document = api.post("/quote", json=request("acme")).json()
    assert figures(document) == [
        ("p-001", "9.9000", "297.00"),
        ("p-002", "11.4000", "34.20"),
        ("p-003", "13.0000", "26.00"),
    ]
    assert document["total"] == eur("357.20")


# -- errors -----------------------------------------------------------------------


def test_a_malformed_request_is_422_naming_every_path(api: TestClient) -> None:
    body = request(pricing_date="2 March")
    body["lines"][1]["quantity"] = 1.5
    answer = api.post("/quote", json=body)
    assert answer.status_code == 422
    error = answer.json()
    assert error["error"] == "validation"
    assert [e["path"] for e in error["errors"]] == [
        "$.pricing_date",
        "$.lines[1].quantity",
    ]


def test_a_body_that_is_not_json_is_422(api: TestClient) -> None:
    answer = api.post(
        "/quote", content=b"{client: acme", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert [e["path"] for e in answer.json()["errors"]] == ["$"]


def test_a_bad_query_parameter_is_422_naming_it(api: TestClient) -> None:
    answer = api.post("/quote?explain=maybe", json=request())
    assert answer.status_code == 422
    assert [e["path"] for e in answer.json()["errors"]] == ["query.explain"]


def test_a_product_the_catalogue_lacks_is_404_naming_it(api: TestClient) -> None:
    body = request()
    body["lines"][2]["product"] = "p-999"
    answer = api.post("/quote", json=body)
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "not_found",
        "message": "Product not found: 'p-999'",
        "entity": "Product",
        "ids": ["p-999"],
        "paths": ["$.lines[2].product"],
    }


def test_a_product_without_a_price_is_404_naming_it(
    api: TestClient, service: PricingService, back_office: SqlUnitOfWork
) -> None:
    with back_office:
        back_office.products.add(
            Product(id=ProductId("p-new"), name="New", category=CategoryId("valves"))
        )
        back_office.commit()
    service.refresh_now()
    body = request()
    body["lines"][2]["product"] = "p-new"
    answer = api.post("/quote", json=body)
    assert answer.status_code == 404
    error = answer.json()
    assert (error["error"], error["client"], error["product"]) == (
        "price_not_found",
        "kleinbau",
        "p-new",
    )


def test_an_unknown_client_is_404_naming_it(api: TestClient) -> None:
    answer = api.post("/quote", json=request("nobody"))
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "not_found",
        "message": "Client not found: 'nobody'",
        "entity": "Client",
        "ids": ["nobody"],
    }


def test_another_currency_than_the_client_s_is_422(api: TestClient) -> None:
    answer = api.post("/quote", json=request(currency="CHF"))
    assert answer.status_code == 422
    error = answer.json()
    assert (error["error"], error["expected"], error["actual"]) == (
        "currency_mismatch",
        "CHF",
        "EUR",
    )


def test_a_conflicting_catalogue_is_409_with_its_conflicts(
    api: TestClient, service: PricingService, back_office: SqlUnitOfWork
) -> None:
    # A second group of the same priority pricing p-001 differently: which
    # price a client of both groups pays cannot be decided.
    with back_office:
        back_office.price_lists.add(
            PriceList(
                id=PriceListId("alpine-list"),
                name="Alpine group prices",
                currency="EUR",
                kind=PriceListKind.GROUP,
                items=(
                    PriceItem(product=product_id(1), unit_price=Money("10.60", "EUR")),
                ),
            )
        )
        back_office.client_groups.add(
            ClientGroup(
                id=ClientGroupId("alpine"),
                name="Alpine",
                priority=10,
                price_list=PriceListId("alpine-list"),
            )
        )
        kleinbau = back_office.clients.get(ClientId("kleinbau"))
        back_office.clients.save(
            attrs.evolve(kleinbau, groups=kleinbau.groups | {ClientGroupId("alpine")})
        )
        back_office.commit()
    assert service.refresh_now() == Refresh(delivered=2, applied=2)
    answer = api.post("/quote", json=request())
    assert answer.status_code == 409
    error = answer.json()
    assert error["error"] == "pricing_configuration"
    [conflict] = error["conflicts"]
    assert sorted(conflict["sources"]) == ["alpine-list.items[0]", "dach-list.items[0]"]


# -- refreshing ---------------------------------------------------------------------


def test_a_price_list_saved_then_refreshed_is_quoted_without_a_restart(
    api: TestClient, service: PricingService, back_office: SqlUnitOfWork
) -> None:
    reprice_p003(back_office, "14.00")
    assert figures(api.post("/quote", json=request()).json())[2] == (
        "p-003",
        "13.0000",
        "26.00",
    )
    assert service.refresh_now() == Refresh(delivered=1, applied=1)
    document = api.post("/quote", json=request()).json()
    assert figures(document)[2] == ("p-003", "14.0000", "28.00")
    assert document["total"] == eur("361.45")


def test_the_background_refresh_applies_changes_by_itself(
    engine: sa.Engine, back_office: SqlUnitOfWork
) -> None:
    service = PricingService(engine, refresh_every=0.02)
    applied = threading.Event()
    with TestClient(create_app(service)) as api:
        reprice_p003(back_office, "15.00")
        for _ in range(500):  # at most ten seconds
            if service.refresher.applied == 1:
                applied.set()
                break
            threading.Event().wait(0.02)
        assert applied.is_set()
        document = api.post("/quote", json=request()).json()
    assert figures(document)[2] == ("p-003", "15.0000", "30.00")


def test_health_reports_the_index_and_the_last_change(
    api: TestClient, service: PricingService, back_office: SqlUnitOfWork
) -> None:
    health = api.get("/health").json()
    assert health["status"] == "ok"
    assert health["counts"] == {
        "price_list": 3,
        "client_group": 1,
        "discount_group": 1,
        "product": 12,
    }
    assert (health["changes_applied"], health["last_change"]) == (0, None)
    reprice_p003(back_office, "14.00")
    service.refresh_now()
    health = api.get("/health").json()
    assert health["changes_applied"] == 1
    assert health["last_change"] == {
        "entity": "price_list",
        "id": "base-eur",
        "change": "saved",
        "version": 2,
    }
    assert (health["changes_pending"], health["last_error"]) == (0, None)
    assert health["index_age_seconds"] >= 0


def test_a_failed_refresh_keeps_the_index_and_says_why(
    api: TestClient, service: PricingService, back_office: SqlUnitOfWork
) -> None:
    with back_office:
        # A second EUR base list: the catalogue would have two.
        back_office.price_lists.add(
            PriceList(
                id=PriceListId("base-eur-2"),
                name="Another base",
                currency="EUR",
                kind=PriceListKind.BASE,
            )
        )
        back_office.commit()
    outcome = service.refresh_now()
    assert (outcome.delivered, outcome.applied) == (1, 0)
    assert outcome.error is not None
    assert outcome.error.startswith("PricingConfigurationError: ")
    health = api.get("/health").json()
    assert (health["changes_pending"], health["last_error"]) == (1, outcome.error)
    assert api.post("/quote", json=request()).json()["total"] == eur("359.45")


# -- starting it ------------------------------------------------------------------


def test_the_environment_names_the_database_and_the_seed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAMCORE_PRICING_DB", str(folder / "env.db"))
    monkeypatch.setenv("KAMCORE_PRICING_SEED", "sample")
    monkeypatch.setenv("KAMCORE_PRICING_REFRESH_SECONDS", "0")
    with TestClient(from_environment()) as api:
        assert api.post("/quote", json=request()).json()["total"] == eur("359.45")
    # A second start finds the catalogue there, and seeds nothing.
    with TestClient(from_environment()) as api:
        assert api.get("/health").json()["counts"]["product"] == 12


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KAMCORE_PRICING_DB", ""),
        ("KAMCORE_PRICING_SEED", "everything"),
        ("KAMCORE_PRICING_REFRESH_SECONDS", "soon"),
        ("KAMCORE_PRICING_REFRESH_SECONDS", "-1"),
    ],
)
def test_a_malformed_environment_names_the_variable(
    folder: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("KAMCORE_PRICING_DB", str(folder / "env.db"))
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as raised:
        from_environment()
    assert [(e.path, e.value) for e in raised.value.errors] == [(variable, value)]


def test_the_demo_portfolio_is_priced_as_the_command_line_prices_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `kamcore price acme valve-dn50 40 --on <the demo date>` says 41.20 a unit.
    monkeypatch.setenv("KAMCORE_PRICING_DB", str(folder / "demo.db"))
    monkeypatch.setenv("KAMCORE_PRICING_SEED", "demo")
    monkeypatch.setenv("KAMCORE_PRICING_REFRESH_SECONDS", "0")
    with TestClient(from_environment()) as api:
        today = dt.datetime.now(dt.UTC).date().isoformat()
        body = {
            "client": "acme",
            "pricing_date": today,
            "lines": [{"product": "valve-dn50", "quantity": "40"}],
        }
        document = api.post("/quote", content=json.dumps(body)).json()
    assert figures(document) == [("valve-dn50", "41.2000", "1648.00")]


def test_a_catalogue_that_fails_to_load_stops_the_start(
    engine: sa.Engine, back_office: SqlUnitOfWork
) -> None:
    second = create_engine_for(str(engine.url))
    with back_office:
        back_office.price_lists.add(
            PriceList(
                id=PriceListId("base-eur-2"),
                name="Another base",
                currency="EUR",
                kind=PriceListKind.BASE,
            )
        )
        back_office.commit()
    try:
        app = create_app(PricingService(second, refresh_every=0))
        with pytest.raises(PricingConfigurationError), TestClient(app):
            pass
    finally:
        second.dispose()

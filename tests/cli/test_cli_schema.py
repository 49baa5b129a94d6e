"""The portfolio document's JSON Schema: published, current, and right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli.cli_support import EXAMPLES, ROOT, kamcore, open_uow, run_main
from cli.json_schema_check import schema_errors
from kamcore.cli import PortfolioDocument, portfolio_schema
from kamcore.serialization import unstructure

PUBLISHED = ROOT / "docs" / "portfolio.schema.json"


def test_the_published_schema_is_the_generated_one() -> None:
    result = kamcore("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == portfolio_schema()
    assert PUBLISHED.read_text(encoding="utf-8") == result.stdout, (
        "docs/portfolio.schema.json is stale: run `kamcore schema > "
        "docs/portfolio.schema.json`"
    )


def test_the_schema_command_prints_the_published_file() -> None:
    assert run_main("schema") == (0, PUBLISHED.read_text(encoding="utf-8"), "")


def test_the_sample_portfolio_validates() -> None:
    sample = json.loads((EXAMPLES / "portfolio.json").read_text(encoding="utf-8"))
    assert schema_errors(sample, portfolio_schema()) == []


def test_every_record_of_the_demo_validates(demo_db: Path) -> None:
    # The demo holds every kind of record the routine produces: contracts with
    # their history, alerts, opportunities, memberships with their ledgers...
    with open_uow(demo_db) as uow, uow:
        document = PortfolioDocument(
            **{
                kind: tuple(getattr(uow, kind).all())
                for kind in (
                    "client_groups",
                    "clients",
                    "products",
                    "price_lists",
                    "discount_groups",
                    "programmes",
                    "memberships",
                    "orders",
                    "invoices",
                    "tickets",
                    "activities",
                    "contracts",
                    "renewal_alerts",
                    "opportunities",
                )
            }
        )
    data = unstructure(document)
    assert all(
        data[kind] for kind in data if kind not in ("renewal_cases", "proposals")
    )
    assert schema_errors(data, portfolio_schema()) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"clients": [{"id": "a", "name": "A", "currency": "eur", "locale": "x"}]},
            "$.clients[0].currency: 'eur' does not match '^[A-Z]{3}$'",
        ),
        (
            {"clients": [{"id": "a", "name": "A", "locale": "en_GB"}]},
            "$.clients[0]: 'currency' is required",
        ),
        ({"colours": []}, "$: unknown property 'colours'"),
        (
            {"products": [{"id": "p", "name": "P", "category": "c", "cost": 1.5}]},
            "$.products[0].cost: no alternative matches 1.5",
        ),
    ],
)
def test_malformed_documents_do_not_validate(
    change: dict[str, Any], error: str
) -> None:
    assert error in schema_errors(change, portfolio_schema())

"""``kamcore import`` checks records together, against the database too.

Every case runs on SQLite and on PostgreSQL (see ``import_support``): what one
database accepts, the other accepts, and a refused import writes nothing.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cli.cli_support import run_main
from cli.import_support import (
    Target,
    earn_entry,
    loyal,
    sample,
    target,
    write,
)

__all__ = ["target"]  # the fixture, for pytest


def errors_of(target: Target, path: Path) -> list[str]:
    """The detail lines of a refused import (exit status 3), nothing written."""
    before = target.counts()
    code, out, err = run_main("import", path, "--db", target.db, "--quiet")
    assert (code, out) == (3, ""), err
    assert target.counts() == before
    lines = err.splitlines()
    assert lines[0].startswith("kamcore import: invalid input (")
    return lines[1:]


def imported(target: Target, path: Path) -> str:
    code, out, err = run_main("import", path, "--db", target.db, "--quiet")
    assert code == 0, err
    return out


def base_list(ident: str, currency: str) -> dict[str, Any]:
    return {
        "id": ident,
        "name": f"Base {currency}",
        "currency": currency,
        "kind": "base",
        "items": [
            {
                "product": "valve-dn50",
                "unit_price": {"amount": "40.00", "currency": currency},
            }
        ],
    }


def derived_list(ident: str, currency: str, source: str) -> dict[str, Any]:
    return {
        "id": ident,
        "name": ident,
        "currency": currency,
        "kind": "group",
        "items": [{"product": "valve-dn50", "derived": {"source": source}}],
    }


def test_a_second_base_list_in_a_currency_is_refused_against_the_stored_one(
    target: Target, tmp_path: Path
) -> None:
    imported(target, write(tmp_path / "first.json", sample()))
    more = {"price_lists": [base_list("base-2027", "EUR")]}
    assert errors_of(target, write(tmp_path / "more.json", more)) == [
        "  more.json: $.price_lists[0]: two base lists in EUR (base, base-2027)"
    ]


def test_derivation_cycles_and_currencies_are_refused(
    target: Target, tmp_path: Path
) -> None:
    document = sample()
    document["price_lists"] += [
        derived_list("north", "EUR", "south"),
        derived_list("south", "EUR", "north"),
        derived_list("swiss", "CHF", "base"),
    ]
    assert errors_of(target, write(tmp_path / "lists.json", document)) == [
        "  lists.json: $.price_lists[4].items[0]: swiss.items[0] in CHF derives "
        "from a list in EUR: kamcore does no currency conversion (swiss.items[0], "
        "base)",
        "  lists.json: $.price_lists[2]: derived prices of valve-dn50 form a "
        "cycle: north -> south -> north (north, south)",
    ]


def test_an_invoice_in_another_currency_than_its_client_is_refused(
    target: Target, tmp_path: Path
) -> None:
    imported(target, write(tmp_path / "first.json", sample()))
    invoice = copy.deepcopy(sample()["invoices"][0])
    invoice |= {"id": "INV-CHF", "currency": "CHF", "payments": []}
    invoice["lines"][0]["unit_price"]["currency"] = "CHF"
    assert errors_of(target, write(tmp_path / "chf.json", {"invoices": [invoice]})) == [
        "  chf.json: $.invoices[0].currency: 'CHF' is not the currency of client "
        "'acme' ('EUR'): invoices are in their client's currency"
    ]


def test_a_membership_and_its_client_point_at_each_other(
    target: Target, tmp_path: Path
) -> None:
    document = loyal(sample())
    document["clients"][0]["membership"] = None  # ACME's membership, unclaimed
    document["clients"][1]["membership"] = "ms-acme"  # ...claimed by Borealis
    document["programmes"][0]["currency"] = "CHF"
    for tier in document["programmes"][0]["tiers"]:
        tier["threshold"]["currency"] = "CHF"
    document["programmes"][0]["redemption_rate"]["currency"] = "CHF"
    assert errors_of(target, write(tmp_path / "ms.json", document)) == [
        "  ms.json: $.clients[1].membership: membership 'ms-acme' belongs to "
        "client 'acme', not 'borealis'",
        "  ms.json: $.memberships[0].client: client 'acme' does not point at "
        "membership 'ms-acme' (its membership is None): set the client's "
        "membership to 'ms-acme'",
        "  ms.json: $.memberships[0].programme: programme 'partner' is in 'CHF', "
        "client 'acme' in 'EUR': a membership is in its client's currency",
    ]


def test_a_ledger_takes_real_invoices_of_its_client_and_stays_above_zero(
    target: Target, tmp_path: Path
) -> None:
    document = loyal(sample())
    document["memberships"][0]["entries"] = [
        earn_entry(1, "INV-1001", "100", "2026-09-01"),
        earn_entry(2, "INV-404", "10", "2026-09-02"),
        earn_entry(3, "INV-1003", "10", "2026-09-03"),
        {
            "number": 4,
            "key": "adjust:1",
            "kind": "adjust",
            "points": "-150",
            "on": "2026-09-04",
            "recorded_at": "2026-09-04T12:00:00+00:00",
            "source": {"kind": "manual", "id": "fix-1"},
            "note": "taken back",
        },
    ]
    assert errors_of(target, write(tmp_path / "ledger.json", document)) == [
        "  ledger.json: $.memberships[0].entries[1].source.id: no invoice 'INV-404' "
        "in the import or the database",
        "  ledger.json: $.memberships[0].entries[2].source.id: invoice 'INV-1003' "
        "is client 'borealis''s, not 'acme''s",
        "  ledger.json: $.memberships[0].entries[3]: the balance falls to -30 "
        "points on 2026-09-04: a ledger never goes below zero",
    ]


def test_references_of_contract_versions_and_opportunities_resolve(
    target: Target, tmp_path: Path
) -> None:
    document = sample()
    document["contracts"][0]["versions"][0]["price_list"] = "gone-2026"
    document["opportunities"] = [
        {
            "id": "opp-1",
            "client": "acme",
            "kind": "upsell",
            "title": "Pump upgrade",
            "owner": "m.rossi",
            "value": {"amount": "48000.00", "currency": "EUR"},
            "close_date": "2026-12-23",
            "stage": "proposal",
            "stage_probability": "50",
            "product": "pump-p900",
            "contract": "K-NONE",
            "proposal": "P-NONE",
            "created_at": "2026-11-17T12:00:00+00:00",
        }
    ]
    assert errors_of(target, write(tmp_path / "refs.json", document)) == [
        "  refs.json: $.contracts[0].versions[0].price_list: no price list "
        "'gone-2026' in the import or the database",
        "  refs.json: $.opportunities[0].product: no product 'pump-p900' in the "
        "import or the database",
        "  refs.json: $.opportunities[0].contract: no contract 'K-NONE' in the "
        "import or the database",
        "  refs.json: $.opportunities[0].proposal: no proposal 'P-NONE' in the "
        "import or the database",
    ]


def test_day_counts_are_bounded_and_the_value_is_quoted(
    target: Target, tmp_path: Path
) -> None:
    document = loyal(sample())
    version = document["contracts"][0]["versions"][0]
    version["grace_days"], version["renewal_lead_days"] = 99999, -1
    document["programmes"][0]["downgrade_warning_days"] = 4000
    assert errors_of(target, write(tmp_path / "days.json", document)) == [
        "  days.json: $.programmes[0].downgrade_warning_days: expected an integer "
        "from 0 to 3660, got 4000",
        "  days.json: $.contracts[0].versions[0].renewal_lead_days: expected an "
        "integer from 0 to 3660, got -1",
        "  days.json: $.contracts[0].versions[0].grace_days: expected an integer "
        "from 0 to 3660, got 99999",
    ]


@pytest.mark.parametrize(
    ("bad", "what"),
    [
        ("\x00", "a NUL character"),
        ("\ud800", "a lone surrogate (b'\\\\ud800')"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_in_every_text_field(
    target: Target, tmp_path: Path, bad: str, what: str
) -> None:
    document = sample()
    document["clients"][1]["name"] = f"Borealis{bad}"
    document["products"][0]["id"] = f"valve{bad}"
    document["price_lists"][0]["items"][0]["product"] = f"valve{bad}"
    document["price_lists"][1]["items"][0]["product"] = f"valve{bad}"
    for invoice in document["invoices"] + document["orders"]:
        for line in invoice["lines"]:
            if line["product"] == "valve-dn50":
                line["product"] = f"valve{bad}"
    errors = errors_of(target, write(tmp_path / "text.json", document))
    assert errors[:2] == [
        f"  text.json: $.clients[1].name: {what} at position 8 of "
        f"{f'Borealis{bad}'!r}: text must be valid Unicode without NUL characters",
        f"  text.json: $.products[0].id: {what} at position 5 of "
        f"{f'valve{bad}'!r}: text must be valid Unicode without NUL characters",
    ]
    assert all("position 5 of" in line for line in errors[2:])


def test_unicode_text_imports_on_every_database(target: Target, tmp_path: Path) -> None:
    document = sample()
    document["clients"][1]["name"] = "Borealis Energi AB \U0001f6e2 Zürich"
    imported(target, write(tmp_path / "unicode.json", document))
    with target.uow() as uow, uow:
        assert {str(c.id): c.name for c in uow.clients.all()}["borealis"] == (
            "Borealis Energi AB \U0001f6e2 Zürich"
        )


def test_a_client_prices_from_lists_in_its_own_currency(
    target: Target, tmp_path: Path
) -> None:
    imported(target, write(tmp_path / "first.json", sample()))
    chf = base_list("base-chf", "CHF")
    group = {"id": "swiss", "name": "Swiss", "priority": 1, "price_list": "base-chf"}
    client = copy.deepcopy(sample()["clients"][0])
    client |= {"id": "zeta", "price_list": "base-chf", "groups": ["swiss"]}
    document = {"price_lists": [chf], "client_groups": [group], "clients": [client]}
    assert errors_of(target, write(tmp_path / "zeta.json", document)) == [
        "  zeta.json: $.clients[0].price_list: its price list, 'base-chf', is in "
        "'CHF', client 'zeta' in 'EUR': a client prices from lists in its own "
        "currency",
        "  zeta.json: $.clients[0].groups: the price list of its group 'swiss', "
        "'base-chf', is in 'CHF', client 'zeta' in 'EUR': a client prices from "
        "lists in its own currency",
    ]

"""``--format json`` on renewals, price and loyalty: exact documents, values
unformatted (amounts as decimal strings beside their currency, dates ISO)."""

from __future__ import annotations

import json
from pathlib import Path

from cli.cli_support import AS_OF, run_main


def test_price_as_json(demo_db: Path) -> None:
    code, out, err = run_main(
        "price", "borealis", "valve-dn50", "60", "--db", demo_db, "--on", AS_OF,
        "--format", "json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "client": "borealis",
        "name": "Borealis Energi AB",
        "product": "valve-dn50",
        "quantity": "60",
        "on": "2026-11-23",
        "currency": "EUR",
        "unit_price": "43.0080",
        "line_total": "2580.48",
        "explanation": [
            "price from base-eur.items[0] (base list)",
            "  considered base-eur.items[1] (base): quantity below the item's "
            "minimum [from quantity 100, valid open..open]",
            "  considered base-eur.items[0] (base) 44.80 EUR: chosen [from "
            "quantity 0, valid open..open]",
            "  discount: discount group volume-valves: category valves from "
            "quantity 50: 4%",
            "  step list price base-eur.items[0]: 44.80 EUR",
            "  step less 4%: 43.0080 EUR",
            "  step unit price: 43.0080 EUR (rounded: 4 places, ROUND_HALF_UP)",
        ],
    }


def test_loyalty_as_json(demo_db: Path) -> None:
    code, out, err = run_main(
        "loyalty", "--db", demo_db, "--as-of", AS_OF, "--client", "lumen",
        "--format", "json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "members": [
            {
                "client": "lumen",
                "name": "Lumen Logistics BV",
                "programme": "Valvetta Partner",
                "as_of": "2026-11-23",
                "tier": "member",
                "tier_name": "Member",
                "overridden": False,
                "currency": "EUR",
                "spend": "23749.20",
                "period_end": "2027-02-28",
                "points": "38101",
                "pending": "0",
                "reserved": "0",
                "redeemable": "38101",
                "redeemable_value": "381.01",
                "next_tier": "silver",
                "to_next": "1250.80",
                "targets": [
                    {"tier": "silver", "needed": "1250.80", "by": "2027-02-28"},
                    {"tier": "gold", "needed": "51250.80", "by": "2027-02-28"},
                ],
                "expiring": [],
            }
        ]
    }


def test_renewals_check_as_json(demo_db: Path) -> None:
    code, out, err = run_main(
        "renewals", "--check", "--db", demo_db, "--as-of", "2027-01-25",
        "--format", "json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert list(document) == [
        "as_of", "check", "raised", "term_ends", "skipped", "waiting"
    ]  # fmt: skip
    assert (document["as_of"], document["check"], document["skipped"]) == (
        "2027-01-25",
        True,
        [],
    )
    assert document["raised"] == [
        {
            "alert": "K-LUMEN-PUMPS/2027-03-23/renewal",
            "contract": "K-LUMEN-PUMPS",
            "client": "lumen",
            "kind": "renewal",
            "term_end": "2027-03-23",
            "last_term_end": None,
            "terms": 1,
            "deadline": "2027-03-23",
            "raised_on": "2027-01-25",
            "recipient": "m.rossi",
            "first_action": None,
        }
    ]
    assert document["term_ends"] == [
        {
            "contract": "K-ACME-SUPPLY",
            "client": "acme",
            "outcome": "lapsed",
            "term_end": "2027-01-20",
            "on": "2027-01-21",
        }
    ]
    assert [a["alert"] for a in document["waiting"]][:2] == [
        "K-BOREALIS-SERVICE/2026-10-08/late",
        "K-HELVETIA-SUPPLY/2026-08-15/late",
    ]

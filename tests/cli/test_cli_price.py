"""``kamcore price``: the resolved unit price and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.cli_support import AS_OF, run_main


def test_price_of_a_dedicated_list_with_its_explanation(demo_db: Path) -> None:
    code, out, err = run_main(
        "price", "acme", "valve-dn50", "40", "--db", demo_db, "--on", AS_OF
    )
    assert code == 0, err
    assert out.splitlines() == [
        "ACME Industrial GmbH (acme) zahlt am 23.11.2026 41,20\xa0€ pro Einheit von "
        "valve-dn50 bei einer Menge von 40 (Positionssumme 1.648,00\xa0€)",
        "price from price_list-000001.items[0] (client list)",
        "  considered price_list-000001.items[0] (client) 41.20 EUR: chosen "
        "[from quantity 0, valid 2024-11-01..open]",
        "  considered dach-group.items[0] (group) 42.55 EUR: a list of higher "
        "precedence priced it [from quantity 0, valid 2024-11-01..open]",
        "  considered base-eur.items[0] (base) 44.80 EUR: a list of higher "
        "precedence priced it [from quantity 0, valid open..open]",
        "  step list price price_list-000001.items[0]: 41.20 EUR",
        "  step unit price: 41.2000 EUR (rounded: 4 places, ROUND_HALF_UP)",
    ]


def test_a_discount_group_applies_from_its_quantity(demo_db: Path) -> None:
    code, out, _ = run_main(
        "price",
        "borealis",
        "valve-dn50",
        "60",
        "--db",
        demo_db,
        "--on",
        AS_OF,
        "--locale",
        "en_GB",
    )
    assert code == 0
    assert out.splitlines()[0] == (
        "Borealis Energi AB (borealis) pays €43.008 per unit of valve-dn50 for 60 on "
        "23 Nov 2026 (line total €2,580.48)"
    )
    assert (
        "  discount: discount group volume-valves: category valves from quantity 50: 4%"
    ) in out.splitlines()


@pytest.mark.parametrize(
    ("arguments", "code", "error"),
    [
        (("globex", "valve-dn50", "1"), 4, "kamcore price: Client not found: 'globex'"),
        (
            ("acme", "valve-dn80", "1"),
            4,
            "kamcore price: Product not found: 'valve-dn80'",
        ),
    ],
)
def test_unknown_records_are_not_found(
    demo_db: Path, arguments: tuple[str, ...], code: int, error: str
) -> None:
    assert run_main("price", *arguments, "--db", demo_db) == (code, "", error + "\n")


@pytest.mark.parametrize("quantity", ["-3", "abc", "NaN"])
def test_a_bad_quantity_is_a_usage_error(demo_db: Path, quantity: str) -> None:
    code, _, err = run_main("price", "acme", "valve-dn50", quantity, "--db", demo_db)
    assert code == 2
    assert err.splitlines()[-1] == (
        "kamcore price: error: argument QTY: expected a positive quantity such as "
        f"10 or 2.5, got {quantity!r}"
    )

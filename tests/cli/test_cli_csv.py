"""CSV imports in detail: headers, cells, documents from line rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cli.cli_support import open_uow, run_main
from kamcore.kernel import ClientGroupId, OrderId, ProductId


def csv_file(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_errors(*files: Path) -> list[str]:
    code, out, err = run_main("import", *files, "--db", files[0].parent / "x.db")
    assert (code, out) == (3, "")
    return err.splitlines()[1:]


def test_headers_must_name_known_columns_once(tmp_path: Path) -> None:
    clients = csv_file(
        tmp_path, "clients.csv", "id,name,locale,colour,name", "acme,ACME,de_DE,red,A"
    )
    assert import_errors(clients) == [
        "  clients.csv:1: missing column 'currency'",
        "  clients.csv:1: unknown column 'colour' (columns: id, name, currency, "
        "locale, key_account, account_manager, groups, discount_group, price_list, "
        "membership, status)",
        "  clients.csv:1: column 'name' appears twice",
    ]


def test_rows_must_have_every_cell_and_files_a_header(tmp_path: Path) -> None:
    groups = csv_file(tmp_path, "client_groups.csv", "id,name,priority", "dach,DACH")
    empty = tmp_path / "products-empty.csv"
    empty.write_text("")
    assert import_errors(groups, empty) == [
        "  client_groups.csv:2: expected 3 cells, got 2",
        "  products-empty.csv:1: no header line",
    ]


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    latin = tmp_path / "clients.csv"
    latin.write_bytes(
        "id,name,currency,locale\nzur,Zürich AG,CHF,de_CH\n".encode("latin-1")
    )
    [error] = import_errors(latin)
    assert error == (
        "  clients.csv:2: not UTF-8 text: byte b'\\xfc' at column 6 (invalid start "
        "byte); save the file as UTF-8"
    )


def test_cells_are_typed_by_their_column(tmp_path: Path) -> None:
    groups = csv_file(
        tmp_path, "client_groups.csv", "id,name,priority", "dach,DACH,high", "a,B,5"
    )
    products = csv_file(
        tmp_path,
        "products.csv",
        "id,name,category,active,cost",
        "valve,Valve,valves,perhaps,",
        "pump,Pump,pumps,yes,120.00",
    )
    assert import_errors(groups, products) == [
        "  client_groups.csv:2: priority: expected an integer, got str 'high'",
        "  products.csv:2: active: expected true or false, got str 'perhaps'",
        "  products.csv:3: currency: needed for cost",
    ]


def test_groups_products_and_orders_import(tmp_path: Path) -> None:
    files = [
        csv_file(tmp_path, "client_groups.csv", "id,name,priority", "dach,DACH,10"),
        csv_file(
            tmp_path,
            "clients.csv",
            "id,name,currency,locale,key_account,account_manager,groups",
            "acme,ACME,EUR,de_DE,1,m.rossi,dach",
        ),
        csv_file(
            tmp_path,
            "products.csv",
            "id,name,category,unit,currency,cost,floor_price",
            "valve,Valve,valves,piece,EUR,28.00,36.00",
        ),
        csv_file(
            tmp_path,
            "orders-2026.csv",
            "order,client,order_date,currency,product,quantity,unit_price,status",
            "ORD-1,acme,2026-10-01,EUR,valve,40,41.20,open",
            "ORD-1,acme,2026-10-01,EUR,valve,2.5,41.20,open",
        ),
    ]
    database = tmp_path / "orders.db"
    code, out, _ = run_main("import", *files, "--db", database, "--quiet")
    assert (code, out) == (
        0,
        f"imported 4 records into sqlite:///{database}: 1 client group, 1 client, "
        "1 product, 1 order\n",
    )
    with open_uow(database) as uow, uow:
        assert uow.client_groups.get(ClientGroupId("dach")).priority == 10
        assert str(uow.products.get(ProductId("valve")).floor_price) == "36.00 EUR"
        assert str(uow.orders.get(OrderId("ORD-1")).total) == "1751.00 EUR"


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        (
            [",acme,2026-10-01,2026-10-31,EUR,valve,1,1.00,,"],
            "  invoices.csv:2: invoice: required",
        ),
        (
            ["INV-1,acme,2026-10-01,2026-10-31,EUR,valve,,1.00,,"],
            "  invoices.csv:2: quantity: required field missing",
        ),
        (
            ["INV-1,acme,2026-10-31,2026-10-01,EUR,valve,1,1.00,,"],
            "  invoices.csv:2: due_date: is before the issue date 2026-10-31, "
            "got '2026-10-01'",
        ),
        (
            ["INV-1,acme,2026-10-01,2026-10-31,EUR,valve,1,1.00,cancelled,"],
            "  invoices.csv:2: cancelled_on: is required on a cancelled invoice",
        ),
        (
            ["INV-1,acme,2026-10-01,2026-10-31,EUR,valve,1,1.00,cancelled,2026-09-30"],
            "  invoices.csv:2: cancelled_on: is before the issue date 2026-10-01, "
            "got '2026-09-30'",
        ),
    ],
)
def test_invoice_rows_point_at_their_cells(
    tmp_path: Path, rows: list[str], error: str
) -> None:
    invoices = csv_file(
        tmp_path,
        "invoices.csv",
        "invoice,client,issue_date,due_date,currency,product,quantity,unit_price,"
        "status,cancelled_on",
        *rows,
    )
    assert error in import_errors(invoices)


def test_closed_orders_import_with_their_closing_date(tmp_path: Path) -> None:
    files = [
        csv_file(
            tmp_path, "clients.csv", "id,name,currency,locale", "acme,ACME,EUR,de_DE"
        ),
        csv_file(tmp_path, "products.csv", "id,name,category", "valve,Valve,valves"),
        csv_file(
            tmp_path,
            "orders.csv",
            "order,client,order_date,currency,product,quantity,unit_price,status,"
            "closed_on",
            "ORD-1,acme,2026-10-01,EUR,valve,1,41.20,cancelled,2026-10-05",
            "ORD-2,acme,2026-10-01,EUR,valve,1,41.20,open,",
        ),
    ]
    database = tmp_path / "closed.db"
    code, _, _ = run_main("import", *files, "--db", database, "--quiet")
    assert code == 0
    with open_uow(database) as uow, uow:
        cancelled = uow.orders.get(OrderId("ORD-1"))
        assert (cancelled.status.value, cancelled.closed_on) == (
            "cancelled",
            dt.date(2026, 10, 5),
        )
        assert uow.orders.get(OrderId("ORD-2")).closed_on is None


def test_a_payment_below_the_cent_is_refused_at_its_cell(tmp_path: Path) -> None:
    invoices = csv_file(
        tmp_path,
        "invoices.csv",
        "invoice,client,issue_date,due_date,currency,product,quantity,unit_price",
        "INV-1,acme,2026-10-01,2026-10-31,EUR,valve,1,41.20",
    )
    payments = csv_file(
        tmp_path,
        "payments.csv",
        "payment,invoice,received_on,amount",
        "PAY-1,INV-1,2026-10-05,41.195",
    )
    assert import_errors(invoices, payments) == [
        "  payments.csv:2: amount: 41.195 EUR has digits below the minor unit of "
        "EUR (2 decimal places); kamcore never rounds a billed amount silently: "
        "round it explicitly with Money(...).rounded(), or build the Decimal from "
        "a string such as '0.10', not from a float",
    ]

"""``kamcore import``: validated first, then written all at once, or not at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from cli.cli_support import EXAMPLES, kamcore, open_uow, row_counts, run_main
from kamcore.kernel import ClientId, InvoiceId


def sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (EXAMPLES / "portfolio.json").read_text(encoding="utf-8")
    )
    return document


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_the_sample_portfolio_imports(tmp_path: Path) -> None:
    database = tmp_path / "new.db"
    result = kamcore("import", EXAMPLES / "portfolio.json", "--db", database)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"imported 15 records into sqlite:///{database}: 2 client groups, "
        "3 clients, 2 products, 2 price lists, 2 orders, 3 invoices, 1 contract\n"
    )
    assert result.stderr == "kamcore import: read 15 records from 1 file\n"
    with open_uow(database) as uow, uow:
        assert uow.clients.get(ClientId("acme")).price_list == "acme-2026"
        assert str(uow.invoices.get(InvoiceId("INV-1002")).total) == "3076.00 EUR"


def test_a_malformed_file_is_reported_with_every_path_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    database = tmp_path / "portfolio.db"
    assert run_main("import", EXAMPLES / "portfolio.json", "--db", database)[0] == 0
    before = row_counts(database)
    broken = sample()
    for record in broken.values():
        if isinstance(record, list):
            for item in record:
                item["id"] = f"new-{item['id']}"  # new ids: only the errors stop it
    broken["clients"][2]["currency"] = "eur"
    broken["clients"][1]["key_account"] = "yes"
    broken["products"][1]["colour"] = "red"
    broken["invoices"][1]["lines"][0]["unit_price"]["amount"] = 41.2
    broken["invoices"][2]["issue_date"] = "2026-10-32"
    del broken["invoices"][0]["due_date"]
    code, out, err = run_main(
        "import", write(tmp_path / "broken.json", broken), "--db", database
    )
    assert (code, out) == (3, "")
    assert err.splitlines() == [
        "kamcore import: invalid input (6 errors); nothing was written",
        "  broken.json: $.clients[1].key_account: expected true or false, "
        "got str 'yes'",
        "  broken.json: $.clients[2].currency: unknown ISO 4217 currency code 'eur' "
        "(did you mean 'EUR'?)",
        "  broken.json: $.products[1]: unknown field 'colour'",
        "  broken.json: $.invoices[0].due_date: required field missing",
        "  broken.json: $.invoices[1].lines[0].unit_price.amount: expected a decimal "
        "string, got number 41.2",
        "  broken.json: $.invoices[2].issue_date: '2026-10-32' is not a calendar date",
    ]
    assert row_counts(database) == before


def test_broken_references_and_duplicates_are_reported_before_any_write(
    tmp_path: Path,
) -> None:
    database = tmp_path / "portfolio.db"
    assert run_main("import", EXAMPLES / "portfolio.json", "--db", database)[0] == 0
    before = row_counts(database)
    more = {
        "clients": [
            {
                "id": "fjord",
                "name": "Fjord Marine AS",
                "currency": "EUR",
                "locale": "nb_NO",
                "groups": ["nordics", "baltics"],
            },
            {"id": "acme", "name": "ACME again", "currency": "EUR", "locale": "de_DE"},
        ],
        "invoices": [
            {
                "id": "INV-2001",
                "client": "fjord",
                "issue_date": "2026-11-02",
                "due_date": "2026-12-02",
                "currency": "EUR",
                "lines": [
                    {
                        "product": "valve-dn80",
                        "quantity": "5",
                        "unit_price": {"amount": "51.00", "currency": "EUR"},
                    }
                ],
            },
            {
                "id": "INV-2001",
                "client": "nobody",
                "issue_date": "2026-11-02",
                "due_date": "2026-12-02",
                "currency": "EUR",
                "lines": [
                    {
                        "product": "valve-dn50",
                        "quantity": "5",
                        "unit_price": {"amount": "51.00", "currency": "EUR"},
                    }
                ],
            },
        ],
    }
    code, _, err = run_main(
        "import", write(tmp_path / "more.json", more), "--db", database
    )
    assert code == 3
    assert err.splitlines() == [
        "kamcore import: read 4 records from 1 file",
        "kamcore import: invalid input (5 errors); nothing was written",
        "  more.json: $.invoices[1].id: 'INV-2001' appears twice in the import "
        "(first at more.json: $.invoices[0])",
        "  more.json: $.clients[1].id: 'acme' is already stored in the database",
        "  more.json: $.clients[0].groups: no client group 'baltics' in the import "
        "or the database",
        "  more.json: $.invoices[0].lines[0].product: no product 'valve-dn80' in the "
        "import or the database",
        "  more.json: $.invoices[1].client: no client 'nobody' in the import or the "
        "database",
    ]
    assert row_counts(database) == before


def test_csv_files_import_together(tmp_path: Path) -> None:
    database = tmp_path / "csv.db"
    code, out, err = run_main(
        "import", *sorted((EXAMPLES / "csv").glob("*.csv")), "--db", database
    )
    assert code == 0, err
    assert out == (
        f"imported 15 records into sqlite:///{database}: 3 client groups, 4 clients, "
        "3 products, 5 invoices\n"
    )
    with open_uow(database) as uow, uow:
        inv = uow.invoices.get(InvoiceId("INV-1044"))
        assert [str(line.unit_price) for line in inv.lines] == [
            "118.50 EUR",
            "1840.00 EUR",
        ]
        assert [str(p.amount) for p in inv.payments] == ["2000.00 EUR"]
        assert uow.clients.get(ClientId("helvetia")).groups == {"dach", "alpine"}


def test_a_malformed_csv_file_is_reported_by_line_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    clients = folder / "clients.csv"
    clients.write_text(
        clients.read_text(encoding="utf-8").replace(
            "borealis,Borealis Energi AB,EUR,sv_SE,yes",
            "borealis,Borealis Energi AB,eur,sv_SE,maybe",
        ),
        encoding="utf-8",
    )
    invoices = folder / "invoices.csv"
    invoices.write_text(
        invoices.read_text(encoding="utf-8").replace(
            "INV-1044,acme,2026-09-28,2026-10-28,EUR,pump-p200,2,1840.00",
            "INV-1044,acme,2026-09-29,2026-10-28,EUR,pump-p200,2,18x0.00",
        ),
        encoding="utf-8",
    )
    with (folder / "payments.csv").open("a", encoding="utf-8") as payments:
        payments.write("PAY-9,INV-9999,2026-10-30,1.00,\n")
    database = tmp_path / "csv.db"
    code, _, err = run_main("import", *sorted(folder.glob("*.csv")), "--db", database)
    assert code == 3
    assert err.splitlines() == [
        "kamcore import: invalid input (5 errors); nothing was written",
        "  clients.csv:3: currency: unknown ISO 4217 currency code 'eur' "
        "(did you mean 'EUR'?)",
        "  clients.csv:3: key_account: expected true or false, got str 'maybe'",
        "  payments.csv:5: invoice: no invoice 'INV-9999' in the invoices imported "
        "with it (payments come with their invoice)",
        "  invoices.csv:4: issue_date: '2026-09-29' differs from line 3 of invoice "
        "'INV-1044' ('2026-09-28')",
        "  invoices.csv:4: unit_price: expected a decimal string such as '12.50', "
        "got str '18x0.00'",
    ]
    assert not database.exists()  # an invalid import creates no database


def test_check_validates_and_writes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "checked.db"
    code, out, _ = run_main(
        "import", EXAMPLES / "portfolio.json", "--db", database, "--check", "--quiet"
    )
    assert (code, out) == (
        0,
        "15 records are valid (2 client groups, 3 clients, 2 products, 2 price "
        "lists, 2 orders, 3 invoices, 1 contract); nothing was written (--check)\n",
    )
    assert not database.exists()
    assert run_main("import", EXAMPLES / "portfolio.json", "--db", database)[0] == 0
    before = row_counts(database)
    code, _, err = run_main(
        "import", EXAMPLES / "portfolio.json", "--db", database, "--check", "--quiet"
    )
    assert code == 3
    assert err.splitlines()[0] == (
        "kamcore import: invalid input (15 errors); nothing was written"
    )
    assert row_counts(database) == before


def test_long_imports_report_progress(tmp_path: Path) -> None:
    document = sample()
    base = document["invoices"][0]
    document["invoices"] = [
        base | {"id": f"INV-{number}", "payments": []} for number in range(1200)
    ]
    code, out, err = run_main(
        "import", write(tmp_path / "big.json", document), "--db", tmp_path / "big.db"
    )
    assert code == 0
    assert err.splitlines() == [
        "kamcore import: read 1,212 records from 1 file",
        "kamcore import: 500/1,212 records written",
        "kamcore import: 1,000/1,212 records written",
    ]
    assert "1,200 invoices" in out


def test_what_is_not_a_portfolio_file_is_a_usage_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    code, _, err = run_main("import", notes, "--db", tmp_path / "x.db")
    assert code == 2
    assert err.startswith("kamcore import: cannot tell what notes.txt holds")
    code, _, err = run_main(
        "import", tmp_path / "missing.json", "--db", tmp_path / "x.db"
    )
    assert (code, err) == (
        4,
        f"kamcore import: no such file: {tmp_path}/missing.json\n",
    )


def test_a_json_file_that_is_not_a_document_says_so(tmp_path: Path) -> None:
    listed = write(tmp_path / "list.json", [1, 2])
    text = tmp_path / "text.json"
    text.write_text("{not json")
    code, _, err = run_main("import", listed, text, "--db", tmp_path / "x.db")
    assert code == 3
    lines = err.splitlines()
    assert lines[:2] == [
        "kamcore import: invalid input (2 errors); nothing was written",
        "  list.json: $: expected an object, got list",
    ]
    assert lines[2].startswith("  text.json: $: not valid JSON: Expecting property")


def test_an_editors_schema_key_is_ignored_and_versions_are_refused(
    tmp_path: Path,
) -> None:
    document = sample()
    assert document["$schema"] == "../portfolio.schema.json"
    document["products"][0]["version"] = 4
    code, _, err = run_main(
        "import", write(tmp_path / "v.json", document), "--db", tmp_path / "v.db"
    )
    assert code == 3
    assert err.splitlines()[2:] == [
        "  v.json: $.products[0].version: imported records are new: leave the "
        "version out (or 0), got 4"
    ]


def test_a_price_list_with_conflicting_items_is_refused(tmp_path: Path) -> None:
    document = sample()
    items = document["price_lists"][0]["items"]
    items.append(items[0] | {"unit_price": {"amount": "43.00", "currency": "EUR"}})
    code, _, err = run_main(
        "import", write(tmp_path / "p.json", document), "--db", tmp_path / "p.db"
    )
    assert code == 3
    assert err.splitlines()[2].startswith(
        "  p.json: $.price_lists[0]: configuration conflict: two items price "
        "valve-dn50 from quantity 0 on overlapping dates"
    )

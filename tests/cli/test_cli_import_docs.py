"""docs/cli.md's portfolio imports, every command works on it, and the table of
record fields matches the schema ``import`` reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli.cli_support import ROOT, run_main
from cli.import_support import Target, target, write

__all__ = ["target"]  # the fixture, for pytest

PAGE = ROOT / "docs" / "cli.md"
AS_OF = "2026-11-23"


def documented_portfolio() -> object:
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- portfolio-example -->\n```json\n(.*?)^```", text, re.S | re.M
    )
    assert found is not None, "docs/cli.md lost its portfolio example"
    return json.loads(found[1])


def test_the_documented_portfolio_imports_and_every_command_reads_it(
    target: Target, tmp_path: Path
) -> None:
    portfolio = write(tmp_path / "portfolio.json", documented_portfolio())
    code, out, err = run_main("import", portfolio, "--db", target.db, "--quiet")
    assert code == 0, err
    assert out.endswith(
        ": 1 client, 2 products, 2 price lists, 1 programme, 1 membership, "
        "1 invoice, 1 contract; 1 invoice earned loyalty points\n"
    )
    for form in ("text", "json", "csv"):
        code, report, err = run_main(
            "report", "--db", target.db, "--as-of", AS_OF, "--format", form
        )
        assert code == 0, (form, err)
        assert "K-ACME-2026" in report, form
    _, renewals, _ = run_main("renewals", "--db", target.db, "--as-of", AS_OF)
    assert renewals.splitlines()[1] == (
        "  K-ACME-2026 ACME Industrial GmbH: renewal alert, term ends 31 Dec 2026 "
        "(in 38 days), to m.rossi"
    )
    code, price, err = run_main(
        "price", "acme", "valve-dn50", "10", "--db", target.db, "--on", AS_OF
    )
    assert code == 0, err
    assert "41.20" in price
    _, loyalty, _ = run_main("loyalty", "--db", target.db, "--as-of", AS_OF)
    # 40 valves at 41.20 (a point per euro), a pump at 1840.00 (pumps count twice).
    assert loyalty.splitlines()[2] == (
        "  points: 5,328 usable, 0 pending, 0 reserved; redeemable now 5,328 (€53.28)"
    )


def test_the_table_of_fields_matches_the_schema() -> None:
    from kamcore.cli._schema import portfolio_schema  # noqa: PLC0415

    schema = portfolio_schema()
    expected: dict[str, list[str]] = {}
    for key, prop in schema["properties"].items():
        if key == "$schema":
            continue
        record = schema["$defs"][prop["items"]["$ref"].split("/")[-1]]
        required = set(record.get("required", []))
        expected[key] = [
            f"`{name}`*" if name in required else f"`{name}`"
            for name in record["properties"]
            if name != "version"
        ]
    text = PAGE.read_text(encoding="utf-8")
    table = text.split("**The fields of each kind of record**", 1)[1]
    table = table.split("**A complete portfolio**", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (`.*`\*?) \|$", table, re.M)
    documented = {key: fields.split(", ") for key, fields in rows}
    assert documented == expected

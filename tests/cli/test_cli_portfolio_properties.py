"""What imports, works: a portfolio that ``kamcore import`` accepts runs every
read command without error -- the report in each format, the renewal check,
every client's price of every product, the loyalty report.

Portfolios come from the test kit (:func:`kamcore.testing.strategies.portfolios`):
small books whose references mostly resolve, some not, some mixing currencies.
The commands run in this process (:func:`kamcore.cli.main`) to keep the
property quick; the subprocess tests cover the command line as a user runs it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings

from cli.cli_support import run_main
from kamcore.cli import ExitCode
from kamcore.testing import strategies as ks

AS_OF = "2026-11-23"


def read_commands(database: Path, portfolio: dict[str, list[Any]]) -> list[list[str]]:
    """Every read command, for every client and product of the portfolio."""
    db = ["--db", str(database)]
    found = [
        ["report", *db, "--as-of", AS_OF, "--format", form]
        for form in ("text", "json", "csv")
    ]
    for form in ("text", "json"):
        found.append(["renewals", *db, "--as-of", AS_OF, "--check", "--format", form])
        found.append(["loyalty", *db, "--as-of", AS_OF, "--format", form])
        found.extend(
            [
                "price",
                *db,
                "--on",
                AS_OF,
                "--format",
                form,
                client["id"],
                product["id"],
                "1",
            ]
            for client in portfolio["clients"]
            for product in portfolio["products"]
        )
    return found


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(ks.portfolios())
def test_a_portfolio_that_imports_runs_every_read_command(
    portfolio: dict[str, list[Any]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "portfolio.json"
        document.write_text(json.dumps(portfolio), encoding="utf-8")
        database = Path(folder) / "book.db"
        code, _, err = run_main("import", "--db", database, "--quiet", document)
        event("imported" if code == ExitCode.OK else "refused")
        if code != ExitCode.OK:
            # Refused: a message per problem, nothing written.
            assert code == ExitCode.INVALID_INPUT, err
            return
        for command in read_commands(database, portfolio):
            code, out, err = run_main(*command)
            # A price may be missing for a product no list prices (not found).
            allowed = (
                {ExitCode.OK, ExitCode.NOT_FOUND}
                if command[0] == "price"
                else {ExitCode.OK}
            )
            assert code in allowed, (command, code, err)
            assert out or code != ExitCode.OK, command

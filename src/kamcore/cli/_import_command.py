"""``kamcore import``: load a portfolio from JSON or CSV files, all or nothing.

The command's options; what it does is :mod:`kamcore.cli._import_run`,
imported only when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kamcore.cli._common import ExitCode, add_database, add_locale
from kamcore.cli._csv_columns import CSV_KINDS

__all__ = ["register", "run"]

DESCRIPTION = """\
Load a portfolio into the database from JSON documents (a list per kind of
record, in kamcore's JSON format: see `kamcore schema` and docs/cli.md) and CSV
files (clients.csv, client_groups.csv, products.csv, memberships.csv,
invoices.csv, orders.csv, payments.csv); `-` reads standard input (a JSON
document, or a CSV file of the kind --stdin-kind names). Everything is
validated first -- every field of every record, ids unique and not already
stored, every reference found in the import or the database, and the rules
across records: price lists consistent with the stored ones, invoices and
memberships in their client's currency, a membership and its client pointing
at each other, ledgers on real invoices and never below zero, a contract's
status where its history leads, text without NUL characters or lone
surrogates -- and every error is reported with where it is
(`$.clients[2].currency`, `invoices.csv:7: unit_price`) and the value. Only
when all is well is everything written, in one transaction; otherwise nothing
is (exit status 3). Imported invoices of loyalty members earn their points in
the same transaction. A new SQLite file is created with kamcore's tables.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import`` to the command parsers."""
    parser = commands.add_parser(
        "import",
        help="load a portfolio from JSON or CSV files (all or nothing)",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        type=Path,
        help="*.json or *.csv files; - reads standard input (see --stdin-kind)",
    )
    add_database(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate only: report what is wrong, write nothing",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress lines on standard error"
    )
    parser.add_argument(
        "--stdin-kind",
        metavar="KIND",
        choices=CSV_KINDS,
        help="what `-` (standard input) holds: a CSV file of KIND "
        f"({', '.join(CSV_KINDS)}); without it, a JSON portfolio document",
    )
    add_locale(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    """Validate every file, then write every record, or nothing."""
    from kamcore.cli import _import_run  # noqa: PLC0415 - imported only when the command runs

    return _import_run.run(args)

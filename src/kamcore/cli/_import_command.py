"""``kamcore import``: load a portfolio from JSON or CSV files, all or nothing."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from kamcore.cli._common import (
    CommandError,
    ExitCode,
    add_database,
    database_exists,
    open_database,
    say,
    warn,
)
from kamcore.cli._csv import CSV_KINDS, csv_kind, read_csv_files
from kamcore.cli._portfolio import (
    KINDS,
    Record,
    check_records,
    read_json_file,
    stored_records,
    write_records,
)

__all__ = ["register", "run"]

PROGRESS_EVERY = 500
"""Records between two progress lines."""

DESCRIPTION = """\
Load a portfolio into the database from JSON documents (a list per kind of
record, in kamcore's JSON format: see `kamcore schema` and docs/cli.md) and CSV
files (clients.csv, client_groups.csv, products.csv, invoices.csv, orders.csv,
payments.csv). Everything is validated first -- every field of every record,
ids unique and not already stored, every reference found in the import or the
database, price lists consistent -- and every error is reported with where it
is (`$.clients[2].currency`, `invoices.csv:7: unit_price`). Only when all is
well is everything written, in one transaction; otherwise nothing is (exit
status 3). A new SQLite file is created with kamcore's tables.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import`` to the command parsers."""
    parser = commands.add_parser(
        "import",
        help="load a portfolio from JSON or CSV files (all or nothing)",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "files", metavar="FILE", nargs="+", type=Path, help="*.json or *.csv files"
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
    parser.set_defaults(run=run)


def _read(files: list[Path], progress: bool) -> tuple[list[Record], list[str]]:
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise CommandError(f"no such file: {', '.join(missing)}", ExitCode.NOT_FOUND)
    odd = [
        path.name
        for path in files
        if path.suffix.lower() not in (".json", ".csv")
        or (path.suffix.lower() == ".csv" and csv_kind(path) is None)
    ]
    if odd:
        msg = (
            f"cannot tell what {', '.join(odd)} holds: give .json portfolio "
            f"documents, or CSV files named after their records "
            f"({', '.join(f'{kind}.csv' for kind in CSV_KINDS)})"
        )
        raise CommandError(msg, ExitCode.USAGE)
    records: list[Record] = []
    messages: list[str] = []
    for path in files:
        if path.suffix.lower() == ".json":
            found, errors = read_json_file(path)
            records += found
            messages += errors
    csv_files = [path for path in files if path.suffix.lower() == ".csv"]
    if csv_files:
        found, errors = read_csv_files(csv_files)
        records += found
        messages += errors
    if progress and not messages:
        files_read = "1 file" if len(files) == 1 else f"{len(files)} files"
        warn(f"kamcore import: read {len(records):,} records from {files_read}")
    return records, messages


def _invalid(messages: list[str]) -> CommandError:
    count = f"{len(messages)} error" + ("s" if len(messages) > 1 else "")
    return CommandError(
        f"invalid input ({count}); nothing was written",
        ExitCode.INVALID_INPUT,
        messages,
    )


def _named(count: int, kind: str) -> str:
    name = kind.replace("_", " ")
    if count == 1:
        name = name[:-3] + "y" if name.endswith("ies") else name[:-1]
    return f"{count:,} {name}"


def _summary(counts: Counter[str]) -> str:
    return ", ".join(_named(counts[kind], kind) for kind in KINDS if counts[kind])


def _valid(records: list[Record]) -> str:
    counts = Counter(record.kind for record in records)
    return (
        f"{len(records):,} records are valid ({_summary(counts)}); "
        "nothing was written (--check)"
    )


def run(args: argparse.Namespace) -> ExitCode:
    """Validate every file, then write every record, or nothing."""
    progress = not args.quiet
    records, messages = _read(args.files, progress)
    if messages:
        raise _invalid(messages)
    if not database_exists(args.db):
        # A new database: nothing stored to check against, and nothing is
        # created unless the import is valid.
        messages = check_records(records, lambda kind, ids: {})
        if messages:
            raise _invalid(messages)
        if args.check:
            say(_valid(records))
            return ExitCode.OK
    # --check writes nothing, not even kamcore's tables into an empty database.
    with open_database(args.db, create=True, initialise=not args.check) as db:
        uow = db.uow
        with uow:
            messages = check_records(
                records,
                lambda kind, ids: stored_records(uow, kind, ids),
                uow.price_lists.all(),
            )
        if messages:
            raise _invalid(messages)
        if args.check:
            say(_valid(records))
            return ExitCode.OK

        def report(written: int, total: int) -> None:
            if progress:
                warn(f"kamcore import: {written:,}/{total:,} records written")

        counts = write_records(uow, records, progress=report, every=PROGRESS_EVERY)
    say(f"imported {len(records):,} records into {db.url}: {_summary(counts)}")
    return ExitCode.OK

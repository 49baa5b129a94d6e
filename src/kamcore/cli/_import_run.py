"""What ``kamcore import`` does: load a portfolio from JSON or CSV files, all or
nothing."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kamcore.cli._common import (
    CommandError,
    ExitCode,
    clock_for,
    database_exists,
    database_url,
    number,
    open_database,
    say,
    warn,
)
from kamcore.cli._cross_checks import Fetch
from kamcore.cli._csv import read_csv_files
from kamcore.cli._csv_columns import CSV_KINDS, csv_kind
from kamcore.cli._loyalty_posting import Posting, post_invoices
from kamcore.cli._portfolio import (
    KINDS,
    Record,
    check_records,
    read_json_file,
    stored_records,
    write_records,
)
from kamcore.i18n import Translator, translator

__all__ = ["PROGRESS_EVERY", "run"]

PROGRESS_EVERY = 500
"""Records between two progress lines."""

STDIN = "-"
"""The file argument that reads standard input."""

STDIN_NAME = "<stdin>"
"""Standard input's name in messages."""


def _stdin_copy(folder: Path, kind: str | None) -> Path:
    """Standard input, saved in ``folder`` to be read like any file."""
    copy = folder / ("stdin.json" if kind is None else f"{kind}.csv")
    copy.write_bytes(sys.stdin.buffer.read())
    return copy


def _check_names(files: list[Path]) -> None:
    missing = [str(p) for p in files if str(p) != STDIN and not p.is_file()]
    if missing:
        raise CommandError(f"no such file: {', '.join(missing)}", ExitCode.NOT_FOUND)
    if sum(str(p) == STDIN for p in files) > 1:
        msg = f"{STDIN} (standard input) can be given only once"
        raise CommandError(msg, ExitCode.USAGE)
    odd = [
        path.name
        for path in files
        if str(path) != STDIN
        and (
            path.suffix.lower() not in (".json", ".csv")
            or (path.suffix.lower() == ".csv" and csv_kind(path) is None)
        )
    ]
    if odd:
        msg = (
            f"cannot tell what {', '.join(odd)} holds: give .json portfolio "
            f"documents, or CSV files named after their records "
            f"({', '.join(f'{kind}.csv' for kind in CSV_KINDS)})"
        )
        raise CommandError(msg, ExitCode.USAGE)


def _read(
    files: list[Path],
    _: Translator,
    *,
    progress: bool,
    stdin_kind: str | None = None,
) -> tuple[list[Record], list[str]]:
    """Every record of ``files``, or the messages saying what is wrong; with
    ``progress``, a line on standard error says how many were read."""
    _check_names(files)
    with tempfile.TemporaryDirectory(prefix="kamcore-import-") as folder:
        names: dict[Path, str] = {}
        paths: list[Path] = []
        for path in files:
            if str(path) == STDIN:
                path = _stdin_copy(Path(folder), stdin_kind)  # noqa: PLW2901
                names[path] = STDIN_NAME
            paths.append(path)
        records: list[Record] = []
        messages: list[str] = []
        for path in paths:
            if path.suffix.lower() == ".json":
                found, errors = read_json_file(path, names.get(path))
                records += found
                messages += errors
        csv_files = [path for path in paths if path.suffix.lower() == ".csv"]
        if csv_files:
            found, errors = read_csv_files(csv_files, names=names)
            records += found
            messages += errors
    if progress and not messages:
        # Values first: Babel's extractor loses a message whose arguments
        # name the translator.
        count = number(len(records), _.locale)
        # Translators: {records} is the number of records read (formatted),
        # from {n} files.
        read = _.ngettext(
            "read {records} records from {n} file",
            "read {records} records from {n} files",
            len(files),
            records=count,
        )
        warn(f"kamcore import: {read}")
    return records, messages


def _invalid(messages: list[str]) -> CommandError:
    count = f"{len(messages)} error" + ("s" if len(messages) > 1 else "")
    return CommandError(
        f"invalid input ({count}); nothing was written",
        ExitCode.INVALID_INPUT,
        messages,
    )


def _kind_counts(_: Translator, counts: Counter[str]) -> dict[str, str]:
    """How many records of each kind, in words (``3 clients``)."""
    shown = {kind: number(counts[kind], _.locale) for kind in KINDS}
    return {
        "client_groups": _.ngettext(
            "{count} client group",
            "{count} client groups",
            counts["client_groups"],
            count=shown["client_groups"],
        ),
        "clients": _.ngettext(
            "{count} client",
            "{count} clients",
            counts["clients"],
            count=shown["clients"],
        ),
        "products": _.ngettext(
            "{count} product",
            "{count} products",
            counts["products"],
            count=shown["products"],
        ),
        "price_lists": _.ngettext(
            "{count} price list",
            "{count} price lists",
            counts["price_lists"],
            count=shown["price_lists"],
        ),
        "discount_groups": _.ngettext(
            "{count} discount group",
            "{count} discount groups",
            counts["discount_groups"],
            count=shown["discount_groups"],
        ),
        "programmes": _.ngettext(
            "{count} programme",
            "{count} programmes",
            counts["programmes"],
            count=shown["programmes"],
        ),
        "memberships": _.ngettext(
            "{count} membership",
            "{count} memberships",
            counts["memberships"],
            count=shown["memberships"],
        ),
        "orders": _.ngettext(
            "{count} order",
            "{count} orders",
            counts["orders"],
            count=shown["orders"],
        ),
        "invoices": _.ngettext(
            "{count} invoice",
            "{count} invoices",
            counts["invoices"],
            count=shown["invoices"],
        ),
        "tickets": _.ngettext(
            "{count} ticket",
            "{count} tickets",
            counts["tickets"],
            count=shown["tickets"],
        ),
        "activities": _.ngettext(
            "{count} activity",
            "{count} activities",
            counts["activities"],
            count=shown["activities"],
        ),
        "contracts": _.ngettext(
            "{count} contract",
            "{count} contracts",
            counts["contracts"],
            count=shown["contracts"],
        ),
        "renewal_alerts": _.ngettext(
            "{count} renewal alert",
            "{count} renewal alerts",
            counts["renewal_alerts"],
            count=shown["renewal_alerts"],
        ),
        "renewal_cases": _.ngettext(
            "{count} renewal case",
            "{count} renewal cases",
            counts["renewal_cases"],
            count=shown["renewal_cases"],
        ),
        "proposals": _.ngettext(
            "{count} proposal",
            "{count} proposals",
            counts["proposals"],
            count=shown["proposals"],
        ),
        "opportunities": _.ngettext(
            "{count} opportunity",
            "{count} opportunities",
            counts["opportunities"],
            count=shown["opportunities"],
        ),
    }


def _summary(_: Translator, counts: Counter[str]) -> str:
    """How many records of each kind (``2 client groups, 3 clients``), in the
    order they are written; the kinds without records left out."""
    named = _kind_counts(_, counts)
    # A list of counts reads alike with commas in each language (and Babel
    # 2.19 lacks the German and Spanish "unit" list patterns).
    return ", ".join(named[kind] for kind in KINDS if counts[kind])


def _valid(_: Translator, records: list[Record]) -> str:
    counts = Counter(record.kind for record in records)
    # Values first: Babel's extractor loses a message whose arguments name
    # the translator.
    count, kinds = number(len(records), _.locale), _summary(_, counts)
    # Translators: {count} records (the number, formatted) of the kinds
    # listed in {kinds} ("2 clients, 3 invoices"). The English singular says
    # "records are" too: write your language's singular.
    return _.ngettext(
        "{count} records are valid ({kinds}); nothing was written (--check)",
        "{count} records are valid ({kinds}); nothing was written (--check)",
        len(records),
        count=count,
        kinds=kinds,
    )


def _prepared(
    records: list[Record], fetch: Fetch, stored_lists: Sequence[Any]
) -> Posting:
    """The checked records, invoices posted to their memberships; or the error."""
    messages = check_records(records, fetch, stored_lists)
    if messages:
        raise _invalid(messages)
    posting = post_invoices(records, fetch, clock_for(None).now())
    if posting.messages:
        raise _invalid(posting.messages)
    return posting


def _new_sqlite_file(text: str) -> Path | None:
    """The SQLite file ``--db`` names if it does not exist yet."""
    url = database_url(text)
    prefix = "sqlite:///"
    if not url.startswith(prefix) or database_exists(text):
        return None
    path = url[len(prefix) :].split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def _remove(file: Path) -> None:
    """Remove a SQLite file this import created, and its side files."""
    for leftover in (file, *(Path(f"{file}{end}") for end in ("-journal", "-wal"))):
        leftover.unlink(missing_ok=True)


def _imported(
    _: Translator, posting: Posting, counts: Counter[str], database: str
) -> str:
    records = len(posting.records)
    # Values first: Babel's extractor loses a message whose arguments name
    # the translator.
    count, kinds = number(records, _.locale), _summary(_, counts)
    posted = number(posting.posted, _.locale)
    # Translators: {count} records (the number, formatted) written into the
    # database {database}, of the kinds listed in {kinds} ("2 clients, 3
    # invoices"). The English singular says "records" too: write your
    # language's singular.
    text = _.ngettext(
        "imported {count} records into {database}: {kinds}",
        "imported {count} records into {database}: {kinds}",
        records,
        count=count,
        database=database,
        kinds=kinds,
    )
    if not posting.posted:
        return text
    # Translators: {imported} is the whole sentence above ("imported 9
    # records into ..."); then {count} (formatted) of its invoices earned
    # loyalty points.
    return _.ngettext(
        "{imported}; {count} invoice earned loyalty points",
        "{imported}; {count} invoices earned loyalty points",
        posting.posted,
        imported=text,
        count=posted,
    )


def run(args: argparse.Namespace) -> ExitCode:
    """Validate every file, then write every record, or nothing."""
    _ = translator(args.locale)
    progress = not args.quiet
    records, messages = _read(
        args.files, _, progress=progress, stdin_kind=args.stdin_kind
    )
    if messages:
        raise _invalid(messages)
    posting: Posting | None = None
    if not database_exists(args.db):
        # A new database: nothing stored to check against, and nothing is
        # created unless the import is valid.
        posting = _prepared(records, lambda kind, ids: {}, [])
        if args.check:
            say(_valid(_, records))
            return ExitCode.OK
    new_file = _new_sqlite_file(args.db)
    try:
        with open_database(args.db, create=True) as db:
            from kamcore.adapters.sql import (  # noqa: PLC0415 - the sql extra
                schema_version,
                upgrade,
            )

            uow = db.uow
            # A database without kamcore's tables gets them only once the
            # import is valid, and never with --check.
            empty = schema_version(db.engine) == 0
            if empty:
                posting = posting or _prepared(records, lambda kind, ids: {}, [])
            else:
                with uow:
                    posting = _prepared(
                        records,
                        lambda kind, ids: stored_records(uow, kind, ids),
                        uow.price_lists.all(),
                    )
            if args.check:
                say(_valid(_, records))
                return ExitCode.OK
            if empty:
                upgrade(db.engine)

            def report(written: int, total: int) -> None:
                if progress:
                    shown = number(written, _.locale), number(total, _.locale)
                    done = _(
                        "{written}/{total} records written",
                        written=shown[0],
                        total=shown[1],
                    )
                    warn(f"kamcore import: {done}")

            counts = write_records(
                uow,
                posting.records,
                updates=posting.updates,
                progress=report,
                every=PROGRESS_EVERY,
            )
    except BaseException:
        if new_file is not None:
            _remove(new_file)  # a failed import leaves no new database behind
        raise
    say(_imported(_, posting, counts, db.url))
    return ExitCode.OK

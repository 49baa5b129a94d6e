"""What every command shares: exit codes, errors, options, the database, the clock.

This is the one place (with :mod:`kamcore.adapters.clock`) where the command
line reads the system clock: a command builds a :class:`SystemClock`, or a
:class:`FixedClock` for ``--as-of``, and passes it down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import sys
import zoneinfo
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.numbers import format_decimal

from kamcore.adapters.clock import FixedClock, SystemClock
from kamcore.cli._sqlite_files import (
    is_read_only_error,
    no_one_may_write,
    read_only_url,
)
from kamcore.errors import KamcoreError
from kamcore.kernel import validate_locale

if TYPE_CHECKING:
    import sqlalchemy as sa

    from kamcore.adapters.sql import SqlUnitOfWork
    from kamcore.ports import Clock

__all__ = [
    "CommandError",
    "Database",
    "ExitCode",
    "add_as_of",
    "add_database",
    "add_format",
    "add_locale",
    "add_timezone",
    "clock_for",
    "database_exists",
    "database_from_environment",
    "database_url",
    "number",
    "open_database",
    "parse_date",
    "say",
    "warn",
]

SQL_EXTRA_HINT = (
    "the SQL adapters need SQLAlchemy: install kamcore with its `sql` extra, "
    "pip install 'kamcore[sql]' (or 'kamcore[postgres]' for PostgreSQL)"
)


class ExitCode(enum.IntEnum):
    """What a ``kamcore`` command's exit status means (stable: scripts rely on it)."""

    OK = 0
    """Done."""
    UNEXPECTED = 1
    """An unexpected failure: a bug, or a database failure kamcore cannot name."""
    USAGE = 2
    """Bad arguments or options (argparse's own convention)."""
    INVALID_INPUT = 3
    """Input that breaks a rule: a malformed import file, an unknown currency, a
    pricing configuration conflict, a record already stored... Nothing was written."""
    NOT_FOUND = 4
    """Something asked for does not exist: a client, a product, a price, the
    database file."""
    STORAGE = 5
    """The database cannot be used as it is: the ``sql`` extra is missing, the
    schema is at another version (run ``kamcore db upgrade``), the server cannot
    be reached, or another writer changed the same records meanwhile (run again)."""
    CLOSED_OUTPUT = 141
    """Standard output was closed before the result was written (``kamcore
    report | head -1``): the status a program killed by ``SIGPIPE`` has
    (128 + 13), with nothing on standard error."""


class CommandError(Exception):
    """A failure a command reports as one message (and detail lines), with its
    exit code; never shown as a traceback."""

    def __init__(
        self, message: str, code: ExitCode, details: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = tuple(details)


def say(text: str = "") -> None:
    """Print a line of the command's result to standard output."""
    print(text)


def number(value: int | Decimal, locale: str) -> str:
    """A count or a quantity as people of ``locale`` write it (``1,212``,
    ``1.212``), with the decimal places it has (``2.50``, ``2,50``)."""
    pattern = Locale.parse(locale).decimal_formats[None].pattern
    whole = pattern.split(";")[0].split(".")[0]  # "#,##0": the locale's grouping
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    shown = f"{whole}.{'0' * places}" if places else whole
    return format_decimal(value, format=shown, locale=locale)


# -- options ------------------------------------------------------------------


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date as YYYY-MM-DD, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _locale(text: str) -> str:
    try:
        return validate_locale(text)
    except KamcoreError:
        msg = f"unknown locale {text!r} (try en_GB, de_DE, fr_FR...)"
        raise argparse.ArgumentTypeError(msg) from None


def _timezone(text: str) -> dt.tzinfo:
    if text.upper() == "UTC":
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone {text!r} (an IANA name such as Europe/Paris)"
        raise argparse.ArgumentTypeError(msg) from None


def parse_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` argument (argparse ``type``)."""
    return _date(text)


DATABASE_VARIABLE = "KAMCORE_DB"
"""The environment variable that gives ``--db`` when it is not given."""


def add_database(parser: argparse.ArgumentParser) -> None:
    """``--db URL``: a database URL, or the path of a SQLite file; the
    ``KAMCORE_DB`` environment variable when not given (see
    :func:`database_from_environment`)."""
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: sqlite:///path/file.db, postgresql://user@host/db, "
        f"or simply the path of a SQLite file (default: ${DATABASE_VARIABLE})",
    )
    parser.set_defaults(needs_database=True)


def database_from_environment(
    args: argparse.Namespace, environment: Mapping[str, str]
) -> None:
    """Fill in ``args.db`` from ``KAMCORE_DB`` for a command that needs a
    database and was given no ``--db`` (an explicit ``--db`` wins).

    Raises:
        CommandError: neither is given, or the variable is empty (usage, 2).
    """
    if not getattr(args, "needs_database", False) or args.db is not None:
        return
    value = environment.get(DATABASE_VARIABLE)
    if value is None:
        msg = f"no database: give --db URL, or set {DATABASE_VARIABLE}"
        raise CommandError(msg, ExitCode.USAGE)
    if not value.strip():
        msg = f"{DATABASE_VARIABLE} is empty: set it to a database URL or give --db URL"
        raise CommandError(msg, ExitCode.USAGE)
    args.db = value


def add_as_of(parser: argparse.ArgumentParser, *, what: str = "as of") -> None:
    """``--as-of DATE``: the business date, today by default."""
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        type=_date,
        help=f"the business date to run {what}, YYYY-MM-DD (default: today)",
    )


def add_locale(
    parser: argparse.ArgumentParser,
    *,
    default: str | None = "en_GB",
    default_shown: str = "en_GB",
) -> None:
    """``--locale L``: the language of the sentences printed for people (from
    kamcore's catalogues: English, German, French, Italian, Spanish; English
    for a locale of another language) and how their money, dates and
    numbers are written.

    Args:
        parser: The command's parser.
        default: The locale when none is given; ``None`` lets the command
            choose (``price``: the client's).
        default_shown: How the help names the default.
    """
    parser.add_argument(
        "--locale",
        type=_locale,
        default=default,
        help="locale of the text: its language (en, de, fr, it, es; others "
        "read English) and how money, dates, numbers are written "
        f"(default: {default_shown})",
    )


def add_format(parser: argparse.ArgumentParser) -> None:
    """``--format text|json``."""
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), or json: values unformatted "
        "(amounts as decimal strings, dates ISO)",
    )


def add_timezone(parser: argparse.ArgumentParser) -> None:
    """``--timezone ZONE``: the business's time zone (what "today" means)."""
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        type=_timezone,
        default=dt.UTC,
        help="the business's time zone, which decides what date today is "
        "(IANA name, default: UTC)",
    )


def clock_for(as_of: dt.date | None, timezone: dt.tzinfo = dt.UTC) -> Clock:
    """The system clock, or a clock fixed at noon of ``as_of`` in ``timezone``."""
    if as_of is None:
        return SystemClock(timezone)
    noon = dt.datetime.combine(as_of, dt.time(12), tzinfo=timezone)
    return FixedClock(noon, timezone)


# -- the database ---------------------------------------------------------------


def database_url(text: str) -> str:
    """A URL as given, or ``sqlite:///<absolute path>`` for a plain path."""
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_file(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix) :].split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


class Database:
    """An open database: its URL, engine and unit of work."""

    def __init__(self, url: str, engine: sa.Engine, uow: SqlUnitOfWork) -> None:
        self.url = url
        self.engine = engine
        self.uow = uow


def database_exists(text: str) -> bool:
    """Whether ``--db`` names an existing database (a server database is
    taken to exist: connecting tells)."""
    file = _sqlite_file(database_url(text))
    return file is None or file.is_file()


@contextmanager
def open_database(
    text: str,
    *,
    create: bool = False,
    initialise: bool = False,
    read_only: bool = False,
    read_only_hint: Sequence[str] = (),
) -> Iterator[Database]:
    """Open the database ``--db`` names, and close it when the block ends.

    Args:
        text: A database URL or the path of a SQLite file.
        create: Create a SQLite file that does not exist yet.
        initialise: Create kamcore's tables in a database that has none (an
            existing kamcore database must be at the current schema version).
        read_only: The command only reads: a SQLite file is opened read-only
            (so a file that may not be written can be read, and nothing is
            written to it by mistake).
        read_only_hint: Detail lines for when a command that writes finds the
            database read-only.

    Raises:
        CommandError: SQLAlchemy is not installed, there is no such SQLite
            file, the database cannot be reached, is read-only for a command
            that writes, or is at another schema version.
    """
    try:
        import sqlalchemy as sa  # noqa: PLC0415 - the `sql` extra is optional

        from kamcore.adapters.sql import (  # noqa: PLC0415
            SchemaVersionError,
            SqlUnitOfWork,
            create_engine_for,
            schema_version,
            upgrade,
        )
    except ImportError:
        raise CommandError(SQL_EXTRA_HINT, ExitCode.STORAGE) from None
    url = database_url(text)
    file = _sqlite_file(url)
    if file is not None and not file.is_file():
        if not create:
            msg = (
                f"no database at {file}: create one with `kamcore import` or "
                "`kamcore db upgrade`"
            )
            raise CommandError(msg, ExitCode.NOT_FOUND)
        if not file.parent.is_dir():
            msg = f"cannot create a database in {file.parent}: no such directory"
            raise CommandError(msg, ExitCode.NOT_FOUND)
    if not read_only and file is not None and file.is_file() and no_one_may_write(file):
        # Refused even where the system would allow it (root): the file's
        # permissions say it is not to be written.
        msg = f"{_shown(url)} is read-only, and this command writes to it"
        raise CommandError(msg, ExitCode.STORAGE, read_only_hint)
    try:
        engine = (
            _read_only_engine(file, create_engine_for)
            if read_only and file is not None
            else create_engine_for(url)
        )
    except KamcoreError as error:
        raise CommandError(
            f"--db {text}: {_first_message(error)}", ExitCode.USAGE
        ) from None
    except (sa.exc.ArgumentError, ImportError) as error:
        raise CommandError(f"--db {text}: {error}", ExitCode.USAGE) from None
    try:
        if initialise and schema_version(engine) == 0:
            upgrade(engine)
        yield Database(_shown(url), engine, SqlUnitOfWork(engine))
    except SchemaVersionError as error:
        msg = (
            f"{_shown(url)} is at schema version {error.found}, this kamcore "
            f"uses version {error.expected}"
        )
        hint = (
            f"run `kamcore db upgrade --db {text}` first"
            if error.found < error.expected
            else "the database was upgraded by a newer kamcore: install that version"
        )
        raise CommandError(msg, ExitCode.STORAGE, [hint]) from None
    except sa.exc.SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        if is_read_only_error(cause):
            msg = f"{_shown(url)} is read-only, and this command writes to it"
            raise CommandError(msg, ExitCode.STORAGE, read_only_hint) from None
        msg = f"database error on {_shown(url)}: {str(cause).splitlines()[0]}"
        raise CommandError(msg, ExitCode.STORAGE) from None
    finally:
        engine.dispose()


def _read_only_engine(file: Path, create: Callable[[str], sa.Engine]) -> sa.Engine:
    """An engine reading ``file`` with SQLite's ``mode=ro``; ``immutable``
    when no one may write the file, or when ``mode=ro`` cannot open it."""
    import sqlalchemy as sa  # noqa: PLC0415 - the `sql` extra is optional

    if no_one_may_write(file):
        return create(read_only_url(file, immutable=True))
    engine = create(read_only_url(file, immutable=False))
    try:
        with engine.connect():
            return engine
    except sa.exc.OperationalError:
        # The directory is read-only and the write-ahead log's index does
        # not exist: SQLite cannot share the file, so reads it unshared.
        engine.dispose()
        return create(read_only_url(file, immutable=True))


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        import sqlalchemy as sa  # noqa: PLC0415

        return sa.make_url(url).render_as_string(hide_password=True)
    except Exception:  # a message must never fail
        return url


def _first_message(error: KamcoreError) -> str:
    errors = getattr(error, "errors", None)
    if errors:
        return str(errors[0].message)
    return str(error)


def warn(text: str) -> None:
    """Print a progress or warning line to standard error."""
    print(text, file=sys.stderr)

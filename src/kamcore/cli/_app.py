"""The ``kamcore`` command: its parser, and how failures become exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from kamcore import __version__
from kamcore.cli import (
    _db_command,
    _demo_command,
    _import_command,
    _loyalty_command,
    _price_command,
    _renewals_command,
    _report_command,
    _schema_command,
)
from kamcore.cli._common import CommandError, ExitCode, database_from_environment
from kamcore.errors import (
    ConcurrencyConflictError,
    ConfigurationConflictError,
    CurrencyMismatchError,
    DuplicateError,
    InvalidTransitionError,
    KamcoreError,
    NotFoundError,
    PolicyViolationError,
    ValidationError,
)

__all__ = ["build_parser", "exit_code_for", "main"]

DESCRIPTION = """\
kamcore: key account management from the command line. Run the account
manager's weekly routine on a portfolio stored in SQLite or PostgreSQL:
renewal alerts, the weekly report, prices and their explanation, loyalty
tiers. Start with `kamcore demo`.
"""

EPILOG = """\
exit status: 0 ok, 1 unexpected failure, 2 bad usage, 3 invalid input
(nothing written), 4 not found, 5 database not usable (missing `sql` extra,
schema version, unreachable server, read-only file, concurrent change), 141
output closed early (`| head`). See docs/cli.md.
"""

_COMMANDS = (
    _demo_command,
    _import_command,
    _report_command,
    _renewals_command,
    _price_command,
    _loyalty_command,
    _db_command,
    _schema_command,
)


def build_parser() -> argparse.ArgumentParser:
    """The ``kamcore`` argument parser, with every command."""
    parser = argparse.ArgumentParser(
        prog="kamcore", description=DESCRIPTION, epilog=EPILOG
    )
    parser.add_argument("--version", action="version", version=f"kamcore {__version__}")
    parser.add_argument(
        "--traceback",
        action="store_true",
        help="on an unexpected failure, show where it happened (for bug reports)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in _COMMANDS:
        command.register(commands)
    for name, command_parser in commands.choices.items():
        if name != "db":  # db sets its own, for `db` and `db upgrade`
            command_parser.set_defaults(usage_of=command_parser)
    parser.set_defaults(run=None, usage_of=parser)
    return parser


def exit_code_for(error: KamcoreError) -> ExitCode:
    """The exit status for an error of kamcore's hierarchy."""
    if isinstance(error, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(
        error,
        ValidationError
        | ConfigurationConflictError
        | CurrencyMismatchError
        | DuplicateError
        | InvalidTransitionError
        | PolicyViolationError,
    ):
        return ExitCode.INVALID_INPUT
    if isinstance(error, ConcurrencyConflictError):
        return ExitCode.STORAGE
    return ExitCode.UNEXPECTED


def _message_lines(error: KamcoreError) -> list[str]:
    if isinstance(error, ValidationError):
        return [f"invalid {error.subject}:"] + [
            f"  {e.path}: {e.message}" for e in error.errors
        ]
    return str(error).splitlines()


def _report(prog: str, lines: Sequence[str]) -> None:
    first, *rest = lines
    print(f"{prog}: {first}", file=sys.stderr)
    for line in rest:
        print(f"  {line}" if not line.startswith(" ") else line, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kamcore`` with ``argv`` (default: the process's arguments).

    Returns:
        The exit status (see :class:`ExitCode`): failures are reported on
        standard error as one message each, never as a traceback (unless
        ``--traceback`` is given for an unexpected failure). When standard
        output is closed early (``kamcore report | head -1``), nothing is
        reported and the status is ``CLOSED_OUTPUT`` (141, as for ``SIGPIPE``).
    """
    try:
        code = _parse_and_run(argv)
        sys.stdout.flush()  # here, not at exit: a closed pipe is seen now
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.CLOSED_OUTPUT
    return code


def _parse_and_run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error
        return stop.code if isinstance(stop.code, int) else ExitCode.USAGE
    if args.run is None:
        args.usage_of.print_help(sys.stderr)
        return ExitCode.USAGE
    return _run(args)


def _silence_stdout() -> None:
    """Point standard output at the null device, so that what is still in its
    buffer does not fail again when the interpreter flushes it on exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no file descriptor (tests capture output)
        pass


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command, turning its failures into messages and codes."""
    prog: str = args.usage_of.prog
    code: int
    try:
        database_from_environment(args, os.environ)
        code = int(args.run(args))
    except CommandError as error:
        _report(prog, [error.message, *error.details])
        code = error.code
    except KamcoreError as error:
        _report(prog, _message_lines(error))
        code = exit_code_for(error)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        raise  # the reader went away: not a failure to report (see main)
    except Exception as error:
        if args.traceback:
            raise
        _report(
            prog,
            [
                f"unexpected failure: {type(error).__name__}: {error}",
                "run again with `kamcore --traceback ...` to see where, and "
                "report it as a bug",
            ],
        )
        code = ExitCode.UNEXPECTED
    return code

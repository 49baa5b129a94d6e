"""What scripts rely on: ``--help`` everywhere, exit codes, one-line errors."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from cli.cli_support import kamcore, run_main
from kamcore.cli import ExitCode, main
from kamcore.cli._app import build_parser, exit_code_for
from kamcore.errors import (
    ConcurrencyConflictError,
    DuplicateError,
    KamcoreError,
    NotFoundError,
    PolicyViolationError,
    TransactionError,
    ValidationError,
)

COMMANDS = [
    ("demo",),
    ("import",),
    ("report",),
    ("renewals",),
    ("price",),
    ("loyalty",),
    ("db",),
    ("db", "upgrade"),
    ("schema",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    code, out, err = run_main(*command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: kamcore {' '.join(command)} ")


def test_the_exit_codes_are_stable() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "UNEXPECTED": 1,
        "USAGE": 2,
        "INVALID_INPUT": 3,
        "NOT_FOUND": 4,
        "STORAGE": 5,
        "CLOSED_OUTPUT": 141,
    }


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValidationError.single("Client", "currency", "unknown"), 3),
        (DuplicateError("Client", "acme"), 3),
        (PolicyViolationError("tier override", "not the manager", "x"), 3),
        (NotFoundError("Client", ["acme"]), 4),
        (ConcurrencyConflictError("Client", "acme", 1, 2), 5),
        (TransactionError("outside a block"), 1),
    ],
)
def test_errors_of_the_hierarchy_map_to_exit_codes(
    error: KamcoreError, code: int
) -> None:
    assert exit_code_for(error) == code


def test_no_command_is_a_usage_error() -> None:
    code, out, err = run_main()
    assert (code, out) == (2, "")
    assert err.startswith("usage: kamcore [-h] [--version] [--traceback] COMMAND ...")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("report", "--db", "x.db", "--as-of", "2026-13-01"),
            "kamcore report: error: argument --as-of: expected a date as "
            "YYYY-MM-DD, got '2026-13-01'",
        ),
        (
            ("report", "--db", "x.db", "--locale", "xx_YY"),
            "kamcore report: error: argument --locale: unknown locale 'xx_YY' "
            "(try en_GB, de_DE, fr_FR...)",
        ),
        (
            ("renewals", "--db", "x.db", "--timezone", "Mars/Olympus"),
            "kamcore renewals: error: argument --timezone: unknown time zone "
            "'Mars/Olympus' (an IANA name such as Europe/Paris)",
        ),
        (
            ("report", "--db", "x.db", "--group", "a", "--manager", "b"),
            "kamcore report: error: argument --manager: not allowed with argument "
            "--group",
        ),
    ],
)
def test_bad_options_are_usage_errors(arguments: tuple[str, ...], message: str) -> None:
    code, _, err = run_main(*arguments)
    assert code == 2
    assert err.splitlines()[-1] == message


def _failing(error: BaseException) -> argparse.ArgumentParser:
    parser = build_parser()

    def run(args: argparse.Namespace) -> ExitCode:
        raise error

    parser.set_defaults(run=run)
    return parser


def test_a_kamcore_error_is_one_message_per_field(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    error = ValidationError.single("Client", "$.currency", "unknown code 'eur'")
    monkeypatch.setattr("kamcore.cli._app.build_parser", lambda: _failing(error))
    assert main([]) == 3
    assert capsys.readouterr().err == (
        "kamcore: invalid Client:\n  $.currency: unknown code 'eur'\n"
    )


def test_an_unexpected_failure_is_one_message_unless_a_traceback_is_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    boom = RuntimeError("disk on fire")
    monkeypatch.setattr("kamcore.cli._app.build_parser", lambda: _failing(boom))
    assert main([]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "kamcore: unexpected failure: RuntimeError: disk on fire",
        "  run again with `kamcore --traceback ...` to see where, and report it as "
        "a bug",
    ]
    with pytest.raises(RuntimeError, match="disk on fire"):
        main(["--traceback"])


def test_an_interrupt_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        "kamcore.cli._app.build_parser", lambda: _failing(KeyboardInterrupt())
    )
    assert main([]) == 130
    assert capsys.readouterr().err == "kamcore: interrupted\n"


def test_without_sqlalchemy_the_command_says_which_extra_to_install(
    tmp_path: Path,
) -> None:
    # Blocking the import stands for an installation without the `sql` extra.
    script = (
        "import sys; sys.modules['sqlalchemy'] = None; "
        "from kamcore.cli import main; "
        f"sys.exit(main(['report', '--db', {str(tmp_path / 'x.db')!r}]))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (5, "")
    assert result.stderr == (
        "kamcore report: the SQL adapters need SQLAlchemy: install kamcore with its "
        "`sql` extra, pip install 'kamcore[sql]' (or 'kamcore[postgres]' for "
        "PostgreSQL)\n"
    )


def test_version_and_help_as_a_process() -> None:
    result = kamcore("--version")
    assert (result.returncode, result.stdout) == (0, "kamcore 0.1.0\n")

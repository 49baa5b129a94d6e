"""``python -m kamcore`` is the ``kamcore`` command: the weekly routine's entry point.

The commands themselves are tested end to end in ``tests/cli``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import kamcore.__main__
from kamcore.cli import main


def test_the_module_delegates_to_the_command() -> None:
    assert kamcore.__main__.main is main


def test_runs_as_a_module_and_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kamcore", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: kamcore [-h] [--version] [--traceback]")
    for command in ("demo", "import", "report", "renewals", "price", "loyalty", "db"):
        assert f"\n    {command} " in result.stdout


def test_without_a_command_it_shows_the_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Start with `kamcore demo`." in captured.err


def test_an_unknown_command_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["weekly"]) == 2
    assert "invalid choice: 'weekly'" in capsys.readouterr().err

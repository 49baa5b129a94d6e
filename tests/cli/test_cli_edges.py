"""Edges of the command line: output closed early, ``KAMCORE_DB``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.cli_support import AS_OF
from kamcore.cli import ExitCode


def closed_output(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kamcore ARGS`` with its standard output a pipe whose
    reading end is already closed: every write to it fails, as when the reader
    (``head -1``) has gone."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(  # noqa: S603 - this interpreter, our own package
            [sys.executable, "-m", "kamcore", *map(str, args)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=300,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--as-of", AS_OF),
        ("report", "--as-of", AS_OF, "--format", "csv"),
        ("loyalty", "--as-of", AS_OF),
    ],
    ids=["report", "report-csv", "loyalty"],
)
def test_a_closed_output_ends_the_command_quietly(
    demo_db: Path, args: tuple[str, ...]
) -> None:
    result = closed_output(*args, "--db", demo_db)
    assert (result.returncode, result.stderr) == (ExitCode.CLOSED_OUTPUT, "")


def test_a_long_output_closed_early_ends_quietly() -> None:
    # The schema is larger than a pipe's buffer: the write fails mid-way, not
    # only at the final flush.
    result = closed_output("schema")
    assert (result.returncode, result.stderr) == (141, "")


def test_help_into_a_closed_output_ends_quietly() -> None:
    result = closed_output("report", "--help")
    # argparse itself ignores a failed write of its help (then exits 0) on
    # some Python versions; either way nothing is reported.
    assert result.stderr == ""
    assert result.returncode in (ExitCode.OK, ExitCode.CLOSED_OUTPUT)


def test_report_piped_into_head_prints_its_first_line_only(demo_db: Path) -> None:
    command = (
        f"{sys.executable} -m kamcore report --db '{demo_db}' --as-of {AS_OF} "
        '| head -1; echo "status ${PIPESTATUS[0]}" >&2'
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line of our own
        ["/bin/bash", "-c", command],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (
        result.stdout
        == "Monday portfolio health check, all key accounts, 23 Nov 2026\n"
    )
    # 0 when the report fitted in the pipe before head left, else 141.
    assert result.stderr in ("status 0\n", "status 141\n")

"""The command line is a host application: the library never depends on it."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import kamcore.__main__
import kamcore.cli

SRC = Path(__file__).resolve().parents[2] / "src" / "kamcore"
CLI_FILES = sorted((SRC / "cli").glob("*.py"))
LIBRARY_FILES = sorted(
    path
    for path in SRC.rglob("*.py")
    if "cli" not in path.relative_to(SRC).parts and path.name != "__main__.py"
)


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_library_never_imports_the_command_line(path: Path) -> None:
    assert sorted(n for n in imports(path) if n.startswith("kamcore.cli")) == []


CLOCK_READS = {
    f"{module}{name}"
    for module in ("", "dt.", "datetime.")
    for name in ("datetime.now", "datetime.utcnow", "date.today")
} | {"time.time", "time.monotonic"}


@pytest.mark.parametrize("path", CLI_FILES, ids=lambda p: p.name)
def test_the_command_line_reads_time_only_through_a_clock(path: Path) -> None:
    # "Today" comes from a Clock (SystemClock, or FixedClock for --as-of).
    reads = [
        f"{ast.unparse(node.func)}() at line {node.lineno}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and ast.unparse(node.func) in CLOCK_READS
    ]
    assert reads == []


def test_python_dash_m_runs_the_same_main() -> None:
    assert kamcore.__main__.main is kamcore.cli.main


def test_the_command_lines_public_names_are_documented() -> None:
    exported = {name: getattr(kamcore.cli, name) for name in kamcore.cli.__all__}
    assert sorted(exported) == [
        "ExitCode",
        "PortfolioDocument",
        "main",
        "portfolio_schema",
    ]
    assert [name for name, obj in exported.items() if not inspect.getdoc(obj)] == []


HEAVY = ("cattrs", "kamcore.adapters.sql", "kamcore.services", "numpy", "sqlalchemy")


def test_the_options_of_every_command_load_no_service_sql_or_numpy() -> None:
    # `kamcore --help` and a usage error answer at once: what a command does
    # is imported when it runs. A new interpreter, as this one has them all.
    script = (
        "import sys; import kamcore.__main__; "
        "from kamcore.cli._app import build_parser; build_parser(); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")

"""``kamcore schema``: print the JSON Schema of the portfolio document."""

from __future__ import annotations

import argparse
import sys

from kamcore.cli._common import ExitCode

__all__ = ["register", "run"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``schema`` to the command parsers."""
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of the portfolio document `import` reads",
        description="Print the JSON Schema (draft 2020-12) of the portfolio "
        "document that `kamcore import` reads; docs/portfolio.schema.json holds "
        "the same.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    """Print the schema (``args``: none besides the command's own)."""
    from kamcore.cli._schema import schema_text  # noqa: PLC0415 - imported only when the command runs

    del args
    sys.stdout.write(schema_text())
    return ExitCode.OK

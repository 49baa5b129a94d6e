"""``kamcore price``: the unit price a client pays, and why.

The command's options; what it does is :mod:`kamcore.cli._price_run`,
imported only when the command runs.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from kamcore.cli._common import (
    ExitCode,
    add_database,
    add_format,
    add_locale,
    add_timezone,
    parse_date,
)

__all__ = ["register", "run"]

DESCRIPTION = """\
Resolve the unit price CLIENT pays for QTY units of PRODUCT on a date: the
client's dedicated price list, else its groups' lists by priority, else the
base list, then its discount group. Prints the price and its explanation:
every list and item considered and why each was used or not, the discount
applied, and each step with its rounding.
"""


def _quantity(text: str) -> Decimal:
    try:
        quantity = Decimal(text)
    except InvalidOperation:
        quantity = Decimal(0)
    if not quantity.is_finite() or quantity <= 0:
        msg = f"expected a positive quantity such as 10 or 2.5, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return quantity


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``price`` to the command parsers."""
    parser = commands.add_parser(
        "price",
        help="the unit price a client pays for a product, and why",
        description=DESCRIPTION,
    )
    parser.add_argument("client", metavar="CLIENT", help="the client's id")
    parser.add_argument("product", metavar="PRODUCT", help="the product's id")
    parser.add_argument(
        "quantity", metavar="QTY", type=_quantity, help="how many units"
    )
    add_database(parser)
    parser.add_argument(
        "--on",
        metavar="DATE",
        type=parse_date,
        help="the pricing date, YYYY-MM-DD (default: today)",
    )
    add_locale(parser, default=None, default_shown="the client's")
    add_format(parser)
    add_timezone(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    """Print the resolved unit price and its explanation."""
    from kamcore.cli import _price_run  # noqa: PLC0415 - imported only when the command runs

    return _price_run.run(args)

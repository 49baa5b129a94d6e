"""The decimal contexts kamcore computes and rounds in, and ``exactly``."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from kamcore.errors import ValidationError

__all__ = ["EXACT", "ROUNDING", "ROUNDING_MODES", "exactly"]

# Arithmetic runs in a context wide enough for any amount kamcore accepts and
# traps Inexact: if a result ever needed rounding to fit, we raise instead of
# rounding silently inside arithmetic. A division by zero raises too, rather
# than giving Infinity.
EXACT = decimal.Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    traps=[
        decimal.Inexact,
        decimal.InvalidOperation,
        decimal.Overflow,
        decimal.DivisionByZero,
    ],
)
"""The context kamcore computes in: never the caller's ambient decimal context,
whose precision a host may have lowered; inexact results raise."""

ROUNDING = decimal.Context(
    prec=80,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.Overflow],
)
"""The context for an explicit, documented rounding (quantize): wide enough that
only the requested quantum rounds. Babel formats amounts in it too, so that
every digit is shown."""

ROUNDING_MODES = frozenset(
    {
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
        decimal.ROUND_05UP,
    }
)
"""The ``decimal`` rounding modes a configuration may name."""


def exactly(
    operation: Callable[[Decimal, Decimal | int], Decimal],
    left: Decimal,
    right: Decimal | int,
    *,
    subject: str = "Money",
    path: str = "amount",
) -> Decimal:
    """Run an exact context operation, turning every decimal signal into an error.

    Raises:
        ValidationError: at ``path`` of ``subject`` when the result would need
            rounding, is out of range, divides by zero or is undefined.
    """
    try:
        return operation(left, right)
    except decimal.Overflow:  # before Inexact, which it derives from
        problem = "result is out of range"
    except decimal.Inexact:
        problem = (
            "result needs more than 60 significant digits; kamcore will not "
            "round it silently"
        )
    except decimal.DivisionByZero:
        problem = "cannot divide by zero"
    except decimal.InvalidOperation:
        problem = "result is undefined (an operand is not a finite number)"
    raise ValidationError.single(subject, path, problem, left)

"""Splitting a whole number of minor units in proportion to ratios, exactly.

The arithmetic is on integers: every ratio is brought to one integer scale
(ratios have at most 30 decimal places and stay below ``10**30``, so the
integers have at most 60 digits), so the shares and their remainders are
exact and ties are real ties, broken by position alone. The number of parts
is bounded by :data:`MAX_PARTS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from kamcore.errors import FieldError, ValidationError
from kamcore.kernel._numbers import MAX_MAGNITUDE_DIGITS, bounded_decimal, is_int

__all__ = ["MAX_PARTS", "allocate_units", "check_parts", "ratio_weights", "split_units"]

MAX_PARTS = 10**6
"""The most parts :meth:`~kamcore.kernel.Money.allocate` and
:meth:`~kamcore.kernel.Money.split` make: a million. More would be a mistake
(an amount of minor units as the part count), and would take seconds and
gigabytes to build."""

_SUBJECT = "Money.allocate"
_INT_BOUND = 10**MAX_MAGNITUDE_DIGITS


def check_parts(parts: object) -> int:
    """``parts`` if it is an integer from 1 to :data:`MAX_PARTS`, else raise."""
    if not is_int(parts) or not 1 <= parts <= MAX_PARTS:
        raise ValidationError.single(
            "Money.split",
            "parts",
            f"must be a positive integer of at most {MAX_PARTS}",
            parts,
        )
    return parts


def ratio_weights(ratios: object) -> list[int]:
    """The ratios as non-negative integers on one scale, with a positive sum.

    Raises:
        ValidationError: ratios that are not a list (or tuple...) of 1 to
            :data:`MAX_PARTS` exact numbers, each below ``10**30`` with at
            most 30 decimal places; negative ratios (all named); all zero.
    """
    if isinstance(ratios, str | bytes | bytearray) or not isinstance(ratios, Sequence):
        raise ValidationError.single(
            _SUBJECT,
            "ratios",
            f"expected a list of ratios, got {type(ratios).__name__}",
            ratios,
        )
    if not 1 <= len(ratios) <= MAX_PARTS:
        raise ValidationError.single(
            _SUBJECT,
            "ratios",
            f"needs from 1 to {MAX_PARTS} ratios, got {len(ratios)}",
            len(ratios),
        )
    numbers = [_ratio(ratio, index) for index, ratio in enumerate(ratios)]
    negative = [
        FieldError(f"ratios[{index}]", "must not be negative", number)
        for index, number in enumerate(numbers)
        if number < 0
    ]
    if negative:
        raise ValidationError(_SUBJECT, negative)
    # Each ratio is n/d with d a divisor of 10**30: one common denominator
    # turns them all into integers, exactly.
    fractions = [number.as_integer_ratio() for number in numbers]
    common = math.lcm(*{denominator for _, denominator in fractions})
    scaled = [
        numerator * (common // denominator) for numerator, denominator in fractions
    ]
    if not any(scaled):
        raise ValidationError.single(
            _SUBJECT, "ratios", "at least one ratio must be positive", numbers
        )
    return scaled


def _ratio(ratio: object, index: int) -> Decimal | int:
    if type(ratio) is int and -_INT_BOUND < ratio < _INT_BOUND:
        return ratio  # the common case, without a detour through Decimal
    return bounded_decimal(ratio, subject=_SUBJECT, path=f"ratios[{index}]")


def allocate_units(units: int, weights: list[int]) -> list[int]:
    """``units`` (>= 0) in shares proportional to ``weights`` that sum to it.

    Each share is the floor of its exact proportional share; the units left
    over go one each to the largest remainders, the earliest share first.
    """
    total = sum(weights)
    shares: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        share, remainder = divmod(units * weight, total)
        shares.append(share)
        remainders.append(remainder)
    leftover = units - sum(shares)
    if leftover:
        # A stable sort keeps equal remainders in their order, even reversed.
        largest = sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)
        for index in largest[:leftover]:
            shares[index] += 1
    return shares


def split_units(units: int, parts: int) -> list[int]:
    """``units`` (>= 0) in ``parts`` near-equal shares, the larger ones first
    (what :func:`allocate_units` gives for equal weights)."""
    share, leftover = divmod(units, parts)
    return [share + 1] * leftover + [share] * (parts - leftover)

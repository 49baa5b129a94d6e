"""An order of accounts by amount, kept up to date as amounts change.

The ranking of the Monday report sorts thousands of accounts by total, and
after a day of back-dated invoices only some of them move. A
:class:`RankOrder` keeps the order as one sorted list of int keys and moves
only those: each account is a *position* ``0 <= p < size`` (its rank among
the ids, so that ties are broken by id), and its key,
``-(amount * 10**scale) * size + position``, orders it by amount
descending, then position.

Ints compare in a few nanoseconds where tuples of a ``Decimal`` and a
string take far longer, and an int key still orders exactly: the scale
grows the day an amount has more decimals than it holds (:meth:`key` and
:meth:`moved` say so), and every key is then worked out again, so no amount
is ever rounded. A few changes are moved one by one (``bisect``); many are
merged into the list in one sort, which costs less than as many moves. The
keys are kept in an array of 64-bit ints while they fit in one.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections.abc import Iterable, MutableSequence, Sequence
from decimal import Decimal
from itertools import filterfalse

__all__ = ["RankOrder", "needed_scale"]

_INT64 = range(-(2**63), 2**63)

_DEFAULT_SCALE = 2
# Moving one key shifts the list twice; merging passes over it once. Past one
# change in this many keys, merging is cheaper.
_MERGE_FROM = 32


def _fits(key: int) -> bool:
    return key in _INT64


def _packed(keys: list[int]) -> MutableSequence[int]:
    """``keys`` in a compact array of 64-bit ints when they all fit, so that
    the next merge reads them in one sweep instead of visiting one int object
    per key (most of the cost once other work has evicted them from the
    caches); the list itself otherwise."""
    try:
        return array("q", keys)
    except OverflowError:
        return keys


def needed_scale(amount: Decimal) -> int:
    """The smallest scale ``s >= 0`` at which ``amount * 10**s`` is whole
    (finite amounts).

    Example:
        >>> needed_scale(Decimal("1.005")), needed_scale(Decimal("2E+3"))
        (3, 0)
    """
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # noqa: S101 - amounts here are finite
    return max(0, -exponent)


class RankOrder:
    """Keys of positions ranked by amount descending, then position.

    The caller keeps each position's key (from :meth:`key`) to take it out
    again (:meth:`replace`).

    Example:
        >>> order = RankOrder(4)
        >>> nine, five = order.key(Decimal("9"), 1), order.key(Decimal("5"), 3)
        >>> order.replace((), [five, nine, order.key(Decimal("5"), 0)])
        >>> order.positions()
        [1, 0, 3]
        >>> order.key(Decimal("9.005"), 2) is None  # needs a wider scale
        True
    """

    __slots__ = ("_factor", "_scale", "_size", "_sorted")

    def __init__(self, size: int) -> None:
        self._size = size
        self._scale = _DEFAULT_SCALE
        self._factor = 10**_DEFAULT_SCALE
        # The keys, ascending. They are replaced, never changed in place, once
        # handed out: a reader keeps them as they were.
        self._sorted: MutableSequence[int] = []

    def key(self, amount: Decimal, position: int) -> int | None:
        """The key of ``position`` at ``amount``; ``None`` when ``amount`` has
        more decimals than the scale holds (see :meth:`widen`)."""
        numerator, denominator = amount.as_integer_ratio()
        units, rest = divmod(numerator * self._factor, denominator)
        return None if rest else -units * self._size + position

    def moved(self, key: int, amount: Decimal) -> int | None:
        """The key of the same position after ``amount`` was added to its
        amount; ``None`` when ``amount`` has more decimals than the scale
        holds (see :meth:`widen`).

        Example:
            >>> order = RankOrder(4)
            >>> order.moved(order.key(Decimal("5"), 3), Decimal("4.5")) == (
            ...     order.key(Decimal("9.5"), 3))
            True
        """
        numerator, denominator = amount.as_integer_ratio()
        units, rest = divmod(numerator * self._factor, denominator)
        return None if rest else key - units * self._size

    def widen(self, amounts: Iterable[Decimal]) -> None:
        """Grow the scale to hold every one of ``amounts``, and forget every
        key: they all change (:meth:`replace` puts them back)."""
        scale = max([self._scale, *map(needed_scale, amounts)])
        self._scale, self._factor = scale, 10**scale
        self._sorted = []

    def replace(self, gone: Iterable[int], added: Iterable[int]) -> None:
        """Take the keys ``gone`` out and put the keys ``added`` in."""
        before = self._sorted
        gone, added = list(gone), list(added)
        if (len(gone) + len(added)) * _MERGE_FROM < len(before) and (
            isinstance(before, list) or all(map(_fits, added))
        ):
            after = before[:]
            for key in gone:
                del after[bisect_left(after, key)]
            for key in added:
                insort(after, key)
            self._sorted = after
        else:
            left = set(gone)
            merged = list(filterfalse(left.__contains__, before))
            merged += added
            merged.sort()  # the kept keys are one sorted run: one merge
            self._sorted = _packed(merged)

    def keys(self) -> Sequence[int]:
        """The keys as they are now, ascending (the list never changes
        afterwards)."""
        return self._sorted

    def positions(self, keys: Sequence[int] | None = None) -> list[int]:
        """The positions of ``keys`` (the current keys by default), in their
        order."""
        size = self._size
        return [key % size for key in (self._sorted if keys is None else keys)]

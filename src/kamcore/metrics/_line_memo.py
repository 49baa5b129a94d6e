"""Result lines reused where an account's figures did not change.

A result's figures are computed afresh every time, from the state's integer
sums; what costs is building the lines a person reads — one record per
account with its ``Money`` and percentages, tens of thousands of objects
for a portfolio. A line is a pure function of its account's inputs (the
client, its integers, the result's rule), so the lines last built for one
kind of result over one selection are kept on the state with the inputs they
were built from, and the next result of that kind builds lines only for the
accounts whose inputs differ (compared as arrays, in one pass); every other
line is the very object built before.

Nothing here decides a figure: a line is reused only for inputs equal to
the ones it was built from. The memo is no part of the state's equality,
pickling or merging, and holds at most :data:`MAX_KINDS` kinds of result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

import numpy as np

from kamcore.metrics._selection import ResolvedSelection
from kamcore.metrics._sums import Matrix

if TYPE_CHECKING:
    from kamcore.metrics._state import PortfolioState

__all__ = ["MAX_KINDS", "reused_lines"]

MAX_KINDS: Final = 16
Line = TypeVar("Line")


class _Built(NamedTuple):
    selection: ResolvedSelection
    covered: tuple[object, ...]
    inputs: tuple[Matrix, ...]
    lines: list[Any]


def reused_lines(  # noqa: PLR0917 - the parts of one memo entry
    state: PortfolioState,
    kind: tuple[object, ...],
    selection: ResolvedSelection,
    covered: tuple[object, ...],
    inputs: tuple[Matrix, ...],
    build: Callable[[Sequence[int]], list[Line]],
) -> list[Line]:
    """One line per covered account, in order: ``build(positions)`` makes the
    lines of the accounts at ``positions``; the others come from the lines
    last built for ``kind`` when their ``inputs`` (one array each, one entry
    per covered account) are equal."""
    memo: dict[tuple[object, ...], _Built] = state._lines  # the package's own
    last = memo.pop(kind, None)
    if last is None or last.selection is not selection or last.covered != covered:
        lines = build(range(len(covered)))
    else:
        changed = np.zeros(len(covered), np.bool_)
        for new, old in zip(inputs, last.inputs, strict=True):
            changed |= np.asarray(new != old, np.bool_)
        lines = list(last.lines)
        positions = np.flatnonzero(changed).tolist()
        for position, line in zip(positions, build(positions), strict=True):
            lines[position] = line
    memo[kind] = _Built(selection, covered, inputs, lines)
    while len(memo) > MAX_KINDS:
        del memo[next(iter(memo))]
    return lines

"""Reports kept per selection, brought up to date from the change log.

The Monday report is recomputed after every day of new invoices, over the
same selection. A :class:`PortfolioState` keeps, for each such report, what
it needs of every account of the selection, and logs what was added to
which accounts and months since (:mod:`kamcore.metrics._changes`): the next
computation moves only the accounts whose months it reads, by what was
added to them, not the whole portfolio. Kept reports are a cache: the
results are the same with or without them.

The log is only written while reports are kept, and is emptied whenever every
kept report has read it; at most :data:`MAX_KEPT` reports are kept (the
oldest goes first), and a log that outgrows :data:`MAX_LOG` changes drops them
all (they are rebuilt on their next use).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol, TypeVar

import attrs

from kamcore.kernel import ClientId
from kamcore.metrics._changes import Added, changed_sums
from kamcore.metrics._selection import ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = ["MAX_KEPT", "MAX_LOG", "Kept", "KeptReport", "kept_report"]

MAX_KEPT: Final = 16
MAX_LOG: Final = 1_000_000


class KeptReport(Protocol):
    """What a report keeps between two computations."""

    def refresh(
        self, state: PortfolioState, changed: Mapping[ClientId, Added | None]
    ) -> None:
        """Bring the ``changed`` accounts up to date (never empty; accounts
        outside the selection are skipped): each with what was added to it
        by month, or ``None`` to work it out afresh from ``state``."""


Report = TypeVar("Report", bound=KeptReport)


@attrs.define
class Kept:
    """One kept report: its selection, how far it read the log, the report.

    Attributes:
        selection: The selection (identity: a resolved selection is reused).
        position: How much of the state's log the report accounts for.
        report: What the report keeps.
    """

    selection: ResolvedSelection
    position: int
    report: Any


def kept_report(
    state: PortfolioState,
    key: tuple[object, ...],
    selection: ResolvedSelection,
    *,
    months: range,
    orders: bool,
    build: Callable[[], Report],
) -> Report:
    """Report ``key`` over ``selection``, up to date.

    ``build`` makes it from scratch: the first time, or when the selection
    is another one. Afterwards the kept report is given what was added to
    the accounts with a change in one of ``months`` (of orders when
    ``orders``, of net invoiced otherwise), and the accounts seen for the
    first time (see :func:`changed_sums`).
    """
    reports = state._reports  # the package's own state
    log = state._log
    kept: Kept | None = reports.get(key)
    if kept is None or kept.selection is not selection:
        report = build()
        reports.pop(key, None)
        reports[key] = Kept(selection, len(log), report)
        while len(reports) > MAX_KEPT:
            del reports[next(iter(reports))]
        return report
    kept_one: Report = kept.report  # built by ``build`` for this key
    if kept.position < len(log):
        changed = changed_sums(log[kept.position :], months, orders=orders)
        kept.position = len(log)
        _trim(state)
        if changed:
            kept_one.refresh(state, changed)
    return kept_one


def _trim(state: PortfolioState) -> None:
    log = state._log
    reports = state._reports
    if all(kept.position == len(log) for kept in reports.values()):
        log.clear()
        for kept in reports.values():
            kept.position = 0
    elif len(log) > MAX_LOG:
        log.clear()
        reports.clear()

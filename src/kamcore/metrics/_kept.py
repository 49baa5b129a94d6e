"""Report lines kept per selection, brought up to date from the change log.

The Monday report is recomputed after every day of new invoices, over the
same selection. A :class:`PortfolioState` keeps, for each such report, the
line of every account of the selection, and logs which (account, month)
changed since: the next computation rebuilds only the lines of the accounts
whose months it reads, not the whole portfolio. The kept lines are a cache:
the results are the same with or without them.

The log is only written while reports are kept, and is emptied whenever every
kept report has read it; at most :data:`MAX_KEPT` reports are kept (the
oldest goes first), and a log that outgrows :data:`MAX_LOG` changes drops them
all (they are rebuilt on their next use).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any, Final

import attrs

from kamcore.accounts import Client
from kamcore.kernel import ClientId
from kamcore.metrics._selection import ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = ["MAX_KEPT", "MAX_LOG", "Kept", "kept_lines"]

MAX_KEPT: Final = 16
MAX_LOG: Final = 1_000_000


@attrs.define
class Kept:
    """One kept report: its selection, how far it read the log, its lines.

    Attributes:
        selection: The selection (identity: a resolved selection is reused).
        position: How much of the state's log the lines account for.
        entries: Each account's line, or its exclusion, by id.
        extra: What the report keeps besides (its ordering).
    """

    selection: ResolvedSelection
    position: int
    entries: dict[ClientId, Any]
    extra: Any = None


def kept_lines(
    state: PortfolioState,
    key: tuple[object, ...],
    selection: ResolvedSelection,
    *,
    months: Container[int],
    orders: bool,
    make: Callable[[Client], Any],
) -> tuple[Kept, dict[ClientId, Any] | None]:
    """The kept lines of report ``key`` over ``selection``, up to date.

    ``make`` builds one account's line (or exclusion); it is called for every
    account the first time, then only for the accounts with a change in one
    of ``months`` (of orders when ``orders``, of net invoiced otherwise), and
    for accounts seen for the first time.

    Returns:
        The kept report, and the changed accounts with their previous entries
        (``None`` when every line was built afresh).
    """
    reports = state._reports  # the package's own state
    log = state._log
    kept: Kept | None = reports.get(key)
    if kept is None or kept.selection is not selection:
        entries = {client.id: make(client) for client in selection.clients}
        kept = Kept(selection, len(log), entries)
        reports.pop(key, None)
        reports[key] = kept
        while len(reports) > MAX_KEPT:
            del reports[next(iter(reports))]
        return kept, None
    changed: dict[ClientId, Any] = {}
    if kept.position < len(log):
        chosen = selection.by_id
        entries = kept.entries
        for client, month, ordered in log[kept.position :]:
            fresh = client not in changed and client in chosen
            if fresh and (month is None or (ordered is orders and month in months)):
                changed[client] = entries[client]
                entries[client] = make(chosen[client])
        kept.position = len(log)
        _trim(state)
    return kept, changed


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

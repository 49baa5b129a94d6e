"""Partition states built on the workers, merged in a tree.

A state is exact and mergeable whatever the split of its rows (see
:mod:`kamcore.metrics`), so a Dask DataFrame partitioned by time, by
account or by nothing at all gives the state of all its rows: each partition
is read by :func:`~kamcore.metrics.invoices_from_frame` (or
:func:`~kamcore.metrics.orders_from_frame`) where it lives, and the states —
accounts x months of integers each, never rows — are merged ``split_every``
at a time until one is left. Only states cross the network.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from kamcore.errors import ValidationError
from kamcore.metrics import PortfolioState, invoices_from_frame, orders_from_frame

__all__ = ["delayed_state", "state_from_dask"]

_READERS: dict[str, Callable[..., PortfolioState]] = {
    "invoices": invoices_from_frame,
    "orders": orders_from_frame,
}
_SUBJECT = "dask frame"


def _dask() -> Any:
    try:
        return importlib.import_module("dask")
    except ImportError as missing:
        msg = (
            "kamcore.dask needs dask: install the extra with "
            "`pip install 'kamcore[dask]'`"
        )
        raise ImportError(msg, name="dask") from missing


def _partition_state(
    partition: object, number: int, kind: str, columns: dict[str, Any]
) -> PortfolioState:
    """The state of one partition; an error names the partition as well as
    its row (counted from 0 within the partition)."""
    try:
        return _READERS[kind](partition, **columns)
    except ValidationError as error:
        raise ValidationError(
            _SUBJECT,
            [
                type(field)(
                    f"partitions[{number}].{field.path}", field.message, field.value
                )
                for field in error.errors
            ],
        ) from error


def _merged(*states: PortfolioState) -> PortfolioState:
    return PortfolioState.merge_all(states)


def delayed_state(
    frame: Any,
    *,
    kind: str = "invoices",
    split_every: int = 8,
    **columns: Any,
) -> Any:
    """The state of ``frame``'s rows as a ``dask.delayed`` object, not yet
    computed: ``.compute()`` it, or hand it to a distributed client.

    Args:
        frame: A Dask DataFrame (``dask.dataframe``), any partitioning.
        kind: ``"invoices"`` (invoices and credit notes, as
            :func:`~kamcore.metrics.invoices_from_frame` reads them) or
            ``"orders"`` (:func:`~kamcore.metrics.orders_from_frame`).
        split_every: How many states one merge task takes (at least 2).
        **columns: The readers' keyword arguments (``client=``, ``issued=``,
            ``amount=``, ``currency=``, ...).

    Raises:
        ValidationError: an unknown ``kind``, a ``split_every`` below 2, or
            a frame that is not a Dask DataFrame. Errors in the rows are
            raised when the state is computed, their path naming the
            partition and the row within it (``partitions[3].amount[17]``).
        ImportError: dask is not installed (``kamcore[dask]``).
    """
    dask = _dask()
    if kind not in _READERS:
        raise ValidationError.single(
            _SUBJECT, "kind", f"expected one of {sorted(_READERS)}", kind
        )
    if type(split_every) is not int or split_every < 2:
        raise ValidationError.single(
            _SUBJECT,
            "split_every",
            "expected a whole number of at least 2",
            split_every,
        )
    if not hasattr(frame, "to_delayed") or not hasattr(frame, "npartitions"):
        raise ValidationError.single(
            _SUBJECT,
            "frame",
            f"expected a Dask DataFrame, got {type(frame).__name__}",
            type(frame).__name__,
        )
    delayed = dask.delayed
    parts = frame.to_delayed()
    states = [
        delayed(_partition_state, pure=True)(part, number, kind, columns)
        for number, part in enumerate(parts)
    ]
    if not states:
        return delayed(PortfolioState, pure=True)()
    while len(states) > 1:
        states = [
            delayed(_merged, pure=True)(*states[start : start + split_every])
            for start in range(0, len(states), split_every)
        ]
    return states[0]


def state_from_dask(
    frame: Any,
    *,
    kind: str = "invoices",
    split_every: int = 8,
    **columns: Any,
) -> PortfolioState:
    """The state of ``frame``'s rows, computed with Dask's current scheduler
    (a distributed ``Client``, when one is active): see :func:`delayed_state`.

    Example (in a notebook with a cluster)::

        import dask.dataframe as dd
        from kamcore.dask import state_from_dask

        invoices = dd.read_parquet("invoices/")  # decimal128 amounts
        state = state_from_dask(invoices, currency="EUR")
        state = state.merge(state_from_dask(dd.read_parquet("today/"), currency="EUR"))
    """
    state: PortfolioState = delayed_state(
        frame, kind=kind, split_every=split_every, **columns
    ).compute()
    return state

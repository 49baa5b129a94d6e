"""Portfolio states built on a Dask cluster equal the single-process state.

The cluster is a ``distributed.LocalCluster`` of two worker processes (one
thread each): partition states are pickled to the workers' results and
merged in a tree, as on a real cluster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamcore.accounts import Client
from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, ManagerId
from kamcore.metrics import (
    AccountSelection,
    Basis,
    PortfolioState,
    invoices_from_frame,
    monday_health_check,
    orders_from_frame,
)

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from kamcore.dask import state_from_dask  # noqa: E402 - with dask installed only

DECIMAL = pa.decimal128(12, 2)
CLIENTS = ["acme", "bolt", "cora", "dune"]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as connected:
        yield connected


def frame(rows: list[tuple[str, dt.date, Decimal]]) -> pd.DataFrame:
    """Rows as the frame a notebook reads from Parquet: Arrow-typed columns."""
    table: pd.DataFrame = pa.table(
        {
            "client": pa.array([r[0] for r in rows], pa.string()),
            "issued": pa.array([r[1] for r in rows], pa.date32()),
            "amount": pa.array([r[2] for r in rows], DECIMAL),
        }
    ).to_pandas(types_mapper=pd.ArrowDtype)
    return table


def partitioned(parts: list[pd.DataFrame]) -> Any:
    """One Dask DataFrame of exactly these partitions (empty ones kept)."""
    meta = parts[0].iloc[:0]
    return dd.from_delayed([dask.delayed(part) for part in parts], meta=meta)


rows = st.lists(
    st.tuples(
        st.sampled_from(CLIENTS),
        st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
        st.integers(-(10**7), 10**9).map(lambda cents: Decimal(cents).scaleb(-2)),
    ),
    max_size=60,
)


@settings(max_examples=10, deadline=None)
@given(rows, st.integers(1, 5), st.booleans())
def test_the_state_from_dask_is_the_single_process_state(
    client: Any,
    records: list[tuple[str, dt.date, Decimal]],
    count: int,
    by_account: bool,
) -> None:
    whole = invoices_from_frame(frame(records), currency="EUR")
    if by_account:  # one partition per client, and empty ones
        parts = [frame([r for r in records if r[0] == c]) for c in CLIENTS]
    else:  # by time: consecutive days, and empty ones past the last
        ordered = sorted(records, key=lambda r: r[1])
        size = -(-len(ordered) // count) if ordered else 1
        parts = [frame(ordered[n * size : (n + 1) * size]) for n in range(count + 2)]
    state = state_from_dask(partitioned(parts), currency="EUR", split_every=2)
    assert state == whole
    assert state.accounts.keys() == whole.accounts.keys()


def test_parquet_to_the_monday_report(client: Any, tmp_path: Path) -> None:
    history = [
        ("acme", dt.date(2026, 9, 3), Decimal("12000.00")),
        ("acme", dt.date(2026, 10, 8), Decimal("3000.00")),
        ("bolt", dt.date(2026, 9, 20), Decimal("800.00")),
        ("bolt", dt.date(2026, 10, 1), Decimal("900.00")),
    ]
    for month in (9, 10):
        mine = [r for r in history if r[1].month == month]
        table = pa.Table.from_pandas(frame(mine), preserve_index=False)
        pq.write_table(table, tmp_path / f"invoices-2026-{month:02d}.parquet")
    state = state_from_dask(dd.read_parquet(tmp_path), currency="EUR")
    assert state == PortfolioState.from_invoice_records(history, currency="EUR")
    clients = [
        Client(
            id=ClientId(name),
            name=name.title(),
            currency="EUR",
            locale="en_GB",
            key_account=True,
            account_manager=ManagerId("m"),
        )
        for name in ("acme", "bolt")
    ]
    selection = AccountSelection.key_accounts().resolve(clients)
    check = monday_health_check(
        state, selection, as_of=dt.date(2026, 11, 16), basis=Basis.INVOICED
    )
    table = check.to_pandas()
    assert list(table["client"]) == ["acme", "bolt"]
    assert [str(t) for t in table["total"]] == ["15000.00", "1700.00"]
    assert list(table["alarm"]) == [True, False]


def test_a_new_day_merges_into_a_kept_state(client: Any) -> None:
    history = [("acme", dt.date(2026, 10, 2), Decimal("100.00"))]
    today = [
        ("acme", dt.date(2026, 11, 16), Decimal("50.00")),
        ("cora", dt.date(2026, 11, 16), Decimal("7.00")),
    ]
    kept = state_from_dask(partitioned([frame(history)]), currency="EUR")
    day = state_from_dask(partitioned([frame(today)]), currency="EUR")
    assert kept.merge(day) == invoices_from_frame(
        frame(history + today), currency="EUR"
    )


def test_orders_and_errors_name_their_partition(client: Any) -> None:
    orders = frame([("acme", dt.date(2026, 10, 2), Decimal("10.00"))]).rename(
        columns={"issued": "ordered"}
    )
    state = state_from_dask(partitioned([orders]), kind="orders", currency="EUR")
    assert state == orders_from_frame(orders, currency="EUR")
    bad = frame(
        [
            ("acme", dt.date(2026, 10, 2), Decimal("10.00")),
            (" ", dt.date(2026, 10, 2), Decimal("1.00")),
        ]
    )
    with pytest.raises(ValidationError) as caught:
        state_from_dask(partitioned([frame([]), bad]), currency="EUR")
    assert caught.value.errors[0].path == "partitions[1].client[1]"
    with pytest.raises(ValidationError) as wrong:
        state_from_dask(partitioned([bad]), kind="refunds", currency="EUR")
    assert wrong.value.errors[0].path == "kind"
    with pytest.raises(ValidationError) as small:
        state_from_dask(partitioned([bad]), split_every=1, currency="EUR")
    assert small.value.errors[0].path == "split_every"
    with pytest.raises(ValidationError):
        state_from_dask(frame([]), currency="EUR")

"""Scale benchmark: ten million invoices in Parquet, on a two-worker cluster.

Scenario (every figure seeded): ``--invoices`` invoice records (10,000,000 by
default) of ``--accounts`` EUR key accounts (10,000) over 24 complete months
and a week, 2024-11-01 to 2026-11-07, amounts 10.00 to 5,000.00 with one in
25 a credit, written as ``--partitions`` Parquet files (24 by default: one per
month and one for the week, so partitioned by time), each with an Arrow
``decimal128(12, 2)`` amount column. The report: the Monday health check as
of Monday 2026-11-09 (ranking, declines on net invoiced, contracts expiring:
none are loaded here) and the rest of the weekly figures (revenue growth,
average value).

Measured:

a. kamcore on a ``distributed.LocalCluster`` of two worker processes (one
   thread each): ``dd.read_parquet`` -> :func:`kamcore.dask.state_from_dask`
   -> the figures; wall time, and the peak resident memory of each worker
   process (``VmHWM``: the most it ever held), against the size of the
   data;
b. pandas in one process on the same files: ``pd.read_parquet`` of every
   file (amounts read as float64), the groupby per account and month and the
   same figures; wall time and the process's peak memory growth. Skipped with
   ``--no-pandas``.

Run (from the repository root, in the project's virtualenv)::

    python benchmarks/bench_scale.py                       # 10M, a few minutes
    python benchmarks/bench_scale.py --invoices 1000000    # quicker

The Parquet files are written to a temporary folder (about 130 MB for 10M
rows) and removed afterwards. It is never part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from bench_metrics import (
    AS_OF,
    GROUP,
    RULE,
    Scenario,
    make_clients,
    pandas_figures,
    weekly_figures,
)

from kamcore.dask import state_from_dask
from kamcore.metrics import AccountSelection, Basis, monday_health_check

FIRST_DAY = dt.date(2024, 11, 1)
LAST_DAY = dt.date(2026, 11, 7)
_EPOCH = dt.date(1970, 1, 1)


def decimal_cents(cents: np.ndarray[Any, Any]) -> Any:
    """int64 cents as an Arrow decimal128(12, 2) array, built from its
    128-bit two's complement integers (no Python object per value)."""
    words = np.empty((len(cents), 2), np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    buffer = pa.py_buffer(words.tobytes())
    return pa.Array.from_buffers(pa.decimal128(12, 2), len(cents), [None, buffer])


def write_partitions(folder: Path, invoices: int, accounts: int, parts: int) -> int:
    """The invoices as ``parts`` Parquet files by consecutive time; bytes."""
    rng = np.random.default_rng(2026)
    first = (FIRST_DAY - _EPOCH).days
    last = (LAST_DAY - _EPOCH).days
    days = np.sort(rng.integers(first, last + 1, invoices))
    edges = np.linspace(first, last + 1, parts + 1).astype(np.int64)
    names = np.array([f"c-{n:05d}" for n in range(accounts)], dtype=object)
    size = 0
    for number in range(parts):
        low, high = np.searchsorted(days, edges[number : number + 2])
        count = int(high - low)
        cents = rng.integers(1_000, 500_001, count)
        cents[rng.random(count) < 1 / 25] *= -1
        table = pa.table(
            {
                "client": pa.array(
                    names[rng.integers(0, accounts, count)], pa.string()
                ),
                "issued": pa.array(days[low:high].astype(np.int32), pa.date32()),
                "amount": decimal_cents(cents),
            }
        )
        path = folder / f"invoices-{number:03d}.parquet"
        pq.write_table(table, path)
        size += path.stat().st_size
    return size


def peak_rss() -> int:
    """This process's peak resident memory, in bytes: ``VmHWM`` (Linux),
    which a forked worker does not inherit from its parent, unlike
    ``ru_maxrss``."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000_000)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--partitions", type=int, default=24)
    parser.add_argument("--no-pandas", action="store_true")
    args = parser.parse_args(argv)
    dd = importlib.import_module("dask.dataframe")
    distributed = importlib.import_module("distributed")
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{args.invoices:,} invoices, {args.accounts:,} accounts, "
        f"{args.partitions} Parquet partitions"
    )
    selection = AccountSelection.group(GROUP).resolve(
        make_clients(Scenario(args.invoices, args.accounts, 2026))
    )
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        size = write_partitions(folder, args.invoices, args.accounts, args.partitions)
        print(f"  Parquet written: {size / 2**20:.0f} MB")
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        with cluster, distributed.Client(cluster) as client:
            client.run(lambda: None)  # workers up before the clock starts
            start = time.perf_counter()
            state = state_from_dask(dd.read_parquet(folder), currency="EUR")
            built = time.perf_counter()
            check = monday_health_check(
                state, selection, as_of=AS_OF, rule=RULE, basis=Basis.INVOICED
            )
            figures = weekly_figures(state, selection)
            _ = (check.ranking.lines, check.decline.lines, figures[1].lines)
            done = time.perf_counter()
            peaks = client.run(peak_rss)
        print(
            f"(a) kamcore on 2 workers: state {built - start:.2f} s, figures "
            f"{done - built:.3f} s, total {done - start:.2f} s"
        )
        for worker, peak in sorted(peaks.items()):
            print(f"    worker {worker}: peak resident {peak / 2**20:.0f} MB")
        print(
            f"    state: {len(state.accounts):,} accounts x "
            f"{len(state._sums.months)} months; client process peak "
            f"{peak_rss() / 2**20:.0f} MB"
        )
        if not args.no_pandas:
            pd = importlib.import_module("pandas")
            before = peak_rss()
            start = time.perf_counter()
            frame = pd.concat(
                [pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))],
                ignore_index=True,
            )
            frame["amount"] = frame["amount"].astype("float64")
            frame["issued"] = pd.to_datetime(frame["issued"])
            empty = pd.DataFrame({"term_end": pd.to_datetime([])})
            result = pandas_figures(pd, frame, empty, issued="issued", amount="amount")
            elapsed = time.perf_counter() - start
            grown = max(peak_rss() - before, 0)
            print(
                f"(b) pandas in one process: {elapsed:.2f} s, peak memory grew by "
                f"{grown / 2**20:.0f} MB (the whole frame in one process)"
            )
            top = [line.client for line in check.ranking.lines[:10]]
            assert top == list(result["ranking"].head(10).index), "top 10 differ"
            print("    agreement: the top 10 accounts match")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Frame to figures on the CDNOW transaction log: kamcore against pandas.

The CDNOW log is the public record of every purchase made by 23,570
customers of the CDNOW music store from January 1997 to June 1998: 69,659
purchases (customer id, day, number of CDs, dollar value). It ships, among
others, inside the ``lifetimes`` wheel on PyPI; fetch it once with::

    pip download lifetimes==0.11.3 --no-deps -d /tmp/lt
    unzip -j /tmp/lt/Lifetimes-0.11.3-py3-none-any.whl \\
        lifetimes/datasets/CDNOW_master.txt -d /tmp/lt

and run (from the repository root, in the project's virtualenv, pandas
installed)::

    python benchmarks/bench_cdnow.py /tmp/lt/CDNOW_master.txt

Each customer is a key account in USD; the figures are those of
``bench_metrics.py`` (f) — the ranking over the trailing 12 months, revenue
growth, average value per account and the month-on-month decline on net
invoiced — as of Monday 1998-07-06, the first Monday after the log ends. The
dollar values are read from the file's text as exact decimals (an Arrow
``decimal128(12, 2)`` column) for kamcore and as float64 for pandas, in one
DataFrame; the two are timed interleaved in one process, and must agree on
the top ten accounts and the average value. Target: kamcore / pandas <= 1.2.
It is never part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import platform
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench_metrics import (
    GROUP,
    Record,
    check_agreement,
    interleaved,
    key_accounts,
    pandas_figures,
    to_decimal_frame,
    verdict,
    weekly_figures,
)

from kamcore.kernel import Money
from kamcore.metrics import (
    AccountSelection,
    DeclineRule,
    PortfolioState,
    invoices_from_frame,
)

AS_OF = dt.date(1998, 7, 6)  # the first Monday after the log ends
RULE = DeclineRule(minimum_base=Money("100.00", "USD"))


def read_log(path: Path) -> list[Record]:
    """The purchases: ``(customer, day, dollar value)``, the value exact."""
    records: list[Record] = []
    for line in path.read_text(encoding="ascii").splitlines()[1:]:
        customer, day, _cds, value = line.split()
        issued = dt.date(int(day[:4]), int(day[4:6]), int(day[6:]))
        records.append((customer, issued, Decimal(value)))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, help="CDNOW_master.txt")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    pd = importlib.import_module("pandas")
    records = read_log(args.log)
    customers = sorted({customer for customer, _day, _value in records})
    clients = key_accounts(customers, "USD", "en_US")
    selection = AccountSelection.group(GROUP).resolve(clients)
    print(
        f"Python {platform.python_version()} on {platform.machine()}, CDNOW: "
        f"{len(records):,} purchases, {len(customers):,} customers, best of "
        f"{args.runs}"
    )
    frame = to_decimal_frame(pd, records)
    empty = pd.DataFrame({"term_end": pd.to_datetime([])})

    def kamcore() -> tuple[PortfolioState, list[Any]]:
        state = invoices_from_frame(frame, currency="USD")
        return state, weekly_figures(state, selection, as_of=AS_OF, rule=RULE)

    def pandas() -> dict[str, Any]:
        return pandas_figures(
            pd,
            frame,
            empty,
            issued="issued",
            amount="amount_f64",
            as_of=AS_OF,
            minimum=100.0,
        )

    state, figures = kamcore()
    assert state == PortfolioState.from_invoice_records(records, currency="USD")
    check_agreement(figures, pandas())
    timings = interleaved(args.runs, {"kamcore": kamcore, "pandas": pandas})
    ratio = timings["kamcore"].best / timings["pandas"].best
    cpu = timings["kamcore"].best_cpu / timings["pandas"].best_cpu
    print(
        f"CDNOW frame to figures: kamcore {timings['kamcore'].best * 1000:.1f} ms, "
        f"pandas {timings['pandas'].best * 1000:.1f} ms: kamcore / pandas = "
        f"{ratio:.2f}x (cpu {cpu:.2f}x); target <= 1.2x: {verdict(ratio <= 1.2)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

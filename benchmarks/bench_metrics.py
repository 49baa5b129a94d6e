"""Metrics benchmark: the weekly report from a million invoice records.

Scenario (the defaults are the issue's; every figure is seeded):

* 10,000 EUR key accounts in one client group, one active contract each
  (a one-year term that started in the year before the report date, so about
  one in six expires within 60 days of it);
* 1,000,000 invoice records ``(client, issue date, net amount)`` over 24
  complete months and a week, 2024-11-01 to 2026-11-07, amounts 10.00 to
  5,000.00 with one record in 25 a credit (a negative amount); the report is
  run as of Monday 2026-11-09, so the last complete month is October 2026;
* for the warm measurement, one more day of invoices (2026-11-08, about
  1/737 of the records) arrives; and, separately, as many invoices
  back-dated to 2026-10-30, inside the windows the report reads (the worst
  case for an incremental state: every account they touch is redone).

The weekly report figures: the ranking of the accounts by net invoiced over
the trailing 12 months, revenue growth per account (those 12 months against
the 12 before), average value per account, and the month-on-month decline
(October against September, here on net invoiced: the records have no
orders). The Monday report: the ranking, the decline and the contracts
expiring within 60 days.

Measured in one process (best of ``--runs``; loops interleaved round by round
with the garbage collector off):

a. cold: ``PortfolioState.from_invoice_records`` plus the weekly figures,
   against the floor, one bare dict loop summing pre-binned
   ``(account, month) -> amount`` (the month already an int, the amounts the
   same Decimals): target within 1.5x of the floor;
b. the same figures from a plain pandas groupby per account and month
   (float64 amounts, string client ids, datetime64 dates), printed as the
   ratio kamcore / pandas, for the record (skipped without pandas);
c. warm: a state that already computed (and read) the Monday report takes
   one more day of records (``add_invoice_records``), computes it again and
   reads it in full (every line of the ranking, the declines and the
   expiring contracts built), against pandas recomputing it from the whole
   frame (concat of the new day included): target at least 20x faster.
   Measured for the day in the running month (the daily case) and for the
   back-dated day (every account it touches moves in the ranking). Nothing is
   kept between two reports: each is computed afresh from the state's
   integer sums;
d. the cost of one event: ``add_invoice`` of a full ``Invoice`` on a warm
   state, and one record of the bulk path;
e. the tracemalloc peak while building the state from every record, and what
   the state keeps: target under 1 GB;
f. frame to figures: the same records as one pandas DataFrame (``client``
   text, ``issued`` datetime64[ns] at midnight, ``amount`` an Arrow
   ``decimal128(12, 2)`` column via ``pd.ArrowDtype``, and beside it
   ``amount_f64``, the float64 column a pandas user would sum), timed for
   kamcore (``invoices_from_frame`` on the decimal column, then the weekly
   figures of (a)) against pandas (the groupby of (b) on the float column of
   the same frame), interleaved: target kamcore / pandas <= 1.2x.

kamcore and pandas must agree: the ranking's top accounts and the average
value are compared (pandas in floats, rounded to cents).

Run (from the repository root, in the project's virtualenv; pandas is a
benchmark-only dependency: ``pip install pandas``)::

    python benchmarks/bench_metrics.py                   # full size
    python benchmarks/bench_metrics.py --invoices 100000 # quicker
    python benchmarks/bench_metrics.py --only frame      # (f) alone

It is never part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import importlib.util
import platform
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client
from kamcore.contracts import Contract, ContractStatus, Signature
from kamcore.kernel import ClientGroupId, ClientId, ContractId, ManagerId, Money
from kamcore.metrics import (
    AccountSelection,
    Basis,
    DeclineRule,
    HealthCheck,
    PortfolioState,
    ResolvedSelection,
    account_ranking,
    average_value,
    invoices_from_frame,
    monday_health_check,
    month_key,
    order_decline,
    revenue_growth,
)

T = TypeVar("T")
FIRST_DAY = dt.date(2024, 11, 1)
LAST_DAY = dt.date(2026, 11, 7)  # 24 complete months and a week of November
NEW_DAY = dt.date(2026, 11, 8)  # one more day, in the running month
LATE_DAY = dt.date(2026, 10, 30)  # a day of invoices back-dated into October
AS_OF = dt.date(2026, 11, 9)  # a Monday
GROUP = ClientGroupId("dach")
MANAGER = ManagerId("m.rossi")
AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
RULE = DeclineRule(minimum_base=Money("1000.00", "EUR"))
Record = tuple[str, dt.date, Decimal]


@dataclass(frozen=True)
class Scenario:
    invoices: int
    accounts: int
    seed: int


def make_records(
    scenario: Scenario,
) -> tuple[list[Record], list[Record], list[Record]]:
    """The records up to the last day, one more day, and a back-dated day."""
    rng = random.Random(scenario.seed)
    names = [f"c-{n:05d}" for n in range(scenario.accounts)]
    days = [
        FIRST_DAY + dt.timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)
    ]
    # A pool of amounts: the records share Decimal objects, as records read from
    # one extract share nothing but cost the same to add.
    pool = [Decimal(rng.randint(1000, 500000)).scaleb(-2) for _ in range(20000)]
    pool += [-amount for amount in pool[:800]]
    choose = rng.choice
    records = [
        (choose(names), choose(days), choose(pool)) for _ in range(scenario.invoices)
    ]
    per_day = max(1, scenario.invoices // len(days))
    new_day = [(choose(names), NEW_DAY, choose(pool)) for _ in range(per_day)]
    late_day = [(choose(names), LATE_DAY, choose(pool)) for _ in range(per_day)]
    return records, new_day, late_day


def key_accounts(ids: list[str], currency: str, locale: str) -> list[Client]:
    """One key account per id, all in ``GROUP``, managed by ``MANAGER``."""
    return [
        Client(
            id=ClientId(name),
            name=f"Client {name}",
            currency=currency,
            locale=locale,
            key_account=True,
            account_manager=MANAGER,
            groups=frozenset({GROUP}),
        )
        for name in ids
    ]


def make_clients(scenario: Scenario) -> list[Client]:
    names = [f"c-{n:05d}" for n in range(scenario.accounts)]
    return key_accounts(names, "EUR", "de_DE")


def make_contracts(scenario: Scenario) -> list[Contract]:
    rng = random.Random(scenario.seed + 1)
    contracts = []
    for n in range(scenario.accounts):
        start = AS_OF - dt.timedelta(days=rng.randint(1, 365))
        draft = Contract.draft(
            id=ContractId(f"k-{n:05d}"),
            client=ClientId(f"c-{n:05d}"),
            title="Supply agreement",
            start=start,
            term=relativedelta(years=1),
            value=Money("12000.00", "EUR"),
            recorded_at=AT,
            recorded_by=MANAGER,
        ).sign(Signature(version=1, signed_on=start, signed_by="CFO"))
        contracts.append(
            draft.move_to(ContractStatus.ACTIVE, on=start, at=AT, reason="signed")
        )
    return contracts


# -- the computations -----------------------------------------------------------


def weekly_figures(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date = AS_OF,
    rule: DeclineRule = RULE,
) -> list[Any]:
    """The weekly report figures kamcore computes from a state."""
    return [
        account_ranking(state, selection, as_of=as_of),
        revenue_growth(state, selection, as_of=as_of),
        average_value(state, selection, as_of=as_of),
        order_decline(state, selection, as_of=as_of, rule=rule, basis=Basis.INVOICED),
    ]


def kamcore_cold(
    records: list[Record], selection: ResolvedSelection
) -> tuple[PortfolioState, list[Any]]:
    """The state and the figures; both are returned so that freeing them
    happens outside the timed region (as the floor's sums and pandas' result
    are freed after theirs)."""
    state = PortfolioState.from_invoice_records(records, currency="EUR")
    return state, weekly_figures(state, selection)


def floor(binned: list[tuple[str, int, Decimal]]) -> dict[tuple[str, int], Decimal]:
    """The cheapest pure-Python pass: sum pre-binned (account, month) amounts."""
    sums: dict[tuple[str, int], Decimal] = {}
    get = sums.get
    zero = Decimal(0)
    for account, month, amount in binned:
        key = (account, month)
        sums[key] = get(key, zero) + amount
    return sums


def monday(state: PortfolioState, selection: ResolvedSelection) -> HealthCheck:
    return monday_health_check(
        state, selection, as_of=AS_OF, rule=RULE, basis=Basis.INVOICED
    )


def pandas_figures(
    pd: Any,
    frame: Any,
    contracts: Any,
    *,
    issued: str = "issue_date",
    amount: str = "amount",
    as_of: dt.date = AS_OF,
    minimum: float = 1000.0,
) -> dict[str, Any]:
    """The weekly figures and the Monday report from a DataFrame, in pandas."""
    month = frame[issued].dt.year * 12 + frame[issued].dt.month - 1
    cells = frame.groupby([frame["client"], month])[amount].sum()
    wide = cells.unstack(fill_value=0.0)
    last = month_key(as_of) - 1
    months = wide.columns
    current = wide.loc[:, (months > last - 12) & (months <= last)].sum(axis=1)
    base = wide.loc[:, (months > last - 24) & (months <= last - 12)].sum(axis=1)
    growth = ((current - base) / base.where(base > 0) * 100).round(2)
    ranking = current.sort_values(ascending=False, kind="stable")
    previous = wide.get(last - 1, pd.Series(0.0, index=wide.index))
    latest = wide.get(last, pd.Series(0.0, index=wide.index))
    alarms = (previous >= minimum) & ((previous - latest) * 100 > 20 * previous)
    horizon = pd.Timestamp(as_of + dt.timedelta(days=60))
    expiring = contracts[contracts["term_end"] <= horizon]
    return {
        "ranking": ranking,
        "growth": growth,
        "average": current.sum() / len(current),
        "alarms": alarms[alarms].index,
        "expiring": expiring,
    }


def to_frame(pd: Any, rows: list[Record]) -> Any:
    """Records as a plain DataFrame: string ids, datetime64 dates, float64."""
    table = pd.DataFrame(rows, columns=["client", "issue_date", "amount"])
    table["issue_date"] = pd.to_datetime(table["issue_date"])
    table["amount"] = table["amount"].astype(float)
    return table


def to_decimal_frame(pd: Any, rows: list[Record]) -> Any:
    """Records as the frame of (f): an exact Arrow decimal column for kamcore
    and its float64 twin for pandas, in one DataFrame."""
    pa = importlib.import_module("pyarrow")
    amounts = [amount for _client, _day, amount in rows]
    return pd.DataFrame(
        {
            "client": [client for client, _day, _amount in rows],
            "issued": pd.to_datetime([day for _client, day, _amount in rows]),
            "amount": pd.array(amounts, dtype=pd.ArrowDtype(pa.decimal128(12, 2))),
            "amount_f64": [float(amount) for amount in amounts],
        }
    )


def kamcore_from_frame(
    frame: Any, selection: ResolvedSelection
) -> tuple[PortfolioState, list[Any]]:
    """(f): the state read from the frame's decimal column, and the figures."""
    state = invoices_from_frame(frame, currency="EUR")
    return state, weekly_figures(state, selection)


def pandas_recompute(pd: Any, frame: Any, day: Any, contracts: Any) -> dict[str, Any]:
    return pandas_figures(pd, pd.concat([frame, day], ignore_index=True), contracts)


# -- timing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    wall: tuple[float, ...]
    cpu: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def best_cpu(self) -> float:
        return min(self.cpu)


def timed(action: Callable[[], T]) -> tuple[float, float, T]:
    gc.collect()
    gc.disable()
    try:
        cpu = time.process_time()
        start = time.perf_counter()
        result = action()
        return time.perf_counter() - start, time.process_time() - cpu, result
    finally:
        gc.enable()


def interleaved(runs: int, loops: dict[str, Callable[[], object]]) -> dict[str, Timing]:
    """Every loop once per round, ``runs`` rounds: a shared machine's load
    falls on every loop alike, so the ratios stay meaningful."""
    walls: dict[str, list[float]] = {name: [] for name in loops}
    cpus: dict[str, list[float]] = {name: [] for name in loops}
    for round_number in range(1, runs + 1):
        for name, loop in loops.items():
            wall, cpu, _ = timed(loop)
            walls[name].append(wall)
            cpus[name].append(cpu)
        print(
            f"  round {round_number}: "
            + ", ".join(
                f"{n} {walls[n][-1]:.3f} s (cpu {cpus[n][-1]:.3f})" for n in loops
            )
        )
    return {n: Timing(tuple(walls[n]), tuple(cpus[n])) for n in loops}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# -- the measurements ------------------------------------------------------------


def measure_cold(
    records: list[Record], selection: ResolvedSelection, runs: int, frame: Any, pd: Any
) -> dict[str, Timing]:
    binned = [(client, month_key(day), amount) for client, day, amount in records]
    loops: dict[str, Callable[[], object]] = {
        "floor": lambda: floor(binned),
        "kamcore": lambda: kamcore_cold(records, selection),
    }
    if pd is not None:
        empty = pd.DataFrame({"term_end": pd.to_datetime([])})
        loops["pandas"] = lambda: pandas_figures(pd, frame, empty)
    print("(a, b) cold weekly report figures from invoice records:")
    return interleaved(runs, loops)


def warm_state(
    records: list[Record], contracts: list[Contract], selection: ResolvedSelection
) -> PortfolioState:
    state = PortfolioState.from_invoice_records(records, currency="EUR")
    for contract in contracts:
        state.add_contract(contract)
    read(monday(state, selection))  # last Monday's report, read as a host does
    return state


def read(check: HealthCheck) -> None:
    """Read the report's lines (built on first read)."""
    _ = (check.ranking.lines, check.decline.lines, check.expiring.lines)


def measure_warm(  # noqa: PLR0917 - a script's one call site
    label: str,
    records: list[Record],
    day: list[Record],
    contracts: list[Contract],
    selection: ResolvedSelection,
    runs: int,
    pandas_side: Callable[[], object] | None,
) -> tuple[dict[str, Timing], HealthCheck]:
    states = [warm_state(records, contracts, selection) for _ in range(runs)]
    used: list[PortfolioState] = []  # freed after the timings, not inside them
    results: list[HealthCheck] = []

    def kamcore_warm() -> None:
        state = states.pop()
        used.append(state)
        state.add_invoice_records(day, currency="EUR")
        check = monday(state, selection)
        read(check)  # the result read in full: every line built
        results.append(check)

    loops: dict[str, Callable[[], object]] = {"kamcore warm": kamcore_warm}
    if pandas_side is not None:
        loops["pandas full"] = pandas_side
    print(f"(c) Monday report after {label}:")
    timings = interleaved(runs, loops)
    fresh = PortfolioState.from_invoice_records(records + day, currency="EUR")
    for contract in contracts:
        fresh.add_contract(contract)
    assert results[-1].tables() == monday(fresh, selection).tables()
    print("    the warm report equals the one computed afresh")
    return timings, results[-1]


def measure_warm_days(  # noqa: PLR0917 - a script's two call sites
    records: list[Record],
    days: tuple[list[Record], list[Record]],
    contracts: list[Contract],
    selection: ResolvedSelection,
    runs: int,
    pd: Any,
    frame: Any,
    ends: Any,
) -> None:
    """(c) for the day in the running month and the back-dated day."""
    labels = ("one more day (running month)", "a back-dated day (last complete month)")
    for label, day in zip(labels, days, strict=True):
        pandas_side: Callable[[], object] | None = None
        if pd is not None:
            extra = to_frame(pd, day)
            pandas_side = partial(pandas_recompute, pd, frame, extra, ends)
        warm, check = measure_warm(
            label, records, day, contracts, selection, runs, pandas_side
        )
        report_warm(label, warm, check, len(day))


def report_warm(
    label: str, warm: dict[str, Timing], check: HealthCheck, records: int
) -> None:
    print(
        f"    {records:,} new records; {len(check.ranking.lines):,} accounts ranked, "
        f"{len(check.decline.alarms)} declines, {len(check.expiring.lines)} "
        "contracts expiring within 60 days"
    )
    kamcore_warm = warm["kamcore warm"].best
    if "pandas full" not in warm:
        print(f"(c) {label}: kamcore warm {kamcore_warm * 1000:.1f} ms")
        return
    speedup = warm["pandas full"].best / kamcore_warm
    cpu = warm["pandas full"].best_cpu / warm["kamcore warm"].best_cpu
    print(
        f"(c) {label}: kamcore warm {kamcore_warm * 1000:.1f} ms, pandas full "
        f"recompute {warm['pandas full'].best * 1000:.1f} ms: {speedup:.1f}x faster "
        f"(cpu {cpu:.1f}x); target >= 20x: {verdict(speedup >= 20)}"
    )


def measure_events(
    records: list[Record], selection: ResolvedSelection, count: int
) -> tuple[float, float]:
    """Seconds per ``add_invoice`` on a warm state, and per bulk record."""
    from kamcore.accounts import Invoice, LineItem  # noqa: PLC0415 - only here
    from kamcore.kernel import InvoiceId, ProductId  # noqa: PLC0415

    state = PortfolioState.from_invoice_records(records, currency="EUR")
    weekly_figures(state, selection)
    invoices = [
        Invoice(
            id=InvoiceId(f"i-{n}"),
            client=ClientId(client),
            issue_date=day,
            due_date=day,
            currency="EUR",
            lines=(
                LineItem(
                    product=ProductId("p"),
                    quantity=Decimal(1),
                    unit_price=Money(abs(amount), "EUR"),
                ),
            ),
        )
        for n, (client, day, amount) in enumerate(records[:count])
    ]
    add = state.add_invoice
    wall, _cpu, _ = timed(lambda: [add(invoice) for invoice in invoices])
    bulk_state = PortfolioState()
    bulk, _cpu, _ = timed(
        lambda: bulk_state.add_invoice_records(records, currency="EUR")
    )
    return wall / len(invoices), bulk / len(records)


def measure_memory(records: list[Record]) -> tuple[int, int]:
    """tracemalloc peak while building the state, and what it holds after."""
    tracemalloc.start()
    try:
        state = PortfolioState.from_invoice_records(records, currency="EUR")
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del state
    return peak, current


def measure_frame(
    records: list[Record], selection: ResolvedSelection, runs: int, pd: Any
) -> dict[str, Timing]:
    """(f): frame to figures, kamcore against pandas on one frame."""
    frame = to_decimal_frame(pd, records)
    expected = PortfolioState.from_invoice_records(records, currency="EUR")
    assert kamcore_from_frame(frame, selection)[0] == expected
    empty = pd.DataFrame({"term_end": pd.to_datetime([])})
    check_agreement(
        kamcore_from_frame(frame, selection)[1],
        pandas_figures(pd, frame, empty, issued="issued", amount="amount_f64"),
    )
    loops: dict[str, Callable[[], object]] = {
        "kamcore": lambda: kamcore_from_frame(frame, selection),
        "pandas": lambda: pandas_figures(
            pd, frame, empty, issued="issued", amount="amount_f64"
        ),
    }
    print("(f) frame to weekly figures (one DataFrame, decimal128 and float64):")
    return interleaved(runs, loops)


def report_frame(frame: dict[str, Timing]) -> None:
    ratio = frame["kamcore"].best / frame["pandas"].best
    cpu = frame["kamcore"].best_cpu / frame["pandas"].best_cpu
    print(
        f"(f) kamcore {frame['kamcore'].best:.3f} s, pandas "
        f"{frame['pandas'].best:.3f} s: kamcore / pandas = {ratio:.2f}x "
        f"(cpu {cpu:.2f}x); target <= 1.2x: {verdict(ratio <= 1.2)}"
    )


def cents(value: object) -> Decimal:
    """A pandas float as the Decimal it rounds to at cents."""
    return Decimal(f"{float(value):.2f}")  # type: ignore[arg-type]  # a numpy float


def check_agreement(figures: list[Any], pandas_result: dict[str, Any]) -> None:
    ranking, _growth, average, _decline = figures
    top = [(line.client, line.total.amount) for line in ranking.lines[:10]]
    theirs = [
        (client, cents(value))
        for client, value in pandas_result["ranking"].head(10).items()
    ]
    assert top == theirs, (top, theirs)
    pandas_average = cents(pandas_result["average"])
    assert average.value.amount == pandas_average, (average.value, pandas_average)
    print(f"  agreement: top 10 accounts and average value {average.value} match")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument(
        "--only",
        choices=("frame", "warm"),
        help="run one measurement alone: frame, (f) frame to figures; warm, (c)",
    )
    args = parser.parse_args(argv)
    scenario = Scenario(args.invoices, args.accounts, args.seed)
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{scenario.invoices:,} invoice records, {scenario.accounts:,} accounts, "
        f"24 months, best of {args.runs}"
    )
    records, new_day, late_day = make_records(scenario)
    clients = make_clients(scenario)
    contracts = make_contracts(scenario)
    selection = AccountSelection.group(GROUP).resolve(clients)

    pd: Any = None
    frame: Any = None
    ends: Any = None
    has_pandas = importlib.util.find_spec("pandas") is not None
    if args.only == "frame":
        if not has_pandas:
            print("pandas is not installed: (f) is skipped")
            return 0
        report_frame(
            measure_frame(
                records, selection, args.runs, importlib.import_module("pandas")
            )
        )
        return 0
    if has_pandas:
        pd = importlib.import_module("pandas")
        frame = to_frame(pd, records)
        ends = pd.DataFrame(
            {
                "contract": [c.id for c in contracts],
                "term_end": [c.end for c in contracts],
            }
        )
        ends["term_end"] = pd.to_datetime(ends["term_end"])
    else:
        print("pandas is not installed: (b) and the pandas side of (c) are skipped")

    if args.only == "warm":
        measure_warm_days(
            records,
            (new_day, late_day),
            contracts,
            selection,
            args.runs,
            pd,
            frame,
            ends,
        )
        return 0
    cold = measure_cold(records, selection, args.runs, frame, pd)
    ratio = cold["kamcore"].best / cold["floor"].best
    cpu_ratio = cold["kamcore"].best_cpu / cold["floor"].best_cpu
    print(
        f"(a) kamcore {cold['kamcore'].best:.3f} s, floor {cold['floor'].best:.3f} s: "
        f"{ratio:.2f}x the floor (cpu {cpu_ratio:.2f}x); target <= 1.5x: "
        f"{verdict(ratio <= 1.5)}"
    )
    if pd is not None:
        print(
            f"(b) pandas {cold['pandas'].best:.3f} s: kamcore / pandas = "
            f"{cold['kamcore'].best / cold['pandas'].best:.2f} "
            f"(floor / pandas = {cold['floor'].best / cold['pandas'].best:.2f})"
        )
        empty = pd.DataFrame({"term_end": pd.to_datetime([])})
        check_agreement(
            kamcore_cold(records, selection)[1], pandas_figures(pd, frame, empty)
        )

    measure_warm_days(
        records, (new_day, late_day), contracts, selection, args.runs, pd, frame, ends
    )

    per_event, per_record = measure_events(
        records, selection, min(args.events, len(records))
    )
    print(
        f"(d) one add_invoice on a warm state: {per_event * 1e6:.1f} us; "
        f"one bulk record: {per_record * 1e6:.2f} us"
    )

    peak, kept = measure_memory(records)
    print(
        f"(e) state from {len(records):,} records: tracemalloc peak "
        f"{peak / 2**20:.0f} MB, kept {kept / 2**20:.0f} MB; target < 1 GB: "
        f"{verdict(peak < 2**30)}"
    )
    if pd is not None:
        report_frame(measure_frame(records, selection, args.runs, pd))
    return 0


if __name__ == "__main__":
    sys.exit(main())

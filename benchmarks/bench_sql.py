"""SQL adapter benchmark: 100,000 invoices into SQLite, and the weekly figures back.

Scenario (every figure is seeded):

* 500 EUR key accounts in one client group, stored as clients;
* 100,000 invoices over 24 months (2024-11-01 to 2026-10-30), one to three
  lines each (quantities with up to two decimals, unit prices with four),
  one in twenty-five with a credit note; 95 % are paid in full within two
  months (30 % of those issued in the last two months), so about 6 % are
  outstanding on the report date;
* the report runs as of Monday 2026-11-02.

What it measures, on an SQLite file in a temporary directory on disk (the
embedded default, durable commits):

a. bulk load: every invoice through ``SqlUnitOfWork`` -> ``invoices.add``,
   committing every ``--batch`` invoices (one transaction per batch);
b. full read: ``invoices.find()`` -- every row's JSON document structured
   and validated by kamcore's converter, as every read from storage is;
c. the weekly figures from what was read: a ``kamcore.metrics.PortfolioState``
   fed one ``add_invoice`` per invoice, then the account ranking (trailing 12
   months), revenue growth (YoY) and average value per account;
d. a few port queries on the loaded table: one client's invoices for a
   quarter (indexed on client and issue date) and ``outstanding`` on the
   report date (prefiltered in SQL, finished with ``Invoice.balance``).

Check: the net invoiced per client and month that the state holds equals an
exact sum over the generated invoices, to the cent.

Run (from the repository root, in the project's virtualenv)::

    python benchmarks/bench_sql.py                      # 100,000 invoices
    python benchmarks/bench_sql.py --invoices 10000     # quicker

It is never part of the test suite, and asserts no timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import attrs

from kamcore.accounts import Client, CreditNote, Invoice, LineItem, Payment
from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from kamcore.kernel import (
    ClientGroupId,
    ClientId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    Money,
    PaymentId,
    ProductId,
)
from kamcore.metrics import (
    AccountSelection,
    PortfolioState,
    ResolvedSelection,
    account_ranking,
    average_value,
    month_key,
    revenue_growth,
)

T = TypeVar("T")
FIRST_DAY = dt.date(2024, 11, 1)
LAST_DAY = dt.date(2026, 10, 30)
AS_OF = dt.date(2026, 11, 2)  # a Monday
GROUP = ClientGroupId("dach")
MANAGER = ManagerId("m.rossi")


CPU: dict[str, float] = {}


def timed(work: Callable[[], T], name: str = "") -> tuple[T, float]:
    """What ``work`` returned and its wall time; its CPU time goes in ``CPU``."""
    cpu, start = time.process_time(), time.perf_counter()
    result = work()
    CPU[name] = time.process_time() - cpu
    return result, time.perf_counter() - start


def cpu(name: str) -> str:
    return f"(CPU {CPU[name]:.1f} s)"


def make_clients(count: int) -> list[Client]:
    return [
        Client(
            id=ClientId(f"c-{n:04d}"),
            name=f"Client {n:04d}",
            currency="EUR",
            locale="de_DE",
            key_account=True,
            account_manager=MANAGER,
            groups=frozenset({GROUP}),
        )
        for n in range(count)
    ]


def make_invoices(count: int, clients: int, seed: int) -> Iterator[Invoice]:
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    for n in range(count):
        issued = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        lines = tuple(
            LineItem(
                product=ProductId(f"p-{rng.randint(1, 2000):04d}"),
                quantity=Decimal(rng.randint(1, 5000)).scaleb(-2),
                unit_price=Money(Decimal(rng.randint(100, 900000)).scaleb(-4), "EUR"),
            )
            for _ in range(rng.randint(1, 3))
        )
        invoice = Invoice(
            id=InvoiceId(f"i-{n:06d}"),
            client=ClientId(f"c-{rng.randrange(clients):04d}"),
            issue_date=issued,
            due_date=issued + dt.timedelta(days=30),
            currency="EUR",
            lines=lines,
        )
        total = invoice.total.amount
        if rng.random() < 1 / 25 and total > Decimal("0.01"):
            note = CreditNote(
                id=CreditNoteId(f"cn-{n:06d}"),
                issued_on=issued + dt.timedelta(days=rng.randint(1, 20)),
                amount=Money((total / 2).quantize(Decimal("0.01")), "EUR"),
                reason="return",
            )
            invoice = invoice.with_credit_note(note)
        # Most invoices get paid, within two months; the last ones not yet.
        paid_share = 0.95 if issued < dt.date(2026, 9, 1) else 0.3
        if rng.random() < paid_share and invoice.balance().is_positive():
            paid = Payment(
                id=PaymentId(f"pay-{n:06d}"),
                received_on=issued + dt.timedelta(days=rng.randint(5, 60)),
                amount=invoice.balance(),
            )
            invoice = invoice.with_payment(paid)
        yield invoice


def load(
    engine_url: str, clients: list[Client], invoices: list[Invoice], batch: int
) -> None:
    engine = create_engine_for(engine_url)
    upgrade(engine)
    uow = SqlUnitOfWork(engine)
    with uow:
        for client in clients:
            uow.clients.add(client)
        uow.commit()
        for start in range(0, len(invoices), batch):
            for invoice in invoices[start : start + batch]:
                uow.invoices.add(invoice)
            uow.commit()
    engine.dispose()


def read_all(engine_url: str) -> tuple[list[Client], list[Invoice]]:
    engine = create_engine_for(engine_url)
    uow = SqlUnitOfWork(engine)
    with uow:
        result = uow.clients.all(), uow.invoices.find()
    engine.dispose()
    return result


def weekly(invoices: list[Invoice], selection: ResolvedSelection) -> list[object]:
    state = PortfolioState()
    for invoice in invoices:
        state.add_invoice(invoice)
    return [
        state,
        account_ranking(state, selection, as_of=AS_OF),
        revenue_growth(state, selection, as_of=AS_OF),
        average_value(state, selection, as_of=AS_OF),
    ]


def exact_monthly_sums(invoices: list[Invoice]) -> dict[tuple[str, int], Decimal]:
    """Net invoiced per (client, month): totals by issue month, credits by theirs."""
    sums: dict[tuple[str, int], Decimal] = {}
    for invoice in invoices:
        key = (invoice.client, month_key(invoice.issue_date))
        sums[key] = sums.get(key, Decimal(0)) + invoice.total.amount
        for note in invoice.credit_notes:
            key = (invoice.client, month_key(note.issued_on))
            sums[key] = sums.get(key, Decimal(0)) - note.amount.amount
    return {key: amount for key, amount in sums.items() if amount}


def state_monthly_sums(state: PortfolioState) -> dict[tuple[str, int], Decimal]:
    return {
        (client, month): amount
        for client, account in state.accounts.items()
        for month, amount in account.invoiced.items()
        if amount
    }


def query_latencies(
    engine_url: str, clients: int, runs: int
) -> tuple[float, float, int]:
    engine = create_engine_for(engine_url)
    uow = SqlUnitOfWork(engine)
    quarter: list[float] = []
    with uow:
        for n in range(runs):
            client = ClientId(f"c-{n % clients:04d}")
            start = time.perf_counter()
            uow.invoices.find(
                client=client,
                issued_from=dt.date(2026, 7, 1),
                issued_to=dt.date(2026, 9, 30),
            )
            quarter.append(time.perf_counter() - start)
        found, outstanding = timed(lambda: uow.invoices.outstanding(as_of=AS_OF))
    engine.dispose()
    return statistics.median(quarter), outstanding, len(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None, help="where the file goes")
    args = parser.parse_args(argv)
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{args.invoices:,} invoices, {args.clients} clients, "
        f"commit every {args.batch:,}"
    )
    clients = make_clients(args.clients)
    invoices, made = timed(
        lambda: list(make_invoices(args.invoices, args.clients, args.seed))
    )
    print(f"generated in {made:.1f} s")
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        url = f"sqlite:///{folder}/kamcore.db"
        _, loading = timed(lambda: load(url, clients, invoices, args.batch), "load")
        size = os.path.getsize(f"{folder}/kamcore.db")
        print(
            f"a. bulk load:      {loading:7.1f} s {cpu('load')} "
            f"{args.invoices / loading:8,.0f} invoices/s, {size / 2**20:.0f} MiB"
        )
        (stored_clients, read), reading = timed(lambda: read_all(url), "read")
        print(
            f"b. full read:      {reading:7.1f} s {cpu('read')} "
            f"{len(read) / reading:8,.0f} invoices/s, every document validated"
        )
        selection = AccountSelection.group(GROUP).resolve(stored_clients)
        figures, computing = timed(lambda: weekly(read, selection), "weekly")
        print(
            f"c. weekly figures: {computing:7.1f} s {cpu('weekly')} "
            "state, ranking, YoY growth, average value"
        )
        quarter, outstanding, count = query_latencies(url, args.clients, 200)
        print(
            f"d. one client's quarter: {quarter * 1000:.1f} ms (median of 200); "
            f"outstanding on {AS_OF}: {count:,} invoices in {outstanding:.2f} s"
        )
    state = figures[0]
    assert isinstance(state, PortfolioState)
    assert read == sorted(
        (attrs.evolve(i, version=1) for i in invoices),
        key=lambda i: (i.issue_date, i.id),
    )
    assert state_monthly_sums(state) == exact_monthly_sums(invoices)
    print(
        f"total: {loading + reading + computing:.1f} s; "
        "check: documents equal, monthly net sums exact to the cent"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

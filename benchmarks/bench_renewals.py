"""Renewal scheduler benchmark: a long catch-up of a daily-term contract.

Scenario (the issue's): one auto-renewing contract with a one-day term,
started on 2000-01-01, signed and active, that the scheduler has never
processed. One run of :func:`kamcore.services.run_renewal_scheduler` as of
2026-12-07 must catch up every term end since: 9,837 automatic renewals.

What it measures:

a. the catch-up: :func:`kamcore.contracts.process_term_ends` on the contract
   (the target: under a second);
b. the whole plan: :func:`kamcore.contracts.schedule_renewals`, which also
   owes the manager one late alert for the stretch of term ends that no
   alert announced;
c. the daily run through the ports (in-memory unit of work, a recording
   notifier): the plan, plus saving the contract, reading the ledger,
   writing the alerts to it and handing the notifications, formatted, to
   the notifier (the target: under a second);
d. the stored document: the size of the contract's JSON document
   (:func:`kamcore.serialization.to_json`) after the run, and per term.

Each of a to c runs ``--repeat`` times on fresh data; the best and the median
wall times are shown (the machine may be shared: the best is the cost, the
median what a run sees).

Run (from the repository root, in the project's virtualenv)::

    python benchmarks/bench_renewals.py                     # the issue's case
    python benchmarks/bench_renewals.py --start 2020-01-01  # quicker

It is never part of the test suite, and asserts no timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.contracts import (
    Contract,
    ContractStatus,
    Signature,
    process_term_ends,
    schedule_renewals,
)
from kamcore.kernel import ClientId, ContractId, ManagerId, Money
from kamcore.serialization import to_json
from kamcore.services import RenewalRun, run_renewal_scheduler

T = TypeVar("T")
RECORDED = dt.datetime(1999, 12, 20, 9, 0, tzinfo=dt.UTC)
TARGET_SECONDS = 1.0


def daily_contract(start: dt.date) -> Contract:
    """An auto-renewing one-day-term contract from ``start``, signed and active."""
    draft = Contract.draft(
        id=ContractId("k-daily"),
        client=ClientId("acme"),
        title="Daily supply",
        start=start,
        term=relativedelta(days=1),
        value=Money("100.00", "EUR"),
        recorded_at=RECORDED,
        recorded_by=ManagerId("anna"),
        auto_renew=True,
    )
    signed = draft.sign(Signature(version=1, signed_on=start, signed_by="Ms Li"))
    return signed.move_to(ContractStatus.ACTIVE, on=start, at=RECORDED, reason="signed")


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """``work()`` and the seconds it took (wall time)."""
    began = time.perf_counter()
    result = work()
    return result, time.perf_counter() - began


def repeated(times: int, work: Callable[[], T]) -> tuple[T, str]:
    """The last result of ``work()`` run ``times`` times, and the best and
    median seconds as text."""
    results = [timed(work) for _ in range(times)]
    seconds = [spent for _, spent in results]
    return results[-1][0], (
        f"best {min(seconds):.3f} s, median {statistics.median(seconds):.3f} s "
        f"over {times}"
    )


def daily_run(
    contract: Contract, run_at: dt.datetime
) -> tuple[InMemoryUnitOfWork, RecordingNotifier, RenewalRun, float]:
    """A fresh in-memory store holding the client and ``contract``, after one
    run of the scheduler at ``run_at``, and the seconds the run alone took
    (not setting up the store)."""
    uow = InMemoryUnitOfWork(InMemoryStore())
    with uow:
        uow.clients.add(
            Client(
                id=ClientId("acme"),
                name="ACME",
                currency="EUR",
                locale="en_GB",
                account_manager=ManagerId("anna"),
            )
        )
        uow.contracts.add(contract)
        uow.commit()
    notifier = RecordingNotifier()
    clock = FixedClock(run_at)
    run, spent = timed(lambda: run_renewal_scheduler(uow, notifier, clock))
    return uow, notifier, run, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=dt.date.fromisoformat, default="2000-01-01")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default="2026-12-07")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start: dt.date = args.start
    as_of: dt.date = args.as_of
    times: int = max(args.repeat, 1)
    contract = daily_contract(start)
    run_at = dt.datetime.combine(as_of, dt.time(6, 0), tzinfo=dt.UTC)
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print(f"daily term from {start}, run as of {as_of}")

    (processed, events), pure = repeated(
        times, lambda: process_term_ends(contract, as_of=as_of, at=run_at)
    )
    print(f"a. process_term_ends: {len(events):,} term ends, {pure}")
    plan, planned = repeated(
        times, lambda: schedule_renewals([contract], as_of=as_of, at=run_at)
    )
    print(
        f"b. schedule_renewals: {len(plan.term_ends):,} term ends, "
        f"{len(plan.alerts):,} alerts owed, {planned}"
    )
    spent: list[float] = []
    for _ in range(times):
        uow, notifier, run, seconds = daily_run(contract, run_at)
        spent.append(seconds)
    best, middle = min(spent), statistics.median(spent)
    print(
        f"c. run_renewal_scheduler: {len(run.term_ends):,} term ends, "
        f"{len(run.raised):,} alerts raised, {len(notifier.sent):,} sent, "
        f"best {best:.3f} s, median {middle:.3f} s over {times}"
    )
    with uow:
        stored = uow.contracts.get(ContractId("k-daily"))
    size = len(to_json(stored).encode())
    terms = max(len(events), 1)
    print(
        f"d. stored document: {size:,} bytes ({size / 2**20:.2f} MiB), "
        f"{len(stored.versions):,} versions, {len(stored.history):,} status "
        f"changes, {size / terms:,.0f} bytes per term"
    )
    assert processed.end == stored.end  # the two paths agree
    met = "met" if middle < TARGET_SECONDS else "missed"
    print(f"target: the daily run (c) under {TARGET_SECONDS:.0f} s (median): {met}")


if __name__ == "__main__":
    main()

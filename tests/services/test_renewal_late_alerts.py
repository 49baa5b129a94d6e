"""A missed stretch of runs: the account manager hears once (SPEC §4's catch-up).

The run that processes term ends nobody was told of sends one late alert per
contract, covering the whole stretch: how many terms ended unannounced, the
first and the last of them, and what became of the contract.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.contracts import AlertKind, Contract, RenewalAlert
from kamcore.kernel import ClientId, ManagerId
from kamcore.services import run_renewal_scheduler
from kamcore.testing._contract_samples import active_contract

ROSSI = ManagerId("m.rossi")
JUN_15, OCT_15 = dt.date(2026, 6, 15), dt.date(2026, 10, 15)


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC)


def monthly() -> Contract:
    """An auto-renewing EUR 120,000.00 monthly contract from 2026-01-01."""
    return active_contract(
        client="acme",
        value="120000.00",
        title="Supply agreement 2026",
        term=relativedelta(months=1),
        auto_renew=True,
    )


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        unit.clients.add(
            Client(
                id=ClientId("acme"),
                name="ACME",
                currency="EUR",
                locale="en_GB",
                account_manager=ROSSI,
            )
        )
        unit.contracts.add(monthly())
        unit.commit()
    return unit


def ledger(uow: InMemoryUnitOfWork) -> list[RenewalAlert]:
    with uow:
        return uow.renewal_alerts.all()


def late_keys(notifier: RecordingNotifier) -> list[str]:
    return [m.key for m in notifier.sent if m.data()["alert_kind"] == "late"]


def test_five_terms_renewed_unannounced_are_told_in_one_notification(
    uow: InMemoryUnitOfWork,
) -> None:
    notifier = RecordingNotifier()
    run = run_renewal_scheduler(uow, notifier, FixedClock(morning(JUN_15)))
    assert len(run.renewed) == 5
    assert [m.key for m in notifier.sent] == [
        "renewal_alert:k-1/2026-01-31/late",  # the stretch, keyed by its first
        "renewal_alert:k-1/2026-06-30/renewal",  # the term now running
    ]


def test_the_late_notification_says_how_many_terms_ended_and_the_outcome(
    uow: InMemoryUnitOfWork,
) -> None:
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(JUN_15)))
    late = notifier.sent[0]
    assert late.subject == (
        "Contract k-1 renewed automatically 5 times, the last on June 1, 2026"
    )
    assert late.body == (
        "Supply agreement 2026 with ACME reached the end of 5 terms with no "
        "alert, the first on January 31, 2026 and the last on May 31, 2026. It "
        "renewed automatically each time, the last time on June 1, 2026. Their "
        "renewal alerts, the first due on December 2, 2025, never went out: no "
        "scheduler run in time. Value per term: €120,000.00."
    )


def test_the_late_notification_payload_names_the_stretch(
    uow: InMemoryUnitOfWork,
) -> None:
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(JUN_15)))
    assert notifier.sent[0].data() == {
        "alert": "k-1/2026-01-31/late",
        "alert_kind": "late",
        "client": "acme",
        "contract": "k-1",
        "deadline": "2026-01-31",
        "due_on": "2025-12-02",
        "last_term_end": "2026-05-31",
        "on": "2026-06-01",
        "outcome": "renewed",
        "raised_on": "2026-06-15",
        "term_end": "2026-01-31",
        "terms": "5",
        "value": "120000.00 EUR",
    }


def test_the_ledger_keeps_one_late_alert_covering_the_stretch(
    uow: InMemoryUnitOfWork,
) -> None:
    run_renewal_scheduler(uow, RecordingNotifier(), FixedClock(morning(JUN_15)))
    [late] = [a for a in ledger(uow) if a.kind is AlertKind.LATE]
    assert (late.id, late.term_end, late.last_term_end, late.terms) == (
        "k-1/2026-01-31/late",
        dt.date(2026, 1, 31),
        dt.date(2026, 5, 31),
        5,
    )
    assert [
        late.covers(day)
        for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 31), dt.date(2026, 5, 31))
    ] == [False, True, True]
    assert late.covers(dt.date(2026, 6, 30)) is False


def test_running_again_after_a_catch_up_sends_nothing(
    uow: InMemoryUnitOfWork,
) -> None:
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(JUN_15)))
    again = run_renewal_scheduler(uow, notifier, FixedClock(morning(JUN_15)))
    next_day = run_renewal_scheduler(
        uow, notifier, FixedClock(morning(JUN_15 + dt.timedelta(days=1)))
    )
    assert (again.sent, next_day.sent) == ((), ())
    assert len(notifier.sent) == 2


def test_two_separate_missed_stretches_give_two_late_notifications(
    uow: InMemoryUnitOfWork,
) -> None:
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(JUN_15)))
    second = run_renewal_scheduler(uow, notifier, FixedClock(morning(OCT_15)))
    # June 30 was announced by the run of June 15: the second stretch starts
    # with July 31.
    assert len(second.renewed) == 4
    assert late_keys(notifier) == [
        "renewal_alert:k-1/2026-01-31/late",
        "renewal_alert:k-1/2026-07-31/late",
    ]
    late = second.sent[0]
    assert (late.data()["terms"], late.data()["last_term_end"]) == (
        "3",
        "2026-09-30",
    )
    assert late.subject == (
        "Contract k-1 renewed automatically 3 times, the last on October 1, 2026"
    )


def test_a_single_missed_term_keeps_the_one_term_wording(
    uow: InMemoryUnitOfWork,
) -> None:
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(dt.date(2026, 2, 5))))
    late = notifier.sent[0]
    assert late.subject == "Contract k-1 renewed automatically on February 1, 2026"
    assert (late.data()["terms"], late.data()["last_term_end"]) == (
        "1",
        "2026-01-31",
    )


def test_a_26_year_daily_catch_up_tells_the_manager_once_in_the_locale() -> None:
    daily = active_contract(
        client="acme",
        value="100.00",
        title="Daily supply",
        start=dt.date(2000, 1, 1),
        term=relativedelta(days=1),
        auto_renew=True,
    )
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        unit.clients.add(
            Client(
                id=ClientId("acme"),
                name="ACME",
                currency="EUR",
                locale="de_DE",
                account_manager=ROSSI,
            )
        )
        unit.contracts.add(daily)
        unit.commit()
    notifier = RecordingNotifier()
    run = run_renewal_scheduler(
        unit,
        notifier,
        FixedClock(morning(dt.date(2026, 12, 7))),
        locales={ROSSI: "de_DE"},
    )
    assert (len(run.term_ends), len(run.raised), len(notifier.sent)) == (9837, 2, 2)
    late = notifier.sent[0]
    assert late.subject == (
        "Vertrag k-1 hat sich 9.837-mal automatisch verlängert, zuletzt am "
        "7. Dezember 2026"
    )
    assert late.body == (
        "Bei Daily supply mit ACME endeten 9.837 Laufzeiten ohne Warnung, die erste "
        "am 1. Januar 2000, die letzte am 6. Dezember 2026. Der Vertrag hat sich "
        "jedes Mal automatisch verlängert, zuletzt am 7. Dezember 2026. Die "
        "Verlängerungswarnungen, die erste fällig am 2. November 1999, wurden nie "
        "versendet: Der Verlängerungsplaner lief nicht rechtzeitig. Wert pro "
        "Laufzeit: 100,00\xa0€."
    )

"""The daily renewal scheduler through the ports: ledger, notifications, term ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.contracts import (
    AlertKind,
    Contract,
    ContractStatus,
    FirstAction,
    RenewalAlert,
    TermEndOutcome,
)
from kamcore.errors import NotFoundError, ValidationError
from kamcore.kernel import AlertId, ClientId, ContractId, ManagerId
from kamcore.ports import Notification, Recipient, RecipientKind
from kamcore.services import (
    SkippedContract,
    SkipReason,
    receive_termination_notice,
    record_alert_action,
    run_renewal_scheduler,
)
from kamcore.testing._contract_samples import active_contract

ROSSI, SMITH = ManagerId("m.rossi"), ManagerId("j.smith")
ALERT = AlertId("k-1/2026-12-31/renewal")
NOV_1 = dt.date(2026, 11, 1)


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC)


class FailingNotifier(RecordingNotifier):
    """Delivers ``fail_after`` notifications, then fails."""

    def __init__(self, fail_after: int) -> None:
        super().__init__()
        self.fail_after = fail_after

    def send(self, notification: Notification, /) -> None:
        if len(self.sent) == self.fail_after:
            raise ConnectionError("mail server down")
        super().send(notification)


def client(id: str, name: str, manager: ManagerId | None) -> Client:  # noqa: A002
    return Client(
        id=ClientId(id),
        name=name,
        currency="EUR",
        locale="en_GB",
        account_manager=manager,
    )


def supply(id: str = "k-1", **terms: Any) -> Contract:  # noqa: A002
    """A EUR 120,000.00 yearly contract with ACME from 2026-01-01."""
    fields: dict[str, Any] = {
        "client": "acme",
        "value": "120000.00",
        "title": "Supply agreement 2026",
        **terms,
    }
    return active_contract(id, **fields)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        unit.clients.add(client("acme", "ACME", ROSSI))
        unit.clients.add(client("globex", "Globex", SMITH))
        unit.clients.add(client("initech", "Initech", None))
        unit.commit()
    return unit


def store(uow: InMemoryUnitOfWork, *contracts: Contract) -> None:
    with uow:
        for contract in contracts:
            uow.contracts.add(contract)
        uow.commit()


def ledger(uow: InMemoryUnitOfWork) -> list[RenewalAlert]:
    with uow:
        return uow.renewal_alerts.all()


def stored(uow: InMemoryUnitOfWork, contract: str) -> Contract:
    with uow:
        return uow.contracts.get(ContractId(contract))


def test_a_due_alert_goes_into_the_ledger_for_the_account_manager(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply())
    report = run_renewal_scheduler(uow, RecordingNotifier(), FixedClock(morning(NOV_1)))
    assert ledger(uow) == [
        RenewalAlert(
            id=ALERT,
            contract=ContractId("k-1"),
            client=ClientId("acme"),
            kind=AlertKind.RENEWAL,
            term_end=dt.date(2026, 12, 31),
            deadline=dt.date(2026, 12, 31),
            due_on=NOV_1,
            raised_on=NOV_1,
            raised_at=morning(NOV_1),
            recipient=ROSSI,
            version=1,
        )
    ]
    assert report.raised == tuple(ledger(uow))


def test_the_notification_reads_in_the_default_locale(uow: InMemoryUnitOfWork) -> None:
    store(uow, supply())
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(NOV_1)))
    [sent] = notifier.sent
    assert (sent.recipient, sent.kind, sent.key, sent.locale) == (
        Recipient(kind=RecipientKind.MANAGER, id="m.rossi"),
        "renewal_alert",
        "renewal_alert:k-1/2026-12-31/renewal",
        "en_US",
    )
    assert sent.subject == "Contract k-1 ends on December 31, 2026"
    assert sent.body == (
        "Supply agreement 2026 with ACME ends on December 31, 2026 (in 60 days). "
        "Value per term: €120,000.00. It lapses unless renewed."
    )
    assert sent.data() == {
        "alert": "k-1/2026-12-31/renewal",
        "alert_kind": "renewal",
        "client": "acme",
        "contract": "k-1",
        "deadline": "2026-12-31",
        "due_on": "2026-11-01",
        "raised_on": "2026-11-01",
        "term_end": "2026-12-31",
        "value": "120000.00 EUR",
    }


def test_the_notification_reads_in_the_manager_locale(uow: InMemoryUnitOfWork) -> None:
    store(uow, supply(auto_renew=True, notice_period=relativedelta(months=3)))
    notifier = RecordingNotifier()
    run_renewal_scheduler(
        uow,
        notifier,
        FixedClock(morning(dt.date(2026, 8, 1))),
        locales={ROSSI: "de_DE"},
    )
    [sent] = notifier.sent
    assert (sent.locale, sent.key) == (
        "de_DE",
        "renewal_alert:k-1/2026-12-31/notice_deadline",
    )
    assert sent.subject == "Vertrag k-1: Kündigungsfrist endet am 30. September 2026"
    assert sent.body == (
        "Supply agreement 2026 mit ACME verlängert sich am 1. Januar 2027 "
        "automatisch, sofern nicht bis zum 30. September 2026 gekündigt wird "
        "(in 60 Tagen). Wert pro Laufzeit: 120.000,00\xa0€."
    )


def test_a_second_run_the_same_day_changes_and_sends_nothing(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply(), supply("k-2", start=dt.date(2025, 11, 1), auto_renew=True))
    first = run_renewal_scheduler(uow, RecordingNotifier(), FixedClock(morning(NOV_1)))
    before = (ledger(uow), stored(uow, "k-1"), stored(uow, "k-2"))
    notifier = RecordingNotifier()
    again = run_renewal_scheduler(uow, notifier, FixedClock(morning(NOV_1)))
    assert ([a.id for a in first.raised], first.renewed) == (
        ["k-2/2026-10-31/late", ALERT],  # k-2's term ended before any run
        ("k-2",),
    )
    assert (ledger(uow), stored(uow, "k-1"), stored(uow, "k-2")) == before
    assert (again.raised, again.term_ends, again.sent, notifier.sent) == (
        (),
        (),
        (),
        [],
    )


def test_a_missed_week_is_caught_up_once(uow: InMemoryUnitOfWork) -> None:
    store(uow, supply())
    notifier = RecordingNotifier()
    days = [dt.date(2026, 10, 25) + dt.timedelta(days=n) for n in range(22)]
    missed = {NOV_1 + dt.timedelta(days=n) for n in range(7)}
    for day in days:
        if day not in missed:
            run_renewal_scheduler(uow, notifier, FixedClock(morning(day)))
    [alert] = ledger(uow)
    assert (alert.due_on, alert.raised_on) == (NOV_1, dt.date(2026, 11, 8))
    assert [n.key for n in notifier.sent] == ["renewal_alert:k-1/2026-12-31/renewal"]
    assert "(in 53 days)" in notifier.sent[0].body


def store_two_due(uow: InMemoryUnitOfWork) -> None:
    """k-1 due today; k-2 renews today into a term whose alert is due."""
    store(
        uow,
        supply(),
        supply(
            "k-2",
            client="globex",
            start=dt.date(2026, 10, 1),
            term=relativedelta(months=1),
            auto_renew=True,
        ),
    )


def test_a_failing_notifier_leaves_nothing_stored(uow: InMemoryUnitOfWork) -> None:
    store_two_due(uow)
    failing = FailingNotifier(fail_after=1)
    with pytest.raises(ConnectionError):
        run_renewal_scheduler(uow, failing, FixedClock(morning(NOV_1)))
    assert len(failing.sent) == 1
    assert ledger(uow) == []
    assert stored(uow, "k-2").status is ContractStatus.ACTIVE
    assert len(stored(uow, "k-2").versions) == 1


def test_the_run_after_a_failed_one_does_everything_again(
    uow: InMemoryUnitOfWork,
) -> None:
    store_two_due(uow)
    with pytest.raises(ConnectionError):
        run_renewal_scheduler(uow, FailingNotifier(1), FixedClock(morning(NOV_1)))
    notifier = RecordingNotifier()
    report = run_renewal_scheduler(uow, notifier, FixedClock(morning(NOV_1)))
    assert [a.id for a in ledger(uow)] == [
        "k-1/2026-12-31/renewal",
        "k-2/2026-10-31/late",  # its term ended before any run
        "k-2/2026-11-30/renewal",
    ]
    assert report.renewed == ("k-2",)
    assert [n.key for n in notifier.sent] == [
        "renewal_alert:k-2/2026-10-31/late",
        "renewal_alert:k-2/2026-11-30/renewal",
        "renewal_alert:k-1/2026-12-31/renewal",
    ]


def test_term_ends_are_stored_and_reported(uow: InMemoryUnitOfWork) -> None:
    ended = {"start": dt.date(2025, 11, 1)}
    store(
        uow,
        supply("k-1", auto_renew=True, **ended),
        supply("k-2", grace_days=0, **ended),
        supply("k-3", auto_renew=True, **ended).receive_termination_notice(
            received_on=dt.date(2026, 6, 1), reason="leaving"
        ),
    )
    report = run_renewal_scheduler(uow, RecordingNotifier(), FixedClock(morning(NOV_1)))
    assert [(t.contract, t.outcome, t.term_end, t.on) for t in report.term_ends] == [
        ("k-1", TermEndOutcome.RENEWED, dt.date(2026, 10, 31), NOV_1),
        ("k-2", TermEndOutcome.LAPSED, dt.date(2026, 10, 31), NOV_1),
        ("k-3", TermEndOutcome.TERMINATED, dt.date(2026, 10, 31), NOV_1),
    ]
    assert (report.renewed, report.lapsed, report.terminated) == (
        ("k-1",),
        ("k-2",),
        ("k-3",),
    )
    assert [stored(uow, k).status for k in ("k-1", "k-2", "k-3")] == [
        ContractStatus.RENEWED,
        ContractStatus.LAPSED,
        ContractStatus.TERMINATED,
    ]
    assert stored(uow, "k-1").end == dt.date(2027, 10, 31)


# -- a term that ended before any run told the manager (SPEC §4) -----------------

JAN_5 = dt.date(2027, 1, 5)
LATE = AlertId("k-1/2026-12-31/late")


def test_a_contract_that_lapsed_between_runs_is_told_once_late(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply())
    notifier = RecordingNotifier()
    report = run_renewal_scheduler(uow, notifier, FixedClock(morning(JAN_5)))
    assert report.lapsed == ("k-1",)
    assert [(a.id, a.kind, a.due_on, a.raised_on) for a in ledger(uow)] == [
        (LATE, AlertKind.LATE, NOV_1, JAN_5),
    ]
    [message] = notifier.sent
    assert (message.kind, message.key) == (
        "renewal_alert",
        "renewal_alert:k-1/2026-12-31/late",
    )
    assert message.subject == "Contract k-1 lapsed on January 1, 2027"
    assert message.body == (
        "Supply agreement 2026 with ACME ended on December 31, 2026 and lapsed "
        "on January 1, 2027: expired unrenewed. Its renewal alert, due on "
        "November 1, 2026, never went out: no scheduler run in time. "
        "Value per term: €120,000.00."
    )
    payload = dict(message.payload)
    assert (payload["outcome"], payload["on"]) == (
        "lapsed",
        "2027-01-01",
    )


def test_a_contract_that_renewed_between_runs_is_told_once_late_in_the_locale(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply(auto_renew=True))
    notifier = RecordingNotifier()
    report = run_renewal_scheduler(
        uow, notifier, FixedClock(morning(JAN_5)), locales={ROSSI: "de_DE"}
    )
    assert report.renewed == ("k-1",)
    [message] = notifier.sent
    assert message.key == "renewal_alert:k-1/2026-12-31/late"
    assert message.subject == (
        "Vertrag k-1 hat sich am 1. Januar 2027 automatisch verlängert"
    )
    assert message.body == (
        "Die Laufzeit von Supply agreement 2026 mit ACME endete am "
        "31. Dezember 2026; der Vertrag hat sich am 1. Januar 2027 automatisch "
        "verlängert. Die Verlängerungswarnung, fällig am 1. November 2026, wurde "
        "nie versendet: Der Verlängerungsplaner lief nicht rechtzeitig. Wert pro "
        "Laufzeit: 120.000,00\xa0€."
    )


def test_a_late_alert_is_sent_once_however_often_the_scheduler_runs(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply())
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(JAN_5)))
    again = run_renewal_scheduler(uow, notifier, FixedClock(morning(JAN_5)))
    later = run_renewal_scheduler(
        uow, notifier, FixedClock(morning(dt.date(2027, 3, 1)))
    )
    assert (again.raised, later.raised) == ((), ())
    assert [m.key for m in notifier.sent] == ["renewal_alert:k-1/2026-12-31/late"]


def test_a_renewal_alert_sent_in_time_means_no_late_alert_at_the_lapse(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply())
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(NOV_1)))
    report = run_renewal_scheduler(uow, notifier, FixedClock(morning(JAN_5)))
    assert (report.lapsed, report.raised) == (("k-1",), ())
    assert [m.key for m in notifier.sent] == [f"renewal_alert:{ALERT}"]


def test_a_renewal_alert_raised_in_grace_says_how_long_ago_the_term_ended(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply(grace_days=10))
    notifier = RecordingNotifier()
    run_renewal_scheduler(uow, notifier, FixedClock(morning(dt.date(2027, 1, 3))))
    [message] = notifier.sent
    assert message.subject == "Contract k-1 ended on December 31, 2026"
    assert message.body == (
        "Supply agreement 2026 with ACME ended on December 31, 2026 (3 days ago). "
        "Value per term: €120,000.00. It lapses unless renewed."
    )


def test_a_client_without_an_account_manager_is_skipped_until_one_is_assigned(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply(client="initech"))
    notifier = RecordingNotifier()
    report = run_renewal_scheduler(uow, notifier, FixedClock(morning(NOV_1)))
    assert report.skipped == (
        SkippedContract(
            contract=ContractId("k-1"),
            client=ClientId("initech"),
            reason=SkipReason.NO_ACCOUNT_MANAGER,
            alerts=(ALERT,),
        ),
    )
    assert (ledger(uow), notifier.sent) == ([], [])

    with uow:
        initech = uow.clients.get(ClientId("initech"))
        uow.clients.save(attrs.evolve(initech, account_manager=SMITH))
        uow.commit()
    later = run_renewal_scheduler(
        uow, notifier, FixedClock(morning(dt.date(2026, 11, 3)))
    )
    assert [(a.recipient, a.due_on, a.raised_on) for a in later.raised] == [
        (SMITH, NOV_1, dt.date(2026, 11, 3)),
    ]
    assert later.skipped == ()


def test_a_contract_of_an_unknown_client_is_skipped(uow: InMemoryUnitOfWork) -> None:
    store(uow, supply(client="umbrella"))
    report = run_renewal_scheduler(uow, RecordingNotifier(), FixedClock(morning(NOV_1)))
    assert [(s.contract, s.reason) for s in report.skipped] == [
        ("k-1", SkipReason.CLIENT_NOT_FOUND),
    ]
    assert ledger(uow) == []


def test_an_unknown_locale_is_refused_before_anything_runs(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply())
    with pytest.raises(ValidationError) as raised:
        run_renewal_scheduler(
            uow,
            RecordingNotifier(),
            FixedClock(morning(NOV_1)),
            locales={ROSSI: "de-DE"},
            default_locale="xx",
        )
    assert [(e.path, e.value) for e in raised.value.errors] == [
        ("default_locale", "xx"),
        ("locales['m.rossi']", "de-DE"),
    ]
    assert ledger(uow) == []


def test_only_the_first_action_on_an_alert_is_time_stamped(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply())
    run_renewal_scheduler(uow, RecordingNotifier(), FixedClock(morning(NOV_1)))
    first = record_alert_action(
        uow,
        FixedClock(morning(dt.date(2026, 11, 4))),
        alert=ALERT,
        action="analysis",
        reference="rc-1",
    )
    later = record_alert_action(
        uow,
        FixedClock(morning(dt.date(2026, 11, 9))),
        alert=ALERT,
        action="proposal",
        reference="pr-1",
    )
    assert first.first_action == FirstAction(
        on=dt.date(2026, 11, 4),
        at=morning(dt.date(2026, 11, 4)),
        action="analysis",
        reference="rc-1",
    )
    assert later == first
    assert (first.version, first.days_to_first_action) == (2, 3)
    assert ledger(uow) == [first]


def test_an_action_on_an_unknown_alert_raises_not_found(
    uow: InMemoryUnitOfWork,
) -> None:
    with pytest.raises(NotFoundError) as raised:
        record_alert_action(
            uow, FixedClock(morning(NOV_1)), alert=ALERT, action="analysis"
        )
    assert raised.value.ids == (ALERT,)


def test_a_termination_notice_is_stored_and_ends_the_contract_at_its_term_end(
    uow: InMemoryUnitOfWork,
) -> None:
    store(uow, supply(auto_renew=True, notice_period=relativedelta(months=3)))
    noticed = receive_termination_notice(
        uow,
        contract=ContractId("k-1"),
        received_on=dt.date(2026, 9, 30),
        reason="supplier consolidation",
    )
    assert noticed.termination is not None
    assert (noticed.version, noticed.termination.effective_end) == (
        2,
        dt.date(2026, 12, 31),
    )
    report = run_renewal_scheduler(
        uow, RecordingNotifier(), FixedClock(morning(dt.date(2027, 1, 1)))
    )
    assert report.terminated == ("k-1",)
    assert stored(uow, "k-1").status is ContractStatus.TERMINATED

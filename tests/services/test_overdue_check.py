"""The daily overdue check: hold the key accounts' reminders, tell the manager."""

from __future__ import annotations

import datetime as dt

import pytest

from kamcore._sample import load_sample_portfolio
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.adapters.reminders import HeldReminder, RecordingReminderControl
from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, InvoiceId, ManagerId, Money
from kamcore.services import daily_overdue_check

DEC_3 = FixedClock(dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC))


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    load_sample_portfolio(unit)
    return unit


def test_overdue_key_account_invoices_are_listed_most_overdue_first(
    uow: InMemoryUnitOfWork,
) -> None:
    check = daily_overdue_check(
        uow, RecordingReminderControl(), RecordingNotifier(), DEC_3
    )
    assert [(i.invoice, i.days_overdue, i.balance) for i in check.overdue] == [
        ("INV-1044", 36, Money("4642.50", "EUR")),
        ("INV-1050", 33, Money("3590.00", "EUR")),
        ("INV-1102", 1, Money("3555.00", "EUR")),
    ]


def test_their_reminders_are_held_through_the_port(uow: InMemoryUnitOfWork) -> None:
    reminders = RecordingReminderControl()
    check = daily_overdue_check(uow, reminders, RecordingNotifier(), DEC_3)
    assert check.held == ("INV-1044", "INV-1050", "INV-1102")
    assert reminders.holds[0] == HeldReminder(
        invoice=InvoiceId("INV-1044"),
        client=ClientId("acme"),
        manager=ManagerId("m.rossi"),
        since=dt.date(2026, 12, 3),
        reason="key account: the account manager intervenes instead of the reminder",
    )


def test_each_manager_gets_one_notification_in_their_locale(
    uow: InMemoryUnitOfWork,
) -> None:
    notifier = RecordingNotifier()
    daily_overdue_check(
        uow, RecordingReminderControl(), notifier, DEC_3, locales={"m.rossi": "de_DE"}
    )
    [message] = notifier.sent
    assert (message.recipient.id, message.key, message.locale) == (
        "m.rossi",
        "overdue_key_accounts:m.rossi:2026-12-03",
        "de_DE",
    )
    assert message.body.splitlines() == [
        "ACME Industrial GmbH: INV-1044, 4.642,50\xa0€, 36 Tage überfällig",
        "Borealis Energi AB: INV-1050, 3.590,00\xa0€, 33 Tage überfällig",
        "ACME Industrial GmbH: INV-1102, 3.555,00\xa0€, 1 Tag überfällig",
    ]
    assert message.data()["invoices"] == "INV-1044,INV-1050,INV-1102"


def test_rows_are_plain_values(uow: InMemoryUnitOfWork) -> None:
    check = daily_overdue_check(
        uow, RecordingReminderControl(), RecordingNotifier(), DEC_3
    )
    assert check.rows()[0] == {
        "invoice": "INV-1044",
        "client": "acme",
        "client_name": "ACME Industrial GmbH",
        "manager": "m.rossi",
        "balance": "4642.50",
        "currency": "EUR",
        "due_date": "2026-10-28",
        "days_overdue": 36,
    }


def test_an_unknown_locale_is_refused_before_anything_is_held(
    uow: InMemoryUnitOfWork,
) -> None:
    reminders = RecordingReminderControl()
    with pytest.raises(ValidationError) as raised:
        daily_overdue_check(
            uow, reminders, RecordingNotifier(), DEC_3, locales={"m.rossi": "xx_YY"}
        )
    assert [e.path for e in raised.value.errors] == ["locales['m.rossi']"]
    assert reminders.holds == []

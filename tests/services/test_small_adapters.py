"""Clocks, id sources and notifiers: what the conformance suite leaves open."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from zoneinfo import ZoneInfo

import pytest

from kamcore.adapters.clock import FixedClock, SystemClock
from kamcore.adapters.ids import SequentialIdSource, UuidIdSource
from kamcore.adapters.notifiers import LogNotifier, RecordingNotifier
from kamcore.errors import ValidationError
from kamcore.kernel import ClientGroupId, ClientId, InvoiceId
from kamcore.ports import Notification, Recipient, RecipientKind

LATE_EVENING_UTC = dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.UTC)

# -- clocks -------------------------------------------------------------------


def test_fixed_clock_today_is_the_date_in_its_timezone() -> None:
    clock = FixedClock(LATE_EVENING_UTC, timezone=ZoneInfo("Europe/Paris"))
    assert clock.today() == dt.date(2026, 1, 2)
    assert clock.now() == LATE_EVENING_UTC


def test_fixed_clock_defaults_to_utc() -> None:
    assert FixedClock(LATE_EVENING_UTC).today() == dt.date(2026, 1, 1)


def test_fixed_clock_advances_and_can_be_set() -> None:
    clock = FixedClock(LATE_EVENING_UTC)
    clock.advance(dt.timedelta(hours=1))
    assert clock.now() == dt.datetime(2026, 1, 2, 0, 30, tzinfo=dt.UTC)
    assert clock.today() == dt.date(2026, 1, 2)
    clock.advance(dt.timedelta(days=-2))
    assert clock.today() == dt.date(2025, 12, 31)
    clock.set(dt.datetime(2030, 6, 1, 8, 0, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2030, 6, 1)


def test_fixed_clock_refuses_naive_instants() -> None:
    naive = dt.datetime(2026, 1, 1, 12, 0)  # noqa: DTZ001 - the naive value under test
    with pytest.raises(ValidationError) as at_creation:
        FixedClock(naive)
    clock = FixedClock(LATE_EVENING_UTC)
    with pytest.raises(ValidationError) as when_set:
        clock.set(naive)
    message = "naive datetimes are refused: give a timezone-aware datetime @ instant"
    assert at_creation.value.messages == [message]
    assert when_set.value.messages == [message]
    assert clock.now() == LATE_EVENING_UTC


def test_clocks_refuse_a_timezone_that_is_not_a_tzinfo() -> None:
    with pytest.raises(ValidationError) as caught:
        SystemClock("Europe/Paris")  # type: ignore[arg-type]  # the runtime check under test
    assert caught.value.messages == ["expected tzinfo, got str @ timezone"]


def test_system_clock_reports_now_in_its_timezone() -> None:
    paris = ZoneInfo("Europe/Paris")
    assert SystemClock(paris).now().tzinfo is paris


# -- id sources ---------------------------------------------------------------


def test_sequential_ids_count_per_kind() -> None:
    ids = SequentialIdSource()
    made = [
        ids.new_id(ClientId),
        ids.new_id(ClientId),
        ids.new_id(InvoiceId),
        ids.new_id(ClientGroupId),
        ids.new_id(ClientId),
    ]
    assert made == [
        "client-000001",
        "client-000002",
        "invoice-000001",
        "client_group-000001",
        "client-000003",
    ]


def test_sequential_ids_start_where_told_and_grow_past_six_digits() -> None:
    ids = SequentialIdSource(start=999_999)
    assert [ids.new_id(ClientId), ids.new_id(ClientId)] == [
        "client-999999",
        "client-1000000",
    ]


@pytest.mark.parametrize("start", [0, -1, True])
def test_sequential_ids_refuse_a_start_below_one(start: int) -> None:
    with pytest.raises(ValidationError) as caught:
        SequentialIdSource(start=start)
    assert [e.path for e in caught.value.errors] == ["start"]


def test_a_kind_without_a_name_gets_the_prefix_id() -> None:
    nameless = functools.partial(ClientId)
    assert SequentialIdSource().new_id(nameless) == "id-000001"


def test_uuid_ids_are_the_kind_prefix_and_32_hex_digits() -> None:
    made = UuidIdSource().new_id(ClientGroupId)
    assert re.fullmatch(r"client_group-[0-9a-f]{32}", made) is not None


# -- notifiers ----------------------------------------------------------------

MANAGER = Recipient(kind=RecipientKind.MANAGER, id="m-1")
CONTACT = Recipient(kind=RecipientKind.CLIENT, id="contact-7")


def notification(recipient: Recipient, kind: str, key: str) -> Notification:
    return Notification(
        recipient=recipient, kind=kind, key=key, locale="en_GB", subject=f"About {key}"
    )


def test_recording_notifier_keeps_everything_in_order() -> None:
    notifier = RecordingNotifier()
    first = notification(MANAGER, "renewal_alert", "r:1")
    second = notification(CONTACT, "invoice_overdue", "o:1")
    again = notification(MANAGER, "renewal_alert", "r:1")
    for sent in (first, second, again):
        notifier.send(sent)
    assert notifier.sent == [first, second, again]
    assert notifier.for_recipient(MANAGER) == [first, again]
    assert notifier.of_kind("invoice_overdue") == [second]
    assert notifier.of_kind("tier_change") == []


def test_recording_notifier_clear_forgets_what_was_sent() -> None:
    notifier = RecordingNotifier()
    notifier.send(notification(MANAGER, "renewal_alert", "r:1"))
    notifier.clear()
    assert notifier.sent == []
    assert notifier.for_recipient(MANAGER) == []


def test_log_notifier_logs_one_info_line_per_notification(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="kamcore.notifications")
    LogNotifier().send(notification(CONTACT, "invoice_overdue", "o:1"))
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            "kamcore.notifications",
            logging.INFO,
            "notification kind=invoice_overdue key=o:1 recipient=client:contact-7 "
            "subject='About o:1'",
        )
    ]


def test_log_notifier_uses_the_logger_it_is_given(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("host.alerts")
    caplog.set_level(logging.INFO, logger="host.alerts")
    LogNotifier(logger).send(notification(MANAGER, "renewal_alert", "r:1"))
    assert [r.name for r in caplog.records] == ["host.alerts"]

"""Notifications: the typed message every notifier delivers."""

from __future__ import annotations

from typing import Any

import pytest

from kamcore.errors import ValidationError
from kamcore.ports import Notification, Recipient, RecipientKind

MANAGER = Recipient(kind=RecipientKind.MANAGER, id="m.rossi")


def notification(payload: Any) -> Notification:
    return Notification(
        recipient=MANAGER,
        kind="renewal_alert",
        key="renewal_alert:K-1:2026-12-31",
        locale="en_GB",
        subject="Contract K-1 expires in 60 days",
        payload=payload,
    )


def test_payload_is_kept_sorted_by_name() -> None:
    sent = notification({"term_end": "2026-12-31", "contract": "K-1"})
    assert sent.payload == (("contract", "K-1"), ("term_end", "2026-12-31"))
    assert sent.data() == {"contract": "K-1", "term_end": "2026-12-31"}
    assert hash(sent) == hash(
        notification({"contract": "K-1", "term_end": "2026-12-31"})
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("ab", "expected a mapping of names to strings, got str @ payload"),
        (5, "expected a mapping of names to strings, got int @ payload"),
        ({"b": "1", 2: "x"}, "expected a (name, value) pair of strings @ payload[1]"),
        ({"points": 120}, "expected a (name, value) pair of strings @ payload[0]"),
        ((("a", "1"), ("a", "2")), "name appears twice @ payload[1]"),
        ((("a", "1", "2"),), "expected a (name, value) pair of strings @ payload[0]"),
    ],
)
def test_malformed_payloads_are_refused(payload: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        notification(payload)
    assert caught.value.messages == [message]


def test_every_bad_field_is_reported() -> None:
    with pytest.raises(ValidationError) as caught:
        Notification(recipient=MANAGER, kind="", key=" ", locale="english", subject="")
    assert caught.value.messages == [
        "must not be empty @ kind",
        "must not be empty @ key",
        "unknown locale 'english' @ locale",
        "must not be empty @ subject",
    ]


def test_recipient_needs_a_kind_and_an_id() -> None:
    with pytest.raises(ValidationError) as caught:
        Recipient(kind="manager", id="")  # type: ignore[arg-type]  # the refusal under test
    assert caught.value.messages == [
        "expected RecipientKind, got str @ kind",
        "must not be empty @ id",
    ]

"""Outbox rows: a notification written as a row, and read back validated.

Shared by the notifier that services are given (:mod:`._outbox`) and by the
pricing change events the repositories write themselves (:mod:`._pricing_events`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kamcore.adapters.sql._migrations import SCHEMA_VERSION
from kamcore.adapters.sql._tables import build_schema
from kamcore.errors import ValidationError
from kamcore.ports import Notification
from kamcore.serialization import from_json, to_json

__all__ = ["notification_of", "outbox_row", "outbox_table"]


def outbox_table() -> sa.Table:
    """The ``outbox`` table of the current schema."""
    table = build_schema(SCHEMA_VERSION).outbox
    assert table is not None  # noqa: S101 - the current schema has the outbox
    return table


def outbox_row(notification: Notification) -> dict[str, object]:
    """The row that stores ``notification``, not yet delivered."""
    return {
        "key": notification.key,
        "kind": notification.kind,
        "recipient_kind": notification.recipient.kind.value,
        "recipient": notification.recipient.id,
        "document": to_json(notification),
        "attempts": 0,
    }


# ``row`` is typed Any: SQLAlchemy 2.0 and 2.1 spell a row's type differently.
def notification_of(row: Any) -> Notification:
    """The notification stored in an outbox row, validated; its key must be the row's.

    Raises:
        ValidationError: if the row is malformed.
    """
    subject = f"Notification stored in outbox row {row.key!r}"
    try:
        notification = from_json(row.document, Notification)
    except ValidationError as error:
        raise ValidationError(subject, error.errors) from None
    if notification.key != row.key:
        raise ValidationError.single(
            subject, "$.key", f"is not the row's key {row.key!r}", notification.key
        )
    return notification

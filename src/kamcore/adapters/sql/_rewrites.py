"""Document rewrites: stored JSON documents turned into the shape of a later version.

A migration whose aggregate changed shape lists ``(table, rewrite)`` pairs
(:attr:`Migration.rewrites <kamcore.adapters.sql.Migration.rewrites>`). Each
rewrite takes one stored document and returns it in the new shape, or ``None``
when it is in that shape already, so that running a rewrite twice changes
nothing. :func:`rewrite_documents` applies one to every row of a table, in
batches, in the caller's transaction.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from kamcore.adapters.sql._tables import KIND_TABLES
from kamcore.errors import ValidationError

__all__ = [
    "BATCH",
    "Rewrite",
    "dated_cancellation",
    "dated_closure",
    "rewrite_documents",
    "rewritten",
    "with_override_history",
]

#: Rows read and rewritten per batch when a migration rewrites or back-fills.
BATCH = 1000

#: A document rewrite: given the subject to name in errors and a stored
#: document (a JSON object), the document in the new shape, or ``None`` when
#: it is in that shape already. It raises ``ValidationError`` for a document
#: it cannot read.
Rewrite = Callable[[str, dict[str, Any]], dict[str, Any] | None]


@functools.cache
def _entity_names() -> dict[str, str]:
    """The entity stored in each kind table, by table name (built once)."""
    return {kind.name: kind.entity.__name__ for kind in KIND_TABLES}


def _subject(table: str, row_id: str) -> str:
    return f"{_entity_names()[table]} stored in {table} row {row_id!r}"


def rewritten(table: str, row_id: str, text: str, rewrite: Rewrite) -> str | None:
    """The document ``text`` of ``table`` row ``row_id`` rewritten, as JSON.

    Returns:
        The new JSON text, or ``None`` if ``rewrite`` leaves the document as it is.

    Raises:
        ValidationError: the text is not a JSON object, or ``rewrite`` cannot
            read it; the error names the entity, the table and the row.
    """
    subject = _subject(table, row_id)
    try:
        document = json.loads(text)
    except ValueError:
        raise ValidationError.single(subject, "$", "is not JSON", text) from None
    if not isinstance(document, dict):
        raise ValidationError.single(subject, "$", "expected an object", document)
    new = rewrite(subject, document)
    return None if new is None else json.dumps(new, allow_nan=False)


def rewrite_documents(
    connection: sa.Connection, table_name: str, rewrite: Rewrite
) -> None:
    """Rewrite every document of ``table_name`` that ``rewrite`` changes.

    Runs in ``connection``'s transaction, which the caller commits or rolls back.
    """
    table = sa.table(table_name, sa.column("id"), sa.column("document", sa.Text()))
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(document=sa.bindparam("new_document"))
    )
    last: str | None = None
    while True:
        query = sa.select(table.c.id, table.c.document)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = connection.execute(query.order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        changed = [
            {"row_id": row.id, "new_document": document}
            for row in rows
            if (document := rewritten(table_name, row.id, row.document, rewrite))
            is not None
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def with_override_history(
    subject: str, document: dict[str, Any]
) -> dict[str, Any] | None:
    """Version 4: a membership's single ``override`` becomes ``overrides``.

    An override stored before becomes a one-element history, its ``set_on``
    being its ``starts_on``: the day it was really set was not recorded, and
    its first day is the only date known not to be later. No override becomes
    an empty history. Documents already in the new shape are left alone.

    Raises:
        ValidationError: the override is not an object with a ``starts_on``.
    """
    if "override" not in document:
        return None
    old = document["override"]
    if old is None:
        history = []
    elif isinstance(old, dict) and "starts_on" in old:
        history = [old | {"set_on": old["starts_on"]}]
    else:
        raise ValidationError.single(
            subject, "$.override", "expected null or an override", old
        )
    # Rebuilt key by key so that ``overrides`` takes ``override``'s place: the
    # text is then the one kamcore writes for the membership today.
    rewritten: dict[str, Any] = {}
    for key, value in document.items():
        if key == "override":
            rewritten["overrides"] = history
        else:
            rewritten[key] = value
    return rewritten


def _placed_after(
    document: dict[str, Any], after: str, key: str, value: object
) -> dict[str, Any]:
    """The document with ``key`` right after ``after`` (at the end without it),
    where kamcore writes it today."""
    rewritten: dict[str, Any] = {}
    for name, old in document.items():
        rewritten[name] = old
        if name == after:
            rewritten[key] = value
    rewritten.setdefault(key, value)
    return rewritten


def _dated_status(
    subject: str,
    document: dict[str, Any],
    *,
    field: str,
    open_status: str,
    closed: tuple[str, ...],
    known_day: str,
) -> dict[str, Any] | None:
    """``document`` with ``field``, the day it left ``open_status``, placed
    after its status; ``None`` if it has the field already.

    A document stored closed before was closed on a day nobody recorded: it
    gets its ``known_day`` (issue or order date), the only date known not to
    be later. An open document gets ``null``.

    Raises:
        ValidationError: the status is not a known one, or a closed document
            has no ``known_day``.
    """
    if field in document:
        return None
    status = document.get("status", open_status)
    if status in closed:
        day = document.get(known_day)
        if not isinstance(day, str):
            raise ValidationError.single(
                subject,
                f"$.{known_day}",
                f"expected the {known_day.replace('_', ' ')} of a {status} document",
                day,
            )
    elif status == open_status:
        day = None
    else:
        expected = ", ".join(repr(s) for s in (open_status, *closed))
        raise ValidationError.single(
            subject, "$.status", f"expected one of {expected}", status
        )
    return _placed_after(document, "status", field, day)


def dated_cancellation(subject: str, document: dict[str, Any]) -> dict[str, Any] | None:
    """Version 5: an invoice gets ``cancelled_on`` (its issue date if it was
    cancelled: history views then show it cancelled from its issue on, as
    they did before)."""
    return _dated_status(
        subject,
        document,
        field="cancelled_on",
        open_status="issued",
        closed=("cancelled",),
        known_day="issue_date",
    )


def dated_closure(subject: str, document: dict[str, Any]) -> dict[str, Any] | None:
    """Version 5: an order gets ``closed_on`` (its order date if it was
    fulfilled or cancelled)."""
    return _dated_status(
        subject,
        document,
        field="closed_on",
        open_status="open",
        closed=("fulfilled", "cancelled"),
        known_day="order_date",
    )

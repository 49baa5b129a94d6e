"""Pricing change events: what the outbox holds when the pricing catalogue changes.

A :class:`~kamcore.adapters.sql.SqlUnitOfWork` made with ``pricing_events=True``
writes one event into the outbox for every price list, client group, discount
group or product it adds or saves, in the transaction of the change: the event
is committed, or rolled back, with it. The event is a
:class:`~kamcore.ports.Notification` of kind :data:`PRICING_CHANGE` for the
service recipient :data:`PRICING_SERVICE`; :class:`PricingChange` is what it
says, typed. A consumer (:class:`~kamcore.adapters.sql.PricingRefresher`)
turns events into a new :class:`~kamcore.pricing.PricingIndex`.
"""

from __future__ import annotations

import enum
import uuid
from typing import TypeVar

import attrs
import sqlalchemy as sa

from kamcore.accounts import ClientGroup, Product
from kamcore.adapters.sql._outbox_rows import outbox_row, outbox_table
from kamcore.errors import ValidationError
from kamcore.kernel import Checks
from kamcore.ports import Aggregate, Notification, Recipient, RecipientKind
from kamcore.pricing import DiscountGroup, PriceList

__all__ = [
    "ENTITY_OF",
    "PRICING_CHANGE",
    "PRICING_SERVICE",
    "PricingChange",
    "PricingChangeKind",
    "PricingEntity",
    "record_change",
]

PRICING_CHANGE = "pricing_change"
"""The notification kind of a pricing change event."""

PRICING_SERVICE = Recipient(kind=RecipientKind.SERVICE, id="pricing")
"""The recipient of pricing change events: a service, not a person."""


class PricingEntity(enum.Enum):
    """What a pricing index is built from, one value per repository."""

    PRICE_LIST = "price_list"
    CLIENT_GROUP = "client_group"
    DISCOUNT_GROUP = "discount_group"
    PRODUCT = "product"


class PricingChangeKind(enum.Enum):
    """What happened to the entity.

    kamcore's repositories never delete, so the unit of work only writes
    ``SAVED`` (added or saved). ``REMOVED`` is for a host that deletes rows
    outside kamcore and announces it (see :meth:`PricingChange.to_notification`).
    """

    SAVED = "saved"
    REMOVED = "removed"


#: The entity kind of each aggregate class that a pricing index is built from.
ENTITY_OF: dict[type[object], PricingEntity] = {
    PriceList: PricingEntity.PRICE_LIST,
    ClientGroup: PricingEntity.CLIENT_GROUP,
    DiscountGroup: PricingEntity.DISCOUNT_GROUP,
    Product: PricingEntity.PRODUCT,
}

_PAYLOAD = ("change", "entity", "id", "version")

EnumT = TypeVar("EnumT", bound=enum.Enum)


@attrs.frozen(kw_only=True)
class PricingChange:
    """One change to the pricing catalogue, as a change event says it.

    Attributes:
        entity: The kind of entity changed.
        id: Its id.
        kind: Saved (added or replaced) or removed.
        version: The version written (for a removal, the last one stored).

    Raises:
        ValidationError: naming every offending field.

    Example:
        >>> change = PricingChange(entity=PricingEntity.PRICE_LIST, id="base",
        ...     version=3)
        >>> event = change.to_notification()
        >>> event.kind, event.recipient.kind.value, event.data()["version"]
        ('pricing_change', 'service', '3')
        >>> PricingChange.from_notification(event) == change
        True
    """

    entity: PricingEntity
    id: str
    kind: PricingChangeKind = PricingChangeKind.SAVED
    version: int

    def __attrs_post_init__(self) -> None:
        checks = Checks("PricingChange")
        checks.instance("entity", self.entity, PricingEntity)
        checks.text("id", self.id)
        checks.instance("kind", self.kind, PricingChangeKind)
        checks.version(self.version)
        checks.raise_if_any()

    def to_notification(self) -> Notification:
        """The change event: a notification for :data:`PRICING_SERVICE`.

        Its key is ``pricing_change:<entity>:<id>:<version>:<random>``. The
        version alone would make it unique per change as long as versions are
        never reused; the random part keeps it unique even when rows are
        deleted and added again outside kamcore (a restored backup), so the
        outbox's one-row-per-key rule never swallows a change.

        Store a removal with the outbox notifier, in the transaction that
        deletes the rows::

            OutboxNotifier(uow).send(PricingChange(entity=PricingEntity.PRODUCT,
                id="p-9", kind=PricingChangeKind.REMOVED, version=4).to_notification())
        """
        entity, kind = self.entity.value, self.kind.value
        return Notification(
            recipient=PRICING_SERVICE,
            kind=PRICING_CHANGE,
            key=f"{PRICING_CHANGE}:{entity}:{self.id}:{self.version}:{uuid.uuid4().hex}",
            locale="en",
            subject=f"{entity} {self.id} {kind} (version {self.version})",
            payload={
                "change": kind,
                "entity": entity,
                "id": self.id,
                "version": str(self.version),
            },
        )

    @classmethod
    def from_notification(cls, notification: Notification) -> PricingChange:
        """The change a change event says.

        Raises:
            ValidationError: if ``notification`` is not a pricing change event,
                naming every offending field (``kind``, ``payload.entity``...).
        """
        subject = f"Pricing change event {notification.key!r}"
        checks = Checks(subject)
        checks.require(
            notification.kind == PRICING_CHANGE,
            "kind",
            f"expected {PRICING_CHANGE!r}",
            notification.kind,
        )
        checks.require(
            notification.recipient.kind is RecipientKind.SERVICE,
            "recipient.kind",
            "expected 'service'",
            notification.recipient.kind.value,
        )
        data = notification.data()
        for name in _PAYLOAD:
            checks.require(name in data, f"payload.{name}", "is missing")
        checks.raise_if_any()
        entity = _member(checks, PricingEntity, "payload.entity", data["entity"])
        kind = _member(checks, PricingChangeKind, "payload.change", data["change"])
        text = data["version"]
        checks.require(
            text.isascii() and text.isdigit(),
            "payload.version",
            "expected a whole number",
            text,
        )
        checks.raise_if_any()
        assert entity is not None  # noqa: S101 - checked above
        assert kind is not None  # noqa: S101 - checked above
        try:
            return cls(entity=entity, id=data["id"], kind=kind, version=int(text))
        except ValidationError as error:
            raise ValidationError(
                subject, [e.under("payload") for e in error.errors]
            ) from None


def _member(
    checks: Checks, enumeration: type[EnumT], path: str, value: str
) -> EnumT | None:
    try:
        return enumeration(value)
    except ValueError:
        known = ", ".join(repr(m.value) for m in enumeration)
        checks.fail(path, f"expected one of {known}", value)
        return None


def record_change(
    entity: PricingEntity, connection: sa.Connection, aggregate: Aggregate
) -> None:
    """Write the event of ``aggregate`` just added or saved, on ``connection``.

    Called by the repository inside the write's transaction, after the write.
    """
    change = PricingChange(entity=entity, id=aggregate.id, version=aggregate.version)
    connection.execute(sa.insert(outbox_table()), outbox_row(change.to_notification()))

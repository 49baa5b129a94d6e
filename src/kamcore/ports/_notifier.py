"""Notifications and the port that delivers them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Protocol

import attrs

from kamcore.errors import ValidationError
from kamcore.kernel import Checks, validate_locale

__all__ = ["Notification", "Notifier", "Recipient", "RecipientKind"]


class RecipientKind(enum.Enum):
    """Who a notification is for: an account manager, a client contact, or a
    service.

    ``SERVICE`` is a program, not a person: a change event for the process that
    keeps a pricing index current (see ``docs/pricing-service.md``). A notifier
    of people never receives one by accident: the outbox's dispatcher delivers
    only people's notifications unless asked for services'.

    .. versionadded:: Unreleased ``SERVICE``
    """

    MANAGER = "manager"
    CLIENT = "client"
    SERVICE = "service"

    @property
    def is_person(self) -> bool:
        """Whether a person reads what is sent (a manager or a client contact).

        Example:
            >>> [kind.value for kind in RecipientKind if kind.is_person]
            ['manager', 'client']
        """
        return self is not RecipientKind.SERVICE


@attrs.frozen(kw_only=True)
class Recipient:
    """Who to notify, by id; the host application maps ids to addresses (a
    person's) or to a consumer (a service's)."""

    kind: RecipientKind
    id: str

    def __attrs_post_init__(self) -> None:
        checks = Checks("Recipient")
        checks.instance("kind", self.kind, RecipientKind)
        checks.text("id", self.id)
        checks.raise_if_any()


def _freeze(
    payload: Mapping[str, str] | tuple[tuple[str, str], ...],
) -> tuple[tuple[str, str], ...]:
    """Payload as name-sorted ``(name, value)`` pairs; strings only, names unique."""
    raw: object = payload  # checked at run time: callers are not always typed
    if isinstance(raw, Mapping):
        pairs: list[object] = list(raw.items())
    elif isinstance(raw, tuple):
        pairs = list(raw)
    else:
        raise ValidationError.single(
            "Notification",
            "payload",
            f"expected a mapping of names to strings, got {type(raw).__name__}",
            raw,
        )
    checks = Checks("Notification")
    frozen: dict[str, str] = {}
    for index, pair in enumerate(pairs):
        match pair:
            case (str() as name, str() as value) if name not in frozen:
                frozen[name] = value
            case (str() as name, str()):
                checks.fail(f"payload[{index}]", "name appears twice", name)
            case _:
                checks.fail(
                    f"payload[{index}]",
                    "expected a (name, value) pair of strings",
                    pair,
                )
    checks.raise_if_any()
    return tuple(sorted(frozen.items()))


@attrs.frozen(kw_only=True)
class Notification:
    """One message to one recipient.

    Attributes:
        recipient: Who receives it.
        kind: What it is about, a stable machine name (``"renewal_alert"``).
        key: De-duplication key: two notifications with the same key are the same
            message, delivered once (e.g. ``"renewal_alert:C-17:2026-12-31"``).
        locale: Babel locale the text is formatted for.
        subject: One line for a person to read.
        body: The message, already formatted for ``locale``.
        payload: Named values for templates and machines, as strings, sorted by name.
    """

    recipient: Recipient
    kind: str
    key: str
    locale: str
    subject: str
    body: str = ""
    payload: tuple[tuple[str, str], ...] = attrs.field(converter=_freeze, default=())

    def __attrs_post_init__(self) -> None:
        checks = Checks("Notification")
        checks.instance("recipient", self.recipient, Recipient)
        checks.text("kind", self.kind)
        checks.text("key", self.key)
        checks.capture(lambda: validate_locale(self.locale, subject="Notification"))
        checks.text("subject", self.subject)
        checks.instance("body", self.body, str)
        checks.raise_if_any()

    def data(self) -> dict[str, str]:
        """The payload as a dict."""
        return dict(self.payload)


class Notifier(Protocol):
    """Delivers a notification to its recipient."""

    def send(self, notification: Notification, /) -> None:
        """Deliver ``notification`` (or queue it for delivery)."""
        ...

"""Notifiers: one that records for tests, one that writes to a log.

Both implement :class:`kamcore.ports.Notifier`.
"""

from __future__ import annotations

import logging
import threading

from kamcore.ports import Notification, Recipient

__all__ = ["LogNotifier", "RecordingNotifier"]


class RecordingNotifier:
    """Keeps every notification sent, in order, for a test to inspect.

    Nothing is de-duplicated: sending the same key twice records it twice, so a
    test can see exactly what the code under test sent.

    Attributes:
        sent: The notifications sent so far, oldest first.

    Example:
        >>> from kamcore.ports import RecipientKind
        >>> notifier = RecordingNotifier()
        >>> notifier.send(Notification(
        ...     recipient=Recipient(kind=RecipientKind.MANAGER, id="m-1"),
        ...     kind="renewal_alert", key="renewal_alert:k-1", locale="en",
        ...     subject="Contract k-1 ends in 60 days"))
        >>> [n.key for n in notifier.of_kind("renewal_alert")]
        ['renewal_alert:k-1']
    """

    def __init__(self) -> None:
        self.sent: list[Notification] = []
        self._lock = threading.Lock()

    def send(self, notification: Notification, /) -> None:
        """Record ``notification``."""
        with self._lock:
            self.sent.append(notification)

    def for_recipient(self, recipient: Recipient) -> list[Notification]:
        """The notifications sent to ``recipient``, oldest first."""
        with self._lock:
            return [n for n in self.sent if n.recipient == recipient]

    def of_kind(self, kind: str) -> list[Notification]:
        """The notifications of ``kind`` (``"renewal_alert"``), oldest first."""
        with self._lock:
            return [n for n in self.sent if n.kind == kind]

    def clear(self) -> None:
        """Forget every notification recorded so far."""
        with self._lock:
            self.sent.clear()


class LogNotifier:
    """Writes one INFO line per notification: kind, key, recipient and subject.

    Args:
        logger: Where to log; ``logging.getLogger("kamcore.notifications")`` if
            omitted.
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = (
            logger if logger is not None else logging.getLogger("kamcore.notifications")
        )

    def send(self, notification: Notification, /) -> None:
        """Log ``notification``."""
        recipient = notification.recipient
        # The subject is repr()-quoted so that a newline in it cannot forge a
        # second log line.
        self.logger.info(
            "notification kind=%s key=%s recipient=%s:%s subject=%r",
            notification.kind,
            notification.key,
            recipient.kind.value,
            recipient.id,
            notification.subject,
        )

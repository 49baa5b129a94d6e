"""An in-memory document archive, for tests and notebooks.

Implements :class:`kamcore.ports.DocumentArchive`. A host application plugs in
its own (a document management system, object storage) behind the same port.
"""

from __future__ import annotations

import hashlib
import threading

from kamcore.contracts import DocumentReference
from kamcore.errors import NotFoundError
from kamcore.kernel import Checks
from kamcore.ports import Clock

__all__ = ["InMemoryArchive"]


class InMemoryArchive:
    """Keeps documents in a dict, addressed ``memory://archive/<n>/<name>``.

    Args:
        clock: Gives the time each document is stored at.

    Example:
        >>> import datetime as dt
        >>> from kamcore.adapters.clock import FixedClock
        >>> clock = FixedClock(dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
        >>> archive = InMemoryArchive(clock)
        >>> ref = archive.store(
        ...     name="k-1-v2.pdf", content=b"%PDF", media_type="application/pdf"
        ... )
        >>> ref.uri
        'memory://archive/1/k-1-v2.pdf'
        >>> archive.load(ref.uri)
        b'%PDF'
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._files: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def store(self, *, name: str, content: bytes, media_type: str) -> DocumentReference:
        """File ``content``; return its reference.

        Raises:
            ValidationError: naming every offending argument (an empty name or
                media type, content that is not bytes).
        """
        checks = Checks("InMemoryArchive.store")
        checks.text("name", name)
        checks.instance("content", content, bytes)
        checks.text("media_type", media_type)
        checks.raise_if_any()
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        with self._lock:
            uri = f"memory://archive/{len(self._files) + 1}/{name}"
            self._files[uri] = (content, media_type)
        return DocumentReference(uri=uri, digest=digest, stored_at=self._clock.now())

    def load(self, uri: str) -> bytes:
        """The content stored at ``uri``.

        Raises:
            NotFoundError: nothing is stored there.
        """
        try:
            return self._files[uri][0]
        except KeyError:
            raise NotFoundError("Document", [uri]) from None

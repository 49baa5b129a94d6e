"""Id sources: random UUID-based ids and readable sequential ones for tests.

Both implement :class:`kamcore.ports.IdSource`. An id starts with a prefix named
after its kind (``ClientId`` gives ``client``, ``ClientGroupId`` gives
``client_group``), so an id read in a log says what it identifies.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

from kamcore.kernel import Checks

__all__ = ["SequentialIdSource", "UuidIdSource"]

IdT = TypeVar("IdT", bound=str)

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_NAME = re.compile(r"[^a-z0-9_]+")


def _prefix(kind: Callable[[str], object]) -> str:
    """The prefix for ids of ``kind``: its name, snake_case, without ``Id``.

    Example:
        >>> from kamcore.kernel import ClientGroupId
        >>> _prefix(ClientGroupId)
        'client_group'
        >>> _prefix(str)
        'str'
    """
    name = getattr(kind, "__name__", "").removesuffix("Id")
    snake = _NOT_NAME.sub("", _WORD_START.sub("_", name).lower()).strip("_")
    # A kind without a name (a functools.partial) still gets a non-empty prefix.
    return snake or "id"


class UuidIdSource:
    """Ids that are unique everywhere: ``client-<32 hex digits>``.

    Example:
        >>> from kamcore.kernel import ClientId
        >>> UuidIdSource().new_id(ClientId).startswith("client-")
        True
    """

    def new_id(self, kind: Callable[[str], IdT], /) -> IdT:
        """A new random id of ``kind``."""
        return kind(f"{_prefix(kind)}-{uuid.uuid4().hex}")


class SequentialIdSource:
    """Readable, predictable ids for tests: ``client-000001``, ``client-000002``.

    Each kind counts on its own, from ``start``. Thread-safe; unique within one
    source only, so use it for tests and notebooks, not for shared storage.

    Args:
        start: The first number of every kind.

    Raises:
        ValidationError: if ``start`` is not an integer >= 1.

    Example:
        >>> from kamcore.kernel import ClientId, InvoiceId
        >>> ids = SequentialIdSource()
        >>> ids.new_id(ClientId), ids.new_id(ClientId), ids.new_id(InvoiceId)
        ('client-000001', 'client-000002', 'invoice-000001')
    """

    def __init__(self, start: int = 1) -> None:
        checks = Checks("SequentialIdSource")
        if checks.instance("start", start, int):
            checks.require(start >= 1, "start", "must be at least 1", start)
        checks.raise_if_any()
        self._start = start
        self._next: dict[str, int] = {}
        self._lock = threading.Lock()

    def new_id(self, kind: Callable[[str], IdT], /) -> IdT:
        """The next id of ``kind``."""
        prefix = _prefix(kind)
        with self._lock:
            number = self._next.get(prefix, self._start)
            self._next[prefix] = number + 1
        return kind(f"{prefix}-{number:06d}")

"""Where new ids come from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

__all__ = ["IdSource"]

IdT = TypeVar("IdT", bound=str)


class IdSource(Protocol):
    """Makes fresh, unique ids of a given typed-id kind.

    Example:
        ``ids.new_id(ClientId)`` returns a ``ClientId``.
    """

    def new_id(self, kind: Callable[[str], IdT], /) -> IdT:
        """A new id, never returned before by this source."""
        ...

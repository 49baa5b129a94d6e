"""Result lines built the first time they are read.

A kept report decides what it has to from exact sums as soon as it is asked
for: the ranking's order, which accounts alarm. What a person reads — one
record per account, with its ``Money`` and percentages — is built the first
time the result's ``lines`` is read, and kept on the result. Until then the
result holds what it needs to build them, as it was when it was computed:
later events change nothing in it.

Nothing else changes: ``lines`` is an ordinary attrs field, and equality,
hashing, ``repr``, pickling and :func:`attrs.evolve` read it like any other
attribute, so they see the lines. Results built by their constructor hold
their lines from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

__all__ = ["DeferredLines", "defer_lines"]


class DeferredLines:
    """Base of a frozen, slotted attrs result whose ``lines`` (or the field
    named by :attr:`DEFERRED`) may be built on first read.

    The subclass declares that field and, last, a ``_pending`` field
    (``init=False``, ``eq=False``, ``repr=False``, default ``None``): what
    builds the lines while they are not built yet.
    """

    __slots__ = ()

    DEFERRED: ClassVar[str] = "lines"
    """The field built on first read."""

    if not TYPE_CHECKING:  # type checkers see the declared attributes only

        def __getattr__(self, name: str) -> Any:
            # Reached only when the normal lookup failed: ``lines`` not built.
            if name != type(self).DEFERRED:
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}"
                )
            build = object.__getattribute__(self, "_pending")
            if build is not None:
                object.__setattr__(self, name, build())
                object.__setattr__(self, "_pending", None)
            # Built by another thread meanwhile, if ``build`` was gone.
            return object.__getattribute__(self, name)


R = TypeVar("R", bound=DeferredLines)


def defer_lines(result: R, build: Callable[[], tuple[Any, ...]]) -> R:
    """``result``, whose ``lines`` (its :attr:`~DeferredLines.DEFERRED` field)
    are now built by ``build`` on first read."""
    object.__delattr__(result, type(result).DEFERRED)
    object.__setattr__(result, "_pending", build)
    return result

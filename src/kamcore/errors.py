"""The kamcore exception hierarchy.

Every error the library raises on purpose derives from :class:`KamcoreError`, so a
host application can catch the library's failures with one ``except`` clause.
Each subclass also derives from the builtin that matches its meaning (a
:class:`ValidationError` is a :class:`ValueError`, a :class:`NotFoundError` is a
:class:`LookupError`) and carries the offending values as attributes, not only in
its message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "ConcurrencyConflictError",
    "ConfigurationConflictError",
    "CurrencyMismatchError",
    "DuplicateError",
    "FieldError",
    "InvalidTransitionError",
    "KamcoreError",
    "NotFoundError",
    "PartialCommitError",
    "PolicyViolationError",
    "TransactionError",
    "ValidationError",
]


class KamcoreError(Exception):
    """Root of every error kamcore raises on purpose."""


@attrs.frozen
class FieldError:
    """One offending field of a :class:`ValidationError`.

    Attributes:
        path: Where the field is, ``$``-rooted for input documents
            (``$.lines[2].unit_price``) or a bare attribute name for a constructor.
        message: What is wrong with it, in words a user can act on.
        value: The offending value (``None`` when the field was missing).
    """

    path: str
    message: str
    value: Any = None

    def __str__(self) -> str:
        return f"{self.message} @ {self.path}"

    def under(self, prefix: str) -> FieldError:
        """Return this error with its path placed under ``prefix``."""
        if self.path in ("", "$"):
            return attrs.evolve(self, path=prefix)
        if self.path.startswith("$"):
            return attrs.evolve(self, path=prefix + self.path[1:])
        if self.path.startswith("["):
            return attrs.evolve(self, path=prefix + self.path)
        return attrs.evolve(self, path=f"{prefix}.{self.path}")


class ValidationError(KamcoreError, ValueError):
    """Input that breaks a rule: lists *every* offending field, not only the first.

    Attributes:
        errors: One :class:`FieldError` per offending field, in input order.
        subject: What was being validated (a class name, a document kind).
    """

    def __init__(self, subject: str, errors: Sequence[FieldError]) -> None:
        if not errors:
            msg = "ValidationError needs at least one FieldError"
            raise ValueError(msg)
        self.subject = subject
        self.errors: tuple[FieldError, ...] = tuple(errors)
        lines = "\n".join(f"  - {error}" for error in self.errors)
        super().__init__(f"invalid {subject}:\n{lines}")

    @classmethod
    def single(
        cls, subject: str, path: str, message: str, value: Any = None
    ) -> ValidationError:
        """Build a validation error about a single field."""
        return cls(subject, [FieldError(path, message, value)])

    @property
    def messages(self) -> list[str]:
        """The errors as ``"<message> @ <path>"`` strings, in order."""
        return [str(error) for error in self.errors]


class NotFoundError(KamcoreError, LookupError):
    """An entity that was asked for does not exist.

    Attributes:
        entity: The kind of entity (``"Client"``).
        ids: The ids that were not found, in the order they were asked for.
    """

    def __init__(self, entity: str, ids: Iterable[object]) -> None:
        self.entity = entity
        self.ids: tuple[object, ...] = tuple(ids)
        shown = ", ".join(repr(i) for i in self.ids)
        super().__init__(f"{entity} not found: {shown}")


class DuplicateError(KamcoreError):
    """An entity was added under an id that is already taken.

    Attributes:
        entity: The kind of entity.
        id: The id that is already taken.
    """

    def __init__(self, entity: str, id: object) -> None:  # noqa: A002 - domain term
        self.entity = entity
        self.id = id
        super().__init__(f"{entity} {id!r} already exists")


class ConcurrencyConflictError(KamcoreError):
    """A save was based on a stale version of an aggregate (optimistic locking).

    Attributes:
        entity: The kind of entity.
        id: The aggregate's id.
        expected: The version the writer had loaded (the one it tried to replace).
        actual: The version that is stored now (0 when nothing is stored).
    """

    def __init__(self, entity: str, id: object, expected: int, actual: int) -> None:  # noqa: A002
        self.entity = entity
        self.id = id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{entity} {id!r} was changed by someone else: "
            f"you loaded version {expected}, the stored version is {actual}"
        )


class CurrencyMismatchError(KamcoreError, ValueError):
    """Two amounts in different currencies were combined; kamcore never converts.

    Attributes:
        expected: The currency the operation works in.
        actual: The currency that was offered.
        operation: What was being done (``"add"``, ``"compare"``, ``"price line"``).
    """

    def __init__(self, expected: str, actual: str, operation: str) -> None:
        self.expected = expected
        self.actual = actual
        self.operation = operation
        super().__init__(
            f"cannot {operation} {actual} with {expected}: "
            "currencies differ and kamcore does no implicit conversion"
        )


class ConfigurationConflictError(KamcoreError):
    """Configuration that cannot be resolved without guessing.

    Attributes:
        sources: Every source involved in the conflict (e.g. both price lists).
        detail: What conflicts.
    """

    def __init__(self, detail: str, sources: Sequence[object]) -> None:
        self.detail = detail
        self.sources: tuple[object, ...] = tuple(sources)
        shown = ", ".join(repr(s) for s in self.sources)
        super().__init__(f"configuration conflict: {detail} (sources: {shown})")


class PolicyViolationError(KamcoreError):
    """An operation was refused by a business policy.

    Attributes:
        policy: The policy's name.
        detail: Why it was refused.
        value: The value that broke the policy.
    """

    def __init__(self, policy: str, detail: str, value: object = None) -> None:
        self.policy = policy
        self.detail = detail
        self.value = value
        super().__init__(f"refused by {policy}: {detail}")


class InvalidTransitionError(KamcoreError):
    """A state change that the lifecycle does not allow.

    Attributes:
        entity: The kind of entity.
        id: The entity's id.
        current: The state it is in.
        requested: The state that was asked for.
    """

    def __init__(
        self,
        entity: str,
        id: object,  # noqa: A002 - domain term
        current: object,
        requested: object,
    ) -> None:
        self.entity = entity
        self.id = id
        self.current = current
        self.requested = requested
        super().__init__(f"{entity} {id!r} cannot go from {current!s} to {requested!s}")


class TransactionError(KamcoreError, RuntimeError):
    """A unit of work was used outside its ``with`` block or entered twice."""


class PartialCommitError(TransactionError):
    """A block over several stores was stored in some of them only.

    Raised by :class:`~kamcore.adapters.composite.CompositeUnitOfWork` when a
    store refused its commit after the stores before it had committed: their
    writes are stored, the refusing store's and the later ones' are not. The
    refusal is chained as ``__cause__``.

    Attributes:
        committed: The stores that committed, in commit order.
        failed: The store whose commit failed.
        rolled_back: The stores after it, rolled back without committing.
    """

    def __init__(
        self,
        committed: Sequence[str],
        failed: str,
        rolled_back: Sequence[str],
        cause: BaseException,
    ) -> None:
        self.committed = tuple(committed)
        self.failed = failed
        self.rolled_back = tuple(rolled_back)
        kept = ", ".join(self.committed)
        lost = ", ".join((failed, *self.rolled_back))
        super().__init__(
            f"the block was committed in part: stored in {kept}; not stored in "
            f"{lost}, because {failed} refused its commit "
            f"({type(cause).__name__}: {cause})"
        )

"""Constructor validation that reports every offending field at once.

attrs runs field validators one after another and stops at the first failure; a
user fixing a record wants the whole list. Entities therefore validate in
``__attrs_post_init__`` with a :class:`Checks` collector and raise one
:class:`~kamcore.errors.ValidationError` naming every bad field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kamcore.errors import FieldError, ValidationError
from kamcore.kernel._billing import billed_problem, unit_price_problem
from kamcore.kernel._money import Money

__all__ = ["Checks"]


class Checks:
    """Collects field errors for one object and raises them together.

    Example:
        >>> checks = Checks("Product")
        >>> checks.text("name", "")
        >>> checks.raise_if_any()
        Traceback (most recent call last):
        ...
        kamcore.errors.ValidationError: invalid Product:
          - must not be empty @ name
    """

    __slots__ = ("_errors", "subject")

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self._errors: list[FieldError] = []

    def fail(self, path: str, message: str, value: Any = None) -> None:
        """Record one offending field."""
        self._errors.append(FieldError(path, message, value))

    def require(self, ok: bool, path: str, message: str, value: Any = None) -> None:
        """Record an error unless ``ok``."""
        if not ok:
            self.fail(path, message, value)

    def instance(self, path: str, value: Any, kind: type | tuple[type, ...]) -> bool:
        """Check ``value`` is an instance of ``kind``; return whether it is."""
        if isinstance(value, kind) and not (isinstance(value, bool) and kind is int):
            return True
        names = (
            " or ".join(k.__name__ for k in kind)
            if isinstance(kind, tuple)
            else kind.__name__
        )
        self.fail(path, f"expected {names}, got {type(value).__name__}", value)
        return False

    def text(self, path: str, value: Any) -> None:
        """A non-blank string (ids, names)."""
        if self.instance(path, value, str):
            self.require(value.strip() != "", path, "must not be empty", value)

    def optional_text(self, path: str, value: Any) -> None:
        """``None`` or a non-blank string."""
        if value is not None:
            self.text(path, value)

    def decimal(
        self,
        path: str,
        value: Any,
        *,
        minimum: Decimal | None = None,
        strictly_positive: bool = False,
    ) -> None:
        """A finite ``Decimal`` (floats refused), optionally bounded below."""
        if isinstance(value, float):
            self.fail(path, "floats are refused: pass a Decimal", value)
            return
        if not self.instance(path, value, Decimal):
            return
        if not value.is_finite():
            self.fail(path, "must be a finite number", value)
        elif strictly_positive and value <= 0:
            self.fail(path, "must be greater than zero", value)
        elif minimum is not None and value < minimum:
            self.fail(path, f"must be at least {minimum}", value)

    def billed(self, path: str, value: Any) -> bool:
        """Money billed to a client (a payment, a credit note, an explicit
        line amount): a whole number of its currency's minor units.

        Returns whether it is; the message of a refusal says how to convert
        the amount exactly.
        """
        if not self.instance(path, value, Money):
            return False
        problem = billed_problem(value.amount, value.currency)
        if problem is not None:
            self.fail(path, problem, value)
        return problem is None

    def unit_price(self, path: str, value: Any) -> bool:
        """Money per unit (a unit price, a unit cost): at most
        ``MAX_UNIT_PLACES`` decimal places. Returns whether it is."""
        if not self.instance(path, value, Money):
            return False
        problem = unit_price_problem(value)
        if problem is not None:
            self.fail(path, problem, value)
        return problem is None

    def date(self, path: str, value: Any) -> None:
        """A ``datetime.date`` that is not a ``datetime``."""
        if isinstance(value, dt.datetime):
            self.fail(path, "expected a date, got a datetime", value)
        else:
            self.instance(path, value, dt.date)

    def optional_date(self, path: str, value: Any) -> None:
        """``None`` or a date."""
        if value is not None:
            self.date(path, value)

    def window(self, start_path: str, start: Any, end_path: str, end: Any) -> None:
        """Two optional dates, inclusive, the end not before the start."""
        self.optional_date(start_path, start)
        self.optional_date(end_path, end)
        plain = all(
            isinstance(day, dt.date) and not isinstance(day, dt.datetime)
            for day in (start, end)
        )
        if plain and end < start:
            self.fail(end_path, f"ends before it starts ({start})", end)

    def instant(self, path: str, value: Any) -> None:
        """A timezone-aware ``datetime``; naive datetimes are refused."""
        if self.instance(path, value, dt.datetime) and value.utcoffset() is None:
            self.fail(
                path,
                "naive datetimes are refused: give a timezone-aware datetime",
                value,
            )

    def optional_instant(self, path: str, value: Any) -> None:
        """``None`` or a timezone-aware datetime."""
        if value is not None:
            self.instant(path, value)

    def each(
        self,
        path: str,
        values: Any,
        kind: type,
        check: Callable[[str, Any], None] | None = None,
        *,
        container: type = tuple,
    ) -> None:
        """A ``container`` (tuple by default) whose members are all ``kind``."""
        if not self.instance(path, values, container):
            return
        # The common case in one pass: no path is made unless one is wrong.
        if (
            check is None
            and kind is not int
            and all(isinstance(item, kind) for item in values)
        ):
            return
        for index, item in enumerate(values):
            # A set has no positions: its members are reported at the set itself.
            item_path = path if isinstance(values, frozenset) else f"{path}[{index}]"
            if self.instance(item_path, item, kind) and check is not None:
                check(item_path, item)

    def version(self, value: Any) -> None:
        """An optimistic-locking version: an integer >= 0 (0 = never stored)."""
        if self.instance("version", value, int):
            self.require(value >= 0, "version", "must not be negative", value)

    def capture(self, check: Callable[[], object]) -> None:
        """Run ``check``; record the field errors of a ValidationError it raises."""
        try:
            check()
        except ValidationError as error:
            self._errors.extend(error.errors)

    def raise_if_any(self) -> None:
        """Raise one :class:`ValidationError` listing every recorded error."""
        if self._errors:
            raise ValidationError(self.subject, self._errors)

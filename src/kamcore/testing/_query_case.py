"""One query conformance case, and test ids that ``pytest -k`` can select."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from kamcore.ports import Aggregate, UnitOfWork

__all__ = ["Filters", "QueryCase", "cases_for", "safe_id"]

#: A table row: the filters given and the ids expected, in order.
Filters = tuple[dict[str, Any], list[str]]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_id(text: str) -> str:
    """``text`` as a test id that ``pytest -k`` accepts as one word.

    Letters, digits, ``_``, ``.`` and ``-`` are kept; every other run of
    characters (``=``, ``,``, ``:``, spaces...) becomes one ``-``.

    Example:
        >>> safe_id("clients.find:manager=m-1,status=active")
        'clients.find-manager-m-1-status-active'
    """
    return _UNSAFE.sub("-", text).strip("-")


@attrs.frozen(eq=False)
class QueryCase:
    """A query run on stored records, and exactly the ids it must return.

    Attributes:
        repository: The unit of work's attribute holding the repository.
        method: The query method (``"find"``, ``"outstanding"``).
        records: What is stored first, out of order.
        filters: The keyword arguments of the query.
        expected: The ids returned, in order.
    """

    repository: str
    method: str
    records: tuple[Aggregate, ...]
    filters: dict[str, Any]
    expected: list[str]

    @property
    def id(self) -> str:
        """The test id: the query, each filter and its value (:func:`safe_id`)."""
        shown = [f"{k}={getattr(v, 'value', v)}" for k, v in self.filters.items()]
        label = (",".join(shown) or "all") if self.records else "empty"
        return safe_id(f"{self.repository}.{self.method}:{label}")

    def run(self, uow: UnitOfWork) -> list[Any]:
        """Run the query in ``uow``."""
        query = getattr(getattr(uow, self.repository), self.method)
        found: list[Any] = query(**self.filters)
        return found


def cases_for(
    query: str, records: Sequence[Aggregate], table: Iterable[Filters]
) -> list[QueryCase]:
    """The cases of ``table`` for ``query`` (``"clients.find"``) on ``records``.

    Each query also gets a case on empty storage (with the first row's
    filters), which must find nothing.
    """
    repository, method = query.split(".")
    stored = tuple(records)
    rows = list(table)
    return [
        QueryCase(repository, method, (), rows[0][0], []),
        *(
            QueryCase(repository, method, stored, filters, expected)
            for filters, expected in rows
        ),
    ]

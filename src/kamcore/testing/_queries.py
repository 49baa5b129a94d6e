"""Conformance: every repository query, on the edges of every filter."""

from __future__ import annotations

from kamcore.testing._harness import (
    UnitOfWorkFactory,
    UnitOfWorkHarness,
    read,
    seed,
)
from kamcore.testing._query_case import QueryCase

__all__ = ["QueryConformance"]


class QueryConformance(UnitOfWorkHarness):
    """Every query filters, bounds and orders exactly as its port documents.

    Each filter alone and combined, date bounds inclusive on both ends, instant
    bounds half-open ``[from, before)``, empty results and empty storage, and
    ties on the sort key broken by id; what a query returns is exactly what
    was stored. Each case runs on the queries of the suite's repositories,
    named after the query and its filters (``clients.find-manager-m-1``). Part
    of :class:`~kamcore.testing.conformance.UnitOfWorkConformance` and of the
    suites of the repositories that have queries.
    """

    def test_query(self, uow_factory: UnitOfWorkFactory, query_case: QueryCase) -> None:
        stored = {a.id: a for a in seed(uow_factory, *query_case.records)}
        found = read(uow_factory, query_case.run)
        assert [a.id for a in found] == query_case.expected
        assert found == [stored[i] for i in query_case.expected]

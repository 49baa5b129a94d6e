"""Conformance: every repository query, on the edges of every filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from kamcore.accounts import InvoiceState
from kamcore.ports import Aggregate
from kamcore.testing._harness import (
    UnitOfWorkFactory,
    UnitOfWorkHarness,
    ids,
    read,
    seed,
)
from kamcore.testing._query_cases import (
    OUTSTANDING,
    OUTSTANDING_AS_OF,
    QUERY_CASES,
    TICKETS,
    Query,
)

__all__ = ["QueryConformance"]


class QueryConformance(UnitOfWorkHarness):
    """Every query filters, bounds and orders exactly as its port documents.

    Each filter alone and combined, date bounds inclusive on both ends, instant
    bounds half-open ``[from, before)``, empty results, and ties on the sort
    key broken by id. Part of
    :class:`~kamcore.testing.conformance.UnitOfWorkConformance`.
    """

    @pytest.mark.parametrize(("records", "query", "filters", "expected"), QUERY_CASES)
    def test_query(
        self,
        uow_factory: UnitOfWorkFactory,
        records: Sequence[Aggregate],
        query: Query,
        filters: dict[str, Any],
        expected: list[str],
    ) -> None:
        seed(uow_factory, *records)
        found = read(uow_factory, lambda uow: query(uow)(**filters))
        assert ids(found) == expected

    def test_outstanding_invoices_are_open_when_due_today_and_overdue_after(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        stored = seed(uow_factory, *OUTSTANDING)
        found = read(
            uow_factory,
            lambda uow: uow.invoices.outstanding(as_of=OUTSTANDING_AS_OF),
        )
        states: dict[str, InvoiceState] = {
            i.id: i.state(OUTSTANDING_AS_OF) for i in found
        }
        assert states["u-due-today"] is InvoiceState.OPEN
        assert states["u-issued-today"] is InvoiceState.OPEN
        assert states["u-overdue"] is InvoiceState.OVERDUE
        assert found == sorted(
            (i for i in stored if i.id in states), key=lambda i: (i.due_date, i.id)
        )

    def test_queries_return_the_stored_values(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        stored = seed(uow_factory, *TICKETS)
        found = read(uow_factory, lambda uow: uow.tickets.find())
        assert found == sorted(stored, key=lambda t: (t.opened_at, t.id))

    def test_queries_on_empty_repositories_are_empty(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        found = read(
            uow_factory,
            lambda uow: [
                uow.clients.find(),
                uow.products.find(),
                uow.price_lists.find(),
                uow.orders.find(),
                uow.invoices.find(),
                uow.invoices.outstanding(as_of=OUTSTANDING_AS_OF),
                uow.tickets.find(),
                uow.activities.find(),
                uow.contracts.find(),
                uow.renewal_alerts.find(),
                uow.renewal_cases.find(),
                uow.proposals.find(),
                uow.opportunities.find(),
                uow.memberships.find(),
                uow.client_groups.all(),
                uow.discount_groups.all(),
                uow.programmes.all(),
            ],
        )
        assert found == [[] for _ in range(17)]

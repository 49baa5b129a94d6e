"""The records and expected answers of the query conformance tests.

Each query gets one small, fixed set of records (added out of order, so that
insertion order cannot pass for the documented order) and a table of cases:
the filters given and exactly the ids expected, in order. The records sit on
the edges: exactly on a bound, one day (or one microsecond) outside it, and
ties on the sort key broken by id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from kamcore.accounts import ClientStatus, InvoiceStatus, OrderStatus
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    ManagerId,
    OpportunityId,
)
from kamcore.pricing import PriceListKind
from kamcore.testing._contract_query_cases import CONTRACT_QUERY_CASES
from kamcore.testing._loyalty_query_cases import LOYALTY_QUERY_CASES
from kamcore.testing._pipeline_query_cases import PIPELINE_QUERY_CASES
from kamcore.testing._query_case import Filters, QueryCase, cases_for
from kamcore.testing._samples import (
    PARIS_WINTER,
    activity,
    client,
    credit_note,
    invoice,
    order,
    payment,
    price_list,
    product,
    ticket,
)

__all__ = [
    "OUTSTANDING",
    "OUTSTANDING_AS_OF",
    "QUERY_CASES",
    "TICKETS",
]


def _ids(text: str) -> list[str]:
    """Space-separated ids (or record numbers) as a list: tables stay compact."""
    return text.split()


@attrs.frozen
class Case:
    """One query: the filters given and the ids expected, in order."""

    filters: dict[str, Any]
    expected: list[str]

    @property
    def name(self) -> str:
        """A test id naming the filters and their values."""
        shown = [f"{k}={getattr(v, 'value', v)}" for k, v in self.filters.items()]
        return ",".join(shown) or "no-filter"


def case(expected: list[str], **filters: Any) -> Case:
    """One query case."""
    return Case(filters, expected)


# -- clients -------------------------------------------------------------------

CLIENTS = (
    client("c-5", manager="m-1", groups=["g-2"], key_account=True),
    client("c-2", manager="m-2", groups=["g-1", "g-2"]),
    client("c-4", groups=["g-2"], status=ClientStatus.PROSPECT),
    client("c-1", manager="m-1", groups=["g-1"], key_account=True),
    client("c-3", manager="m-1", status=ClientStatus.ON_HOLD),
)

CLIENT_CASES = [
    case(["c-1", "c-2", "c-3", "c-4", "c-5"]),
    case(["c-1", "c-3", "c-5"], manager=ManagerId("m-1")),
    case(["c-2", "c-4", "c-5"], group=ClientGroupId("g-2")),
    case(["c-1", "c-5"], key_account=True),
    case(["c-2", "c-3", "c-4"], key_account=False),
    case(["c-3"], status=ClientStatus.ON_HOLD),
    case(["c-3"], manager=ManagerId("m-1"), key_account=False),
    case(
        ["c-5"],
        manager=ManagerId("m-1"),
        group=ClientGroupId("g-2"),
        key_account=True,
        status=ClientStatus.ACTIVE,
    ),
    case([], manager=ManagerId("m-9")),
    case([], group=ClientGroupId("g-1"), status=ClientStatus.PROSPECT),
]

# -- products ------------------------------------------------------------------

PRODUCTS = (
    product("p-4", category="food", active=False),
    product("p-1", category="tools"),
    product("p-3", category="food"),
    product("p-2", category="tools", active=False),
)

PRODUCT_CASES = [
    case(["p-1", "p-2", "p-3", "p-4"]),
    case(["p-1", "p-2"], category=CategoryId("tools")),
    case(["p-1", "p-3"], active=True),
    case(["p-2", "p-4"], active=False),
    case(["p-2"], category=CategoryId("tools"), active=False),
    case([], category=CategoryId("toys")),
]

# -- price lists -------------------------------------------------------------------

PRICE_LISTS = (
    price_list("pl-4", kind=PriceListKind.CLIENT),
    price_list("pl-1"),
    price_list("pl-5", currency="JPY"),
    price_list("pl-3", kind=PriceListKind.GROUP, currency="USD"),
    price_list("pl-2", kind=PriceListKind.GROUP),
)

PRICE_LIST_CASES = [
    case(["pl-1", "pl-2", "pl-3", "pl-4", "pl-5"]),
    case(["pl-1", "pl-5"], kind=PriceListKind.BASE),
    case(["pl-2", "pl-3"], kind=PriceListKind.GROUP),
    case(["pl-4"], kind=PriceListKind.CLIENT),
    case(["pl-1", "pl-2", "pl-4"], currency="EUR"),
    case(["pl-5"], currency="JPY"),
    case(["pl-2"], kind=PriceListKind.GROUP, currency="EUR"),
    case(["pl-1"], kind=PriceListKind.BASE, currency="EUR"),
    case([], kind=PriceListKind.CLIENT, currency="USD"),
    case([], currency="GBP"),
]

# -- orders and invoices: the same dates, inclusive bounds ----------------------

MARCH_2 = dt.date(2026, 3, 2)
MARCH_31 = dt.date(2026, 3, 31)
_DATES = {
    "1": (MARCH_31, "c-1"),  # exactly on the upper bound
    "2": (dt.date(2026, 3, 10), "c-2"),
    "3": (dt.date(2026, 3, 1), "c-1"),  # one day before the lower bound
    "4": (MARCH_2, "c-1"),  # exactly on the lower bound
    "5": (dt.date(2026, 4, 1), "c-2"),  # one day after the upper bound
    "6": (dt.date(2026, 3, 10), "c-1"),  # same day as "2": the id breaks the tie
}
_APRIL_5 = dt.date(2026, 4, 5)
_MARCH_20 = dt.date(2026, 3, 20)
# Closed orders: the status and the day it was closed.
_STATUSES = {
    "1": (OrderStatus.CANCELLED, _APRIL_5),
    "4": (OrderStatus.FULFILLED, _MARCH_20),
}
_INSERTION = ["6", "5", "1", "2", "4", "3"]

ORDERS = tuple(
    order(
        f"o-{n}",
        client=_DATES[n][1],
        on=_DATES[n][0],
        status=_STATUSES[n][0] if n in _STATUSES else OrderStatus.OPEN,
        closed=_STATUSES[n][1] if n in _STATUSES else None,
    )
    for n in _INSERTION
)
INVOICES = tuple(
    invoice(f"i-{n}", client=_DATES[n][1], issued=_DATES[n][0]) for n in _INSERTION
)


def dated(prefix: str, start: str, end: str) -> list[Case]:
    """The shared dated cases for one repository: ids and bound names filled in."""
    names = {"start": start, "end": end}
    return [
        Case(
            {names.get(name, name): value for name, value in c.filters.items()},
            [f"{prefix}-{number}" for number in c.expected],
        )
        for c in _DATED_CASES
    ]


# Cases shared by ``orders.find`` and ``invoices.find``: ``expected`` holds
# record numbers, and the bounds are named ``start``/``end`` until ``dated``.
_DATED_CASES = [
    case(["3", "4", "2", "6", "1", "5"]),
    case(["4", "2", "6", "1"], start=MARCH_2, end=MARCH_31),
    case(["4", "2", "6", "1", "5"], start=MARCH_2),
    case(["3", "4", "2", "6", "1"], end=MARCH_31),
    case(["2", "6"], start=dt.date(2026, 3, 10), end=dt.date(2026, 3, 10)),
    case(["3", "4", "6", "1"], client=ClientId("c-1")),
    case(["4", "6", "1"], client=ClientId("c-1"), start=MARCH_2, end=MARCH_31),
    case([], start=dt.date(2027, 1, 1)),
    case([], end=dt.date(2026, 2, 28)),
    case([], client=ClientId("c-9")),
]

ORDER_CASES = [
    case(["o-3", "o-2", "o-6", "o-5"], status=OrderStatus.OPEN),
    case(["o-1"], status=OrderStatus.CANCELLED),
    case(
        ["o-6"],
        client=ClientId("c-1"),
        placed_from=MARCH_2,
        placed_to=MARCH_31,
        status=OrderStatus.OPEN,
    ),
    # As of a date, an order is open until the day it was closed.
    case(["o-3", "o-2", "o-6", "o-1", "o-5"], status=OrderStatus.OPEN, as_of=MARCH_31),
    case(
        ["o-3", "o-4", "o-2", "o-6", "o-1", "o-5"],
        status=OrderStatus.OPEN,
        as_of=_MARCH_20 - dt.timedelta(days=1),
    ),
    case(["o-3", "o-2", "o-6", "o-5"], status=OrderStatus.OPEN, as_of=_APRIL_5),
    case([], status=OrderStatus.CANCELLED, as_of=_APRIL_5 - dt.timedelta(days=1)),
    case(["o-1"], status=OrderStatus.CANCELLED, as_of=_APRIL_5),
    case([], status=OrderStatus.FULFILLED, as_of=_MARCH_20 - dt.timedelta(days=1)),
    case(["o-4"], status=OrderStatus.FULFILLED, as_of=_MARCH_20),
    case(
        ["o-1"],
        client=ClientId("c-1"),
        placed_from=MARCH_2,
        placed_to=MARCH_31,
        status=OrderStatus.CANCELLED,
        as_of=dt.date(2026, 12, 31),
    ),
]

# -- outstanding invoices ----------------------------------------------------------

OUTSTANDING_AS_OF = dt.date(2026, 4, 15)
_MARCH_1 = dt.date(2026, 3, 1)
_MARCH_10 = dt.date(2026, 3, 10)

OUTSTANDING = (
    invoice("u-tie", issued=MARCH_2, due=dt.date(2026, 4, 14)),
    invoice(
        "u-paid", issued=_MARCH_1, payments=[payment("pay-1", _MARCH_20, "100.00")]
    ),
    invoice(
        "u-partly", issued=_MARCH_1, payments=[payment("pay-1", _MARCH_20, "40.00")]
    ),
    invoice(
        "u-credited",
        issued=_MARCH_1,
        due=dt.date(2026, 4, 30),
        credit_notes=[credit_note("cn-1", _MARCH_20, "100.00")],
    ),
    invoice(
        "u-overpaid",
        issued=_MARCH_1,
        payments=[payment("pay-1", _MARCH_20, "100.00")],
        credit_notes=[credit_note("cn-1", dt.date(2026, 3, 25), "30.00")],
    ),
    invoice(
        "u-cancelled",
        issued=_MARCH_1,
        status=InvoiceStatus.CANCELLED,
        cancelled=_MARCH_1,
    ),
    # Outstanding until the day before it was cancelled, not from that day on.
    invoice(
        "u-cancelled-before",
        issued=_MARCH_1,
        status=InvoiceStatus.CANCELLED,
        cancelled=_MARCH_10,
    ),
    # Cancelled after OUTSTANDING_AS_OF: still outstanding (overdue) on it.
    invoice(
        "u-cancelled-later",
        issued=_MARCH_1,
        status=InvoiceStatus.CANCELLED,
        cancelled=dt.date(2026, 4, 20),
    ),
    invoice("u-future", issued=dt.date(2026, 4, 16)),
    invoice("u-issued-today", issued=OUTSTANDING_AS_OF),
    invoice("u-due-today", issued=dt.date(2026, 3, 16), due=OUTSTANDING_AS_OF),
    invoice("u-overdue", issued=_MARCH_1, due=dt.date(2026, 4, 14)),
    invoice(
        "u-paid-later",
        issued=_MARCH_1,
        payments=[payment("pay-1", dt.date(2026, 4, 20), "100.00")],
    ),
    invoice("u-other-client", client="c-2", issued=_MARCH_1, due=dt.date(2026, 4, 1)),
)

OUTSTANDING_CASES = [
    case(
        _ids(
            "u-cancelled-later u-paid-later u-partly u-other-client u-overdue u-tie "
            "u-due-today u-issued-today"
        ),
        as_of=OUTSTANDING_AS_OF,
    ),
    case(["u-other-client"], as_of=OUTSTANDING_AS_OF, client=ClientId("c-2")),
    # Payments and credit notes count from the day they are dated.
    case(
        _ids(
            "u-cancelled-later u-paid-later u-partly u-other-client u-overdue u-tie "
            "u-due-today"
        ),
        as_of=_MARCH_20,
    ),
    case(
        _ids(
            "u-cancelled-later u-overpaid u-paid u-paid-later u-partly "
            "u-other-client u-overdue u-tie u-due-today u-credited"
        ),
        as_of=_MARCH_20 - dt.timedelta(days=1),
    ),
    # A cancellation counts from its day: the day before, the invoice is owed.
    case(
        _ids(
            "u-cancelled-before u-cancelled-later u-overpaid u-paid u-paid-later "
            "u-partly u-other-client u-overdue u-tie u-credited"
        ),
        as_of=_MARCH_10 - dt.timedelta(days=1),
    ),
    case(
        _ids(
            "u-cancelled-later u-overpaid u-paid u-paid-later u-partly "
            "u-other-client u-overdue u-tie u-credited"
        ),
        as_of=_MARCH_10,
    ),
    case(
        _ids(
            "u-partly u-other-client u-overdue u-tie u-due-today u-issued-today "
            "u-future"
        ),
        as_of=dt.date(2026, 4, 20),
    ),
    case([], as_of=dt.date(2026, 2, 28)),
]

# -- tickets: open at an instant ------------------------------------------------

OPEN_AT = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
_SECOND = dt.timedelta(seconds=1)
_DAY = dt.timedelta(days=1)

TICKETS = (
    ticket("t-4", opened=OPEN_AT + _SECOND),  # opened just after
    ticket("t-1", opened=OPEN_AT),  # opened exactly at the instant: open
    ticket("t-2", opened=OPEN_AT - _DAY, resolved=OPEN_AT),  # resolved exactly: not
    # Opened at the same instant as t-2, written in another offset.
    ticket("t-5", client="c-2", opened=(OPEN_AT - _DAY).astimezone(PARIS_WINTER)),
    ticket("t-3", client="c-2", opened=OPEN_AT - 2 * _DAY, resolved=OPEN_AT + _SECOND),
    ticket("t-0", opened=OPEN_AT - 3 * _DAY, resolved=OPEN_AT - 2 * _DAY),
)

TICKET_CASES = [
    case(["t-0", "t-3", "t-2", "t-5", "t-1", "t-4"]),
    case(["t-3", "t-5", "t-1"], open_at=OPEN_AT),
    case(["t-3", "t-5", "t-1"], open_at=OPEN_AT.astimezone(PARIS_WINTER)),
    case(["t-0", "t-2", "t-1", "t-4"], client=ClientId("c-1")),
    case(["t-1"], client=ClientId("c-1"), open_at=OPEN_AT),
    case(["t-3", "t-2", "t-5"], open_at=OPEN_AT - _SECOND),
    case([], open_at=OPEN_AT - 4 * _DAY),
]

# -- activities: half-open instant bounds -----------------------------------------

FROM = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 3, 31, 0, 0, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_MARCH_10 = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)

ACTIVITIES = (
    activity("a-6", at=_MARCH_10),  # same instant as a-5: the id breaks the tie
    activity("a-2", at=BEFORE),  # exactly at the upper bound: excluded
    activity("a-4", at=BEFORE - _MICROSECOND, contract="k-1"),
    activity("a-1", at=FROM, opportunity="op-1"),  # exactly at the lower bound
    activity("a-3", client="c-2", at=FROM - _MICROSECOND),
    activity(
        "a-5",
        client="c-2",
        at=_MARCH_10.astimezone(PARIS_WINTER),
        opportunity="op-1",
        contract="k-1",
    ),
)

ACTIVITY_CASES = [
    case(["a-3", "a-1", "a-5", "a-6", "a-4", "a-2"]),
    case(["a-1", "a-5", "a-6", "a-4"], occurred_from=FROM, occurred_before=BEFORE),
    case(["a-1", "a-5", "a-6", "a-4", "a-2"], occurred_from=FROM),
    case(["a-3", "a-1", "a-5", "a-6", "a-4"], occurred_before=BEFORE),
    case([], occurred_from=FROM, occurred_before=FROM),
    case(["a-1", "a-6", "a-4", "a-2"], client=ClientId("c-1")),
    case(["a-1", "a-5"], opportunity=OpportunityId("op-1")),
    case(["a-5", "a-4"], contract=ContractId("k-1")),
    case(["a-5"], opportunity=OpportunityId("op-1"), contract=ContractId("k-1")),
    case(
        ["a-4"],
        client=ClientId("c-1"),
        contract=ContractId("k-1"),
        occurred_from=FROM,
        occurred_before=BEFORE,
    ),
    case([], opportunity=OpportunityId("op-9")),
]

# -- every case, for one parametrised test -------------------------------------


def _rows(table: list[Case]) -> list[Filters]:
    return [(c.filters, c.expected) for c in table]


QUERY_CASES: list[QueryCase] = [
    *cases_for("clients.find", CLIENTS, _rows(CLIENT_CASES)),
    *cases_for("products.find", PRODUCTS, _rows(PRODUCT_CASES)),
    *cases_for("price_lists.find", PRICE_LISTS, _rows(PRICE_LIST_CASES)),
    *cases_for(
        "orders.find",
        ORDERS,
        _rows([*dated("o", "placed_from", "placed_to"), *ORDER_CASES]),
    ),
    *cases_for(
        "invoices.find", INVOICES, _rows(dated("i", "issued_from", "issued_to"))
    ),
    *cases_for("invoices.outstanding", OUTSTANDING, _rows(OUTSTANDING_CASES)),
    *cases_for("tickets.find", TICKETS, _rows(TICKET_CASES)),
    *cases_for("activities.find", ACTIVITIES, _rows(ACTIVITY_CASES)),
    *CONTRACT_QUERY_CASES,
    *PIPELINE_QUERY_CASES,
    *LOYALTY_QUERY_CASES,
]
"""Every query case, each tagged with its repository."""

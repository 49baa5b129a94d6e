"""Strategies for the account entities and notifications.

The priced documents (lines, orders, invoices) are in
:mod:`kamcore.testing._document_strategies`.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeAlias

from hypothesis import strategies as st

from kamcore.accounts import (
    Activity,
    ActivityKind,
    Client,
    ClientGroup,
    ClientStatus,
    Invoice,
    Order,
    Product,
    Ticket,
    TicketPriority,
)
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    DiscountGroupId,
    ManagerId,
    MembershipId,
    OpportunityId,
    PriceListId,
    ProductId,
    TicketId,
)
from kamcore.ports import Notification, Recipient, RecipientKind
from kamcore.pricing import DiscountGroup, PriceList
from kamcore.testing._document_strategies import invoices, orders
from kamcore.testing._pricing_strategies import (
    discount_groups,
    maybe_unit_prices,
    price_lists,
)
from kamcore.testing._value_strategies import (
    currencies,
    free_text,
    ids,
    instants,
    locales,
    names,
)

__all__ = [
    "AnyAggregate",
    "activities",
    "aggregates",
    "client_groups",
    "clients",
    "notifications",
    "products",
    "recipients",
    "tickets",
]

AnyAggregate: TypeAlias = (
    Client
    | ClientGroup
    | Product
    | PriceList
    | DiscountGroup
    | Order
    | Invoice
    | Ticket
    | Activity
)


# Built once: the composites below draw from these on every example.
_MANAGERS = ids(ManagerId)
_MAYBE_MANAGER = st.none() | _MANAGERS
_CLIENT_IDS = ids(ClientId)
_GROUP_SETS = st.frozensets(ids(ClientGroupId), max_size=3)
_MAYBE_DISCOUNT_GROUP = st.none() | ids(DiscountGroupId)
_MAYBE_PRICE_LIST = st.none() | ids(PriceListId)
_MAYBE_MEMBERSHIP = st.none() | ids(MembershipId)
_MAYBE_OPPORTUNITY = st.none() | ids(OpportunityId)
_MAYBE_CONTRACT = st.none() | ids(ContractId)
_UNITS = st.sampled_from(["unit", "kg", "licence", "hour"])
_PRIORITIES = st.integers(-10, 10)
_RESOLUTION_MINUTES = st.integers(0, 60 * 24 * 90)
_KEYS = ids(str)
_PAYLOADS = st.dictionaries(_KEYS, free_text, max_size=4)


def _code(draw: st.DrawFn, currency: str | None) -> str:
    return draw(currencies()) if currency is None else currency


@st.composite
def clients(
    draw: st.DrawFn,
    *,
    key_account: bool | None = None,
    currency: str | None = None,
    status: ClientStatus | None = None,
) -> Client:
    """Client accounts; a key account always has an account manager."""
    key = draw(st.booleans()) if key_account is None else key_account
    return Client(
        id=draw(_CLIENT_IDS),
        name=draw(names),
        currency=_code(draw, currency),
        locale=draw(locales()),
        key_account=key,
        account_manager=draw(_MANAGERS if key else _MAYBE_MANAGER),
        groups=draw(_GROUP_SETS),
        discount_group=draw(_MAYBE_DISCOUNT_GROUP),
        price_list=draw(_MAYBE_PRICE_LIST),
        membership=draw(_MAYBE_MEMBERSHIP),
        status=draw(st.sampled_from(ClientStatus)) if status is None else status,
    )


@st.composite
def client_groups(draw: st.DrawFn) -> ClientGroup:
    """Client groups, with a priority and maybe a price list."""
    return ClientGroup(
        id=draw(ids(ClientGroupId)),
        name=draw(names),
        priority=draw(_PRIORITIES),
        price_list=draw(_MAYBE_PRICE_LIST),
    )


@st.composite
def products(
    draw: st.DrawFn, *, active: bool | None = None, currency: str | None = None
) -> Product:
    """Catalogue products, sometimes with a unit cost and a floor price.

    ``currency`` pins the currency of the cost and floor price (both in one).
    """
    code = _code(draw, currency)
    return Product(
        id=draw(ids(ProductId)),
        name=draw(names),
        category=draw(ids(CategoryId)),
        unit=draw(_UNITS),
        active=draw(st.booleans()) if active is None else active,
        cost=draw(maybe_unit_prices(code)),
        floor_price=draw(maybe_unit_prices(code)),
    )


@st.composite
def tickets(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    resolved: bool | None = None,
) -> Ticket:
    """Support tickets, resolved (after they were opened) or still open."""
    opened = draw(instants())
    is_resolved = draw(st.booleans()) if resolved is None else resolved
    after = dt.timedelta(minutes=draw(_RESOLUTION_MINUTES))
    return Ticket(
        id=draw(ids(TicketId)),
        client=draw(_CLIENT_IDS) if client is None else client,
        subject=draw(names),
        opened_at=opened,
        priority=draw(st.sampled_from(TicketPriority)),
        resolved_at=opened + after if is_resolved else None,
    )


@st.composite
def activities(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    kind: ActivityKind | None = None,
) -> Activity:
    """Calls, meetings, emails and notes, maybe tied to a deal or contract."""
    return Activity(
        id=draw(ids(ActivityId)),
        client=draw(_CLIENT_IDS) if client is None else client,
        kind=draw(st.sampled_from(ActivityKind)) if kind is None else kind,
        occurred_at=draw(instants()),
        summary=draw(names),
        author=draw(_MANAGERS),
        opportunity=draw(_MAYBE_OPPORTUNITY),
        contract=draw(_MAYBE_CONTRACT),
        internal=draw(st.booleans()),
    )


@st.composite
def recipients(draw: st.DrawFn) -> Recipient:
    """Account managers and client contacts to notify."""
    return Recipient(kind=draw(st.sampled_from(RecipientKind)), id=draw(_KEYS))


@st.composite
def notifications(draw: st.DrawFn, *, kind: str | None = None) -> Notification:
    """Notifications with a string payload."""
    return Notification(
        recipient=draw(recipients()),
        kind=draw(_KEYS) if kind is None else kind,
        key=draw(_KEYS),
        locale=draw(locales()),
        subject=draw(names),
        body=draw(free_text),
        payload=draw(_PAYLOADS),
    )


def aggregates() -> st.SearchStrategy[AnyAggregate]:
    """Any stored aggregate: client, group, product, price list, order..."""
    return st.one_of(
        clients(),
        client_groups(),
        products(),
        price_lists(),
        discount_groups(),
        orders(),
        invoices(),
        tickets(),
        activities(),
    )

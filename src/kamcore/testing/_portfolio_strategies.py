"""Whole portfolios, as the documents ``kamcore import`` reads.

:func:`portfolios` draws a small book of business -- clients, products, a price
list, contracts, orders, invoices, opportunities, proposals, a loyalty
programme and its members -- whose references mostly resolve: ids come from
small pools (``c-1`` .. ``c-3``, ``p-1`` .. ``p-3``) and most records share
one currency. Some do not resolve, or mix currencies, on purpose: the document
is not valid by construction, it is what a host might hand over. A test reads
it with the command line and holds it to one rule: what ``import`` accepts,
every command runs on.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
from hypothesis import strategies as st

from kamcore.accounts import Client, Product
from kamcore.kernel import ClientId, MembershipId, PriceListId, ProductId, ProgrammeId
from kamcore.loyalty import Membership, Programme
from kamcore.pricing import PriceItem, PriceList, PriceListKind
from kamcore.serialization import unstructure
from kamcore.testing._contract_strategies import contracts
from kamcore.testing._document_strategies import invoices, orders
from kamcore.testing._entity_strategies import clients, products
from kamcore.testing._loyalty_strategies import programmes
from kamcore.testing._pipeline_strategies import opportunities, proposals
from kamcore.testing._pricing_strategies import fixed_price_items
from kamcore.testing._value_strategies import currencies, dates

__all__ = ["portfolios"]

_CLIENTS = tuple(ClientId(f"c-{n}") for n in (1, 2, 3))
_PRODUCTS = tuple(ProductId(f"p-{n}") for n in (1, 2, 3))
_LIST = PriceListId("list-1")
_PROGRAMME = ProgrammeId("loyalty-1")
# Built once (or once per currency): _book draws from these on every example.
_CHOSEN_CLIENTS = st.lists(st.sampled_from(_CLIENTS), min_size=1, unique=True)
_CHOSEN_PRODUCTS = st.lists(st.sampled_from(_PRODUCTS), min_size=1, unique=True)
_PRICE_LIST_REFERENCES = st.sampled_from([_LIST, None])
_ENROLMENTS = dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1))


@functools.lru_cache(maxsize=64)
def _in(currency: str) -> _Strategies:
    """The strategies of a book in ``currency``."""
    return _Strategies(
        other=st.sampled_from([currency, currency, currency, "EUR", "JPY"]),
        products=products(currency=currency),
        items=fixed_price_items(currency),
        contracts=_at_most(contracts(currency=currency), 2),
        orders=_at_most(orders(currency=currency), 3),
        invoices=_at_most(invoices(currency=currency, redeemed=False), 3),
        opportunities=_at_most(opportunities(currency=currency), 2),
        proposals=_at_most(proposals(currency=currency), 2),
        programmes=programmes(currency),
        book=_book(currency),
    )


@functools.lru_cache(maxsize=64)
def _clients_in(currency: str) -> st.SearchStrategy[Client]:
    return clients(currency=currency)


def _at_most(strategy: st.SearchStrategy[Any], most: int) -> st.SearchStrategy[Any]:
    return st.lists(strategy, max_size=most)


@functools.lru_cache(maxsize=256)
def _owners(chosen: tuple[ClientId, ...]) -> st.SearchStrategy[ClientId]:
    return st.sampled_from(chosen)


@functools.lru_cache(maxsize=256)
def _catalogue(products: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(products)


@attrs.frozen
class _Strategies:
    """What :func:`_book` draws from for one currency, built once."""

    other: st.SearchStrategy[str]
    products: st.SearchStrategy[Product]
    items: st.SearchStrategy[PriceItem]
    contracts: st.SearchStrategy[list[Any]]
    orders: st.SearchStrategy[list[Any]]
    invoices: st.SearchStrategy[list[Any]]
    opportunities: st.SearchStrategy[list[Any]]
    proposals: st.SearchStrategy[list[Any]]
    programmes: st.SearchStrategy[Programme]
    book: st.SearchStrategy[dict[str, list[Any]]]


def _records(items: list[Any]) -> list[Any]:
    return [unstructure(item) for item in items]


def _pointed(data: Any, draw: st.DrawFn, products: st.SearchStrategy[str]) -> Any:
    """``data`` with every product it names drawn from ``products``, and every
    price list it names the portfolio's (or none): the references a host's
    records make to its own catalogue."""
    if isinstance(data, list):
        return [_pointed(item, draw, products) for item in data]
    if not isinstance(data, dict):
        return data
    found = {key: _pointed(value, draw, products) for key, value in data.items()}
    if isinstance(found.get("product"), str):
        found["product"] = draw(products)
    if isinstance(found.get("price_list"), str):
        found["price_list"] = draw(_PRICE_LIST_REFERENCES)
    return found


@st.composite
def _book(draw: st.DrawFn, currency: str) -> dict[str, list[Any]]:
    kept = _in(currency)
    chosen = draw(_CHOSEN_CLIENTS)
    other = draw(kept.other)
    member = chosen[0] if draw(st.booleans()) else None
    found_clients: list[Client] = [
        attrs.evolve(
            draw(_clients_in(currency if client != chosen[-1] else other)),
            id=client,
            groups=frozenset(),
            discount_group=None,
            price_list=_LIST if draw(st.booleans()) else None,
            membership=MembershipId(f"m-{client}") if client == member else None,
        )
        for client in chosen
    ]
    found_products: list[Product] = [
        attrs.evolve(draw(kept.products), id=product)
        for product in draw(_CHOSEN_PRODUCTS)
    ]
    items = tuple(
        attrs.evolve(draw(kept.items), product=product.id) for product in found_products
    )
    lists = [
        PriceList(
            id=_LIST,
            name="Base",
            currency=currency,
            kind=PriceListKind.BASE,
            items=items,
        )
    ]
    ids = _owners(tuple(c.id for c in found_clients))

    def owned(strategy: st.SearchStrategy[list[Any]]) -> list[Any]:
        return [attrs.evolve(record, client=draw(ids)) for record in draw(strategy)]

    book: dict[str, list[Any]] = {
        "clients": _records(found_clients),
        "products": _records(found_products),
        "price_lists": _records(lists),
        "contracts": _records(owned(kept.contracts)),
        "orders": _records(owned(kept.orders)),
        "invoices": _records(owned(kept.invoices)),
        "opportunities": _records(
            [
                attrs.evolve(o, product=None, contract=None, proposal=None)
                for o in owned(kept.opportunities)
            ]
        ),
        "proposals": _records(
            [
                attrs.evolve(p, contract=None, opportunity=None, order=None)
                for p in owned(kept.proposals)
            ]
        ),
    }
    if member is not None:
        programme: Programme = attrs.evolve(draw(kept.programmes), id=_PROGRAMME)
        membership = Membership(
            id=MembershipId(f"m-{member}"),
            client=member,
            programme=_PROGRAMME,
            enrolled_on=draw(_ENROLMENTS),
        )
        book["programmes"] = _records([programme])
        book["memberships"] = _records([membership])
    catalogue = _catalogue(tuple(product.id for product in found_products))
    # Clients and the price list already name the pools.
    return {
        kind: records
        if kind in {"clients", "price_lists"}
        else _pointed(records, draw, catalogue)
        for kind, records in book.items()
    }


@st.composite
def portfolios(draw: st.DrawFn) -> dict[str, list[Any]]:
    """A portfolio document (JSON-ready: a list of records per kind, in
    kamcore's JSON format) for ``kamcore import``; see the module."""
    currency = draw(currencies())
    return draw(_in(currency).book)

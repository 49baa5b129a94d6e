"""Catalogues to start the service on: a small sample, or kamcore's demo portfolio.

The sample (:func:`seed_sample`) is what the tests and ``load.py`` price: a base
list, a group list, a discount group, a client-dedicated list and three
clients, with as many products as asked. The demo (:func:`seed_demo`) is
``kamcore demo``'s portfolio of Valvetta, a valve maker: run through the
public command line, as a user would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from decimal import Decimal

import attrs

from kamcore.accounts import Client, ClientGroup, Product
from kamcore.cli import ExitCode, main
from kamcore.errors import KamcoreError, ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.ports import UnitOfWork
from kamcore.pricing import (
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
)

__all__ = [
    "Catalogue",
    "SeedError",
    "product_id",
    "sample_catalogue",
    "seed_demo",
    "seed_sample",
]


@attrs.frozen(kw_only=True)
class Catalogue:
    """What a pricing service prices with: the index's inputs, and the clients."""

    products: tuple[Product, ...]
    price_lists: tuple[PriceList, ...]
    client_groups: tuple[ClientGroup, ...]
    discount_groups: tuple[DiscountGroup, ...]
    clients: tuple[Client, ...]


def product_id(number: int) -> ProductId:
    """The id of the sample's product ``number`` (from 1): ``p-001``."""
    return ProductId(f"p-{number:03}")


def _eur(amount: str | int) -> Money:
    return Money(Decimal(amount), "EUR")


def sample_catalogue(products: int = 12) -> Catalogue:
    """A small EUR catalogue, the same every time.

    * products ``p-001`` ... (odd numbers are valves, even ones pumps);
    * the base list ``base-eur`` prices product *n* at 10 + *n* EUR, and
      ``p-001`` at 10.00 from 100 units;
    * the group ``dach`` (priority 10) has the list ``dach-list``: ``p-001`` at
      10.50, ``p-002`` at 11.40;
    * the discount group ``volume``: 5 % off valves from 20 units;
    * ``acme`` has its own (net) list ``acme-list``, ``p-001`` at 9.90, and is
      in ``dach``; ``kleinbau`` is in ``dach`` with the ``volume`` discounts;
      ``fjord`` pays base prices.

    Args:
        products: How many products (at least 3).

    Raises:
        ValidationError: for fewer than 3 products.
    """
    if products < 3:  # the lists below price the first three
        raise ValidationError.single(
            "sample_catalogue", "products", "needs at least 3 products", products
        )
    numbers = range(1, products + 1)
    return Catalogue(
        products=tuple(
            Product(
                id=product_id(n),
                name=f"{'Valve' if n % 2 else 'Pump'} {n:03}",
                category=CategoryId("valves" if n % 2 else "pumps"),
            )
            for n in numbers
        ),
        price_lists=(
            PriceList(
                id=PriceListId("base-eur"),
                name="Base prices",
                currency="EUR",
                kind=PriceListKind.BASE,
                items=(
                    *(
                        PriceItem(product=product_id(n), unit_price=_eur(10 + n))
                        for n in numbers
                    ),
                    PriceItem(
                        product=product_id(1),
                        unit_price=_eur("10.00"),
                        min_quantity=Decimal(100),
                    ),
                ),
            ),
            PriceList(
                id=PriceListId("dach-list"),
                name="DACH group prices",
                currency="EUR",
                kind=PriceListKind.GROUP,
                items=(
                    PriceItem(product=product_id(1), unit_price=_eur("10.50")),
                    PriceItem(product=product_id(2), unit_price=_eur("11.40")),
                ),
            ),
            PriceList(
                id=PriceListId("acme-list"),
                name="ACME negotiated prices",
                currency="EUR",
                kind=PriceListKind.CLIENT,
                items=(PriceItem(product=product_id(1), unit_price=_eur("9.90")),),
            ),
        ),
        client_groups=(
            ClientGroup(
                id=ClientGroupId("dach"),
                name="DACH",
                priority=10,
                price_list=PriceListId("dach-list"),
            ),
        ),
        discount_groups=(
            DiscountGroup(
                id=DiscountGroupId("volume"),
                name="Volume buyers",
                rules=(
                    DiscountRule(
                        scope=DiscountScope.CATEGORY,
                        target="valves",
                        percentage=Percentage("5"),
                        min_quantity=Decimal(20),
                    ),
                ),
            ),
        ),
        clients=(
            Client(
                id=ClientId("acme"),
                name="ACME Industrial",
                currency="EUR",
                locale="de_DE",
                groups=frozenset({ClientGroupId("dach")}),
                price_list=PriceListId("acme-list"),
            ),
            Client(
                id=ClientId("kleinbau"),
                name="Kleinbau",
                currency="EUR",
                locale="de_DE",
                groups=frozenset({ClientGroupId("dach")}),
                discount_group=DiscountGroupId("volume"),
            ),
            Client(
                id=ClientId("fjord"),
                name="Fjord Marine",
                currency="EUR",
                locale="nb_NO",
            ),
        ),
    )


def seed_sample(uow: UnitOfWork, *, products: int = 12) -> Catalogue:
    """Store the sample catalogue, in one unit of work; return it as stored.

    Raises:
        DuplicateError: if the database holds one of its records already.
    """
    catalogue = sample_catalogue(products)
    with uow:
        stored = Catalogue(
            products=tuple(uow.products.add(p) for p in catalogue.products),
            price_lists=tuple(uow.price_lists.add(p) for p in catalogue.price_lists),
            client_groups=tuple(
                uow.client_groups.add(g) for g in catalogue.client_groups
            ),
            discount_groups=tuple(
                uow.discount_groups.add(g) for g in catalogue.discount_groups
            ),
            clients=tuple(uow.clients.add(c) for c in catalogue.clients),
        )
        uow.commit()
    return stored


class SeedError(KamcoreError):
    """``kamcore demo`` could not build its portfolio."""


def seed_demo(database: str, *, as_of: dt.date) -> None:
    """Build ``kamcore demo``'s portfolio, dated ``as_of``, in a new database.

    Args:
        database: A new SQLite file's path, or a database URL.
        as_of: The demo date (its contracts, orders and prices are dated from it).

    Raises:
        SeedError: with the command's own message, if it fails (the database
            holds a portfolio already, say).
    """
    said, complaints = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(complaints):
        status = main(["demo", "--db", database, "--as-of", as_of.isoformat()])
    if status != ExitCode.OK:
        msg = f"kamcore demo failed ({status}): {complaints.getvalue().strip()}"
        raise SeedError(msg)

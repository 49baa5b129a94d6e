"""What resolution is asked and what it answers.

Every question goes through :func:`ask_for`, which checks its arguments the
way :class:`~kamcore.pricing.LineRequest` does; every answer is a
:class:`ResolvedPrice`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from kamcore.accounts import Client, PriceExplanation
from kamcore.errors import CurrencyMismatchError
from kamcore.kernel import (
    Checks,
    ClientId,
    Money,
    Percentage,
    ProductId,
    validate_currency,
)
from kamcore.pricing._lists import PriceListKind

if TYPE_CHECKING:
    from kamcore.pricing._resolution import PricingIndex

__all__ = ["Ask", "ResolvedPrice", "ask_for"]


class Ask(NamedTuple):
    """What is being priced: one product, quantity, date and currency, for whom."""

    product: ProductId
    quantity: Decimal
    on: dt.date
    currency: str
    client: ClientId


class ResolvedPrice(NamedTuple):
    """The unit price a client pays for a product, and where it came from.

    A named tuple rather than an attrs class: a backend builds one per priced
    line, by the hundred thousand, and a tuple is four times cheaper to build.
    It is immutable and hashable all the same.

    Attributes:
        unit_price: The price charged per unit, rounded to the unit places.
        list_price: The winning list's price before any discount group.
        discount: The discount-group percentage applied, if any.
        source: The winning list item (``"acme-2026.items[3]"``).
        source_kind: The winning list's kind.
        client: The client priced for.
        product: The product.
        quantity: The quantity priced.
        on: The pricing date.
        resolver: The index that resolved it (to explain it).
    """

    unit_price: Money
    list_price: Money
    discount: Percentage | None
    source: str
    source_kind: PriceListKind
    client: Client
    product: ProductId
    quantity: Decimal
    on: dt.date
    resolver: PricingIndex

    def explain(self) -> PriceExplanation:
        """Every list and item considered and why, each step and its rounding."""
        _, explanation = self.resolver.resolve_explained(
            self.client, self.product, self.quantity, self.on
        )
        return explanation


def ask_for(
    client: object,
    product: object,
    quantity: object,
    on: object,
    currency: object,
) -> Ask:
    """What to price, once every argument is checked as ``LineRequest`` does.

    Raises:
        ValidationError: naming every argument of the wrong type or value.
        CurrencyMismatchError: ``currency`` is not the client's.
    """
    checks = Checks("PricingIndex.resolve")
    checks.instance("client", client, Client)
    checks.text("product", product)
    checks.decimal("quantity", quantity, strictly_positive=True)
    checks.date("on", on)
    if currency is not None:
        checks.capture(
            lambda: validate_currency(
                currency, subject="PricingIndex.resolve", path="currency"
            )
        )
    checks.raise_if_any()
    assert isinstance(client, Client)  # noqa: S101 - checked just above
    assert isinstance(product, str)  # noqa: S101
    assert isinstance(quantity, Decimal)  # noqa: S101
    assert isinstance(on, dt.date)  # noqa: S101
    if currency is not None and currency != client.currency:
        raise CurrencyMismatchError(
            str(currency),
            client.currency,
            f"price {product} for client {client.id} from its lists in",
        )
    return Ask(ProductId(product), quantity, on, client.currency, client.id)

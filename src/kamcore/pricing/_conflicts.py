"""Pricing configuration conflicts and the errors that carry them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs

from kamcore.errors import ConfigurationConflictError, NotFoundError

__all__ = ["PriceNotFoundError", "PricingConfigurationError", "PricingConflict"]


@attrs.frozen
class PricingConflict:
    """One configuration conflict, with every source involved.

    Attributes:
        detail: What conflicts.
        sources: Where: list ids, ``list.items[i]`` positions, group ids.
    """

    detail: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.detail} ({', '.join(self.sources)})"


class PricingConfigurationError(ConfigurationConflictError):
    """Price lists or discount groups that cannot be resolved without guessing.

    Attributes:
        conflicts: Every conflict found, each with its sources.
    """

    def __init__(self, conflicts: Sequence[PricingConflict]) -> None:
        self.conflicts: tuple[PricingConflict, ...] = tuple(conflicts)
        detail = "; ".join(conflict.detail for conflict in self.conflicts)
        sources = [source for conflict in self.conflicts for source in conflict.sources]
        super().__init__(detail, sources)


class PriceNotFoundError(NotFoundError):
    """No list gives a price: kamcore never prices at zero by default.

    Attributes:
        client: The client priced for.
        product: The product.
        quantity: The quantity asked.
        on: The pricing date.
        reasons: Why each consulted list gave nothing.
    """

    def __init__(
        self,
        client: str,
        product: str,
        quantity: Decimal,
        on: dt.date,
        reasons: Sequence[str],
    ) -> None:
        self.client = client
        self.product = product
        self.quantity = quantity
        self.on = on
        self.reasons: tuple[str, ...] = tuple(reasons)
        super().__init__("Price", [product])
        self.args = (
            f"no price for {product} x {quantity} for client {client} on {on}: "
            + ("; ".join(self.reasons) or "no list consulted"),
        )

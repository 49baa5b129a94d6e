"""Products: what is sold, in which category and unit, at what cost and floor."""

from __future__ import annotations

import attrs

from kamcore.kernel import CategoryId, Checks, Money, ProductId

__all__ = ["Product"]


@attrs.frozen(kw_only=True)
class Product:
    """A product in the catalogue.

    ``cost`` and ``floor_price`` are unit amounts: like unit prices they may
    carry more decimals than the currency (e.g. 4). A pricing policy compares the
    net unit price charged with them (below the floor, below a minimum margin).

    Attributes:
        id: The product's id.
        name: Display name.
        category: Category (discount rules and loyalty multipliers use it).
        unit: Unit of sale (``"unit"``, ``"kg"``, ``"licence"``).
        active: Whether it can still be sold.
        cost: What one unit costs the business, if known (not negative).
        floor_price: The lowest unit price it may be sold at, if there is one
            (not negative; in the same currency as ``cost`` when both are given).
        version: Optimistic-locking version.
    """

    id: ProductId
    name: str
    category: CategoryId
    unit: str = "unit"
    active: bool = True
    cost: Money | None = None
    floor_price: Money | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Product")
        checks.text("id", self.id)
        checks.text("name", self.name)
        checks.text("category", self.category)
        checks.text("unit", self.unit)
        checks.instance("active", self.active, bool)
        amounts = {"cost": self.cost, "floor_price": self.floor_price}
        for path, amount in amounts.items():
            if amount is not None and checks.unit_price(path, amount):
                checks.require(
                    not amount.is_negative(), path, "must not be negative", amount
                )
        if (
            isinstance(self.cost, Money)
            and isinstance(self.floor_price, Money)
            and self.cost.currency != self.floor_price.currency
        ):
            checks.fail(
                "floor_price.currency",
                f"must be the cost currency {self.cost.currency}",
                self.floor_price.currency,
            )
        checks.version(self.version)
        checks.raise_if_any()

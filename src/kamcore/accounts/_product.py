"""Products: what is sold, in which category and unit."""

from __future__ import annotations

import attrs

from kamcore.kernel import CategoryId, Checks, ProductId

__all__ = ["Product"]


@attrs.frozen(kw_only=True)
class Product:
    """A product in the catalogue.

    Attributes:
        id: The product's id.
        name: Display name.
        category: Category (discount rules and loyalty multipliers use it).
        unit: Unit of sale (``"unit"``, ``"kg"``, ``"licence"``).
        active: Whether it can still be sold.
        version: Optimistic-locking version.
    """

    id: ProductId
    name: str
    category: CategoryId
    unit: str = "unit"
    active: bool = True
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Product")
        checks.text("id", self.id)
        checks.text("name", self.name)
        checks.text("category", self.category)
        checks.text("unit", self.unit)
        checks.instance("active", self.active, bool)
        checks.version(self.version)
        checks.raise_if_any()

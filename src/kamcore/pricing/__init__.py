"""Pricing (SPEC §3): price lists, resolution, discounts, explanations.

Lands with the pricing issue.
"""

__all__: list[str] = []

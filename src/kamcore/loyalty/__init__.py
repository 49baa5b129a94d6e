"""Loyalty and membership (SPEC §5). Lands with the loyalty issue."""

__all__: list[str] = []

"""Metrics and the weekly routine (SPEC §6). Lands with the metrics issue."""

__all__: list[str] = []

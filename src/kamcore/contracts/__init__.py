"""Contracts and renewals (SPEC §4). Lands with the contracts issue."""

__all__: list[str] = []

"""Public API hygiene: sorted ``__all__``, every name importable and documented."""

from __future__ import annotations

import importlib
import inspect
from importlib.resources import files

import pytest

PACKAGES = [
    "kamcore",
    "kamcore.accounts",
    "kamcore.adapters",
    "kamcore.adapters.archive",
    "kamcore.adapters.clock",
    "kamcore.adapters.ids",
    "kamcore.adapters.memory",
    "kamcore.adapters.notifiers",
    "kamcore.adapters.sql",
    "kamcore.contracts",
    "kamcore.errors",
    "kamcore.kernel",
    "kamcore.loyalty",
    "kamcore.metrics",
    "kamcore.opportunities",
    "kamcore.ports",
    "kamcore.pricing",
    "kamcore.proposals",
    "kamcore.serialization",
    "kamcore.services",
    "kamcore.testing",
    "kamcore.testing.conformance",
    "kamcore.testing.strategies",
    "kamcore.views",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_exported_name_exists(name: str) -> None:
    # Sorting of __all__ is enforced by ruff (RUF022).
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported))
    missing = [item for item in exported if not hasattr(module, item)]
    assert missing == []


@pytest.mark.parametrize("name", PACKAGES)
def test_every_exported_class_and_function_is_documented(name: str) -> None:
    module = importlib.import_module(name)
    assert inspect.getdoc(module)
    undocumented = [
        item
        for item in module.__all__
        if (inspect.isclass(obj := getattr(module, item)) or inspect.isfunction(obj))
        and not inspect.getdoc(obj)
    ]
    assert undocumented == []


def test_the_package_ships_its_type_marker() -> None:
    assert files("kamcore").joinpath("py.typed").is_file()
